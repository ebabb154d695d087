# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import CustomerSuccessBillingCommon


@tagged("post_install", "-at_install")
class TestDunningBounce(CustomerSuccessBillingCommon):
    def _send_invoice_email(self, invoice, status):
        """The invoice e-mail to the payer, with its delivery ``status``."""
        message = invoice.with_context(mail_notify_force_send=False).message_post(
            body="Sua fatura", partner_ids=self.payer.ids, subtype_xmlid="mail.mt_note"
        )
        # as Odoo's bounce handling and mail queue do, with their rights
        message.notification_ids.sudo().filtered(
            lambda n: n.res_partner_id == self.payer
        ).notification_status = status
        return message

    def test_bounced_invoice_email_blocks_dunning_and_flags_customer(self):
        invoice = self.create_invoice()
        self._send_invoice_email(invoice, "bounce")
        mails_before = self.mails_to(self.payer)
        self.run_dunning(self.day(3))
        self.assertEqual(
            self.mails_to(self.payer), mails_before, "no e-mail into the void"
        )
        log = invoice.cs_dunning_log_ids
        self.assertEqual(log.state, "blocked")
        self.assertFalse(invoice.activity_ids, "the call is on the call to action")
        cta = self.billing_ctas("cs_play_billing_unreached")
        self.assertEqual(len(cta), 1)
        self.assertEqual(cta.cta_type, "billing")
        self.assertEqual(cta.priority, "2")
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertEqual(cta.invoice_id, invoice)
        self.assertIn(invoice.name, cta.reason_note)
        self.assertIn("did not reach the payer", cta.reason_note)
        call = cta.activity_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(call.user_id, self.user_cs)
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertIn("update the payer", call.summary)
        self.assertTrue(self.customer.billing_comm_issue)
        # the next step is blocked too: the same call to action, no second call
        self.run_dunning(self.day(10))
        self.assertEqual(len(invoice.cs_dunning_log_ids), 2)
        self.assertEqual(self.billing_ctas("cs_play_billing_unreached"), cta)
        self.assertEqual(len(cta.activity_ids), 1)
        self.assertIn("Second notice", cta.reason_note)
        # paid: done
        self.pay(invoice, self.day(11))
        self.assertEqual(cta.state, "done")
        self.assertEqual(cta.outcome, "done")
        self.assertTrue(invoice.cs_billing_comm_issue)
        flagged = self.env["account.move"].search(
            [("commercial_partner_id.billing_comm_issue", "=", True)]
        )
        self.assertIn(invoice, flagged)

    def test_failed_dunning_email_blocks_the_next_step(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(-5))
        reminder = invoice.cs_dunning_log_ids
        reminder.message_id.notification_ids.sudo().write(
            {
                "notification_status": "exception",
                # the payer's address was refused; a server that is down is
                # not the payer's problem (test_dunning_smtp)
                "failure_type": "mail_email_invalid",
                "failure_reason": "550 no such user",
            }
        )
        self.assertEqual(reminder.state, "failed")
        self.assertEqual(reminder.blocked_reason, "550 no such user")
        self.run_dunning(self.day(0))
        self.assertEqual(len(self.mails_to(self.payer)), 1)
        self.assertEqual(
            invoice.cs_dunning_log_ids.filtered(lambda l: l.offset_days == 0).state,
            "blocked",
        )
        self.assertTrue(self.customer.billing_comm_issue)

    def test_flag_clears_when_a_later_email_is_delivered(self):
        invoice = self.create_invoice()
        self._send_invoice_email(invoice, "bounce")
        self.run_dunning(self.day(3))
        self.assertTrue(self.customer.billing_comm_issue)
        later = self._send_invoice_email(invoice, "ready")
        later.notification_ids.sudo().notification_status = "sent"
        self.assertFalse(self.customer.billing_comm_issue)
        self.run_dunning(self.day(10))
        notice = self.mails_to(self.payer).filtered(
            lambda m: "Second notice" in m.subject
        )
        self.assertEqual(len(notice), 1, "the old bounce is dealt with")
        self.assertEqual(invoice.cs_dunning_step_id.offset_days, 10)
        self.assertEqual(
            invoice.cs_dunning_log_ids.filtered(lambda l: l.offset_days == 10).state,
            "queued",
        )

    def test_flag_clears_when_payer_address_changes(self):
        invoice = self.create_invoice()
        self._send_invoice_email(invoice, "bounce")
        self.run_dunning(self.day(3))
        self.assertTrue(self.customer.billing_comm_issue)
        self.payer.email = "novo.financeiro@nuvemalta.example.com"
        self.assertFalse(self.customer.billing_comm_issue)

    def test_payer_without_email_or_archived(self):
        self.payer.email = False
        invoice = self.create_invoice()
        self.run_dunning(self.day(-5))
        self.assertEqual(invoice.cs_dunning_log_ids.state, "blocked")
        self.assertIn("no e-mail", invoice.cs_dunning_log_ids.blocked_reason)
        cta = self.billing_ctas("cs_play_billing_unreached")
        self.assertEqual(len(cta.activity_ids), 1)
        self.assertIn("no e-mail", cta.reason_note)
        self.payer.write({"email": "ok@nuvemalta.example.com", "active": False})
        self.assertEqual(invoice.cs_payer_id, self.payer)
        self.run_dunning(self.day(0))
        due_log = invoice.cs_dunning_log_ids.filtered(lambda log: log.offset_days == 0)
        self.assertEqual(due_log.state, "blocked")
        self.assertIn("archived", due_log.blocked_reason)
        self.assertFalse(self.mails_to(self.payer))


@tagged("post_install", "-at_install")
class TestDunningHumanTouch(CustomerSuccessBillingCommon):
    def serve_as(self, level):
        """Give the customer the company's touch model of ``level``, as a
        manager does (the level is the model's, never the customer's own)."""
        model = self.env["cs.touch.model"].search(
            [("company_id", "=", self.company.id), ("level", "=", level)]
        )
        self.assertEqual(len(model), 1)
        self.customer.with_user(self.user_cs_manager).touch_model_id = model
        self.assertEqual(self.customer.touch_model, level)

    def test_high_touch_overdue_email_replaced_by_activity(self):
        self.policy.human_touch = "replace"
        self.serve_as("high")
        invoice = self.create_invoice()
        self.run_dunning(self.day(0))
        self.run_dunning(self.day(3))
        self.assertEqual(len(self.mails_to(self.payer)), 1, "only the due-today e-mail")
        overdue_log = invoice.cs_dunning_log_ids.filtered(lambda l: l.offset_days == 3)
        self.assertEqual(overdue_log.state, "activity")
        self.assertEqual(invoice.activity_ids.user_id, self.user_cs)

    def test_activity_first_then_email_unless_paid(self):
        self.policy.write({"human_touch": "activity_first", "human_touch_delay": 2})
        self.serve_as("exclusive")
        invoice = self.create_invoice()
        # due the same Tuesday: on Saturday (day 4) both are past their first
        # overdue step (Friday); one due on Wednesday would have it on Monday
        paid_meanwhile = self.create_invoice(amount=80.0)
        self.run_dunning(self.day(4))
        self.assertFalse(self.mails_to(self.payer))
        self.assertEqual(
            set((invoice | paid_meanwhile).cs_dunning_log_ids.mapped("state")),
            {"waiting"},
        )
        self.assertTrue(invoice.activity_ids)
        self.pay(paid_meanwhile, self.day(5))
        self.run_dunning(self.day(6))
        mails = self.mails_to(self.payer).filtered(lambda m: "overdue" in m.subject)
        self.assertEqual(len(mails), 1)
        self.assertIn(invoice.name, mails.subject)
        self.assertEqual(invoice.cs_dunning_log_ids.state, "queued")
        self.assertEqual(paid_meanwhile.cs_dunning_log_ids.state, "cancelled")

    def test_low_touch_customer_gets_the_email(self):
        self.policy.human_touch = "replace"
        self.serve_as("low")
        invoice = self.create_invoice()
        self.run_dunning(self.day(3))
        self.assertEqual(len(self.mails_to(self.payer)), 1)
        self.assertEqual(invoice.cs_dunning_log_ids.state, "queued")
        self.assertFalse(invoice.activity_ids, "no call replaces the e-mail")


DSN = """\
From: Mail Delivery System <MAILER-DAEMON@mx.nuvemalta.example.com>
To: {to}
Subject: Undelivered Mail Returned to Sender
Message-Id: <dsn-{token}@mx.nuvemalta.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

The mail system could not deliver your message to {bounced}: user unknown.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.nuvemalta.example.com

Final-Recipient: rfc822; {bounced}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{bounced}>: Recipient address rejected

--BOUNDARY
Content-Type: message/rfc822

Message-Id: {message_id}
From: {sender}
To: {bounced}
Subject: {subject}

The reminder.
--BOUNDARY--
"""


@tagged("post_install", "-at_install")
class TestBounceThroughGateway(CustomerSuccessBillingCommon):
    """A real bounce (a DSN through Odoo's mail gateway), then the address
    fixed: the next step reaches the new address."""

    def _bounce_last_email(self, partner):
        mail = self.mails_to(partner)[-1:]
        self.assertTrue(mail, "an e-mail to bounce")
        raw = DSN.format(
            to=self.company.email,
            token=mail.id,
            bounced=partner.email,
            message_id=mail.message_id,
            sender=mail.email_from,
            subject=mail.subject,
        )
        self.env["mail.thread"].message_process(False, raw)
        self.assertGreater(partner.message_bounce, 0, "Odoo counted the bounce")

    def test_new_address_reaches_the_payer(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(0))
        self._bounce_last_email(self.payer)
        # the bounce itself opens the call to action, before the next step
        due_log = invoice.cs_dunning_log_ids
        self.assertEqual(due_log.state, "bounced")
        cta = self.billing_ctas("cs_play_billing_unreached")
        self.assertEqual(len(cta), 1)
        self.assertEqual(cta.invoice_id, invoice)
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertIn("Due today", cta.reason_note)
        self.assertEqual(len(cta.activity_ids), 1)
        # the same bounce again through the gateway: nothing new
        self._bounce_last_email(self.payer)
        self.run_dunning(self.day(3))
        self.assertEqual(self.billing_ctas("cs_play_billing_unreached"), cta)
        self.assertEqual(len(cta.activity_ids), 1)
        self.assertEqual(invoice.cs_dunning_log_ids.sorted("id")[-1:].state, "blocked")
        self.payer.email = "contas@nuvemalta.example.com"
        self.assertEqual(self.payer.message_bounce, 0)
        self.run_dunning(self.day(10))
        last = invoice.cs_dunning_log_ids.sorted("id")[-1:]
        self.assertEqual(last.state, "queued", last.blocked_reason)
        self.assertIn(
            "contas@nuvemalta.example.com",
            self.mails_to(self.payer)[-1:]._prepare_outgoing_list()[0]["email_to"][0],
        )
        self.assertFalse(self.customer.billing_comm_issue)

    def _change_payer(self):
        """The customer's accounts payable becomes its payer."""
        payer = self.env["res.partner"].create(
            {
                "name": "Contas a Pagar",
                "type": "invoice",
                "parent_id": self.customer.id,
                "email": "pagar@nuvemalta.example.com",
            }
        )
        self.customer.payer_id = payer
        return payer

    def test_another_payer_is_reached(self):
        invoice = self.create_invoice()
        self.run_dunning(self.day(0))
        self._bounce_last_email(self.payer)
        other = self._change_payer()
        self.assertFalse(self.customer.billing_comm_issue)
        invoice.invalidate_recordset()
        self.run_dunning(self.day(3))
        last = invoice.cs_dunning_log_ids.sorted("id")[-1:]
        self.assertEqual(last.state, "queued", last.blocked_reason)
        self.assertEqual(last.partner_id, other)
        self.assertEqual(len(self.mails_to(other)), 1)

    def test_paid_invoice_keeps_its_payer(self):
        """A new payer takes over the open invoices, not the paid ones: who
        was billed for a settled invoice is history."""
        paid = self.create_invoice()
        self.pay(paid, self.day(2))
        self.assertIn(paid.payment_state, ("paid", "in_payment"))
        open_invoice = self.create_invoice()
        other = self._change_payer()
        self.assertEqual(open_invoice.cs_payer_id, other)
        self.assertEqual(paid.cs_payer_id, self.payer)

    def test_same_address_rewritten_keeps_the_bounces(self):
        """Only a new address resets the bounces: the same one in capitals
        still bounces."""
        self.create_invoice()
        self.run_dunning(self.day(0))
        self._bounce_last_email(self.payer)
        self.run_dunning(self.day(3))
        self.assertTrue(self.customer.billing_comm_issue)
        bounces = self.payer.message_bounce
        self.payer.email = self.payer.email.upper()
        self.assertEqual(self.payer.message_bounce, bounces)
        self.assertTrue(self.customer.billing_comm_issue)
