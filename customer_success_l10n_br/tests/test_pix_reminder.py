# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time
from lxml import html

from odoo.tests import tagged

from .common import PIX_CODE, CustomerSuccessPixCommon, decode_emv


@tagged("post_install", "-at_install")
class TestPixReminder(CustomerSuccessPixCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "customer_success_l10n_br.mail_activity_type_cs_pix_key"
        )
        cls.customer_2 = cls.env["res.partner"].create(
            {
                "name": "Pixel SaaS Ltda",
                "is_company": True,
                "email": "ola@pixelsaas.example.com",
            }
        )

    def pix_activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner.bank"),
                ("res_id", "=", self.bank.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_reminder_carries_pix_code_of_amount_due_today(self):
        invoice = self.create_brl_invoice(1000.0)
        self.run_dunning(self.day(-5))
        mail = self.mails_to(self.payer)
        self.assertEqual(len(mail), 1)
        code = self.pix_code_of(mail)
        with freeze_time(self.day(-5)):
            amount = invoice._cs_get_pix_amount()
        # before the due date the amount due today is what is left to pay
        self.assertEqual(amount, 1000.0)
        self.assertValidPix(code, amount)
        self.assertIn("View and pay online", mail.body_html)
        # the QR code: an image Odoo serves to anyone, at an absolute URL,
        # of the same code (a mail client blocks inline data: images)
        images = html.fromstring(mail.body_html).xpath("//img[@alt='Pix QR code']")
        self.assertEqual(len(images), 1)
        src = images[0].get("src")
        self.assertTrue(src.startswith(invoice.get_base_url() + "/report/barcode/?"))
        query = parse_qs(urlsplit(src).query)
        self.assertEqual(query["barcode_type"], ["QR"])
        self.assertEqual(query["value"], [code])

    def test_overdue_notice_pix_code_pays_amount_due_today(self):
        invoice = self.create_brl_invoice(1000.0)
        self.run_dunning(self.day(3))
        code = self.pix_code_of(self.mails_to(self.payer))
        with freeze_time(self.day(3)):
            amount = invoice._cs_get_pix_amount()
        # 3 days late: with fine and interest (2% once, 1% a month pro rata:
        # 20.00 + 1.00) where customer_success computes them, else the
        # residual
        expected = 1021.0 if hasattr(invoice, "_cs_get_late_charge_values") else 1000.0
        self.assertAlmostEqual(amount, expected, places=2)
        self.assertValidPix(code, amount)

    def test_every_invoice_of_one_email_has_its_code(self):
        self.create_brl_invoice(1000.0)
        self.create_brl_invoice(49.9)
        self.run_dunning(self.day(0))
        mail = self.mails_to(self.payer)
        self.assertEqual(len(mail), 1, "one e-mail lists both invoices")
        text = html.fromstring(mail.body_html).text_content()
        amounts = sorted(decode_emv(code)["54"] for code in PIX_CODE.findall(text))
        self.assertEqual(amounts, ["1000.00", "49.90"])

    def test_send_next_reminder_now_carries_pix_code(self):
        invoice = self.create_brl_invoice(1000.0)
        with freeze_time(self.day(0)):
            invoice.action_cs_send_next_reminder()
        self.assertValidPix(self.pix_code_of(self.mails_to(self.payer)), 1000.0)

    def test_no_pix_block_without_pix_key(self):
        self.bank.proxy_type = "none"
        self.create_brl_invoice(1000.0)
        # and an invoice in dollars, which Pix cannot pay
        self.create_invoice(500.0, partner=self.customer_2)
        self.run_dunning(self.day(-5))
        mails = self.mails_to(self.payer) | self.mails_to(self.customer_2)
        self.assertEqual(len(mails), 2)
        for mail in mails:
            self.assertIn("View and pay online", mail.body_html)
            self.assertNotIn("report/barcode", mail.body_html)
            self.assertFalse(PIX_CODE.search(mail.body_html))
        self.assertFalse(self.pix_activities())

    def test_refused_key_one_activity_over_two_runs(self):
        # Odoo's QR check refuses an account whose holder has no city
        self.company.partner_id.city = False
        self.create_brl_invoice(1000.0)
        self.create_brl_invoice(300.0, partner=self.customer_2)
        checks = []
        bank_class = type(self.bank)
        original = bank_class._check_for_qr_code_errors

        def counting(bank, *args, **kwargs):
            checks.append(bank.id)
            return original(bank, *args, **kwargs)

        with patch.object(bank_class, "_check_for_qr_code_errors", counting):
            self.run_dunning(self.day(-5))
            self.assertEqual(checks, [self.bank.id], "one check for the run")
            self.run_dunning(self.day(0))
            self.assertEqual(checks, [self.bank.id] * 2, "one check per run")
        mails = self.mails_to(self.payer) | self.mails_to(self.customer_2)
        self.assertEqual(len(mails), 4, "the reminders went out")
        for mail in mails:
            self.assertIn("View and pay online", mail.body_html)
            self.assertNotIn("report/barcode", mail.body_html)
        activity = self.pix_activities()
        self.assertEqual(len(activity), 1, "one activity for two runs, two invoices")
        self.assertEqual(activity.user_id, self.policy.user_id)
        self.assertIn("Missing Merchant City", activity.note)
        # fixed: the next reminder carries its code again
        self.company.partner_id.city = "São Paulo"
        self.run_dunning(self.day(3))
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.customer_2.id)]
        )
        with freeze_time(self.day(3)):
            amount = invoice._cs_get_pix_amount()
        self.assertValidPix(
            self.pix_code_of(self.mails_to(self.customer_2)[-1]), amount
        )

    def test_reminder_in_portuguese(self):
        self._activate_lang("pt_BR")
        template = self.env.ref("customer_success.mail_template_dunning_reminder")
        if (
            "dunning_mail_invoice_pay"
            not in template.with_context(lang="pt_BR").body_html
        ):
            # customer_success's pt_BR.po still translates the reminders as
            # they were before the payment snippet: no snippet, no Pix
            self.skipTest("the pt_BR reminders of customer_success lack the snippet")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_success_l10n_br"], ["pt_BR"], overwrite=True
        )
        # the snippet may have been compiled in pt_BR before its terms loaded
        self.env.registry.clear_cache("templates")
        self.payer.lang = "pt_BR"
        self.create_brl_invoice(1000.0)
        self.run_dunning(self.day(-5))
        mail = self.mails_to(self.payer)
        text = html.fromstring(mail.body_html).text_content()
        self.assertIn("Pix copia e cola:", text)
        self.assertIn("agora com Pix", text)
        self.assertIn("Leia o QR Code no app do seu banco", text)
        self.assertValidPix(self.pix_code_of(mail), 1000.0)
