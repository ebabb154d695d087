# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import ast

from odoo.tests import tagged

from .common import CustomerSuccessCommon


@tagged("post_install", "-at_install")
class TestMenus(CustomerSuccessCommon):
    def _visible_menu_xmlids(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        return {menu.get("xmlid") for menu in menus.values() if isinstance(menu, dict)}

    def test_cs_user_sees_app_not_configuration(self):
        xmlids = self._visible_menu_xmlids(self.user_cs)
        self.assertIn("customer_success.customer_success_menu_root", xmlids)
        self.assertIn("customer_success.res_partner_menu_customers", xmlids)
        self.assertNotIn("customer_success.customer_success_menu_configuration", xmlids)
        self.assertNotIn("customer_success.cs_team_menu", xmlids)

    def test_cs_manager_sees_configuration(self):
        xmlids = self._visible_menu_xmlids(self.user_cs_manager)
        self.assertIn("customer_success.customer_success_menu_root", xmlids)
        self.assertIn("customer_success.cs_team_menu", xmlids)
        # Settings stay with the administrators, like every other app's settings.
        self.assertNotIn("customer_success.res_config_settings_menu", xmlids)

    def test_admin_sees_settings(self):
        xmlids = self._visible_menu_xmlids(self.env.ref("base.user_admin"))
        self.assertIn("customer_success.res_config_settings_menu", xmlids)

    def test_users_without_cs_rights_do_not_see_the_app(self):
        for user in (self.user_internal, self.user_accountant):
            with self.subTest(user=user.login):
                xmlids = self._visible_menu_xmlids(user)
                self.assertNotIn("customer_success.customer_success_menu_root", xmlids)

    def test_menu_actions_load_for_cs_user(self):
        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.user_cs)
            ._for_xml_id("customer_success.res_partner_action_customers")
        )
        self.assertEqual(action["res_model"], "res.partner")
        partners = (
            self.env["res.partner"]
            .with_user(self.user_cs)
            .web_search_read(
                ast.literal_eval(action["domain"]),
                specification={"csm_id": {}, "cs_team_id": {}},
            )
        )
        self.assertIn(self.customer.id, [r["id"] for r in partners["records"]])
