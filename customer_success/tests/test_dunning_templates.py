# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import CustomerSuccessBillingCommon


@tagged("post_install", "-at_install")
class TestDunningTemplates(CustomerSuccessBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pt_BR")
        cls.env["ir.module.module"]._load_module_terms(
            ["customer_success"], ["pt_BR"], overwrite=True
        )

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
