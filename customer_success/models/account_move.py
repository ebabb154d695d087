# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict

import psycopg2
from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models, tools
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..const import OPEN_PAYMENT_STATES
from .mail_mail import SERVER_FAILURES

_logger = logging.getLogger(__name__)


# what pausing the dunning of an invoice writes, and nothing else
DUNNING_PAUSE_FIELDS = (
    "cs_dunning_paused",
    "cs_dunning_pause_reason",
    "cs_dunning_pause_until",
)


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "cs.mail.mixin", "cs.cron.mixin"]

    cs_payer_id = fields.Many2one(
        "res.partner",
        string="Payer",
        compute="_compute_cs_payer_id",
        store=True,
        index="btree_not_null",
        help="Who receives the billing e-mails of this invoice: its invoice "
        "address when it is a contact, else the customer's payer.",
    )
    cs_payer_email_missing = fields.Boolean(compute="_compute_cs_payer_email_missing")
    cs_billing_comm_issue = fields.Boolean(
        related="commercial_partner_id.billing_comm_issue",
        string="Billing Communication Problem",
    )
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
    cs_dunning_paused = fields.Boolean(
        string="Dunning Paused", copy=False, tracking=True
    )
    cs_dunning_pause_reason = fields.Char(
        string="Pause Reason", copy=False, tracking=True
    )
    cs_dunning_pause_until = fields.Date(string="Paused Until", copy=False)
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
    cs_billing_sender_id = fields.Many2one(
        "res.partner",
        string="Billing Sender",
        compute="_compute_cs_billing_sender_id",
        help="Who signs the billing e-mails of this invoice: its salesperson, "
        "else the company's billing sender, else the company.",
    )
    cs_paid_date = fields.Date(string="Paid On", copy=False, readonly=True)
    cs_days_late = fields.Integer(
        string="Days Paid Late",
        compute="_compute_cs_days_late",
        store=True,
        aggregator="avg",
    )
    cs_days_overdue = fields.Integer(
        string="Days Overdue", compute="_compute_cs_days_overdue"
    )
    cs_payment_confirmed = fields.Boolean(copy=False, readonly=True)

    @api.depends(
        "partner_id.type", "commercial_partner_id.payer_id", "state", "payment_state"
    )
    def _compute_cs_payer_id(self):
        for move in self:
            if move.cs_payer_id and not move._cs_is_open():
                # a settled invoice keeps who was billed: a new payer takes
                # over what is still to pay, not the history
                move.cs_payer_id = move.cs_payer_id
                continue
            partner = move.partner_id
            payer = move.commercial_partner_id.payer_id
            # an invoice address stands for the payer: a new payer takes over
            # the open invoices addressed to the former one
            if partner.type == "invoice" and payer.type == "invoice":
                move.cs_payer_id = payer
            elif partner and partner != move.commercial_partner_id:
                move.cs_payer_id = partner
            else:
                move.cs_payer_id = move.commercial_partner_id.payer_id or partner

    @api.depends("cs_payer_id.email", "cs_payer_id.active")
    def _compute_cs_payer_email_missing(self):
        for move in self:
            payer = move.cs_payer_id
            move.cs_payer_email_missing = (
                move.is_sale_document(include_receipts=False)
                and bool(payer)
                and (not payer.email or not payer.active)
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
        "cs_dunning_paused",
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
            paused = move.cs_dunning_paused or move.commercial_partner_id.dunning_paused
            move.cs_next_dunning_date = (
                step._get_date(move.invoice_date_due) if step and not paused else False
            )

    @api.depends(
        "invoice_user_id.partner_id.email",
        "company_id.cs_billing_sender_id.email",
        "company_id.partner_id.email",
    )
    def _compute_cs_billing_sender_id(self):
        for move in self:
            move.cs_billing_sender_id = move.company_id._cs_get_billing_sender(
                move.invoice_user_id
            )

    @api.depends("cs_paid_date", "invoice_date_due")
    def _compute_cs_days_late(self):
        for move in self:
            if move.cs_paid_date and move.invoice_date_due:
                move.cs_days_late = max(
                    (move.cs_paid_date - move.invoice_date_due).days, 0
                )
            else:
                move.cs_days_late = 0

    @api.depends_context("date")
    @api.depends("invoice_date_due", "payment_state")
    def _compute_cs_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            due = move.invoice_date_due
            if due and move.payment_state in OPEN_PAYMENT_STATES and due < today:
                move.cs_days_overdue = (today - due).days
            else:
                move.cs_days_overdue = 0

    def _compute_invoice_default_sale_person(self):
        res = super()._compute_invoice_default_sale_person()
        # an invoice made by a scheduled job would get OdooBot as salesperson,
        # shown to the customer on the portal: the customer's own, or none
        for move in self.filtered(lambda move: move.invoice_user_id.id == SUPERUSER_ID):
            salesperson = (
                move.partner_id.user_id or move.partner_id.commercial_partner_id.user_id
            )
            move.invoice_user_id = salesperson.filtered(
                lambda user: user.id != SUPERUSER_ID
            )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self._cs_address_customer_invoices_to_payer(vals_list)
        for vals in vals_list:
            # OdooBot is no salesperson (subscription_oca passes the user of
            # the subscription, OdooBot when a job created it): Odoo's default
            if vals.get("invoice_user_id") == SUPERUSER_ID:
                del vals["invoice_user_id"]
        return super().create(vals_list)

    @api.model
    def _cs_address_customer_invoices_to_payer(self, vals_list):
        """Invoices created for a customer go to its payer contact."""
        default_type = self.env.context.get("default_move_type")
        customer_vals = [
            vals
            for vals in vals_list
            if vals.get("partner_id")
            and vals.get("move_type", default_type) in ("out_invoice", "out_refund")
        ]
        customers = self.env["res.partner"].browse(
            list({vals["partner_id"] for vals in customer_vals})
        )
        payers = {
            customer.id: customer.payer_id.id
            for customer in customers
            if not customer.parent_id and customer.payer_id not in (customer, False)
        }
        for vals in customer_vals:
            vals["partner_id"] = payers.get(vals["partner_id"], vals["partner_id"])

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        self._cs_on_paid()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

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
                    reason=self.cs_dunning_pause_reason or self.env._("no reason"),
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

    def _cs_dunning_is_paused(self, today):
        """Whether the dunning of this invoice itself is paused on ``today``."""
        self.ensure_one()
        return self.cs_dunning_paused and (
            not self.cs_dunning_pause_until or self.cs_dunning_pause_until >= today
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
        if step.is_overdue and today <= self.invoice_date_due:
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
                lines.append(
                    self.env._(
                        "Sent %(step)s to %(email)s.",
                        step=step.name,
                        email=", ".join(recipients.filtered("email").mapped("email")),
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

    def action_cs_pause_dunning(self):
        """Open the wizard that pauses dunning on these invoices."""
        return self.env["cs.dunning.pause.wizard"]._action_open(self)

    def action_cs_resume_dunning(self):
        self._cs_write_dunning_pause(
            {
                "cs_dunning_paused": False,
                "cs_dunning_pause_reason": False,
                "cs_dunning_pause_until": False,
            }
        )

    def _cs_write_dunning_pause(self, values):
        """Write the dunning pause ``values`` on these invoices. Customer
        success users read their portfolio's invoices only, and may still
        pause and resume their reminders: that is the billing conversation,
        not the bookkeeping."""
        moves = self
        if self.env.user.has_group("customer_success.customer_success_group_user"):
            self.check_access("read")
            # sudo: only the pause fields of the dunning, on invoices the
            # user may read; the user stays the author of the tracked change
            moves = self.sudo()
        moves.write({key: values[key] for key in DUNNING_PAUSE_FIELDS if key in values})

    # ------------------------------------------------------------------
    # Dunning
    # ------------------------------------------------------------------

    def _cs_is_open(self):
        """Whether this invoice is still to be settled (a draft, or posted
        and not paid yet)."""
        self.ensure_one()
        return self.state == "draft" or (
            self.state == "posted" and self.payment_state in OPEN_PAYMENT_STATES
        )

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
            Domain(
                [
                    ("cs_next_dunning_date", "<=", today),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", OPEN_PAYMENT_STATES),
                ]
            )
            & (
                Domain("cs_dunning_paused", "=", False)
                | Domain("cs_dunning_pause_until", "<", today)
            )
            & (
                Domain("commercial_partner_id.dunning_paused", "=", False)
                | Domain("commercial_partner_id.dunning_pause_until", "<", today)
            )
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
        self.env["cs.dunning.log"]._cs_send_waiting(today)
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

    @api.model
    def _cs_resume_ended_pauses(self, today):
        """Resume the dunning of the invoices and customers whose pause ended
        before ``today``: they get their next dunning date back."""
        self.search(
            [("cs_dunning_paused", "=", True), ("cs_dunning_pause_until", "<", today)]
        ).action_cs_resume_dunning()
        self.env["res.partner"].search(
            [("dunning_paused", "=", True), ("dunning_pause_until", "<", today)]
        ).action_cs_resume_dunning()

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
        customers = self.commercial_partner_id
        # the customers' billing health once per batch, not once per e-mail
        # (it reads all their invoices)
        with (
            self.env.protecting(customers._cs_billing_health_fields(), customers),
            self.env["cs.webhook"]._cs_lookup_once(),
        ):
            emails = self._cs_send_step_emails(groups, problems)
            log_vals = []
            for (step, payer), moves in groups.items():
                log_vals += moves._cs_run_step(
                    step, payer, today, problems=problems, email=emails.get(moves)
                )
            self._cs_record_steps(log_vals)
        customers._cs_invalidate_billing_health()

    def _cs_get_step_mode(self, step, payer, problems):
        """What ``step`` does now for these invoices of ``payer``: ``email``,
        ``activity`` (a person instead of the e-mail, or no e-mail in the
        step), ``waiting`` (the e-mail after a person's call) or ``blocked``
        (the payer cannot be reached)."""
        policy = step.policy_id
        human = step.is_overdue and policy._use_human_touch(
            self[0].commercial_partner_id
        )
        if not step._sends_email() or (human and policy.human_touch == "replace"):
            return "activity"
        if human:
            return "waiting"
        if problems.get(payer):
            return "blocked"
        return "email"

    def _cs_send_step_emails(self, groups, problems):
        """The e-mails of a dunning run, one batch per step: {invoices: log
        values}, for the groups of ``groups`` ({(step, payer): invoices})
        whose step e-mails now."""
        by_step = defaultdict(list)
        for (step, payer), moves in groups.items():
            if moves._cs_get_step_mode(step, payer, problems) == "email":
                by_step[step].append((payer, moves))
        results = {}
        for step, payer_moves in by_step.items():
            results.update(self._cs_send_step_email_batch(step, payer_moves))
        return results

    @api.model
    def _cs_send_step_email_batch(self, step, payer_moves):
        """One e-mail per payer of ``payer_moves`` ([(payer, invoices)]) for
        ``step``, rendered and queued in one go. Should the batch fail (a
        template that breaks on one invoice), each payer's e-mail is tried
        on its own, so that only the broken ones fail."""
        try:
            with self.env.cr.savepoint():
                messages, notes = self._cs_post_dunning_emails(
                    step.mail_template_id, payer_moves, step.attach_invoice
                )
        except psycopg2.Error:
            # the database's problem, not the template's: the scheduler
            # retries the batch
            raise
        except Exception as error:  # noqa: BLE001 - retried one by one below
            _logger.info("Dunning e-mails of %s sent one by one: %s", step.name, error)
            return {
                moves: moves._cs_try_send_step_email(step, payer)
                for payer, moves in payer_moves
            }
        return {
            moves: {
                "message_id": messages[moves[0].id].id,
                "state": "queued",
                "note": notes.get(moves[0].id, False),
            }
            for _payer, moves in payer_moves
        }

    def _cs_run_step(self, step, payer, today, problems=None, email=None):
        """Run ``step`` for these invoices of one payer: one e-mail for all.

        ``email`` is the log of the e-mail when the caller already sent it
        (a run sends the e-mails of a step in one batch). Returns the values
        of the dunning logs, written by :meth:`_cs_record_steps`.
        """
        if problems is None:
            problems = self._cs_get_communication_problems()
        lead = self[0]
        customer = lead.commercial_partner_id
        policy = step.policy_id
        mode = self._cs_get_step_mode(step, payer, problems)
        human = step.is_overdue and policy._use_human_touch(customer)
        log_vals = {"step_id": step.id, "partner_id": payer.id, "date": today}
        if mode == "waiting":
            log_vals.update(
                state="waiting",
                send_after=fields.Date.add(today, days=policy.human_touch_delay),
            )
        elif mode == "blocked":
            log_vals.update(state="blocked", blocked_reason=problems[payer])
            log_vals["activity_id"] = self._cs_schedule_comm_issue_activity(
                problems[payer]
            ).id
            customer._cs_set_comm_issue(True)
        elif mode == "email":
            log_vals.update(
                email
                if email is not None
                else self._cs_try_send_step_email(step, payer)
            )
        else:
            log_vals["state"] = "activity"
        activity = self.env["mail.activity"]
        if human:
            activity = lead._cs_schedule_activity(
                policy.human_touch_activity_type_id,
                lambda env: env._(
                    "Call %(customer)s about the overdue invoice before the "
                    "automated notice",
                    customer=customer.display_name,
                ),
                customer.csm_id,
                invoices=self,
            )
        if step._creates_activity():
            user = customer.csm_id if step.escalate_to_csm else False
            activity = lead._cs_schedule_activity(
                step.activity_type_id,
                lambda env: (
                    step.with_env(env).activity_summary or step.with_env(env).name
                ),
                user,
                invoices=self,
            )
        elif step.escalate_to_csm and customer.csm_id and not human:
            activity = lead._cs_schedule_activity(
                self.env.ref("mail.mail_activity_data_todo"),
                lambda env: env._(
                    "Dunning escalated: %(step)s", step=step.with_env(env).name
                ),
                customer.csm_id,
                invoices=self,
            )
        if step.escalate_to_csm and customer.csm_id:
            self.message_subscribe(partner_ids=customer.csm_id.partner_id.ids)
        if activity:
            log_vals["activity_id"] = activity.id
        if step.is_overdue and step == policy.step_ids.sorted("offset_days")[-1:]:
            self.env["cs.webhook"]._cs_emit(
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
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", OPEN_PAYMENT_STATES),
                ("invoice_date_due", "=", fields.Date.subtract(today, days=1)),
            ]
        )
        newly_overdue.commercial_partner_id._cs_invalidate_billing_health()

    def _cs_try_send_step_email(self, step, payer):
        """Send the step's e-mail; a broken template fails this step only."""
        try:
            with self.env.cr.savepoint():
                message, note = self._cs_send_email(
                    step.mail_template_id, step.attach_invoice
                )
        except psycopg2.Error:
            # a lock or a serialization failure is not a broken template: the
            # step must stay to do, for the scheduler's retry
            raise
        except Exception as error:  # noqa: BLE001 - any template error, see below
            # A broken template must not stop the other invoices of the run: the
            # step is logged as failed and a person takes over.
            _logger.warning("Dunning e-mail for %s failed: %s", self.ids, error)
            reason = self.env._(
                "The e-mail of step %(step)s could not be prepared: %(error)s",
                step=step.name,
                error=str(error),
            )
            activity = self[0]._cs_schedule_activity(
                self.env.ref("mail.mail_activity_data_todo"),
                lambda env: env._("Dunning e-mail failed: send it by hand"),
                self.commercial_partner_id[:1].csm_id,
                note=reason,
                invoices=self,
            )
            return {
                "state": "failed",
                "blocked_reason": reason[:250],
                "activity_id": activity.id,
            }
        return {"message_id": message.id, "state": "queued", "note": note}

    def _cs_send_email(self, template, attach_invoice=False):
        """Post ``template`` on the first invoice, listing all of ``self``,
        to the billing recipients, through the mail queue: the message, and
        what it went out without (or False)."""
        lead = self[0]
        messages, notes = self._cs_post_dunning_emails(
            template, [(lead.cs_payer_id, self)], attach_invoice
        )
        return messages[lead.id], notes.get(lead.id, False)

    @api.model
    def _cs_post_dunning_emails(self, template, payer_moves, attach_invoice=False):
        """One e-mail per payer of ``payer_moves`` ([(payer, invoices)]),
        posted on its first invoice and listing all of them, to the billing
        recipients, through the mail queue: {first invoice id: message}, and
        {first invoice id: note} for the e-mails that went out without their
        invoice PDF (it could not be produced: the portal link remains)."""
        if not template:
            raise UserError(self.env._("No e-mail template is set for this step."))
        leads = self.browse([moves[0].id for _payer, moves in payer_moves])
        leads.commercial_partner_id.fetch(["payer_id", "billing_cc_signer", "email"])
        self.browse(
            [move.id for _payer, moves in payer_moves for move in moves]
        )._cs_ensure_access_tokens()
        recipients, render_values, attachments, notes = {}, {}, {}, {}
        for payer, moves in payer_moves:
            lead = moves[0]
            recipients[lead.id] = lead.commercial_partner_id._cs_get_billing_recipients(
                payer
            )
            # read in the payer's language, like ``object`` (amounts in words)
            render_values[lead.id] = {"cs_invoices": moves}
            if attach_invoice:
                attachments[lead.id], error = moves._cs_try_get_invoice_pdf_ids()
                if error:
                    notes[lead.id] = self.env._(
                        "Sent without the invoice PDF, which could not be "
                        "produced: %(error)s",
                        error=error,
                    )[:250]
        messages = leads._cs_post_template_batch(
            template,
            recipients,
            render_values=render_values,
            attachment_ids=attachments,
        )
        return messages, notes

    def _cs_get_author_ids(self, email_froms):
        """The billing sender of each invoice signs its e-mail when it is
        sent from the sender's address (the shipped templates); never
        OdooBot, even when a scheduled job sends it."""
        authors = super()._cs_get_author_ids(email_froms)
        root = self.env.ref("base.partner_root").id
        for move in self.browse(list(email_froms)):
            sender = move.cs_billing_sender_id
            email_from = email_froms[move.id]
            if (
                not email_from
                or authors[move.id] == root
                or sender.email_normalized in tools.email_normalize_all(email_from)
            ):
                authors[move.id] = sender.id
        return authors

    def _cs_try_get_invoice_pdf_ids(self):
        """The invoices' PDFs, as :meth:`_cs_get_invoice_pdf_ids`, never
        failing: when a PDF cannot be produced (no wkhtmltopdf, a report
        error), the stored ones only, and the reason. A run logs each reason
        once, not once per invoice."""
        if not self.env.registry.ready:
            # a module being installed (the demo's dunning run): no web server
            # answers wkhtmltopdf's requests for the styles yet, and a PDF
            # rendered now would be kept without its layout
            return self.invoice_pdf_report_id.ids, self.env._(
                "PDFs are not produced while modules are being installed."
            )
        try:
            with self.env.cr.savepoint():
                return self._cs_get_invoice_pdf_ids(), False
        except psycopg2.Error:
            # the database's problem (a lock, a serialization failure), not
            # the PDF's: the batch fails and the scheduler retries it
            raise
        except Exception as error:  # noqa: BLE001 - any report error, see above
            reason = str(error) or error.__class__.__name__
            warned = self.env.context.get("cs_pdf_warned")
            if warned is None:  # outside a run: once per transaction
                warned = self.env.cr.cache.setdefault("cs_pdf_warned", set())
            if reason not in warned:
                warned.add(reason)
                _logger.warning(
                    "Dunning e-mails go out without the invoice PDF: %s", reason
                )
            return self.invoice_pdf_report_id.ids, reason

    def _cs_ensure_access_tokens(self):
        """Give the invoices their portal token in one query, not one each."""
        missing = self.filtered(lambda move: not move.access_token)
        if not missing:
            return
        # A fresh random token per row, as _portal_ensure_token would write.
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::text "
                "WHERE id IN %s AND access_token IS NULL",
                tuple(missing.ids),
            )
        )
        missing.invalidate_recordset(["access_token"])
        # read back at once, not invoice by invoice when the links are made
        missing.fetch(["access_token"])

    def _cs_get_invoice_pdf_ids(self):
        """The ids of the invoices' PDFs, reusing the stored ones; the others
        are rendered and attached to their invoice."""
        stored = self.filtered("invoice_pdf_report_id")
        values = []
        for move in self - stored:
            content, _report_type = self.env["ir.actions.report"]._render(
                "account.account_invoices", move.ids
            )
            values.append(
                {
                    "name": f"{move._get_report_base_filename()}.pdf",
                    "raw": content,
                    "res_model": move._name,
                    "res_id": move.id,
                    "mimetype": "application/pdf",
                }
            )
        # sudo: attachments of invoices the sender may read, as message_post
        rendered = self.env["ir.attachment"].sudo().create(values)
        return stored.invoice_pdf_report_id.ids + rendered.ids

    def _cs_get_communication_problems(self):
        """Payers of ``self`` that cannot be reached by e-mail, with the reason.

        A payer without address, archived, flagged, or whose earlier invoice or
        dunning e-mail bounced or failed (since the flag was last cleared).
        """
        problems = {}
        payers = self.cs_payer_id
        for payer in payers:
            customer = payer.commercial_partner_id
            if not payer.active:
                problems[payer] = self.env._("The payer is archived.")
            elif not payer.email:
                problems[payer] = self.env._("The payer has no e-mail address.")
            elif payer.message_bounce:
                problems[payer] = self.env._("E-mails to the payer bounce.")
            elif customer.billing_comm_issue:
                problems[payer] = self.env._(
                    "A billing e-mail to the payer bounced or failed."
                )
        failed = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "account.move"),
                    ("mail_message_id.res_id", "in", self.ids),
                    ("res_partner_id", "in", (payers - payers.browse(problems)).ids),
                    ("notification_status", "in", ("bounce", "exception")),
                    # a mail server that is down is not the payer's problem
                    ("failure_type", "not in", SERVER_FAILURES),
                ]
            )
        )
        for notification in failed:
            customer = notification.res_partner_id.commercial_partner_id
            since = customer.billing_comm_checked_since
            if since and notification.mail_message_id.date <= since:
                continue
            problems[notification.res_partner_id] = self.env._(
                "An e-mail about the invoice %(invoice)s did not reach the payer.",
                invoice=self.browse(notification.mail_message_id.res_id).display_name,
            )
        return problems

    def _cs_schedule_comm_issue_activity(self, reason):
        return self[0]._cs_schedule_activity(
            self.env.ref("mail.mail_activity_data_call"),
            lambda env: env._(
                "Confirm the customer received the invoice, and update the "
                "payer's e-mail"
            ),
            self.commercial_partner_id[:1].csm_id or self[0].invoice_user_id,
            note=reason,
            invoices=self,
        )

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

    def _cs_record_renewals(self):
        """A paid invoice of a subscription that is not its first invoice is
        a renewal: a milestone, once per invoice."""
        renewing = self.filtered("subscription_id")
        if not renewing:
            return
        first = dict(
            self._read_group(
                [
                    ("subscription_id", "in", renewing.subscription_id.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ],
                groupby=["subscription_id"],
                aggregates=["id:min"],
            )
        )
        renewal = self.env.ref("customer_success.cs_milestone_type_renewal")
        self.env["cs.milestone"]._cs_record(
            [
                {
                    "name": lambda env, move=move: env._(
                        "Renewal: %(subscription)s",
                        subscription=move.subscription_id.display_name,
                    ),
                    "partner_id": move.commercial_partner_id.id,
                    "company_id": move.company_id.id,
                    "type_id": renewal.id,
                    "date": move.cs_paid_date or move.invoice_date,
                    "subscription_id": move.subscription_id.id,
                    "invoice_id": move.id,
                    "origin_key": f"renewal:{move.id}",
                }
                for move in renewing
                if first.get(move.subscription_id) != move.id
            ]
        )

    def _cs_on_paid(self):
        """Record the payment date and thank the payer, once per invoice."""
        invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.payment_state in ("paid", "in_payment")
                and not move.currency_id.is_zero(move.amount_total)
            )
        )
        today = fields.Date.context_today(self)
        for move in invoices:
            dates = move.line_ids.matched_credit_ids.mapped("max_date")
            move.cs_paid_date = max(dates) if dates else today
        invoices._cs_record_renewals()
        to_thank = invoices.filtered(lambda move: not move.cs_payment_confirmed)
        to_thank.cs_payment_confirmed = True
        for move in to_thank:
            template = move.cs_dunning_policy_id.payment_template_id
            payer = move.cs_payer_id
            if template and payer.email and payer.active:
                move._cs_send_email(template)
        # sudo: whoever registers the payment closes the held-back e-mails of
        # these invoices; the log itself is not theirs to edit.
        self.env["cs.dunning.log"].sudo().search(
            [("move_id", "in", invoices.ids), ("state", "=", "waiting")]
        ).state = "cancelled"
