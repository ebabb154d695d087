# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CustomerSuccessOnboardingCommon


@tagged("post_install", "-at_install")
class TestSettings(CustomerSuccessOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_pricelist = cls.env["product.pricelist"].create(
            {"name": "Planos anuais", "currency_id": cls.company.currency_id.id}
        )
        cls.subscription = cls.create_subscription(cls.customer, 3500)
        cls.subscription.action_start_subscription()
        cls.draft = cls.create_subscription(
            cls.env["res.partner"].create({"name": "Ipê Digital", "is_company": True}),
            900,
        )
        cls.draft.pricelist_id = cls.other_pricelist

    def test_saving_settings_leaves_pricelists_and_subscriptions_alone(self):
        """Opening the settings warns of nothing, and saving an unrelated
        value archives no pricelist."""
        in_use = self.env["sale.subscription"].search([]).pricelist_id
        self.assertEqual(in_use, self.pricelist | self.other_pricelist)
        with self.assertNoLogs("odoo.tests.form.onchange", "WARNING"):
            settings = Form(self.env["res.config.settings"])
        self.assertTrue(settings.group_product_pricelist)
        settings.cs_nps_window_days = 45
        settings.save().execute()
        self.assertEqual(self.company.cs_nps_window_days, 45)
        self.assertEqual(in_use.filtered("active"), in_use)
        self.assertEqual(self.subscription.stage_id.type, "in_progress")
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("product.group_product_pricelist")
        )
        self.assertIn(
            self.env.ref("product.group_product_pricelist"),
            self.env.ref("base.group_user").all_implied_ids,
        )

    def test_pricelists_stay_on_while_subscriptions_run(self):
        settings = Form(self.env["res.config.settings"])
        settings.group_product_pricelist = False
        with self.assertRaisesText(UserError, "2 subscriptions"):
            settings.save().execute()
        self.assertTrue(self.pricelist.active)
        self.assertTrue(self.other_pricelist.active)
