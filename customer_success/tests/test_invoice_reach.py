# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import email
import email.policy
import re
import socket
import threading
from datetime import datetime
from unittest.mock import patch
from urllib.parse import urlparse

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import CustomerSuccessBillingCommon
from .test_dunning_bounce import DSN
from .test_dunning_smtp import _Smtp, _SmtpServer

RECEIPT_CHECK = (
    "Confirm the customer received the invoice, and update the payer's e-mail"
)


class ReachMixin:
    """A local mail server the billing e-mails really go to, so that
    mail_tracking sees them leave, and helpers to read what it received."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.phone = "+55 21 3333-0000"
        cls.payer.phone = "+55 21 99999-0000"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            cls.port = probe.getsockname()[1]
        cls.env["ir.mail_server"].sudo().create(
            {
                "name": "Local",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.port,
                "smtp_encryption": "none",
            }
        )
        # Odoo's tests never reach a mail server; these must
        cls.startClassPatcher(
            patch.object(
                type(cls.env["ir.mail_server"]),
                "_disable_send",
                classmethod(lambda cls: False),
            )
        )

    def setUp(self):
        super().setUp()
        self.server = _SmtpServer(("127.0.0.1", self.port), _Smtp)
        self.server.messages = []
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)

    def process_queue(self):
        self.env.flush_all()
        self.env["mail.mail"].sudo().process_email_queue()
        self.env.flush_all()
        self.env.invalidate_all()

    def received(self):
        """What the mail server received for the customer (one message per
        recipient): all their recipients, and their html bodies."""
        recipients, bodies = [], []
        for rcpt, raw in self.server.messages:
            if any(self.user_cs.email in address for address in rcpt):
                continue  # the CSM's "activity assigned to you"
            message = email.message_from_bytes(raw, policy=email.policy.default)
            html = message.get_body(("html",))
            recipients += rcpt
            bodies.append(html.get_content() if html else "")
        return " ".join(recipients), bodies

    def log_of(self, invoice, offset):
        return invoice.cs_dunning_log_ids.filtered(
            lambda log: log.offset_days == offset
        )

    def receipt_checks(self, invoice):
        """The receipt checks of the customer of ``invoice``: the calls of
        the play *A billing e-mail bounced or the invoice was never
        received*."""
        ctas = self.billing_ctas(
            "cs_play_billing_unreached", invoice.commercial_partner_id
        )
        return ctas.activity_ids.filtered(
            lambda activity: activity.summary == RECEIPT_CHECK
        )

    def remind(self, invoice, offset):
        """Run the dunning on day ``offset`` and send its e-mails."""
        self.run_dunning(self.day(offset))
        self.process_queue()
        log = self.log_of(invoice, offset)
        self.assertEqual(log.state, "sent", log.blocked_reason)
        return log


@tagged("post_install", "-at_install")
class TestInvoiceReach(ReachMixin, CustomerSuccessBillingCommon):
    """Each billing e-mail says whether it was sent, opened or bounced; an
    overdue invoice that reached nobody gets a person to check, and its
    reminder goes to the customer too."""

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_dsn_bounce_shows_on_the_email_and_the_timeline(self):
        invoice = self.create_invoice()
        log = self.remind(invoice, 0)
        self.assertEqual(log.tracking_state, "sent")
        mail = self.mails_to(self.payer).sudo()[-1:]
        message_id = mail.message_id or log.message_id.message_id
        raw = DSN.format(
            to=self.company.email,
            token=log.id,
            bounced=self.payer.email,
            message_id=message_id,
            sender=self.company.email,
            subject=log.message_id.subject,
        )
        self.env["mail.thread"].message_process(False, raw)
        self.env.invalidate_all()
        self.assertEqual(log.state, "bounced")
        self.assertEqual(log.tracking_state, "bounced")
        self.assertIn("Bounced", invoice.cs_reach_timeline)
        self.assertFalse(invoice.cs_email_opened_date)

    def test_open_marks_the_email_and_the_invoice(self):
        invoice = self.create_invoice()
        log = self.remind(invoice, 0)
        tracking = log.message_id.sudo().mail_tracking_ids.filtered(
            lambda t: t.partner_id == self.payer
        )
        self.assertEqual(tracking.state, "sent")
        with freeze_time("2026-03-11 14:30:00"):
            tracking.event_create("open", {})
            self.env.flush_all()
        self.assertEqual(log.tracking_state, "opened")
        self.assertEqual(log.opened_date, datetime(2026, 3, 11, 14, 30))
        self.assertEqual(invoice.cs_email_opened_date, datetime(2026, 3, 11, 14, 30))
        timeline = invoice.cs_reach_timeline
        self.assertIn("Due today sent", timeline)
        self.assertIn("Due today opened", timeline)
        self.assertFalse(invoice._cs_is_not_received(self.day(5)))

    def test_internal_user_view_records_nothing(self):
        invoice = self.create_invoice()
        invoice.with_user(self.user_accountant)._cs_record_portal_view(
            self.user_accountant
        )
        self.assertFalse(invoice.cs_first_viewed_date)
        self.assertFalse(invoice.cs_last_viewed_date)

    def test_billing_health_figures(self):
        """Worked out by hand, on day 10: invoices A, B, C are due (on day
        0), D is not yet (day 30). A was viewed on day -2 (before its due
        date) and paid on day 1: 3 days; B viewed on day 2 and paid on day
        7: 5 days; C never viewed; D viewed, unpaid. Viewed before due: 1 of
        3 = 33.3%; days from first view to payment: (3 + 5) / 2 = 4.0."""
        portal = self.user_portal
        first, second, third = (self.create_invoice() for _i in range(3))
        later = self.create_invoice(due=self.day(30))
        for invoice, offset in ((first, -2), (second, 2), (later, 3)):
            with freeze_time(self.day(offset)):
                invoice._cs_record_portal_view(portal)
        self.pay(first, self.day(1))
        self.pay(second, self.day(7))
        with freeze_time(self.day(10)):
            self.customer._cs_invalidate_billing_health()
            self.env.flush_all()
            self.assertAlmostEqual(self.customer.cs_viewed_before_due_rate, 33.3, 1)
            self.assertEqual(self.customer.cs_avg_view_to_payment_days, 4.0)
        self.assertTrue(first.cs_viewed_before_due)
        self.assertFalse(second.cs_viewed_before_due)
        self.assertEqual(first.cs_view_to_payment_days, 3)
        self.assertEqual(second.cs_view_to_payment_days, 5)
        self.assertFalse(third.cs_first_viewed_date)

    @mute_logger("odoo.addons.mail.models.mail_mail")
    def test_not_received_asks_once_and_reminds_the_customer_too(self):
        invoice = self.create_invoice()
        self.remind(invoice, 0)
        self.assertFalse(self.receipt_checks(invoice), "not overdue yet")
        self.server.messages.clear()

        self.remind(invoice, 3)
        self.assertEqual(invoice._cs_is_not_received(self.day(4)), invoice)
        check = self.receipt_checks(invoice)
        self.assertEqual(len(check), 1)
        self.assertEqual(check.user_id, self.user_cs, "the CSM")
        for data in ("Financeiro Nuvem Alta", self.payer.email, self.payer.phone):
            self.assertIn(data, str(check.note))
        cta = self.billing_ctas("cs_play_billing_unreached")
        self.assertEqual(cta.invoice_id, invoice)
        self.assertIn(invoice.name, cta.reason_note)
        self.assertEqual(invoice.cs_receipt_check_date, self.day(3))
        recipients, bodies = self.received()
        self.assertEqual(len(bodies), 2, "the payer and the customer")
        self.assertIn(self.payer.email, recipients)
        self.assertIn(self.customer.email, recipients)
        self.assertIn(invoice.name, bodies[0])

        self.server.messages.clear()
        self.remind(invoice, 10)
        self.assertEqual(len(self.receipt_checks(invoice)), 1, "once per invoice")
        recipients, _bodies = self.received()
        self.assertIn(self.customer.email, recipients, "still not received")

    def test_salesperson_asked_without_csm(self):
        """Without a success manager nor a team leader, the salesperson who
        works in customer success follows it up; one who does not (an
        accountant, who could not open it) is not given it: the dunning
        policy's responsible is when they work in customer success, else
        the default team, and the call to action says so."""
        self.customer.csm_id = False
        invoice = self.create_invoice(invoice_user_id=self.user_cs_other.id)
        self.remind(invoice, 0)
        self.remind(invoice, 3)
        self.assertEqual(self.receipt_checks(invoice).user_id, self.user_cs_other)
        cta = self.billing_ctas("cs_play_billing_unreached")
        self.assertEqual(cta.invoice_id, invoice)
        self.assertEqual(cta.user_id, self.user_cs_other)

        self.policy.user_id = False
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "email": "c@ipe.example"}
        )
        theirs = self.create_invoice(
            partner=other, invoice_user_id=self.user_accountant.id
        )
        self.remind(theirs, 0)
        self.remind(theirs, 3)
        cta = self.billing_ctas("cs_play_billing_unreached", other)
        self.assertEqual(len(cta), 1)
        self.assertFalse(cta.user_id)
        self.assertEqual(cta.team_id, self.team_default)
        notes = " ".join(cta.message_ids.mapped("body"))
        self.assertIn("Nobody follows Ipê Digital", notes)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("user_id", "=", self.user_accountant.id)]
            ),
            "nothing for the accountant",
        )
        # the policy's responsible, when they work in customer success
        self.policy.user_id = self.user_cs_manager
        third = self.env["res.partner"].create(
            {"name": "Jacarandá Web", "is_company": True, "email": "c@jac.example"}
        )
        late = self.create_invoice(
            partner=third, invoice_user_id=self.user_accountant.id
        )
        self.remind(late, 0)
        self.remind(late, 3)
        cta = self.billing_ctas("cs_play_billing_unreached", third)
        self.assertEqual(cta.user_id, self.user_cs_manager)
        self.assertEqual(cta.activity_ids.user_id, self.user_cs_manager)

    def test_viewed_invoice_is_received(self):
        invoice = self.create_invoice()
        self.remind(invoice, 0)
        with freeze_time(self.day(1)):
            invoice._cs_record_portal_view(self.user_portal)
        self.server.messages.clear()
        self.remind(invoice, 3)
        self.assertFalse(self.receipt_checks(invoice))
        recipients, _bodies = self.received()
        self.assertIn(self.payer.email, recipients)
        self.assertNotIn(self.customer.email, recipients)

    def test_opened_email_means_received(self):
        invoice = self.create_invoice()
        log = self.remind(invoice, 0)
        log.message_id.sudo().mail_tracking_ids.event_create("open", {})
        self.server.messages.clear()
        self.remind(invoice, 3)
        self.assertFalse(self.receipt_checks(invoice))
        recipients, _bodies = self.received()
        self.assertNotIn(self.customer.email, recipients)

    def test_payment_confirmation_goes_to_the_payer_only(self):
        invoice = self.create_invoice()
        self.remind(invoice, 0)
        self.remind(invoice, 3)
        self.server.messages.clear()
        self.pay(invoice, self.day(4))
        self.process_queue()
        recipients, _bodies = self.received()
        self.assertNotIn(self.customer.email, recipients)
        self.assertIn("Paid", invoice.cs_reach_timeline)


@tagged("post_install", "-at_install")
class TestInvoiceReachHttp(ReachMixin, CustomerSuccessBillingCommon, HttpCase):
    """What the customer does through the web: opens the e-mail (its image
    loads), views the invoice on the portal, follows the reminder's link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal.partner_id.parent_id = cls.customer

    def test_pixel_open_marks_the_email_opened(self):
        invoice = self.create_invoice()
        log = self.remind(invoice, 0)
        [body] = self.received()[1]
        pixel = re.search(r'src="([^"]*/mail/tracking/open/[^"]+)"', body).group(1)
        response = self.url_open(urlparse(pixel).path)
        self.assertEqual(response.headers["Content-Type"], "image/gif")
        self.env.invalidate_all()
        self.assertEqual(log.tracking_state, "opened")
        self.assertTrue(log.opened_date)
        self.assertTrue(invoice.cs_email_opened_date)

    def test_portal_view_recorded_and_noted_once(self):
        invoice = self.create_invoice()
        url = f"/my/invoices/{invoice.id}"
        notes = invoice.message_ids

        self.authenticate("cs_accountant", "cs_accountant")
        self.assertEqual(self.url_open(url).status_code, 200)
        self.env.invalidate_all()
        self.assertFalse(invoice.cs_first_viewed_date, "not the customer")

        self.authenticate("cs_portal", "cs_portal")
        self.assertEqual(self.url_open(url).status_code, 200)
        self.env.invalidate_all()
        first = invoice.cs_first_viewed_date
        self.assertTrue(first)
        self.assertEqual(invoice.cs_last_viewed_date, first)
        note = invoice.message_ids - notes
        self.assertEqual(len(note), 1)
        self.assertIn("Invoice viewed by the customer Paula Dias", str(note.body))

        invoice.sudo().cs_last_viewed_date = datetime(2026, 1, 1)
        self.assertEqual(self.url_open(url).status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(invoice.cs_first_viewed_date, first)
        self.assertGreater(invoice.cs_last_viewed_date, datetime(2026, 1, 1))
        self.assertEqual(len(invoice.message_ids - notes), 1, "noted once")
        self.assertIn("Viewed by the customer", invoice.cs_reach_timeline)

    @mute_logger("odoo.addons.mail.models.mail_mail")
    def test_tour_customer_opens_the_invoice_from_the_reminder(self):
        invoice = self.create_invoice()
        self.remind(invoice, 0)
        self.server.messages.clear()
        self.remind(invoice, 3)
        self.assertEqual(len(self.receipt_checks(invoice)), 1)
        recipients, bodies = self.received()
        self.assertIn(self.customer.email, recipients, "not received yet")
        link = re.search(r'href="([^"]*/my/invoices/[^"]+)"', bodies[0]).group(1)
        link = link.replace("&amp;", "&")
        self.assertIn("access_token=", link)
        parsed = urlparse(link)
        self.start_tour(
            f"{parsed.path}?{parsed.query}",
            "customer_success_invoice_reach",
            login="cs_portal",
        )
        self.env.invalidate_all()
        self.assertTrue(invoice.cs_first_viewed_date)
        self.assertFalse(invoice._cs_is_not_received(self.day(10)))
        self.server.messages.clear()
        self.remind(invoice, 10)
        recipients, _bodies = self.received()
        self.assertNotIn(self.customer.email, recipients)
        self.assertEqual(len(self.receipt_checks(invoice)), 1)
