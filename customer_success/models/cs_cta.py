# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup
from psycopg2 import IntegrityError, errorcodes

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import mute_logger

from .cs_play import CTA_PRIORITIES, CTA_TYPES

OPEN_STATES = ("open", "in_progress", "snoozed")
OUTCOMES = [
    ("saved", "Saved"),
    ("lost", "Lost"),
    ("won", "Won"),
    ("renewed", "Renewed"),
    ("churned", "Churned"),
    ("done", "Done"),
]


class CsCta(models.Model):
    """A call to action: a signal about a customer, for a person to act on,
    with what was done and how it ended."""

    _name = "cs.cta"
    _description = "Call to Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_due, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # a play with calls to action is not deleted (cs.play refuses it); an
    # uninstall, which deletes the shipped plays first, leaves them unlinked
    play_id = fields.Many2one("cs.play", readonly=True, index=True, ondelete="set null")
    cta_type = fields.Selection(
        CTA_TYPES, string="Type", required=True, default="risk", tracking=True
    )
    priority = fields.Selection(
        CTA_PRIORITIES, required=True, default="1", tracking=True
    )
    reason = fields.Char(
        compute="_compute_reason",
        help="Why it opened, in the reader's language.",
    )
    reason_note = fields.Char(
        string="Detail", help="What fired it: the record, or the owner's words."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
    )
    team_id = fields.Many2one("cs.team", tracking=True)
    date_due = fields.Date(
        string="Due Date", default=fields.Date.context_today, tracking=True
    )
    state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("snoozed", "Snoozed"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="open",
        tracking=True,
        group_expand=True,
    )
    snooze_until = fields.Date(tracking=True)
    outcome = fields.Selection(OUTCOMES, tracking=True)
    outcome_mrr = fields.Monetary(
        string="MRR Kept or Gained",
        tracking=True,
        help="For a risk saved, the MRR kept; for an expansion won, the MRR gained.",
    )
    subscription_id = fields.Many2one("sale.subscription", index="btree_not_null")
    invoice_id = fields.Many2one("account.move", index="btree_not_null")
    subscription_arr = fields.Monetary(
        string="ARR", related="subscription_id.cs_arr", currency_field="currency_id"
    )
    suggested_product_id = fields.Many2one(
        "product.product",
        string="Suggested Plan",
        help="For an expansion: the next plan of the same product line by "
        "price. Closing as won changes the subscription to it from its next "
        "period.",
    )
    suggested_mrr = fields.Monetary(
        string="MRR It Would Add", currency_field="currency_id"
    )
    nps_response_id = fields.Many2one(
        "cs.nps.response",
        string="NPS Answer",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The answer that opened it, or last fired it again; for an "
        "expansion, the promoter's answer whose referral request it follows.",
    )
    referral_partner_ids = fields.Many2many(
        "res.partner",
        "cs_cta_referral_partner_rel",
        "cta_id",
        "partner_id",
        string="Referrals Given",
        tracking=True,
        help="For a promoter asked for referrals: the contacts they referred.",
    )
    referral_count = fields.Integer(
        string="Referrals",
        compute="_compute_referral_count",
        store=True,
        help="How many contacts the customer referred (summed in the reports).",
    )
    renewal_date = fields.Date(related="subscription_id.cs_renewal_date")
    renewal_forecast = fields.Selection(
        related="subscription_id.cs_renewal_forecast", string="Forecast"
    )
    date_closed = fields.Date(readonly=True)
    days_to_close = fields.Integer(readonly=True, aggregator="avg")
    closed_in_time = fields.Integer(
        readonly=True, help="1 when closed by its due date."
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    cta_count = fields.Integer(string="Calls to Action", default=1, readonly=True)

    # two workers firing the same signal at once open one call to action
    _one_open_per_play = models.UniqueIndex(
        "(partner_id, play_id) WHERE state IN ('open', 'in_progress', 'snoozed') "
        "AND play_id IS NOT NULL",
        "This customer already has an open call to action of this play.",
    )

    @api.depends("partner_id", "play_id")
    def _compute_name(self):
        for cta in self:
            cta.name = (
                " - ".join(filter(None, [cta.play_id.name, cta.partner_id.name]))
                or cta.partner_id.name
            )

    @api.depends("partner_id.name", "play_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """The play and the customer, the play's name in the reader's
        language (``name``, stored for searching, is in the language it was
        opened in)."""
        for cta in self:
            cta.display_name = (
                " - ".join(filter(None, [cta.play_id.sudo().name, cta.partner_id.name]))
                or cta.partner_id.name
            )

    @api.depends("play_id.reason", "reason_note")
    @api.depends_context("lang")
    def _compute_reason(self):
        for cta in self:
            cta.reason = ": ".join(
                filter(None, [cta.play_id.sudo().reason, cta.reason_note])
            )

    @api.depends("referral_partner_ids")
    def _compute_referral_count(self):
        for cta in self:
            cta.referral_count = len(cta.referral_partner_ids)

    @api.depends("date_due", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for cta in self:
            cta.is_overdue = bool(
                cta.state in OPEN_STATES and cta.date_due and cta.date_due < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue calls to action by yes or no."))
        domain = [
            ("state", "in", OPEN_STATES),
            ("date_due", "<", fields.Date.context_today(self)),
        ]
        # "!" negates one term: the whole conjunction is negated
        return domain if (operator == "=") == value else ["!", "&", *domain]

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------

    @api.model
    def _get_customer_of(self, record):
        """The customer a record is about: a partner's company, a
        subscription's or an invoice's customer, an answer's."""
        for name in ("cs_commercial_partner_id", "commercial_partner_id"):
            if name in record._fields and record[name]:
                return record[name]
        if "partner_id" in record._fields and record.partner_id:
            return record.partner_id.commercial_partner_id
        return self.env["res.partner"]

    @api.model
    def _get_company_of(self, record, customer):
        company = "company_id" in record._fields and record.company_id
        return company or customer.company_id or self.env.company

    @api.model
    def _open_for(self, play, customer, company, record):
        """The open call to action of ``play`` for ``customer``: updated
        (reason, priority) when there is one, else created with its owner,
        its plan and its e-mail."""
        return self._open_for_all(play, [(record, customer, company)])

    @api.model
    def _open_for_all(self, play, targets):
        """:meth:`_open_for` for many ``targets`` (record, customer, company)
        at once, in their order: what the batch needs is searched once (the
        play's open calls to action, the open renewals, the main
        subscriptions), the new calls to action are created together. A
        customer met twice has one call to action, updated by the later
        record. Returns the calls to action opened or updated."""
        if not targets:
            return self.browse()
        customers = self.env["res.partner"].union(
            *(customer for _record, customer, _company in targets)
        )
        open_by_customer = {}
        for cta in self._get_open(play, customers):
            open_by_customer.setdefault(cta.partner_id.id, cta)
        renewals = self._get_open_renewals(
            play,
            self.env["sale.subscription"].union(
                *(
                    record
                    for record, _customer, _company in targets
                    if record._name == "sale.subscription"
                )
            ),
        )
        main_subscriptions = {}
        need_main = customers.browse(
            customer.id
            for record, customer, _company in targets
            if record._name != "sale.subscription"
            and not ("subscription_id" in record._fields and record.subscription_id)
        )
        if need_main:
            main_subscriptions = self._get_main_subscriptions(need_main)
        today = fields.Date.context_today(self)
        result = self.browse()
        # customer id: [values to create, record, customer, company, owner]
        to_create = {}
        for record, customer, company in targets:
            owner = customer._cs_get_responsible_user(
                company, fallback=self._get_fallback_owner_of(record)
            )
            existing = open_by_customer.get(customer.id, self.browse())
            pending = to_create.get(customer.id)
            reader = existing.user_id or owner
            if pending:
                reader = self.env["res.users"].browse(pending[0]["user_id"]) or owner
            note = self._get_note_of(record, customer, reader, company, play)
            values = {"priority": play.priority, "reason_note": note}
            if existing:
                existing.write(values)
                result |= existing
                continue
            if pending:
                # created below: it reads as the later record's
                pending[0].update(values)
                continue
            renewal = (
                renewals.get(record.id, self.browse())
                if record._name == "sale.subscription"
                else self.browse()
            )
            if renewal:
                # one renewal, one call to action: the nearer play takes it over
                if play.priority >= renewal.priority:
                    renewal.write(
                        {
                            **values,
                            "play_id": play.id,
                            "date_due": today + timedelta(days=play.due_days),
                        }
                    )
                    if renewal.partner_id == customer:
                        open_by_customer[customer.id] = renewal
                result |= renewal
                continue
            team = customer.cs_team_id or company.cs_default_team_id
            subscription = (
                record
                if record._name == "sale.subscription"
                else ("subscription_id" in record._fields and record.subscription_id)
                or main_subscriptions.get((customer.id, company.id))
                or self.env["sale.subscription"]
            )
            if play.cta_type == "expansion":
                values.update(self._prepare_suggestion(subscription))
            values.update(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "play_id": play.id,
                    "cta_type": play.cta_type,
                    "user_id": owner.id,
                    "team_id": team.id,
                    "date_due": today + timedelta(days=play.due_days),
                    "subscription_id": subscription.id,
                    "invoice_id": self._get_invoice_of(record).id,
                }
            )
            to_create[customer.id] = [values, customer, owner, team]
        if to_create:
            result |= self._create_for_play(play, list(to_create.values()))
        return result

    @api.model
    def _create_for_play(self, play, pending):
        """Create the calls to action of ``pending`` ([values, customer,
        owner, team] each), then tell who follows them, launch the play's
        plan and send its e-mail. Created together; when another worker
        opened one of them meanwhile (the unique index refuses the batch),
        one by one, and the one of the other worker is updated."""
        # no "created" note (the plan's launch and what fired it say more),
        # no "you have been assigned" e-mail per call to action (a first
        # dunning run opens hundreds): the owner finds them in My Calls to
        # Action and among their activities
        quiet = self.with_context(
            mail_create_nolog=True, mail_auto_subscribe_no_notify=True
        )
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                ctas = quiet.create([values for values, *_rest in pending])
            created = list(zip(ctas, pending, strict=True))
        except IntegrityError as error:
            if error.pgcode != errorcodes.UNIQUE_VIOLATION:
                raise
            created, updated = [], self.browse()
            for item in pending:
                values, customer = item[0], item[1]
                try:
                    with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                        created.append((quiet.create(values), item))
                except IntegrityError as one_error:
                    if one_error.pgcode != errorcodes.UNIQUE_VIOLATION:
                        raise
                    # another worker opened it meanwhile: it stands, updated
                    # when this transaction sees it (not before it commits)
                    existing = self._get_open(play, customer)
                    existing.write(
                        {
                            "priority": values["priority"],
                            "reason_note": values["reason_note"],
                        }
                    )
                    updated |= existing
            ctas = updated.union(*(cta for cta, _item in created))
        for cta, (_values, customer, owner, team) in created:
            if not owner:
                # read by the team: in the company's language
                company_lang = cta.company_id.partner_id.lang or self.env.lang
                cta.message_post(
                    body=self.with_context(lang=company_lang).env._(
                        "Nobody follows %(customer)s (no success manager, no "
                        "team leader): opened for the team %(team)s.",
                        customer=customer.name,
                        team=team.name or "-",
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            play._launch_plan(cta)
            if play.mail_template_id and customer.email:
                cta.message_post_with_source(
                    play.mail_template_id,
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=customer.ids,
                )
        return ctas

    @api.model
    def _get_invoice_of(self, record):
        """The invoice a record is about: itself, or its ``move_id`` (e.g. a
        dunning log), whose payment closes a billing call to action."""
        if record._name == "account.move":
            return record
        field = record._fields.get("move_id")
        if field and field.comodel_name == "account.move":
            return record.move_id
        return self.env["account.move"]

    @api.model
    def _get_main_subscriptions(self, customers):
        """{(customer id, company id): its running subscription with the
        highest MRR in that company}, in one search (a call to action of a
        company never carries another company's subscription)."""
        subscriptions = (
            self.env["sale.subscription"]
            .sudo()
            .search(
                [
                    ("cs_commercial_partner_id", "in", customers.ids),
                    ("stage_id.type", "=", "in_progress"),
                ],
                order="cs_mrr desc, id",
            )
        )
        main = {}
        for subscription in subscriptions:
            main.setdefault(
                (subscription.cs_commercial_partner_id.id, subscription.company_id.id),
                subscription,
            )
        return main

    @api.model
    def _prepare_suggestion(self, subscription):
        """The next plan up the product line of ``subscription``, and the
        MRR it would add."""
        if not subscription:
            return {}
        subscription = subscription.sudo()
        current = subscription._cs_get_current_plan_price()
        dearer = [
            product
            for product, price in subscription._cs_get_plan_options()
            if price > current
        ]
        if not dearer:
            return {}
        plan = dearer[0]
        return {
            "suggested_product_id": plan.id,
            "suggested_mrr": subscription._cs_get_plan_mrr(plan) - subscription.cs_mrr,
        }

    @api.model
    def _get_note_of(self, record, customer, reader, company, play=None):
        """What fired the call to action, stored on it: the record's own
        words (its ``_cs_get_cta_note()``, e.g. a customer's score and risk
        reasons when it turned red; the play that fired is ``cs_play_id`` in
        its context), else its name. Written in the language of its owner
        (else the company's), who reads it first."""
        lang = reader.lang or company.partner_id.lang or self.env.lang
        # sudo: the system opens calls to action from whatever fired them
        record = record.sudo().with_context(
            lang=lang, cs_play_id=play.id if play else False
        )
        if hasattr(record, "_cs_get_cta_note"):
            return record._cs_get_cta_note() or False
        return record.display_name if record != customer else False

    @api.model
    def _get_fallback_owner_of(self, record):
        """Who follows the call to action up when the customer has neither a
        success manager nor a team leader: the record's own choice (its
        ``_cs_get_cta_fallback_user()``, e.g. an NPS campaign's responsible),
        before the leader of the company's default team."""
        if hasattr(record, "_cs_get_cta_fallback_user"):
            return record._cs_get_cta_fallback_user()
        return None

    @api.model
    def _get_open_renewal(self, play, record):
        """The open renewal call to action of the same subscription, from
        another renewal play (180, 90, 30 days before)."""
        if record._name != "sale.subscription":
            return self.browse()
        return self._get_open_renewals(play, record).get(record.id, self.browse())

    @api.model
    def _get_open_renewals(self, play, subscriptions):
        """{subscription id: its open renewal call to action} for a renewal
        play, in one search; empty for other plays."""
        if play.cta_type != "renewal" or not subscriptions:
            return {}
        renewals = {}
        for cta in self.search(
            [
                ("subscription_id", "in", subscriptions.ids),
                ("cta_type", "=", "renewal"),
                ("state", "in", OPEN_STATES),
            ]
        ):
            renewals.setdefault(cta.subscription_id.id, cta)
        return renewals

    @api.model
    def _get_open(self, play, customers):
        """The open calls to action of ``play`` for ``customers`` (one each
        at most: the unique index), in one search."""
        return self.search(
            [
                ("play_id", "=", play.id),
                ("partner_id", "in", customers.ids),
                ("state", "in", OPEN_STATES),
            ]
        )

    # ------------------------------------------------------------------
    # Working and closing
    # ------------------------------------------------------------------

    def action_start(self):
        self.filtered(lambda cta: cta.state in ("open", "snoozed")).write(
            {"state": "in_progress", "snooze_until": False}
        )

    def action_snooze(self):
        """Snooze for a week (the date can be changed on the form)."""
        for cta in self.filtered(lambda cta: cta.state in OPEN_STATES):
            cta.write(
                {
                    "state": "snoozed",
                    "snooze_until": cta.snooze_until
                    if cta.snooze_until
                    and cta.snooze_until > fields.Date.context_today(self)
                    else fields.Date.context_today(self) + timedelta(days=7),
                }
            )

    def _close(self, outcome, state="done"):
        today = fields.Date.context_today(self)
        for cta in self.filtered(lambda cta: cta.state in OPEN_STATES):
            opened = fields.Date.to_date(cta.create_date) or today
            cta.write(
                {
                    "state": state,
                    "outcome": outcome,
                    "snooze_until": False,
                    "date_closed": today,
                    "days_to_close": max((today - opened).days, 0),
                    "closed_in_time": int(not cta.date_due or today <= cta.date_due),
                }
            )

    def action_close_saved(self):
        for cta in self:
            cta._close("saved")
            if not cta.outcome_mrr:
                cta.outcome_mrr = cta.partner_id.recurring_revenue

    def action_close_lost(self):
        self._close("lost")

    def action_close_won(self):
        """Won: the suggested plan replaces the subscription's from its next
        period (the MRR movement that follows is an expansion), and the MRR
        it adds is the outcome."""
        for cta in self:
            subscription = cta.subscription_id.sudo()
            if subscription and subscription.company_id != cta.company_id:
                raise UserError(
                    self.env._(
                        "%(subscription)s belongs to another company than this "
                        "call to action: change its plan from that company.",
                        subscription=subscription.display_name,
                    )
                )
            if (
                cta.suggested_product_id
                and subscription.stage_id.type == "in_progress"
                and subscription.cs_next_product_id != cta.suggested_product_id
            ):
                subscription._cs_schedule_plan_change(cta.suggested_product_id)
            if not cta.outcome_mrr:
                cta.outcome_mrr = cta.suggested_mrr
            cta._close("won")

    def action_done(self):
        self._close("done")

    def action_cancel(self):
        self._close(False, state="cancelled")

    def action_reopen(self):
        closed = self.filtered(lambda cta: cta.state in ("done", "cancelled"))
        for cta in closed.filtered("play_id"):
            # the unique index would refuse it at the flush, as an SQL error
            if cta.sudo()._get_open(cta.play_id, cta.partner_id):
                raise UserError(
                    self.env._(
                        "%(customer)s already has an open call to action of the "
                        "play %(play)s: work on that one.",
                        customer=cta.partner_id.name,
                        play=cta.play_id.name,
                    )
                )
        closed.write(
            {
                "state": "open",
                "outcome": False,
                # a saved figure is not a won one: the next close sets it
                "outcome_mrr": 0.0,
                "date_closed": False,
                "days_to_close": 0,
                "closed_in_time": 0,
            }
        )

    @api.model
    def _cron_cs_cta(self):
        """Wake the calls to action whose snooze ended."""
        woken = self.search(
            [
                ("state", "=", "snoozed"),
                ("snooze_until", "<=", fields.Date.context_today(self)),
            ]
        ).try_lock_for_update()
        woken.write({"state": "open", "snooze_until": False})
        self.env["ir.cron"]._commit_progress(len(woken))

    @api.model
    def _close_for_churned(self, customers):
        """The open calls to action of customers who churned close as lost."""
        ctas = self.sudo().search(
            [("partner_id", "in", customers.ids), ("state", "in", OPEN_STATES)]
        )
        for cta in ctas:
            cta._close("churned" if cta.cta_type == "renewal" else "lost")
            cta.message_post(
                body=Markup("<p>%s</p>") % self.env._("Closed: the customer churned."),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _close_for_paid(self, invoices):
        """The billing calls to action of paid invoices are done, unless
        another invoice of the customer is still in dunning (at its final
        notice, for that play): the call to action follows that one."""
        ctas = self.sudo().search(
            [
                ("invoice_id", "in", invoices.ids),
                ("cta_type", "=", "billing"),
                ("state", "in", OPEN_STATES),
            ]
        )
        if not ctas:
            return
        Move = self.env["account.move"].sudo()
        others = Move.search(
            Move._cs_get_in_dunning_domain()
            & Domain("commercial_partner_id", "in", ctas.partner_id.ids)
            & Domain("id", "not in", invoices.ids),
            order="invoice_date_due, id",
        )
        final_play = self.env.ref(
            "customer_success.cs_play_dunning_final", raise_if_not_found=False
        )
        for cta in ctas:
            still_due = others.filtered(
                lambda move, cta=cta: (
                    move.commercial_partner_id == cta.partner_id
                    and move.company_id == cta.company_id
                    and (cta.play_id != final_play or move.cs_dunning_step_id.is_final)
                )
            )[:1]
            if still_due:
                paid = cta.invoice_id
                cta.invoice_id = still_due
                cta.message_post(
                    body=self.env._(
                        "%(paid)s is paid; %(invoice)s is still due: this call to "
                        "action follows it.",
                        paid=paid.display_name,
                        invoice=still_due.display_name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            cta._close("done")
            cta.message_post(
                body=self.env._("Done: the invoice is paid."),
                subtype_xmlid="mail.mt_note",
            )
