# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CustomerSuccessBillingCommon
from .test_migration import _load


@tagged("post_install", "-at_install")
class TestDunningSendNow(CustomerSuccessBillingCommon):
    """ "Send Next Reminder Now": pauses hold, a step never goes before its
    date unseen, and the user is told what went out."""

    def pause_customer(self, on, until=None):
        with freeze_time(on):
            action = self.customer.action_cs_pause_dunning()
            form = Form(self.env[action["res_model"]].with_context(**action["context"]))
            form.reason = "New payment date agreed"
            form.date_until = until
            form.save().action_pause()

    def test_refused_while_the_invoice_is_paused(self):
        invoice = self.create_invoice()
        invoice.write(
            {"dunning_paused": True, "dunning_pause_reason": "Boleto reissued"}
        )
        with (
            freeze_time(self.day(0)),
            self.assertRaisesRegex(
                UserError, r"invoice .* is paused \(Boleto reissued\)"
            ),
        ):
            invoice.action_cs_send_next_reminder()
        self.assertFalse(invoice.cs_dunning_log_ids)
        self.assertFalse(self.mails_to(self.payer))

    def test_refused_while_the_customer_is_paused(self):
        invoice = self.create_invoice()
        self.pause_customer(self.day(-1), until=self.day(5))
        with (
            freeze_time(self.day(0)),
            self.assertRaisesRegex(
                UserError,
                r"customer Nuvem Alta Hospedagem is paused \(New payment date agreed\)",
            ),
        ):
            invoice.action_cs_send_next_reminder()
        self.assertFalse(self.mails_to(self.payer))

    def noon(self, offset):
        """Inside the company's sending window (08:00-20:00)."""
        return datetime.combine(self.day(offset), time(12))

    def test_step_due_now_is_sent_and_said(self):
        invoice = self.create_invoice()
        with freeze_time(self.noon(0)):
            action = invoice.action_cs_send_next_reminder()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            action["params"]["message"],
            "Sent Due today to financeiro@nuvemalta.example.com.",
        )
        self.assertEqual(action["params"]["type"], "success")
        # the latest step due, as the daily run would: not the skipped reminder
        self.assertEqual(invoice.cs_dunning_step_id.name, "Due today")
        self.assertEqual(len(self.mails_to(self.payer)), 1)

    def test_step_held_for_the_sending_window_is_said(self):
        """At 21:00 the e-mail waits in the queue: the user is told when it
        leaves, not that it was sent."""
        invoice = self.create_invoice()
        self.company.cs_send_window_end = 20.0
        with freeze_time(datetime.combine(self.day(0), time(21))):
            action = invoice.action_cs_send_next_reminder()
        self.assertEqual(
            action["params"]["message"],
            "Due today for financeiro@nuvemalta.example.com waits for the "
            "sending window: it leaves on 03/11/2026 08:00:00 AM.",
        )
        mail = self.mails_to(self.payer)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.scheduled_date, datetime.combine(self.day(1), time(8)))

    def test_overdue_notice_never_goes_on_the_due_date(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(0))
        with (
            freeze_time(self.day(0)),
            self.assertRaisesRegex(
                UserError,
                r"First overdue notice, is an overdue notice: it cannot be sent "
                r"before the invoice is overdue\. It goes on 03/13/2026\.",
            ),
        ):
            invoice.action_cs_send_next_reminder()
        self.assertEqual(len(self.mails_to(self.payer)), 1)
        self.assertEqual(invoice.cs_dunning_step_id.name, "Due today")

    def test_early_step_goes_once_confirmed_naming_step_and_date(self):
        invoice = self.create_invoice()
        with freeze_time(self.noon(-7)):
            action = invoice.action_cs_send_next_reminder()
            self.assertEqual(action["res_model"], "cs.dunning.send.wizard")
            self.assertFalse(self.mails_to(self.payer), "not before confirming")
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            # the dialog as the user sees it
            self.assertIn(
                f"This sends Friendly reminder of {invoice.display_name} now, "
                "before its date 03/05/2026.",
                Form(wizard).summary,
            )
            done = wizard.action_send()
        self.assertEqual(
            done["params"]["message"],
            "Sent Friendly reminder to financeiro@nuvemalta.example.com.",
        )
        self.assertEqual(done["params"]["next"]["type"], "ir.actions.act_window_close")
        self.assertEqual(invoice.cs_dunning_step_id.name, "Friendly reminder")
        self.assertEqual(len(self.mails_to(self.payer)), 1)

    def test_confirming_twice_sends_nothing_more(self):
        """The dialog named one step: once it went out (confirmed in another
        tab, or sent by the daily run), confirming again does not send the
        next step early without naming it."""
        invoice = self.create_invoice()
        with freeze_time(self.day(-7)):
            action = invoice.action_cs_send_next_reminder()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            wizard.action_send()
            with self.assertRaisesRegex(UserError, "no longer the one you confirmed"):
                wizard.action_send()
        self.assertEqual(invoice.cs_dunning_step_id.name, "Friendly reminder")
        self.assertEqual(len(self.mails_to(self.payer)), 1)

    def test_no_next_dunning_date_while_paused(self):
        invoice = self.create_invoice()
        self.assertEqual(invoice.cs_next_dunning_date, self.day(-5))
        invoice.dunning_paused = True
        self.assertFalse(invoice.cs_next_dunning_date)
        self.assertEqual(invoice.cs_next_dunning_step_id.name, "Friendly reminder")
        invoice.action_cs_resume_dunning()
        self.assertEqual(invoice.cs_next_dunning_date, self.day(-5))
        self.pause_customer(self.day(-8), until=self.day(-3))
        self.assertTrue(invoice.cs_customer_dunning_paused)
        self.assertFalse(invoice.cs_next_dunning_date)
        # the day after the pause, the daily run resumes and catches up
        self.run_dunning(self.day(-2))
        self.assertFalse(self.customer.dunning_paused)
        self.assertEqual(invoice.cs_dunning_step_id.name, "Friendly reminder")
        self.assertEqual(invoice.cs_next_dunning_date, self.day(0))


@tagged("post_install", "-at_install")
class TestDunningPauseMigration(CustomerSuccessBillingCommon):
    def test_paused_invoices_lose_their_next_date(self):
        invoice = self.create_invoice()
        invoice.dunning_paused = True
        self.env.flush_all()
        # as stored before the upgrade
        self.env.cr.execute(
            "UPDATE account_move SET cs_next_dunning_date = %s WHERE id = %s",
            (self.day(-5), invoice.id),
        )
        self.env.invalidate_all()
        self.assertEqual(invoice.cs_next_dunning_date, self.day(-5))
        _load("19.0.1.3.0", "post-dunning_pause").migrate(self.env.cr, "19.0.1.2.1")
        self.env.invalidate_all()
        self.assertFalse(invoice.cs_next_dunning_date)
