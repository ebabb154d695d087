# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta
from urllib.parse import urlsplit

from lxml import html

from odoo.tests import HttpCase, tagged

from .common import CustomerSuccessPixCommon


@tagged("post_install", "-at_install")
class TestPixPortal(CustomerSuccessPixCommon, HttpCase):
    """The portal page of an unpaid invoice and the QR code image, as the
    customer's browser and mail client get them (no frozen time: the HTTP
    server runs beside the test)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_customer = cls.user_portal.partner_id
        cls.invoice = cls.create_brl_invoice(
            1000.0,
            due=date.today() + timedelta(days=10),
            partner=cls.portal_customer,
        )

    def portal_page(self):
        self.authenticate(self.user_portal.login, self.user_portal.login)
        response = self.url_open(self.invoice.get_portal_url())
        self.assertEqual(response.status_code, 200)
        return html.fromstring(response.content)

    def test_portal_page_shows_pix_code(self):
        page = self.portal_page()
        codes = page.xpath("//div[@id='cs_invoice_pay']//code[@id='cs_pix_code']")
        self.assertEqual(len(codes), 1)
        code = codes[0].text_content().strip()
        self.assertValidPix(code, self.invoice._cs_get_pix_amount())
        self.assertEqual(self.invoice._cs_get_pix_amount(), 1000.0)
        image = page.xpath("//div[@id='cs_invoice_pix']//img")[0]
        self.assertTrue(image.get("src").startswith("/report/barcode/?"))

    def test_portal_page_without_pix_key(self):
        self.bank.proxy_type = "none"
        page = self.portal_page()
        self.assertTrue(page.xpath("//div[@id='cs_invoice_pay']"))
        self.assertFalse(page.xpath("//div[@id='cs_invoice_pix']"))

    def test_mail_client_gets_the_qr_code_image(self):
        """What a mail client fetches: the image at the e-mail's URL, with no
        session, is a PNG."""
        self.invoice._cs_send_email(
            self.env.ref("customer_success.mail_template_dunning_reminder")
        )
        mail = self.mails_to(self.portal_customer)
        src = (
            html.fromstring(mail.body_html)
            .xpath("//img[@alt='Pix QR code']")[0]
            .get("src")
        )
        self.assertTrue(src.startswith("http"), "an absolute URL, not a data: URI")
        url = urlsplit(src)
        # never authenticated: the request carries no session
        response = self.url_open(f"{url.path}?{url.query}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertEqual(response.content[:8], b"\x89PNG\r\n\x1a\n")
