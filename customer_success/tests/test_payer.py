# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import Form, tagged

from .common import CustomerSuccessBillingCommon


@tagged("post_install", "-at_install")
class TestPayer(CustomerSuccessBillingCommon):
    def test_payer_defaults_to_invoice_contact_else_customer(self):
        self.assertEqual(self.customer.payer_id, self.payer)
        alone = self.env["res.partner"].create(
            {"name": "Sabiá Apps", "is_company": True}
        )
        self.assertEqual(alone.payer_id, alone)
        self.assertFalse(self.payer.payer_id, "a contact has no payer of its own")

    def test_payer_change_is_tracked(self):
        other = self.env["res.partner"].create(
            {
                "name": "João Contas",
                "parent_id": self.customer.id,
                "email": "j@x.example",
            }
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.customer.with_context(
            tracking_disable=False, mail_notrack=False
        ).payer_id = other
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "payer_id"),
                ("mail_message_id.res_id", "=", self.customer.id),
                ("mail_message_id.model", "=", "res.partner"),
            ]
        )
        self.assertEqual(tracked.new_value_char, other.display_name)

    def test_invoice_for_customer_goes_to_payer(self):
        invoice = self.create_invoice(post=False)
        self.assertEqual(invoice.partner_id, self.payer)
        self.assertEqual(invoice.commercial_partner_id, self.customer)
        self.assertEqual(invoice.cs_payer_id, self.payer)
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.customer.id}
        )
        self.assertEqual(bill.partner_id, self.customer, "vendor bills are left alone")

    def test_explicit_invoice_contact_is_kept(self):
        someone = self.env["res.partner"].create(
            {"name": "Ana Lima", "parent_id": self.customer.id, "email": "a@x.example"}
        )
        invoice = self.create_invoice(partner=someone, post=False)
        self.assertEqual(invoice.partner_id, someone)
        self.assertEqual(invoice.cs_payer_id, someone)

    def test_new_subscription_invoices_the_payer(self):
        subscription = (
            self.env["sale.subscription"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "template_id": self.env["sale.subscription.template"]
                    .sudo()
                    .create({"name": "Mensal"})
                    .id,
                    "pricelist_id": self.env["product.pricelist"]
                    .create({"name": "BRL"})
                    .id,
                }
            )
        )
        self.assertEqual(subscription.partner_invoice_id, self.payer)

    def test_payer_without_email_is_warned(self):
        self.assertFalse(self.customer.payer_email_missing)
        self.payer.email = False
        self.assertTrue(self.customer.payer_email_missing)
        invoice = self.create_invoice(post=False)
        self.assertTrue(invoice.cs_payer_email_missing)
        form = Form(self.customer)
        self.assertTrue(form.payer_email_missing)

    def test_customer_in_copy_when_asked(self):
        self.assertEqual(self.customer._cs_get_billing_recipients(), self.payer)
        self.customer.billing_cc_signer = True
        self.assertEqual(
            self.customer._cs_get_billing_recipients(), self.payer | self.customer
        )
        invoice = self.create_invoice()
        self.run_dunning(self.day(-5))
        self.assertEqual(len(self.mails_to(self.customer)), 1)
        self.assertEqual(len(self.mails_to(self.payer)), 1)
        self.assertEqual(
            self.mails_to(self.customer).mail_message_id,
            self.mails_to(self.payer).mail_message_id,
        )
        self.assertEqual(invoice.cs_dunning_log_ids.partner_id, self.payer)
