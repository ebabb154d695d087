# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CrashInjected, CustomerSuccessBillingCommon


@tagged("post_install", "-at_install")
class TestDunningCron(CustomerSuccessBillingCommon):
    def test_four_steps_in_order_and_nothing_more_on_rerun(self):
        invoice = self.create_invoice()
        for offset in (-5, 0, 3, 10):
            self.run_dunning(self.day(offset))
            self.run_dunning(self.day(offset))  # same day again: nothing new
        mails = self.mails_to(self.payer)
        self.assertEqual(len(mails), 4)
        self.assertEqual(
            [mail.subject for mail in mails],
            [
                f"Reminder: your invoice {invoice.name} is due on 03/10/2026",
                f"Your invoice {invoice.name} is due today",
                f"Invoice {invoice.name} is overdue",
                f"Second notice: invoice {invoice.name} is still open",
            ],
        )
        self.assertEqual(
            invoice.cs_dunning_log_ids.sorted("date").mapped("offset_days"),
            [-5, 0, 3, 10],
        )
        self.assertEqual(set(invoice.cs_dunning_log_ids.mapped("state")), {"queued"})
        self.assertEqual(invoice.cs_next_dunning_step_id.offset_days, 20)
        self.assertEqual(invoice.cs_next_dunning_date, self.day(20))

    def test_first_run_after_downtime_sends_only_latest_step(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(12))
        mails = self.mails_to(self.payer)
        self.assertEqual(len(mails), 1)
        self.assertIn("Second notice", mails.subject)
        self.assertEqual(invoice.cs_dunning_log_ids.step_id.offset_days, 10)

    def test_payment_stops_dunning_and_thanks_once(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(3))
        self.pay(invoice, self.day(4))
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(invoice.cs_paid_date, self.day(4))
        self.assertEqual(invoice.cs_days_late, 4)
        # the hook fires again (in payment, then paid): still one thank-you
        invoice._invoice_paid_hook()
        for offset in (10, 20, 30):
            self.run_dunning(self.day(offset))
        subjects = self.mails_to(self.payer).mapped("subject")
        self.assertEqual(
            subjects,
            [
                f"Invoice {invoice.name} is overdue",
                f"Payment received: invoice {invoice.name}",
            ],
        )
        self.assertFalse(invoice.cs_next_dunning_date)

    def test_one_email_lists_all_invoices_of_a_payer_on_a_step(self):
        first = self.create_invoice(amount=100.0)
        second = self.create_invoice(amount=250.0)
        self.run_dunning(self.day(-5))
        mail = self.mails_to(self.payer)
        self.assertEqual(len(mail), 1)
        self.assertIn(first.name, mail.body_html)
        self.assertIn(second.name, mail.body_html)
        self.assertEqual(
            first.cs_dunning_log_ids.message_id, second.cs_dunning_log_ids.message_id
        )

    def test_email_shows_residual_in_words_and_portal_link(self):
        invoice = self.create_invoice(amount=300.0)
        self.pay(invoice, self.day(1), amount=100.0)
        self.assertEqual(invoice.payment_state, "partial")
        self.run_dunning(self.day(3))
        body = self.mails_to(self.payer).body_html
        self.assertIn("200.00", body)
        self.assertIn("Two Hundred", body)
        self.assertIn(invoice.get_portal_url(), body.replace("&amp;", "&"))
        self.assertIn("3 days overdue", body)
        self.assertNotIn("Internal communication", body)

    def test_invoice_pdf_attached_before_and_on_due_date_only(self):
        self.create_invoice()
        self.run_dunning(self.day(-5))
        self.run_dunning(self.day(3))
        reminder, overdue = self.mails_to(self.payer)
        self.assertEqual(len(reminder.attachment_ids), 1)
        self.assertFalse(overdue.attachment_ids)

    def test_untouched_invoices(self):
        draft = self.create_invoice(post=False)
        cancelled = self.create_invoice()
        cancelled.button_draft()
        cancelled.button_cancel()
        zero = self.create_invoice(amount=0.0)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer.id,
                "invoice_date": self.day(-30),
                "invoice_date_due": self.DUE,
                "invoice_line_ids": [(0, 0, {"name": "Servidor", "price_unit": 90.0})],
            }
        )
        bill.action_post()
        reversed_invoice = self.create_invoice()
        reversal = reversed_invoice._reverse_moves(cancel=True)
        self.assertEqual(reversed_invoice.payment_state, "reversed")
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "email": "c@ipe.example"}
        )
        open_invoice = self.create_invoice(partner=other)
        self.run_dunning(self.day(12))
        self.assertEqual(open_invoice.cs_dunning_log_ids.step_id.offset_days, 10)
        for move in (draft, cancelled, zero, bill, reversed_invoice, reversal):
            with self.subTest(move=move.display_name):
                self.assertFalse(move.cs_dunning_log_ids)
        self.assertFalse(self.mails_to(self.payer))

    def test_foreign_currency_invoice(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 0.2)])
        invoice = self.create_invoice(amount=50.0, currency_id=eur.id)
        self.run_dunning(self.day(3))
        body = self.mails_to(self.payer).body_html
        self.assertIn("50.00", body)
        self.assertIn("€", body)
        self.assertEqual(self.customer.cs_amount_overdue, 250.0, "in company currency")
        self.assertEqual(invoice.cs_dunning_step_id.offset_days, 3)

    def test_broken_template_fails_its_step_only(self):
        broken = self.env.ref("customer_success.mail_template_dunning_overdue_1").copy(
            {"body_html": "<p t-out='object.no_such_field'>x</p>"}
        )
        self.policy.step_ids.filtered(
            lambda s: s.offset_days == 3
        ).mail_template_id = broken
        other_customer = self.env["res.partner"].create(
            {"name": "Pixel SaaS", "is_company": True, "email": "ola@pixel.example"}
        )
        mine = self.create_invoice()
        theirs = self.create_invoice(partner=other_customer, due=self.day(-7))
        self.run_dunning(self.day(3))
        self.assertEqual(mine.cs_dunning_log_ids.state, "failed")
        self.assertIn("could not be prepared", mine.cs_dunning_log_ids.blocked_reason)
        self.assertEqual(len(mine.activity_ids), 1)
        self.assertEqual(mine.activity_ids.user_id, self.user_cs)
        self.assertEqual(mine.cs_dunning_log_ids.activity_id, mine.activity_ids)
        self.assertEqual(theirs.cs_dunning_log_ids.step_id.offset_days, 10)
        self.assertEqual(len(self.mails_to(other_customer)), 1)
        self.assertFalse(self.mails_to(self.payer))

    def _crash_on_fourth_step(self, batch_size):
        """Five customers with an invoice each, and a dunning run in batches
        of ``batch_size`` invoices that crashes on its fourth step."""
        customers = self.env["res.partner"].create(
            [
                {"name": f"Cliente {n}", "is_company": True, "email": f"c{n}@x.example"}
                for n in range(5)
            ]
        )
        invoices = self.env["account.move"].browse(
            [self.create_invoice(partner=customer).id for customer in customers]
        )
        real_run_step = type(invoices)._cs_run_step
        calls = []

        def crash_on_fourth(moves, step, payer, today, **kwargs):
            calls.append(moves)
            if len(calls) == 4:
                raise CrashInjected
            return real_run_step(moves, step, payer, today, **kwargs)

        self.run_dunning(self.day(3), crash=crash_on_fourth, batch_size=batch_size)
        return customers, invoices

    def assertEachStepSentOnceAfterReruns(self, customers, invoices):
        self.run_dunning(self.day(3))
        self.run_dunning(self.day(3))
        for customer, invoice in zip(customers, invoices, strict=True):
            with self.subTest(customer=customer.name):
                self.assertEqual(len(invoice.cs_dunning_log_ids), 1)
                self.assertEqual(len(self.mails_to(customer)), 1)

    def test_crash_mid_run_then_rerun_sends_each_step_once(self):
        customers, invoices = self._crash_on_fourth_step(batch_size=1)
        logged = invoices.filtered("cs_dunning_log_ids")
        self.assertEqual(len(logged), 3, "the three committed batches stay")
        self.assertEachStepSentOnceAfterReruns(customers, invoices)

    def test_crash_inside_a_batch_drops_its_queued_emails_then_rerun_sends_all(self):
        """The e-mails of a batch are queued before its logs are written: a
        crash after some of them leaves none in the queue, and the re-run
        sends each once."""
        customers, invoices = self._crash_on_fourth_step(batch_size=2)
        # batch 1 (customers 0, 1) committed; batch 2 (2, 3) crashed on its
        # second invoice, after both e-mails were queued
        self.assertEqual(invoices.filtered("cs_dunning_log_ids"), invoices[:2])
        self.assertEqual(
            [len(self.mails_to(customer)) for customer in customers], [1, 1, 0, 0, 0]
        )
        self.assertEachStepSentOnceAfterReruns(customers, invoices)

    def test_paused_customer_and_invoice_get_nothing_until_resumed(self):
        invoice = self.create_invoice()
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "email": "c@ipe.example"}
        )
        other_invoice = self.create_invoice(partner=other)
        with freeze_time(self.day(1)):
            action = self.customer.action_cs_pause_dunning()
            form = Form(self.env[action["res_model"]].with_context(**action["context"]))
            form.reason = "New payment date agreed"
            form.date_until = self.day(5)
            wizard = form.save()
            wizard.action_pause()
            with self.assertRaises(ValidationError), self.cr.savepoint():
                wizard.date_until = self.day(-1)
        self.assertTrue(self.customer.dunning_paused)
        other_invoice.dunning_paused = True
        self.run_dunning(self.day(3))
        self.assertFalse(invoice.cs_dunning_log_ids | other_invoice.cs_dunning_log_ids)
        self.run_dunning(self.day(10))
        self.assertEqual(invoice.cs_dunning_log_ids.step_id.offset_days, 10)
        self.assertFalse(other_invoice.cs_dunning_log_ids)
        other_invoice.action_cs_resume_dunning()
        self.run_dunning(self.day(10))
        self.assertEqual(other_invoice.cs_dunning_log_ids.step_id.offset_days, 10)

    def test_send_next_reminder_now_respects_once_per_step(self):
        invoice = self.create_invoice()
        with freeze_time(self.day(-5)):
            invoice.action_cs_send_next_reminder()
        self.assertEqual(invoice.cs_dunning_step_id.offset_days, -5)
        self.run_dunning(self.day(-5))
        self.assertEqual(len(self.mails_to(self.payer)), 1)
        with freeze_time(self.day(0)):
            invoice.action_cs_send_next_reminder()
        self.assertEqual(invoice.cs_dunning_step_id.offset_days, 0)
        self.assertEqual(len(self.mails_to(self.payer)), 2)

    def test_final_step_calls_the_csm(self):
        """The final notice runs the play *Dunning reached its final step*:
        one call to action for the success manager, with the call of its
        plan, the invoice, its step and amount; done when it is paid."""
        other = self.create_invoice(amount=80.0, due=self.day(5))
        invoice = self.create_invoice()
        for offset in (10, 19):
            self.run_dunning(self.day(offset))
        self.assertFalse(self.billing_ctas("cs_play_dunning_final"), "not final yet")
        self.run_dunning(self.day(20))
        self.assertIn("Final notice", self.mails_to(self.payer)[-1:].subject)
        self.assertFalse(invoice.activity_ids, "the call is on the call to action")
        cta = self.billing_ctas("cs_play_dunning_final")
        self.assertEqual(len(cta), 1)
        self.assertEqual(cta.cta_type, "billing")
        self.assertEqual(cta.priority, "3")
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertEqual(cta.invoice_id, invoice)
        self.assertEqual(cta.date_due, self.day(22))
        self.assertIn(invoice.name, cta.reason_note)
        self.assertIn("Final notice", cta.reason_note)
        self.assertIn("199.00", cta.reason_note)
        call = cta.activity_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(call.user_id, self.user_cs)
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.summary, "Call the customer about the final notice")
        # the other invoice reaches it a week later (its day 20 is a
        # Saturday: the next business day): the same call to action
        self.run_dunning(self.day(27))
        self.assertEqual(other.cs_dunning_step_id.offset_days, 20)
        self.assertEqual(self.billing_ctas("cs_play_dunning_final"), cta)
        self.assertEqual(len(cta.activity_ids), 1)
        # the first one paid: it follows the other, still at its final notice
        self.pay(invoice, self.day(28))
        self.assertEqual(cta.state, "open")
        self.assertEqual(cta.invoice_id, other)
        self.assertIn("still due", " ".join(cta.message_ids.mapped("body")))
        self.pay(other, self.day(29))
        self.assertEqual(cta.state, "done")

    def test_invoice_form_shows_the_dunning_and_pauses_it(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(-5))
        form = Form(invoice)
        self.assertEqual(form.cs_payer_id, self.payer)
        self.assertEqual(form.cs_dunning_step_id.offset_days, -5)
        self.assertEqual(form.cs_next_dunning_step_id.offset_days, 0)
        self.assertEqual(form.cs_next_dunning_date, "2026-03-10")
        self.assertEqual(len(form.cs_dunning_log_ids), 1)
        self.assertFalse(form.cs_billing_comm_issue)
        with freeze_time(self.day(-4)):
            action = invoice.action_cs_pause_dunning()
            form = Form(self.env[action["res_model"]].with_context(**action["context"]))
            form.reason = "Boleto reissued"
            form.save().action_pause()
        self.assertTrue(invoice.dunning_paused)
        self.assertEqual(invoice.dunning_pause_reason, "Boleto reissued")
        self.run_dunning(self.day(0))
        self.assertEqual(len(invoice.cs_dunning_log_ids), 1, "paused without end date")

    def test_final_notice_is_emitted_to_webhooks_once(self):
        # the accountant running these tests does not configure webhooks
        webhook = self.env(su=True)["cs.webhook"].create(
            {
                "name": "Collections",
                "event": "final_dunning",
                "url": "http://127.0.0.1:9/collections",
            }
        )
        invoice = self.create_invoice()
        for offset in (10, 19):
            self.run_dunning(self.day(offset))
        self.assertFalse(webhook.delivery_ids, "only the final notice is emitted")
        self.run_dunning(self.day(20))
        self.run_dunning(self.day(21))
        delivery = webhook.delivery_ids
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.state, "pending")
        self.assertEqual(delivery.payload["customer"], self.customer.name)
        self.assertEqual(delivery.payload["invoices"][0]["number"], invoice.name)
        self.assertEqual(delivery.payload["invoices"][0]["amount_due"], 199.0)


@tagged("post_install", "-at_install")
class TestDunningWithoutPdf(CustomerSuccessBillingCommon):
    """A reminder never depends on the invoice PDF: without wkhtmltopdf the
    e-mail goes out with its portal link, and its log says what it lacks."""

    def test_reminder_goes_out_without_pdf(self):
        invoices = self.create_invoice(amount=150.0) | self.create_invoice(amount=60.0)
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "email": "c@ipe.example"}
        )
        theirs = self.create_invoice(amount=90.0, partner=other)
        Report = type(self.env["ir.actions.report"])
        # Odoo's own report path, as on a machine without wkhtmltopdf
        with (
            patch.object(Report, "get_wkhtmltopdf_state", lambda report: "install"),
            self.assertLogs(
                "odoo.addons.customer_success.models.account_move_billing_mail",
                "WARNING",
            ) as logs,
        ):
            self.run_dunning_rendering_pdf(self.day(-5))
        mine, their_mail = self.mails_to(self.payer), self.mails_to(other)
        self.assertEqual(len(mine), 1)
        self.assertEqual(len(their_mail), 1)
        self.assertFalse(mine.attachment_ids)
        self.assertIn(invoices[0].access_token, mine.body_html)
        self.assertIn(theirs.access_token, their_mail.body_html)
        logs_of_run = (invoices | theirs).cs_dunning_log_ids
        self.assertEqual(logs_of_run.mapped("state"), ["queued"] * 3)
        for log in logs_of_run:
            self.assertIn("Sent without the invoice PDF", log.note)
            self.assertIn("Wkhtmltopdf", log.note)
        # one warning for the run, not one per invoice
        self.assertEqual(len(logs.output), 1, logs.output)
        self.assertIn("without the invoice PDF", logs.output[0])

    def test_pdf_attached_when_it_can_be_produced(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(-5))
        self.assertEqual(len(self.mails_to(self.payer).attachment_ids), 1)
        self.assertFalse(invoice.cs_dunning_log_ids.note)

    def test_no_pdf_rendered_during_a_module_install(self):
        """The demo's dunning run happens while the module installs: no web
        server answers for the report's styles, so no PDF is kept then."""
        invoice = self.create_invoice()
        with patch.object(self.env.registry, "ready", False):
            self.run_dunning_rendering_pdf(self.day(-5))
        mail = self.mails_to(self.payer)
        self.assertEqual(len(mail), 1)
        self.assertFalse(mail.attachment_ids)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "account.move"), ("res_id", "=", invoice.id)]
            )
        )
        self.assertIn(
            "while modules are being installed", invoice.cs_dunning_log_ids.note
        )

    def test_database_error_is_not_a_missing_pdf(self):
        """A lock or a serialization failure fails the batch (the scheduler
        retries it) instead of sending the reminder without its PDF."""
        invoice = self.create_invoice()
        Move = type(self.env["account.move"])

        def conflict(moves):
            raise psycopg2.errors.SerializationFailure("could not serialize")

        with (
            patch.object(Move, "_cs_get_invoice_pdf_ids", conflict),
            self.assertRaises(psycopg2.errors.SerializationFailure),
        ):
            invoice._cs_try_get_invoice_pdf_ids()

    def test_database_error_fails_the_run_not_the_step(self):
        """Through the daily run: a serialization failure while the e-mail is
        prepared reaches the scheduler (which retries), instead of a step
        logged as failed for good with a "send it by hand" activity."""
        invoice = self.create_invoice()
        Move = self.env["account.move"].with_user(SUPERUSER_ID)

        def conflict(moves):
            raise psycopg2.errors.SerializationFailure("could not serialize")

        self.env.flush_all()
        with (
            freeze_time(self.day(-5)),
            patch.object(type(Move), "_cs_get_invoice_pdf_ids", conflict),
            self.assertRaises(psycopg2.errors.SerializationFailure),
        ):
            Move._cron_cs_dunning()
        self.assertFalse(invoice.cs_dunning_log_ids)

    def run_dunning_rendering_pdf(self, on):
        """The daily run, with the PDF rendered for real (Odoo renders HTML
        instead in tests)."""
        Move = type(self.env["account.move"])
        real = Move._cs_get_invoice_pdf_ids

        def forced(moves):
            return real(moves.with_context(force_report_rendering=True))

        with patch.object(Move, "_cs_get_invoice_pdf_ids", forced):
            self.run_dunning(on)
