# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import tagged

from .common import CustomerSuccessBillingCommon


@tagged("post_install", "-at_install")
class TestSubscriptionInvoicing(CustomerSuccessBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the subscription catalogue is the sales manager's job, the
        # scheduled actions the administrator's
        cls.env_su = cls.env(su=True)
        cls.product = cls.env_su["product.product"].create(
            {
                "name": "Hospedagem gerenciada",
                "type": "service",
                "subscribable": True,
                "taxes_id": [Command.clear()],
            }
        )
        cls.subscription = cls.env_su["sale.subscription"].create(
            {
                "partner_id": cls.customer.id,
                "template_id": cls.env_su["sale.subscription.template"]
                .create({"name": "Mensal"})
                .id,
                "pricelist_id": cls.env_su["product.pricelist"]
                .create({"name": "Planos", "currency_id": cls.company.currency_id.id})
                .id,
                "sale_subscription_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": 199.0,
                            "product_uom_qty": 1,
                        }
                    )
                ],
            }
        )
        cls.subscription.action_start_subscription()

    def run_invoicing_cron(self):
        """subscription_oca's scheduled action, as the scheduler runs it (its
        ``_callback`` minus the commit, which a test cannot do)."""
        cron = self.env_su.ref("subscription_oca.ir_cron_subscription_management")
        cron.ir_actions_server_id.with_user(cron.user_id).run()
        self.env.flush_all()
        return self.env["account.move"].search(
            [("subscription_id", "=", self.subscription.id)]
        )

    def test_product_without_category_is_invoiced_on_the_income_account(self):
        """Odoo 19 creates products without a category: the subscription is
        still invoiced, on the company's income account."""
        self.assertFalse(self.product.categ_id)
        invoice = self.run_invoicing_cron()
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.partner_id, self.payer)
        self.assertEqual(
            invoice.invoice_line_ids.account_id, self.company.income_account_id
        )
        self.assertEqual(invoice.amount_untaxed, 199.0)

    def test_account_of_the_product_is_kept(self):
        account = self.company_data["default_account_revenue"].copy(
            {"code": "700099", "name": "Hosting revenue"}
        )
        self.product.property_account_income_id = account
        invoice = self.run_invoicing_cron()
        self.assertEqual(invoice.invoice_line_ids.account_id, account)
