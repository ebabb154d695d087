# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import format_date, format_datetime

from ..const import OPEN_PAYMENT_STATES


class AccountMove(models.Model):
    """The dunning of an invoice: its policy, the step reached and the next
    one, the pause, the daily run and the reminder sent by hand."""

    _name = "account.move"
    _inherit = ["account.move", "cs.cron.mixin", "cs.dunning.pause.mixin"]

    cs_dunning_policy_id = fields.Many2one(
        "cs.dunning.policy",
        string="Dunning Policy",
        compute="_compute_cs_dunning_policy_id",
        store=True,
    )
    cs_dunning_step_id = fields.Many2one(
        "cs.dunning.step",
        string="Dunning Step",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The last dunning step run for this invoice.",
    )
    cs_next_dunning_step_id = fields.Many2one(
        "cs.dunning.step",
        string="Next Dunning Step",
        compute="_compute_cs_next_dunning",
        store=True,
    )
    cs_next_dunning_date = fields.Date(
        string="Next Dunning Date",
        compute="_compute_cs_next_dunning",
        store=True,
        index="btree_not_null",
    )
    cs_dunning_log_ids = fields.One2many(
        "cs.dunning.log", "move_id", string="Dunning Timeline"
    )
    cs_customer_dunning_paused = fields.Boolean(
        related="commercial_partner_id.dunning_paused",
        string="Customer Dunning Paused",
    )
    cs_customer_dunning_pause_reason = fields.Char(
        related="commercial_partner_id.dunning_pause_reason",
        string="Customer Pause Reason",
    )
    cs_customer_dunning_pause_until = fields.Date(
        related="commercial_partner_id.dunning_pause_until",
        string="Customer Paused Until",
    )

    @api.depends(
        "move_type",
        "company_id.cs_dunning_policy_id",
        "commercial_partner_id.cs_dunning_policy_id",
    )
    def _compute_cs_dunning_policy_id(self):
        for move in self:
            if move.move_type != "out_invoice" or not move.commercial_partner_id:
                move.cs_dunning_policy_id = False
                continue
            move.cs_dunning_policy_id = (
                move.commercial_partner_id._cs_get_dunning_policy(move.company_id)
            )

    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "amount_residual",
        "invoice_date_due",
        "cs_dunning_step_id",
        "cs_dunning_policy_id.step_ids.offset_days",
        "dunning_paused",
        "commercial_partner_id.dunning_paused",
    )
    def _compute_cs_next_dunning(self):
        for move in self:
            step = self.env["cs.dunning.step"]
            if move.cs_dunning_policy_id and move._cs_is_dunnable():
                step = move.cs_dunning_policy_id._get_next_step(move.cs_dunning_step_id)
            move.cs_next_dunning_step_id = step
            # paused, the conversation has no date: it gets one back when it
            # is resumed, by hand or by the daily run once the pause ended
            paused = move.dunning_paused or move.commercial_partner_id.dunning_paused
            move.cs_next_dunning_date = (
                step._get_date(move.invoice_date_due) if step and not paused else False
            )

    def action_cs_send_next_reminder(self):
        """Run the dunning step due now on these invoices, at most once per
        step, and say what went out.

        Refused while the dunning of an invoice or of its customer is paused.
        The step due now is the one the daily run would send (the latest
        one reached); when none is due yet, the next step goes only once the
        user confirmed it (context ``cs_send_early``: the (invoice id, step
        id) pairs the confirmation dialog named), and an overdue notice never
        before the invoice is overdue.
        """
        today = fields.Date.context_today(self)
        steps, early = {}, self.browse()
        for move in self:
            move._cs_check_can_send_now(today)
            steps[move], is_early = move._cs_get_step_to_send_now(today)
            if is_early:
                early |= move
        confirmed = self.env.context.get("cs_send_early")
        if early and not confirmed:
            return self.env["cs.dunning.send.wizard"]._action_open(self)
        changed = early.filtered(
            lambda move: (move.id, steps[move].id) not in confirmed
        )
        if changed:
            raise UserError(
                self.env._(
                    "The reminder to send for %(invoices)s is no longer the one "
                    "you confirmed: it was sent meanwhile. Nothing was sent; "
                    "click Send Next Reminder Now again to see what goes now.",
                    invoices=", ".join(changed.mapped("display_name")),
                )
            )
        groups = defaultdict(self.browse)
        for move in self:
            groups[(steps[move], move.cs_payer_id)] |= move
        self._cs_ask_receipt_confirmation(
            groups, today, self._cs_get_communication_problems()
        )
        log_vals = []
        for (step, payer), moves in groups.items():
            log_vals += moves._cs_run_step(step, payer, today)
        self._cs_record_steps(log_vals)
        return self._cs_get_sent_notification(log_vals)

    def _cs_check_can_send_now(self, today):
        """Refuse to send a reminder by hand that the dunning would not send:
        nothing left, or paused on the invoice or on the customer."""
        self.ensure_one()
        if not self._cs_is_dunnable() or not self.cs_next_dunning_step_id:
            raise UserError(
                self.env._(
                    "The invoice %(invoice)s has no reminder left to send: it is "
                    "paid, cancelled, not posted or past its last dunning step.",
                    invoice=self.display_name,
                )
            )
        customer = self.commercial_partner_id
        if self._cs_dunning_is_paused(today):
            raise UserError(
                self.env._(
                    "The dunning of the invoice %(invoice)s is paused (%(reason)s). "
                    "Resume it before sending a reminder.",
                    invoice=self.display_name,
                    reason=self.dunning_pause_reason or self.env._("no reason"),
                )
            )
        if customer._cs_dunning_is_paused(today):
            raise UserError(
                self.env._(
                    "The dunning of the customer %(customer)s is paused "
                    "(%(reason)s). Resume it on the customer before sending a "
                    "reminder for the invoice %(invoice)s.",
                    customer=customer.display_name,
                    reason=customer.dunning_pause_reason or self.env._("no reason"),
                    invoice=self.display_name,
                )
            )

    def _cs_get_step_to_send_now(self, today):
        """The step that "Send Next Reminder Now" runs on ``today``, and
        whether it goes before its date. An overdue notice is never sent
        before the invoice is overdue: its text would not be true."""
        self.ensure_one()
        due_step = self.cs_dunning_policy_id._get_due_step(
            self.invoice_date_due, self.cs_dunning_step_id, today
        )
        if due_step:
            return due_step, False
        step = self.cs_next_dunning_step_id
        effective_due = step.company_id._cs_next_business_day(self.invoice_date_due)
        if step.is_overdue and today <= effective_due:
            raise UserError(
                self.env._(
                    "The next step of the invoice %(invoice)s, %(step)s, is an "
                    "overdue notice: it cannot be sent before the invoice is "
                    "overdue. It goes on %(date)s.",
                    invoice=self.display_name,
                    step=step.name,
                    date=format_date(self.env, step._get_date(self.invoice_date_due)),
                )
            )
        return step, True

    @api.model
    def _cs_get_held_until(self, message_id):
        """When the e-mail of ``message_id`` leaves the mail queue, if it
        waits for the sending window; False when it goes now."""
        if not message_id:
            return False
        # sudo: the e-mail the user just queued
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("mail_message_id", "=", message_id), ("state", "=", "outgoing")],
                limit=1,
            )
        )
        if mail.scheduled_date and mail.scheduled_date > fields.Datetime.now():
            return mail.scheduled_date
        return False

    @api.model
    def _cs_get_sent_notification(self, log_vals):
        """The notification telling the user what the steps of ``log_vals``
        did: the e-mail sent and to whom, or why it did not go."""
        lines, ok = [], True
        seen = set()
        for vals in log_vals:
            key = (vals["step_id"], vals["partner_id"], vals.get("state"))
            if key in seen:
                continue
            seen.add(key)
            step = self.env["cs.dunning.step"].browse(vals["step_id"])
            payer = self.env["res.partner"].browse(vals["partner_id"])
            state = vals.get("state")
            if state in ("queued", "sent"):
                # everyone the e-mail went to: the payer, and the customer
                # when it is in copy
                recipients = payer.commercial_partner_id._cs_get_billing_recipients(
                    payer
                )
                emails = ", ".join(recipients.filtered("email").mapped("email"))
                # an e-mail written outside the sending window waits in the
                # mail queue until it opens (_cs_hold_for_sending_window):
                # the time the held e-mail itself carries
                opening = state == "queued" and self._cs_get_held_until(
                    vals.get("message_id")
                )
                if opening:
                    lines.append(
                        self.env._(
                            "%(step)s for %(email)s waits for the sending "
                            "window: it leaves on %(datetime)s.",
                            step=step.name,
                            email=emails,
                            datetime=format_datetime(
                                self.env,
                                opening,
                                tz=step.company_id._cs_get_tz().zone,
                            ),
                        )
                    )
                else:
                    lines.append(
                        self.env._(
                            "Sent %(step)s to %(email)s.",
                            step=step.name,
                            email=emails,
                        )
                    )
                continue
            if state == "waiting":
                lines.append(
                    self.env._(
                        "%(step)s waits for a call to the customer: the e-mail "
                        "goes on %(date)s.",
                        step=step.name,
                        date=format_date(self.env, vals["send_after"]),
                    )
                )
            elif state == "activity":
                lines.append(
                    self.env._(
                        "%(step)s: an activity was scheduled instead of an e-mail.",
                        step=step.name,
                    )
                )
                continue
            else:
                lines.append(
                    self.env._(
                        "%(step)s was not sent: %(reason)s",
                        step=step.name,
                        reason=vals.get("blocked_reason") or "",
                    )
                )
            ok = False
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Dunning"),
                "message": " ".join(lines),
                "type": "success" if ok else "warning",
                "sticky": not ok,
                # the form shows the new step and its log
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _cs_write_dunning_pause(self, values):
        """Write the dunning pause ``values`` on these invoices. Customer
        success users read their portfolio's invoices only, and may still
        pause and resume their reminders: that is the billing conversation,
        not the bookkeeping."""
        if not self.env.user.has_group("customer_success.customer_success_group_user"):
            return super()._cs_write_dunning_pause(values)
        self.check_access("read")
        # sudo: only the pause fields of the dunning, on invoices the user
        # may read; the user stays the author of the tracked change
        return super(AccountMove, self.sudo())._cs_write_dunning_pause(values)

    def _cs_is_dunnable(self):
        """Whether this invoice may still get dunning messages."""
        self.ensure_one()
        return (
            self.move_type == "out_invoice"
            and self.state == "posted"
            and self.payment_state in OPEN_PAYMENT_STATES
            and bool(self.invoice_date_due)
            and not self.currency_id.is_zero(self.amount_residual)
        )

    @api.model
    def _cs_get_dunning_domain(self, today):
        """Invoices whose next dunning step is due on ``today``."""
        return (
            Domain("cs_next_dunning_date", "<=", today)
            & self._cs_get_open_invoice_domain()
            & self._cs_get_dunning_not_paused_domain(today)
            & self._cs_get_dunning_not_paused_domain(today, "commercial_partner_id.")
        )

    @api.model
    def _cron_cs_dunning(self, batch_size=500):
        """Daily dunning: run the due step of every open customer invoice.

        Safe to re-run and to run twice at once: each batch is locked with
        ``try_lock_for_update`` and committed with ``_commit_progress``; a step
        runs at most once per invoice (unique log), and after downtime only the
        latest step now due is run.
        """
        if "cs_pdf_warned" not in self.env.context:
            # what the run warned about once, over all its commits
            return self.with_context(cs_pdf_warned=set())._cron_cs_dunning(
                batch_size=batch_size
            )
        today = fields.Date.context_today(self)
        self._cs_resume_ended_pauses(today)
        self.env["res.partner"]._cs_resume_ended_pauses(today)
        self.env["cs.dunning.log"]._send_waiting(today)
        self._cs_refresh_newly_overdue(today)
        domain = self._cs_get_dunning_domain(today)

        def get_batch(done):
            todo = domain & Domain("id", "not in", done.ids)
            moves = self.search(todo, order="cs_payer_id, id", limit=batch_size)
            if len(moves) == batch_size:
                # one payer's invoices stay in one batch: one e-mail lists them
                moves |= self.search(
                    todo & Domain("cs_payer_id", "=", moves[-1].cs_payer_id.id)
                )
            return moves

        self._cs_run_in_batches(
            get_batch,
            lambda moves: moves._cs_run_dunning(today),
            # never twice in a run, even if an invoice did not move on
            lambda done: self.search_count(domain & Domain("id", "not in", done.ids)),
        )

    def _cs_run_dunning(self, today):
        """Run, for each invoice of ``self``, the latest dunning step due."""
        groups = defaultdict(self.browse)
        for move in self:
            step = move.cs_dunning_policy_id._get_due_step(
                move.invoice_date_due, move.cs_dunning_step_id, today
            )
            if step:
                groups[(step, move.cs_payer_id)] |= move
        problems = self._cs_get_communication_problems()
        self._cs_ask_receipt_confirmation(groups, today, problems)
        customers = self.commercial_partner_id
        # the customers' billing health once per batch, not once per e-mail
        # (it reads all their invoices)
        with (
            self.env.protecting(customers._cs_billing_health_fields(), customers),
            self.env["cs.webhook"]._lookup_once(),
        ):
            emails = self._cs_send_step_emails(groups, problems)
            log_vals = []
            for (step, payer), moves in groups.items():
                log_vals += moves._cs_run_step(
                    step, payer, today, problems=problems, email=emails.get(moves)
                )
            self._cs_record_steps(log_vals)
        customers._cs_invalidate_billing_health()

    def _cs_run_step(self, step, payer, today, problems=None, email=None):
        """Run ``step`` for these invoices of one payer: one e-mail for all.

        What the step does is the step's decision (:meth:`_get_mode` and
        :meth:`_prepare_activity_values` of ``cs.dunning.step``); the
        invoices carry it out. ``email`` is the log of the e-mail when the
        caller already sent it (a run sends the e-mails of a step in one
        batch). Returns the values of the dunning logs, written by
        :meth:`_cs_record_steps`.
        """
        if problems is None:
            problems = self._cs_get_communication_problems()
        lead = self[0]
        customer = lead.commercial_partner_id
        mode = step._get_mode(customer, problems.get(payer))
        log_vals = {"step_id": step.id, "partner_id": payer.id, "date": today}
        if mode == "waiting":
            log_vals.update(state="waiting", send_after=step._get_send_after(today))
        elif mode == "blocked":
            log_vals.update(self._cs_get_blocked_values(problems[payer]))
        elif mode == "email":
            log_vals.update(
                email
                if email is not None
                else self._cs_try_send_step_email(step, payer)
            )
        else:
            log_vals["state"] = "activity"
        for values in step._prepare_activity_values(customer):
            activity = lead._cs_schedule_activity(
                values["activity_type"],
                values["summary"],
                values["user"],
                invoices=self,
            )
            log_vals["activity_id"] = activity.id
        csm = step._get_escalation_user(customer)
        if csm:
            self.message_subscribe(partner_ids=csm.partner_id.ids)
        if step._is_final():
            self.env["cs.webhook"]._emit(
                "final_dunning",
                {
                    **customer._cs_get_webhook_values(),
                    "step": step.name,
                    "invoices": [
                        {
                            "number": move.name,
                            "due": fields.Date.to_string(move.invoice_date_due),
                            "amount_due": move.amount_residual,
                            "currency": move.currency_id.name,
                        }
                        for move in self
                    ],
                },
                lead.company_id,
            )
        return [dict(log_vals, move_id=move.id) for move in self]

    def _cs_get_blocked_values(self, reason):
        """The step of these invoices of one payer cannot reach the payer
        (``reason``): the customer is flagged. The values of their dunning
        logs; a blocked log runs the play *A billing e-mail bounced or the
        invoice was never received*, which asks a person to check with the
        customer."""
        self.commercial_partner_id._cs_set_comm_issue(True)
        return {"state": "blocked", "blocked_reason": reason}

    @api.model
    def _cs_record_steps(self, log_vals):
        """Write the dunning logs, and the step reached on each invoice (one
        write per step)."""
        if not log_vals:
            return
        logs = self.env["cs.dunning.log"].create(log_vals)
        by_step = defaultdict(self.browse)
        for log in logs:
            by_step[log.step_id] |= log.move_id
        for step, moves in by_step.items():
            # not an accounting change: no need to resync the invoice's lines;
            # sudo: only the step reached, on the invoices whose logs the user
            # just created (a CSM sends the next reminder of the invoices of
            # their portfolio, which they read but do not edit)
            moves.sudo().with_context(skip_invoice_sync=True).write(
                {"cs_dunning_step_id": step.id}
            )

    @api.model
    def _cs_refresh_newly_overdue(self, today):
        """Invoices that fell due yesterday make their customers' overdue
        amount change today, with or without a dunning step."""
        newly_overdue = self.search(
            self._cs_get_open_invoice_domain()
            & Domain("invoice_date_due", "=", fields.Date.subtract(today, days=1))
        )
        newly_overdue.commercial_partner_id._cs_invalidate_billing_health()

    def _cs_schedule_activity(
        self, activity_type, summary, user, note="", invoices=None
    ):
        """One activity on this invoice for ``user``, falling back on the
        salesperson, then the policy's responsible.

        ``summary`` is a text, or a function of an environment returning it:
        the activity is read by its user, in their language."""
        self.ensure_one()
        user = (
            user
            or self.invoice_user_id
            or self.cs_dunning_policy_id.user_id
            or self.env.user
        )
        env = self.with_context(lang=user.lang or self.env.lang).env
        if callable(summary):
            summary = summary(env)
        invoices = invoices or self
        body = escape(note or "")
        if len(invoices) > 1:
            body += Markup("<br/>") + escape(
                env._(
                    "Invoices: %(names)s",
                    names=", ".join(invoices.mapped("display_name")),
                )
            )
        return self.activity_schedule(
            activity_type_id=activity_type.id,
            summary=summary,
            note=body,
            user_id=user.id,
            date_deadline=fields.Date.context_today(self),
        )
