# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import CustomerSuccessBillingCommon


@tagged("post_install", "-at_install")
class TestDunningTemplates(CustomerSuccessBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_lang("pt_BR")

    def test_templates_speak_the_payer_language(self):
        self.payer.lang = "pt_BR"
        invoice = self.create_invoice(amount=200.0)
        self.run_dunning(self.day(3))
        mail = self.mails_to(self.payer)
        self.assertEqual(mail.subject, f"A fatura {invoice.name} está em atraso")
        self.assertIn("Ainda não recebemos o pagamento abaixo", mail.body_html)
        self.assertIn("3 dias de atraso", mail.body_html)
        self.assertIn("duzentos", mail.body_html.lower(), "amount in Portuguese words")
        self.assertIn("Ver e pagar online", mail.body_html)

    def test_payment_received_in_portuguese(self):
        self.payer.lang = "pt_BR"
        invoice = self.create_invoice(amount=80.0)
        self.pay(invoice, self.day(-1))
        mail = self.mails_to(self.payer)
        self.assertEqual(mail.subject, f"Pagamento recebido: fatura {invoice.name}")
        self.assertIn("Obrigado! Recebemos o pagamento da fatura", mail.body_html)

    def test_english_payer_gets_english(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(0))
        self.assertEqual(
            self.mails_to(self.payer).subject,
            f"Your invoice {invoice.name} is due today",
        )

    def test_one_batch_gives_each_payer_their_invoices_in_their_language(self):
        """The e-mails of a step are rendered in one go: each still lists its
        payer's invoices only, in the payer's language, with its own links."""
        self.payer.lang = "pt_BR"
        mine = self.create_invoice(amount=200.0) | self.create_invoice(amount=300.0)
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "email": "c@ipe.example"}
        )
        theirs = self.create_invoice(amount=90.0, partner=other)
        self.run_dunning(self.day(3))
        pt_mail, en_mail = self.mails_to(self.payer), self.mails_to(other)
        self.assertEqual(len(pt_mail), 1, "one e-mail for the payer's two invoices")
        self.assertIn("Ainda não recebemos o pagamento abaixo", pt_mail.body_html)
        self.assertIn("duzentos", pt_mail.body_html.lower())
        self.assertIn("trezentos", pt_mail.body_html.lower())
        self.assertIn("We have not received the payment below", en_mail.body_html)
        self.assertIn("ninety", en_mail.body_html.lower())
        for invoice in mine:
            self.assertIn(invoice.name, pt_mail.body_html)
            self.assertNotIn(invoice.name, en_mail.body_html)
            self.assertIn(invoice.access_token, pt_mail.body_html)
        self.assertIn(theirs.access_token, en_mail.body_html)
        self.assertNotIn(theirs.name, pt_mail.body_html)
        # posted in each invoice's chatter, to its payer only
        self.assertEqual(pt_mail.mail_message_id.res_id, mine[0].id)
        self.assertEqual(pt_mail.recipient_ids, self.payer)
        self.assertEqual(en_mail.mail_message_id.model, "account.move")
        self.assertEqual(en_mail.mail_message_id.res_id, theirs.id)
        self.assertEqual(en_mail.mail_message_id.notification_ids.res_partner_id, other)
        self.assertEqual(
            (mine | theirs).cs_dunning_log_ids.mapped("state"), ["queued"] * 3
        )
