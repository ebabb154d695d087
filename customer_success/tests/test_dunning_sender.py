# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command
from odoo.tests import Form, new_test_user, tagged

from .common import CustomerSuccessBillingCommon
from .test_migration import _load


@tagged("post_install", "-at_install")
class TestDunningSender(CustomerSuccessBillingCommon):
    """Billing e-mails are signed by the invoice's salesperson, else the
    company's billing sender, else the company; never OdooBot, though the
    scheduled job runs as OdooBot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = cls.env["res.partner"].create(
            {"name": "Cobrança Empresa", "email": "billing@empresa.example.com"}
        )
        cls.company.cs_billing_sender_id = cls.billing
        cls.salesperson = new_test_user(
            cls.env,
            login="vendedor",
            name="Vitor Vendas",
            email="vitor@empresa.example.com",
            groups="base.group_user",
        )
        cls.root = cls.env.ref("base.partner_root")

    def run_cron(self, on):
        """The dunning's scheduled action, as the scheduler runs it: as its
        user (OdooBot). (``method_direct_trigger`` commits.)"""
        cron = self.env.ref("customer_success.ir_cron_cs_dunning")
        self.assertEqual(cron.user_id, self.env.ref("base.user_root"))
        self.env.flush_all()
        with freeze_time(on):
            cron.ir_actions_server_id.with_user(cron.user_id).run()
            self.env.flush_all()

    def create_invoice_as_job(self, **values):
        """An invoice made by a scheduled job (subscription_oca's invoicing
        runs as OdooBot and passes its user as the salesperson)."""
        invoice = (
            self.env["account.move"]
            .with_user(SUPERUSER_ID)
            .with_company(self.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": self.day(-30),
                    "invoice_date_due": self.DUE,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Plano mensal", "price_unit": 199.0, "tax_ids": []}
                        )
                    ],
                    **values,
                }
            )
        )
        invoice.action_post()
        return invoice.with_env(self.env)

    def billing_message(self, invoice):
        return self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("message_type", "=", "comment"),
                ("partner_ids", "in", self.payer.ids),
            ],
            order="id desc",
            limit=1,
        )

    def assertSignedBy(self, message, partner):
        self.assertTrue(message)
        self.assertEqual(message.author_id, partner)
        self.assertNotEqual(message.author_id, self.root)
        self.assertEqual(message.email_from, partner.email_formatted)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(set(mail.mapped("email_from")), {partner.email_formatted})

    def test_salesperson_signs_the_reminder(self):
        invoice = self.create_invoice(invoice_user_id=self.salesperson.id)
        self.run_cron(self.day(-5))
        self.assertSignedBy(self.billing_message(invoice), self.salesperson.partner_id)

    def test_billing_sender_signs_without_salesperson(self):
        # OdooBot is not the salesperson, shown on the portal
        invoice = self.create_invoice_as_job()
        self.assertFalse(invoice.invoice_user_id)
        self.run_cron(self.day(-5))
        self.assertSignedBy(self.billing_message(invoice), self.billing)

    def test_company_signs_without_billing_sender(self):
        self.company.cs_billing_sender_id = False
        invoice = self.create_invoice_as_job(invoice_user_id=SUPERUSER_ID)
        self.assertFalse(invoice.invoice_user_id, "never OdooBot")
        self.run_cron(self.day(3))
        self.assertSignedBy(self.billing_message(invoice), self.company.partner_id)

    def test_payment_thanks_come_from_the_billing_sender(self):
        invoice = self.create_invoice_as_job()
        self.pay(invoice, self.day(1))
        message = self.billing_message(invoice)
        self.assertIn("Payment received", message.subject)
        self.assertSignedBy(message, self.billing)

    def test_billing_sender_is_set_in_the_settings(self):
        other = self.env["res.partner"].create(
            {"name": "Contas a Receber", "email": "ar@empresa.example.com"}
        )
        admin = new_test_user(
            self.env,
            login="cs_admin",
            groups="base.group_system,customer_success.customer_success_group_manager",
        )
        with Form(self.env["res.config.settings"].with_user(admin)) as settings:
            self.assertEqual(settings.cs_billing_sender_id, self.billing)
            settings.cs_billing_sender_id = other
        self.assertEqual(self.company.cs_billing_sender_id, other)


@tagged("post_install", "-at_install")
class TestBillingSenderMigration(CustomerSuccessBillingCommon):
    def test_shipped_templates_left_at_the_former_sender_are_updated(self):
        module = _load("19.0.1.3.0", "post-billing_sender")
        ref = self.env.ref
        untouched = ref("customer_success.mail_template_dunning_overdue_1")
        edited = ref("customer_success.mail_template_payment_received")
        untouched.email_from = module.OLD_EMAIL_FROM
        edited.email_from = "Cobrança <cobranca@empresa.example.com>"
        invoice = self.create_invoice()
        salesperson = new_test_user(
            self.env, login="cs_migration_salesperson", groups="base.group_user"
        )
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "user_id": salesperson.id}
        )
        theirs = self.create_invoice(partner=other)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move SET invoice_user_id = %s WHERE id IN %s",
            (SUPERUSER_ID, (invoice | theirs)._ids),
        )
        module.migrate(self.env.cr, "19.0.1.2.1")
        self.env.invalidate_all()
        self.assertEqual(untouched.email_from, module.NEW_EMAIL_FROM)
        self.assertEqual(edited.email_from, "Cobrança <cobranca@empresa.example.com>")
        # OdooBot's invoices get the customer's salesperson, else none
        self.assertFalse(invoice.invoice_user_id)
        self.assertEqual(theirs.invoice_user_id, salesperson)
        # the new default is what the module ships
        self.assertEqual(
            ref("customer_success.mail_template_dunning_final").email_from,
            module.NEW_EMAIL_FROM,
        )
