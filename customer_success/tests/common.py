# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class CustomerSuccessCommon(BaseCommon):
    """Users of every kind and a small portfolio, built once per class.

    Other addons extending customer_success can inherit this class to get the
    same fixtures.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.user_cs = new_test_user(
            cls.env,
            login="cs_user",
            name="Carla Souza",
            groups="customer_success.customer_success_group_user",
        )
        cls.user_cs_other = new_test_user(
            cls.env,
            login="cs_user_other",
            name="Otávio Lima",
            groups="customer_success.customer_success_group_user",
        )
        cls.user_cs_manager = new_test_user(
            cls.env,
            login="cs_manager",
            name="Marina Costa",
            groups="customer_success.customer_success_group_manager",
        )
        cls.user_accountant = new_test_user(
            cls.env,
            login="cs_accountant",
            name="Antônio Reis",
            groups="account.group_account_invoice",
        )
        cls.user_internal = new_test_user(
            cls.env, login="cs_internal", name="Ivo Prado", groups="base.group_user"
        )
        cls.user_portal = new_test_user(
            cls.env, login="cs_portal", name="Paula Dias", groups="base.group_portal"
        )
        cls.team_ongoing = cls.env["cs.team"].create(
            {
                "name": "Ongoing",
                "leader_id": cls.user_cs_manager.id,
                "member_ids": [(4, cls.user_cs.id)],
            }
        )
        cls.team_default = cls.env["cs.team"].create({"name": "Everyone Else"})
        cls.company.cs_default_team_id = cls.team_default
        cls.customer = cls.env["res.partner"].create(
            {"name": "Nuvem Alta Hospedagem", "is_company": True}
        )

    def flush_tracking(self):
        """Write the pending tracking values, as the commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()
