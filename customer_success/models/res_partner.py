# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, LazyTranslate, email_normalize, formatLang

from ..const import HEALTH_BANDS, HEALTH_STATUSES, HIGH_TOUCH_MODELS, NPS_CATEGORIES

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = [
        "res.partner",
        "cs.mail.mixin",
        "cs.cron.mixin",
        "cs.dunning.pause.mixin",
    ]

    csm_id = fields.Many2one(
        "res.users",
        string="Customer Success Manager",
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="The person who owns the relationship with this customer.",
    )
    cs_team_id = fields.Many2one(
        "cs.team",
        string="Customer Success Team",
        compute="_compute_cs_team_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
        help="By default the team of the success manager, else the company's "
        "default team.",
    )
    # Touch model: how the customer is served
    cs_subscription_ids = fields.One2many(
        "sale.subscription", "cs_commercial_partner_id", string="All Subscriptions"
    )
    cs_mrr_movement_ids = fields.One2many(
        "cs.mrr.movement", "partner_id", string="MRR Movements"
    )
    recurring_revenue = fields.Monetary(
        string="Monthly Recurring Revenue",
        compute="_compute_recurring_revenue",
        store=True,
        tracking=True,
        currency_field="cs_company_currency_id",
        help="The MRR of the customer's subscriptions in progress and not "
        "paused, in the company's currency.",
    )
    has_running_subscription = fields.Boolean(
        compute="_compute_recurring_revenue",
        store=True,
        help="The customer has a subscription in progress.",
    )
    touch_model_id = fields.Many2one(
        "cs.touch.model",
        compute="_compute_touch_model_id",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        index="btree_not_null",
        domain="[('company_id', '=', company_id or current_company_id)]",
        help="How this customer is served, from fully automated to one dedicated "
        "success manager. Assigned from the monthly recurring revenue and the "
        "tags, unless a manager locked it.",
    )
    touch_model = fields.Selection(
        string="Touch Level",
        related="touch_model_id.level",
        store=True,
    )
    touch_model_reason = fields.Selection(
        [
            ("revenue", "Monthly recurring revenue"),
            ("tag", "Customer tags"),
            ("locked", "Locked by a manager"),
            ("exclusive_taken", "Exclusive CSM already serves another customer"),
            ("no_rule", "No rule fits"),
        ],
        string="Assigned By",
        compute="_compute_touch_model_id",
        store=True,
        tracking=True,
    )
    touch_model_locked = fields.Boolean(
        string="Lock Touch Model",
        tracking=True,
        copy=False,
        help="Keep the touch model chosen by a manager: revenue changes no longer "
        "reassign it.",
    )
    csm_over_capacity = fields.Boolean(
        string="CSM Over Capacity", compute="_compute_csm_over_capacity"
    )
    # Onboarding and success plan
    onboarding_ids = fields.One2many(
        "cs.onboarding", "partner_id", string="Customer Onboardings"
    )
    onboarding_count = fields.Integer(compute="_compute_onboarding_count")
    onboarding_state = fields.Selection(
        [
            ("none", "Not Started"),
            ("in_progress", "Onboarding"),
            ("done", "Handed Off"),
            ("cancelled", "Cancelled"),
        ],
        string="Onboarding Status",
        compute="_compute_onboarding_state",
        store=True,
    )
    stakeholder_ids = fields.One2many("cs.stakeholder", "partner_id")
    success_goal_ids = fields.One2many(
        "cs.success.goal", "partner_id", string="Success Goals"
    )
    handoff_ids = fields.One2many("cs.handoff", "partner_id", string="Hand-offs")
    # Value: milestones, Time to Value and Value Perception Cycle
    milestone_ids = fields.One2many("cs.milestone", "partner_id", string="Milestones")
    milestone_count = fields.Integer(compute="_compute_milestone_count")
    first_value_date = fields.Date(
        compute="_compute_value_cycle",
        store=True,
        help="Date of the first value milestone.",
    )
    ttv_days = fields.Integer(
        string="Time to Value (Days)",
        compute="_compute_value_cycle",
        store=True,
        aggregator="avg",
        help="Days from the start of the first subscription to the first value "
        "milestone.",
    )
    cpv_days = fields.Float(
        string="Value Perception Cycle (Days)",
        compute="_compute_value_cycle",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Average number of days between consecutive value milestones.",
    )
    # Voice of the customer
    nps_response_ids = fields.One2many(
        "cs.nps.response", "partner_id", string="NPS Responses"
    )
    nps_response_count = fields.Integer(
        string="NPS Answers", compute="_compute_nps", store=True
    )
    nps_last_score = fields.Integer(
        string="Last NPS Score", compute="_compute_nps", store=True, aggregator="avg"
    )
    nps_last_category = fields.Selection(
        NPS_CATEGORIES,
        string="Last NPS Category",
        compute="_compute_nps",
        store=True,
    )
    nps_last_date = fields.Date(
        string="Last NPS Answer", compute="_compute_nps", store=True
    )
    nps_trend = fields.Selection(
        [("up", "Rising"), ("down", "Falling"), ("stable", "Stable")],
        string="NPS Trend",
        compute="_compute_nps",
        store=True,
        help="The last score against the one before it.",
    )
    # Health (never shown outside the customer success team)
    health_score = fields.Float(
        digits=(16, 1),
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="customer_success.customer_success_group_user",
        help="Empty (not 0) while the customer has no score: averages leave it out.",
    )
    health_band = fields.Selection(
        HEALTH_BANDS,
        readonly=True,
        copy=False,
        tracking=True,
        # the export reads no field attribute but string, help and selection:
        # _lt puts the group-by label of "no band" in the .pot
        falsy_value_label=_lt("Not scored yet"),  # pylint: disable=translation-field
        groups="customer_success.customer_success_group_user",
    )
    health_status = fields.Selection(
        HEALTH_STATUSES,
        string="Health",
        compute="_compute_health_status",
        groups="customer_success.customer_success_group_user",
        help="The band of the last score, or Not scored yet: never scored, or "
        "scored without data on any factor.",
    )
    health_at_risk = fields.Boolean(
        string="At Risk",
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    health_reason_data = fields.Json(
        string="Risk Reason Data",
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
        help='The risk reasons of the last score: [{"code": "nps_detractor", '
        '"score": 4}, ...].',
    )
    health_reasons = fields.Text(
        string="Risk Reasons",
        compute="_compute_health_reasons",
        search="_search_health_reasons",
        groups="customer_success.customer_success_group_user",
        help="The risk reasons of the last score, in your language.",
    )
    health_date = fields.Date(
        string="Health Computed On",
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    health_trend = fields.Float(
        string="Health Change (30 Days)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    health_factor_scores = fields.Json(
        readonly=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    health_details_html = fields.Html(
        string="Health Factors",
        compute="_compute_health_details_html",
        sanitize=False,
        groups="customer_success.customer_success_group_user",
    )
    health_snapshot_ids = fields.One2many(
        "cs.health.snapshot",
        "partner_id",
        groups="customer_success.customer_success_group_user",
    )
    # Check-ins
    last_touch_date = fields.Date(
        string="Last Touch",
        copy=False,
        help="Last check-in done, automated check-in e-mail sent, or hand-off.",
    )
    checkin_count = fields.Integer(
        string="Check-ins", copy=False, help="Check-ins done or e-mailed so far."
    )
    open_checkin_count = fields.Integer(
        string="Open Check-ins", compute="_compute_checkin_counts"
    )
    overdue_checkin_count = fields.Integer(
        string="Overdue Check-ins", compute="_compute_checkin_counts"
    )
    # Billing: who pays, and how the billing conversation goes
    payer_id = fields.Many2one(
        "res.partner",
        compute="_compute_payer_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
        domain="['|', ('id', '=', id), ('parent_id', '=', id)]",
        help="The person responsible for payment: billing e-mails go to them. By "
        "default the invoice address of the customer, else the customer itself.",
    )
    billing_cc_signer = fields.Boolean(
        string="Copy the Customer on Billing E-mails",
        help="When the payer is another contact, the customer's own address is "
        "put in copy of reminders and payment confirmations.",
    )
    payer_email_missing = fields.Boolean(compute="_compute_payer_email_missing")
    cs_dunning_policy_id = fields.Many2one(
        "cs.dunning.policy",
        string="Dunning Policy",
        tracking=True,
        domain="[('company_id', 'in', [company_id or current_company_id, False])]",
        help="Leave empty to use the company's default policy.",
    )
    billing_comm_issue = fields.Boolean(
        string="Billing Communication Problem",
        tracking=True,
        help="A billing e-mail to the payer bounced or failed. It clears when a "
        "later e-mail is delivered or the payer's address changes.",
    )
    billing_comm_checked_since = fields.Datetime(
        help="Bounces before this moment are already dealt with.",
    )
    # Billing health, from the customer's posted invoices
    cs_invoice_ids = fields.One2many(
        "account.move", "commercial_partner_id", string="Customer Journal Entries"
    )
    cs_invoice_count = fields.Integer(
        string="Posted Invoices", compute="_compute_billing_health", store=True
    )
    cs_late_paid_count = fields.Integer(
        string="Paid Late", compute="_compute_billing_health", store=True
    )
    cs_avg_days_late = fields.Float(
        string="Average Days Late",
        compute="_compute_billing_health",
        store=True,
        digits=(16, 1),
    )
    cs_amount_overdue = fields.Monetary(
        string="Amount Overdue",
        compute="_compute_billing_health",
        store=True,
        currency_field="cs_company_currency_id",
    )
    cs_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_cs_company_currency_id"
    )
    cs_last_payment_date = fields.Date(
        string="Last Payment", compute="_compute_billing_health", store=True
    )
    cs_dunning_step_id = fields.Many2one(
        "cs.dunning.step",
        string="Current Dunning Step",
        compute="_compute_billing_health",
        store=True,
    )

    @api.depends("csm_id", "company_id")
    def _compute_cs_team_id(self):
        teams = self.env["cs.team"].search(
            [
                "|",
                ("member_ids", "in", self.csm_id.ids),
                ("leader_id", "in", self.csm_id.ids),
            ]
        )
        team_by_user = {}
        # Teams come in their display order: the first team of a user wins.
        for team in teams:
            for user in team.leader_id | team.member_ids:
                team_by_user.setdefault(user, team)
        for partner in self:
            company = partner.company_id or self.env.company
            partner.cs_team_id = (
                team_by_user.get(partner.csm_id) or company.cs_default_team_id
            )

    @api.depends(
        "cs_subscription_ids.cs_mrr",
        "cs_subscription_ids.in_progress",
        "cs_subscription_ids.company_id",
    )
    def _compute_recurring_revenue(self):
        """The sum of the subscriptions' MRR (``sale.subscription.cs_mrr``,
        the one definition: paused and closed subscriptions bring none)."""
        today = fields.Date.context_today(self)
        # sudo: a stored figure of the customer, the same whoever triggers
        # its recompute (a CSM may not read every subscription of a customer
        # shared with another company)
        groups = (
            self.env["sale.subscription"]
            .sudo()
            ._cs_get_customer_mrr(
                [
                    ("cs_commercial_partner_id", "in", self._origin.ids),
                    ("in_progress", "=", True),
                ]
            )
        )
        revenue = defaultdict(float)
        running = set()
        for (partner, company), (mrr, _paused) in groups.items():
            if partner.company_id and company and company != partner.company_id:
                # a customer of one company: another company's subscriptions
                # are not its revenue there
                continue
            running.add(partner.id)
            target = partner.company_id or self.env.company
            if company and company.currency_id != target.currency_id:
                mrr = company.currency_id._convert(
                    mrr, target.currency_id, target, today
                )
            revenue[partner.id] += mrr
        for partner in self:
            partner.recurring_revenue = revenue.get(partner._origin.id, 0.0)
            partner.has_running_subscription = partner._origin.id in running

    @api.depends(
        "recurring_revenue",
        "has_running_subscription",
        "category_id",
        "touch_model_locked",
        "parent_id",
    )
    def _compute_touch_model_id(self):
        """Assign the touch model from the rules, to the customers with a
        running subscription whose model is not locked; the others keep theirs,
        and so does a customer whose subscriptions are all paused.
        """
        customers = self.filtered(lambda partner: not partner.parent_id)
        (self - customers).update(
            {"touch_model_id": False, "touch_model_reason": False}
        )
        locked = customers.filtered("touch_model_locked")
        locked.touch_model_reason = "locked"
        # idle: nothing running, or nothing billed while its subscriptions
        # run (all paused): a pause is not a downgrade, the customer keeps
        # the model it had until it pays again
        idle = customers.filtered(
            lambda partner: (
                not partner.touch_model_locked
                and (
                    not partner.has_running_subscription
                    or (not partner.recurring_revenue and partner.touch_model_id)
                )
            )
        )
        for partner in idle:
            # stored computes must assign: keep what the customer has
            partner.touch_model_id = partner.touch_model_id
            partner.touch_model_reason = partner.touch_model_reason
        to_assign = customers - locked - idle
        if not to_assign:
            return
        companies = to_assign.company_id | self.env.company
        models_by_company = defaultdict(lambda: self.env["cs.touch.model"])
        for model in self.env["cs.touch.model"].search(
            [("company_id", "in", companies.ids)]
        ):
            models_by_company[model.company_id] |= model
        busy_csms = to_assign._cs_get_exclusive_csms()
        for partner in to_assign:
            company = partner.company_id or self.env.company
            match = models_by_company[company]._get_best_match(
                partner.recurring_revenue, partner.category_id
            )
            reason = "tag" if match.tag_ids else "revenue"
            if (
                match.level == "exclusive"
                and partner.csm_id
                and partner.touch_model_id != match
                and partner.csm_id.id in busy_csms
            ):
                match, reason = partner.touch_model_id, "exclusive_taken"
            elif match.level == "exclusive" and partner.csm_id:
                busy_csms.add(partner.csm_id.id)
            partner.touch_model_id = match
            partner.touch_model_reason = reason if match else "no_rule"

    def _cs_get_exclusive_csms(self):
        """Ids of the success managers already serving an exclusive customer
        other than ``self``.

        Read in SQL on purpose: this runs while touch models are being
        computed, and an ORM search would flush that very computation.
        """
        csm_ids = tuple(self.csm_id.ids)
        if not csm_ids:
            return set()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.csm_id
                  FROM res_partner p
                  JOIN cs_touch_model t ON t.id = p.touch_model_id
                 WHERE t.level = 'exclusive'
                   AND p.parent_id IS NULL
                   AND p.csm_id IN %s
                   AND p.id NOT IN %s
                """,
                csm_ids,
                tuple(self._origin.ids) or (0,),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.depends("csm_id", "touch_model_id")
    def _compute_csm_over_capacity(self):
        customers = self.filtered(
            lambda partner: (
                partner.csm_id and partner.touch_model_id.max_accounts_per_csm
            )
        )
        (self - customers).csm_over_capacity = False
        if not customers:
            return
        counts = {
            (csm, model): count
            for csm, model, count in self._read_group(
                [
                    ("csm_id", "in", customers.csm_id.ids),
                    ("touch_model_id", "in", customers.touch_model_id.ids),
                    ("parent_id", "=", False),
                ],
                groupby=["csm_id", "touch_model_id"],
                aggregates=["__count"],
            )
        }
        for partner in customers:
            model = partner.touch_model_id
            count = counts.get((partner.csm_id, model), 0)
            partner.csm_over_capacity = count > model.max_accounts_per_csm

    @api.depends("onboarding_ids")
    def _compute_onboarding_count(self):
        for partner in self:
            partner.onboarding_count = len(partner.onboarding_ids)

    @api.depends("onboarding_ids.state")
    def _compute_onboarding_state(self):
        for partner in self:
            states = set(partner.onboarding_ids.mapped("state"))
            partner.onboarding_state = next(
                (
                    state
                    for state in ("in_progress", "done", "cancelled")
                    if state in states
                ),
                "none",
            )

    def _compute_checkin_counts(self):
        today = fields.Date.context_today(self)
        checkin_type = self.env.ref("customer_success.mail_activity_type_cs_checkin")
        checkins = Domain(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", self._origin.ids),
                ("activity_type_id", "=", checkin_type.id),
            ]
        )
        # the activities of the customer's CSM are not all readable by everyone
        Activity = self.env["mail.activity"].sudo()
        counts = [
            dict(
                Activity._read_group(domain, groupby=["res_id"], aggregates=["__count"])
            )
            for domain in (checkins, checkins & Domain("date_deadline", "<", today))
        ]
        for partner in self:
            partner.open_checkin_count = counts[0].get(partner._origin.id, 0)
            partner.overdue_checkin_count = counts[1].get(partner._origin.id, 0)

    @api.depends("milestone_ids")
    def _compute_milestone_count(self):
        counts = dict(
            self.env["cs.milestone"]._read_group(
                [("partner_id", "in", self._origin.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.milestone_count = counts.get(partner._origin, 0)

    @api.depends(
        "milestone_ids.date",
        "milestone_ids.is_value",
        "cs_subscription_ids.date_start",
    )
    def _compute_value_cycle(self):
        ids = self._origin.ids
        values = {
            partner: (first, last, count)
            for partner, first, last, count in self.env["cs.milestone"]
            .sudo()
            ._read_group(
                [("partner_id", "in", ids), ("is_value", "=", True)],
                groupby=["partner_id"],
                aggregates=["date:min", "date:max", "__count"],
            )
        }
        starts = dict(
            self.env["sale.subscription"]
            .sudo()
            ._read_group(
                [("cs_commercial_partner_id", "in", ids), ("date_start", "!=", False)],
                groupby=["cs_commercial_partner_id"],
                aggregates=["date_start:min"],
            )
        )
        for partner in self:
            first, last, count = values.get(partner._origin, (False, False, 0))
            start = starts.get(partner._origin)
            partner.first_value_date = first
            partner.ttv_days = max((first - start).days, 0) if first and start else 0
            partner.cpv_days = (last - first).days / (count - 1) if count > 1 else 0.0

    def action_view_milestones(self):
        """Open the milestones of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_milestone_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.depends("nps_response_ids.score", "nps_response_ids.date")
    def _compute_nps(self):
        responses = (
            self.env["cs.nps.response"]
            .sudo()
            .search(
                [("partner_id", "in", self._origin.ids)], order="date desc, id desc"
            )
        )
        by_partner = defaultdict(list)
        for response in responses:
            by_partner[response.partner_id.id].append(response)
        for partner in self:
            answers = by_partner.get(partner._origin.id, [])
            last = answers[0] if answers else None
            partner.nps_response_count = len(answers)
            partner.nps_last_score = last.score if last else 0
            partner.nps_last_category = last.category if last else False
            partner.nps_last_date = last.date if last else False
            if len(answers) < 2:
                partner.nps_trend = False
            elif last.score > answers[1].score:
                partner.nps_trend = "up"
            elif last.score < answers[1].score:
                partner.nps_trend = "down"
            else:
                partner.nps_trend = "stable"

    @api.depends("health_band")
    def _compute_health_status(self):
        for partner in self:
            partner.health_status = partner.health_band or "none"

    @api.depends("health_reason_data")
    @api.depends_context("lang")
    def _compute_health_reasons(self):
        Factor = self.env["cs.health.factor"]
        for partner in self:
            partner.health_reasons = Factor._cs_format_reasons(
                partner.health_reason_data
            )

    def _search_health_reasons(self, operator, value):
        return self.env["cs.health.factor"]._cs_search_reasons(
            "health_reason_data", operator, value
        )

    @api.depends("health_factor_scores")
    def _compute_health_details_html(self):
        Snapshot = self.env["cs.health.snapshot"]
        for partner in self:
            partner.health_details_html = Snapshot._cs_render_factors(
                partner.health_factor_scores
            )

    @api.depends("is_company", "parent_id", "child_ids.type", "child_ids.active")
    def _compute_payer_id(self):
        for partner in self:
            if partner.parent_id:
                partner.payer_id = False
                continue
            invoice_contacts = partner.child_ids.filtered(
                lambda child: child.type == "invoice" and child.active
            )
            partner.payer_id = invoice_contacts[:1] or partner

    @api.depends("payer_id.email", "payer_id.active", "parent_id")
    def _compute_payer_email_missing(self):
        for partner in self:
            payer = partner.commercial_partner_id.payer_id
            partner.payer_email_missing = bool(payer) and (
                not payer.email or not payer.active
            )

    @api.depends_context("company")
    def _compute_cs_company_currency_id(self):
        self.cs_company_currency_id = self.env.company.currency_id

    @api.depends(
        "cs_invoice_ids.state",
        "cs_invoice_ids.payment_state",
        "cs_invoice_ids.amount_residual",
        "cs_invoice_ids.cs_days_late",
        "cs_invoice_ids.cs_paid_date",
        "cs_invoice_ids.cs_dunning_step_id",
    )
    def _compute_billing_health(self):
        today = fields.Date.context_today(self)
        Move = self.env["account.move"]
        invoices = (
            Domain("commercial_partner_id", "in", self.ids)
            & Move._cs_get_customer_invoice_domain()
        )
        open_invoices = (
            Domain("commercial_partner_id", "in", self.ids)
            & Move._cs_get_open_invoice_domain()
        )
        totals = {
            partner: (count, last_paid)
            for partner, count, last_paid in Move._read_group(
                invoices,
                groupby=["commercial_partner_id"],
                aggregates=["__count", "cs_paid_date:max"],
            )
        }
        late = {
            partner: (count, avg)
            for partner, count, avg in Move._read_group(
                invoices & Domain("cs_days_late", ">", 0),
                groupby=["commercial_partner_id"],
                aggregates=["__count", "cs_days_late:avg"],
            )
        }
        overdue = dict(
            Move._read_group(
                open_invoices & Domain("invoice_date_due", "<", today),
                groupby=["commercial_partner_id"],
                aggregates=["amount_residual_signed:sum"],
            )
        )
        steps = {}
        for partner, step_ids in Move._read_group(
            open_invoices & Domain("cs_dunning_step_id", "!=", False),
            groupby=["commercial_partner_id"],
            aggregates=["cs_dunning_step_id:recordset"],
        ):
            steps[partner] = step_ids.sorted("offset_days")[-1:]
        for partner in self:
            count, last_paid = totals.get(partner, (0, False))
            late_count, avg_late = late.get(partner, (0, 0.0))
            partner.cs_invoice_count = count
            partner.cs_last_payment_date = last_paid
            partner.cs_late_paid_count = late_count
            partner.cs_avg_days_late = avg_late or 0.0
            partner.cs_amount_overdue = overdue.get(partner, 0.0)
            partner.cs_dunning_step_id = steps.get(partner, False)

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "csm_id",
            "cs_team_id",
            "cs_dunning_policy_id",
        ]

    @api.constrains("csm_id", "touch_model_id")
    def _check_exclusive_csm(self):
        exclusive = self.filtered(
            lambda partner: (
                partner.csm_id
                and not partner.parent_id
                and partner.touch_model_id.level == "exclusive"
            )
        )
        if not exclusive:
            return
        # sudo: the rule holds across portfolios the user may not see
        for csm, customers in self.sudo()._read_group(
            [
                ("csm_id", "in", exclusive.csm_id.ids),
                ("touch_model_id.level", "=", "exclusive"),
                ("parent_id", "=", False),
            ],
            groupby=["csm_id"],
            aggregates=["id:recordset"],
        ):
            if len(customers) > 1:
                raise ValidationError(
                    self.env._(
                        "%(csm)s is the dedicated success manager of "
                        "%(customers)s: an exclusive-touch customer has a CSM of "
                        "its own. Choose another success manager.",
                        csm=csm.name,
                        customers=", ".join(customers.mapped("display_name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._cs_check_touch_model_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._cs_check_touch_model_vals(vals)
        if "email" in vals:
            self._cs_clear_comm_issue_of_payers(vals.get("email"))
        if "payer_id" in vals:
            # another payer: the former one's problem is not the new one's
            self.filtered(
                lambda partner: partner.payer_id.id != vals["payer_id"]
            )._cs_set_comm_issue(False)
        res = super().write(vals)
        if "payer_id" in vals and not self.env.context.get("cs_skip_payer_sync"):
            self._cs_sync_payer_stakeholder()
        return res

    @api.model
    def _cs_check_touch_model_vals(self, vals):
        """A touch model set by hand is locked, and only managers lock."""
        if vals.get("touch_model_id") and "touch_model_locked" not in vals:
            vals["touch_model_locked"] = True
        if "touch_model_locked" in vals and not (
            self.env.su
            or self.env.user.has_group(
                "customer_success.customer_success_group_manager"
            )
        ):
            raise UserError(
                self.env._(
                    "Only customer success managers can choose or lock the touch "
                    "model of a customer."
                )
            )

    def _cs_sync_payer_stakeholder(self):
        """The payer stakeholder follows the customer's payer contact."""
        # Billing users change payers without seeing stakeholders; the payer
        # stakeholder only mirrors the payer they were allowed to set.
        stakeholders = (
            self.env["cs.stakeholder"]
            .sudo()
            .search([("partner_id", "in", self.ids), ("role", "=", "payer")])
        )
        for stakeholder in stakeholders:
            payer = stakeholder.partner_id.payer_id
            if payer and stakeholder.contact_id != payer:
                stakeholder.contact_id = payer
            elif not payer:
                stakeholder.unlink()

    def action_view_onboardings(self):
        """Open the onboardings of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_onboarding_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_cs_unlock_touch_model(self):
        """Let the revenue rules assign the touch model again."""
        self.write({"touch_model_locked": False})

    @api.model
    def _cron_cs_checkin(self, batch_size=200):
        """Daily check-ins, following the cadence of each touch model.

        Mid-, high- and exclusive-touch customers (models with check-in
        activities) get a check-in activity for their success manager; tech-
        and low-touch customers (automated e-mails) get a check-in or a "how is
        it going?" e-mail. None when a check-in is open or one was done within
        the cadence. Batches are locked with ``try_lock_for_update`` and
        committed with ``_commit_progress``: re-running, or two workers at
        once, creates nothing twice.
        """
        today = fields.Date.context_today(self)
        self._cs_run_domain_in_batches(
            self._cs_get_checkin_domain(today),
            lambda customers: customers._cs_run_checkin(today),
            batch_size,
        )

    @api.model
    def _cs_get_checkin_domain(self, today):
        """Customers due for a check-in on ``today``."""
        checkin_type = self.env.ref("customer_success.mail_activity_type_cs_checkin")
        per_model = []
        for model in self.env["cs.touch.model"].search(
            [("checkin_mode", "!=", "none")]
        ):
            since = today - timedelta(days=model.checkin_interval)
            rule = Domain("touch_model_id", "=", model.id) & (
                Domain("last_touch_date", "=", False)
                | Domain("last_touch_date", "<=", since)
            )
            if model.checkin_mode == "activity":
                rule &= Domain("csm_id", "!=", False)
            else:
                rule &= Domain("email", "!=", False)
            per_model.append(rule)
        return (
            Domain("parent_id", "=", False)
            & Domain("onboarding_state", "!=", "in_progress")
            & Domain.OR(per_model)
            & Domain(
                "activity_ids",
                "not any",
                [("activity_type_id", "=", checkin_type.id)],
            )
        )

    def _cs_run_checkin(self, today):
        """Create the check-in of each customer of ``self``."""
        checkin_type = self.env.ref("customer_success.mail_activity_type_cs_checkin")
        by_activity = self.filtered(
            lambda partner: partner.touch_model_id.checkin_mode == "activity"
        )
        # no "you have been assigned" e-mail per check-in: CSMs find them in
        # their activities, and the daily run would flood their inbox
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                partner._cs_prepare_checkin_activity_values(checkin_type, today)
                for partner in by_activity
            ]
        )
        for partner in self - by_activity:
            model = partner.touch_model_id
            template = (
                model.pulse_template_id
                if partner.checkin_count % 2 and model.pulse_template_id
                else model.checkin_template_id
            )
            partner._cs_post_template(template, partner)
            partner._cs_touch(today)

    def _cs_prepare_checkin_activity_values(self, activity_type, deadline):
        """Values of the check-in activity of this customer's CSM."""
        self.ensure_one()
        reader = self.with_context(lang=self.csm_id.lang or self.env.lang)
        return {
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": self.csm_id.id,
            "date_deadline": deadline,
            # the activity is read by the CSM: in their language
            "summary": reader.env._(
                "%(model)s check-in", model=reader.touch_model_id.name
            ),
        }

    def _cs_touch(self, day):
        """Record a touch with these customers on ``day``."""
        for partner in self.commercial_partner_id:
            partner.write(
                {
                    "last_touch_date": max(partner.last_touch_date or day, day),
                    "checkin_count": partner.checkin_count + 1,
                }
            )

    def _cs_get_dunning_pause_records(self):
        """The dunning of a contact is paused on its customer."""
        return self.commercial_partner_id

    def _cs_clear_comm_issue_of_payers(self, new_email):
        """A payer's new address ends the communication problem it caused,
        and the bounces counted on the former address."""
        normalized = email_normalize(new_email) if new_email else False
        # the same address written differently (case, a name around it) is
        # not a new one: its bounces still count
        changed = self.filtered(lambda partner: partner.email_normalized != normalized)
        # sudo: the bounce counter is Odoo's, kept by the mail gateway; its
        # own reset, as when the address answers again
        changed.sudo().filtered("message_bounce")._message_reset_bounce(new_email)
        customers = self.search(
            [("payer_id", "in", changed.ids), ("billing_comm_issue", "=", True)]
        )
        customers._cs_set_comm_issue(False)

    def _cs_set_comm_issue(self, problem):
        """Flag (or clear) the billing communication problem of customers."""
        customers = self.commercial_partner_id.filtered(
            lambda partner: partner.billing_comm_issue != problem
        )
        vals = {"billing_comm_issue": problem}
        if not problem:
            vals["billing_comm_checked_since"] = fields.Datetime.now()
        customers.write(vals)

    def _cs_billing_health_fields(self):
        return [
            self._fields[name]
            for name in (
                "cs_invoice_count",
                "cs_late_paid_count",
                "cs_avg_days_late",
                "cs_amount_overdue",
                "cs_last_payment_date",
                "cs_dunning_step_id",
            )
        ]

    def _cs_invalidate_billing_health(self):
        """Recompute the billing health of these customers at the next flush
        (it depends on today's date, not only on their invoices)."""
        for field in self._cs_billing_health_fields():
            self.env.add_to_compute(field, self)

    def _cs_get_webhook_values(self):
        """The customer part of every webhook payload: who it is about."""
        self.ensure_one()
        return {
            "customer_id": self.id,
            "customer": self.name,
            "customer_ref": self.ref or None,
        }

    def _cs_is_high_touch(self):
        self.ensure_one()
        return self.commercial_partner_id.touch_model in HIGH_TOUCH_MODELS

    def _cs_get_dunning_policy(self, company):
        """The dunning policy of this customer in ``company``."""
        self.ensure_one()
        customer = self.commercial_partner_id
        for policy in (
            customer.cs_dunning_policy_id,
            customer.touch_model_id.dunning_policy_id,
        ):
            if policy and policy.company_id == company:
                return policy
        return company.cs_dunning_policy_id

    def _cs_get_billing_recipients(self, payer=None):
        """Partners who receive the billing e-mails of this customer: the payer
        (``payer`` or the customer's), and the customer in copy if asked."""
        self.ensure_one()
        customer = self.commercial_partner_id
        payer = payer or customer.payer_id or customer
        recipients = payer
        if customer.billing_cc_signer and customer != payer and customer.email:
            recipients |= customer
        return recipients

    # ------------------------------------------------------------------
    # Voice of the customer and health
    # ------------------------------------------------------------------

    def _cs_get_nps_contacts(self):
        """The contacts surveyed for this customer: its stakeholders other
        than the payer and the technical contact, else the customer itself."""
        self.ensure_one()
        contacts = self.stakeholder_ids.filtered(
            lambda stakeholder: (
                stakeholder.role in ("decision_maker", "champion", "end_user")
            )
        ).contact_id.filtered(lambda contact: contact.email and contact.active)
        return contacts or self.filtered("email")

    def _cs_get_plan_users(self):
        """Users included in the running plans of each customer, where the
        plans say: {customer: users}."""
        groups = (
            self.env["sale.subscription"]
            .sudo()
            ._read_group(
                [
                    ("cs_commercial_partner_id", "in", self.ids),
                    ("stage_id.type", "=", "in_progress"),
                    ("template_id.cs_included_users", ">", 0),
                ],
                groupby=["cs_commercial_partner_id", "template_id"],
                aggregates=["__count"],
            )
        )
        users = defaultdict(int)
        for customer, template, count in groups:
            users[customer] += template.cs_included_users * count
        return users

    @api.model
    def _cs_get_health_scope_domain(self):
        """Customers the health score rates: a running subscription or an
        onboarding in progress."""
        return Domain("parent_id", "=", False) & (
            Domain("has_running_subscription", "=", True)
            | Domain("onboarding_state", "=", "in_progress")
        )

    @api.model
    def _cs_get_health_domain(self, today):
        """Customers whose health is due today: rated, and no snapshot today
        yet."""
        return self._cs_get_health_scope_domain() & Domain(
            "health_snapshot_ids", "not any", [("date", "=", today)]
        )

    @api.model
    def _cron_cs_health(self, batch_size=500):
        """Daily health scores, in batches.

        Each customer of a batch gets its score, its band, its risk reasons
        and one snapshot for the day (unique per customer and day). Batches
        are locked with ``try_lock_for_update`` and committed with
        ``_commit_progress``: a re-run or a second worker skips the customers
        already done today.
        """
        today = fields.Date.context_today(self)
        self._cs_run_domain_in_batches(
            self._cs_get_health_domain(today),
            lambda customers: customers._cs_compute_health(today),
            batch_size,
        )

    @api.model
    def _cs_compute_health_due(self):
        """Score today, at once and without committing, every customer the
        daily health cron would score: for the demo data, whose install must
        not commit half-way (the cron commits each batch)."""
        today = fields.Date.context_today(self)
        self.search(self._cs_get_health_domain(today))._cs_compute_health(today)

    def action_cs_compute_health(self):
        """Recompute the health of these customers now (replaces today's
        snapshot)."""
        today = fields.Date.context_today(self)
        customers = self.commercial_partner_id
        # a CS user may refresh what they see; the snapshot model is written
        # by the system only
        self.env["cs.health.snapshot"].sudo().search(
            [("partner_id", "in", customers.ids), ("date", "=", today)]
        ).unlink()
        customers.sudo()._cs_compute_health(today)

    def _cs_compute_health(self, today):
        """Score these customers on the factors of their company, store the
        day's snapshot and follow up the customers turning red."""
        Factor = self.env["cs.health.factor"]
        # each customer's company comes from its subscriptions: read them all
        # at once, not customer by customer
        self.cs_subscription_ids.fetch(["company_id", "stage_id"])
        by_company = defaultdict(lambda: self.browse())
        for partner in self:
            by_company[partner._cs_get_health_company()] |= partner
        past = {
            snapshot.partner_id: snapshot.score
            for snapshot in self.env["cs.health.snapshot"].search(
                [
                    ("partner_id", "in", self.ids),
                    ("date", "=", today - timedelta(days=30)),
                    ("band", "!=", False),
                ]
            )
        }
        snapshot_values, turned_red = [], self.browse()
        for company, partners in by_company.items():
            factors = Factor.search(
                [("company_id", "=", company.id), ("weight", ">", 0)]
            )
            total = sum(factors.mapped("weight"))
            if total and total != 100:
                _logger.warning(
                    "Health factor weights of %s sum to %s: normalised.",
                    company.name,
                    total,
                )
            scores = {factor: factor._cs_score(partners, today) for factor in factors}
            for partner in partners:
                values = partner._cs_prepare_health_values(
                    company, factors, scores, total, past.get(partner)
                )
                if values["health_band"] == "red" and partner.health_band != "red":
                    turned_red |= partner
                # the chatter tells when the band changes, not when the first
                # score comes (a new company's first run scores everyone)
                partner.with_context(tracking_disable=not partner.health_band).write(
                    values
                )
                snapshot_values.append(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "date": today,
                        "score": values["health_score"],
                        "band": values["health_band"],
                        "at_risk": values["health_at_risk"],
                        "reason_data": values["health_reason_data"],
                        "factor_scores": values["health_factor_scores"],
                        "csm_id": partner.csm_id.id,
                        "touch_model_id": partner.touch_model_id.id,
                    }
                )
        self.env["cs.health.snapshot"].create(snapshot_values)
        self._cs_clear_health_scores(today)
        turned_red._cs_on_turned_red(today)

    def _cs_clear_health_scores(self, today):
        """Empty the score of these customers, and of their snapshot of
        ``today``, where no factor had data (no band).

        The ORM writes 0.0 for an empty float, and a 0 would count in every
        average (grouped lists, Health History) as a very bad score."""
        if not self:
            return
        self.flush_model(["health_score", "health_band"])
        self.env["cs.health.snapshot"].flush_model(["score", "band"])
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET health_score = NULL"
                " WHERE id IN %s AND health_band IS NULL",
                tuple(self.ids),
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE cs_health_snapshot SET score = NULL"
                " WHERE partner_id IN %s AND date = %s AND band IS NULL",
                tuple(self.ids),
                today,
            )
        )

    def _cs_get_health_company(self):
        """The company whose factors and bands rate this customer: its own,
        else the one it subscribes with, else the current one."""
        self.ensure_one()
        subscriptions = self.cs_subscription_ids.sorted(
            lambda sub: sub.stage_id.type != "in_progress"
        )
        return self.company_id or subscriptions[:1].company_id or self.env.company

    def _cs_prepare_health_values(self, company, factors, scores, total, past_score):
        """The health fields of this customer from the factor ``scores``.

        A factor without data counts with no weight: the weights of the
        factors with data are scaled up to 100.
        """
        self.ensure_one()
        known = {
            factor: scores[factor][self][0]
            for factor in factors
            if scores[factor][self][0] is not None
        }
        known_weight = sum(factor.weight for factor in known)
        details, reasons = {}, []
        for factor in factors:
            score, factor_reasons = scores[factor][self]
            reasons += factor_reasons
            details[factor.code] = {
                "score": None if score is None else round(score, 1),
                "weight": factor.weight / total * 100 if total else 0.0,
                "effective": (
                    factor.weight / known_weight * 100
                    if score is not None and known_weight
                    else 0.0
                ),
            }
        if not known_weight:
            return {
                "health_score": 0.0,
                "health_band": False,
                "health_at_risk": False,
                "health_reason_data": False,
                "health_date": fields.Date.context_today(self),
                "health_trend": 0.0,
                "health_factor_scores": details,
            }
        score = sum(factor.weight * value for factor, value in known.items())
        score = round(score / known_weight, 1)
        band = company._cs_health_band(score)
        return {
            "health_score": score,
            "health_band": band,
            "health_at_risk": band == "red" or (band == "yellow" and bool(reasons)),
            "health_reason_data": reasons or False,
            "health_date": fields.Date.context_today(self),
            "health_trend": score - past_score if past_score is not None else 0.0,
            "health_factor_scores": details,
        }

    def _cs_on_turned_red(self, today):
        """A follow-up activity for the success manager of each customer that
        turned red, and the health_red webhook."""
        activity_type = self.env.ref("customer_success.mail_activity_type_cs_health")
        model = self.env["ir.model"]._get_id("res.partner")
        values = []
        for partner in self:
            user = (
                partner.csm_id
                or partner.cs_team_id.leader_id
                or partner._cs_get_health_company().cs_default_team_id.leader_id
                or self.env.user
            )
            # the activity is read by its user: its texts are in their language
            reader = partner.with_context(lang=user.lang or self.env.lang)
            values.append(
                {
                    "res_model_id": model,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": today + timedelta(days=2),
                    "summary": reader.env._(
                        "Health turned red (%(score)s)",
                        score=formatLang(reader.env, partner.health_score, digits=1),
                    ),
                    "note": Markup("<p>%s</p>") % (reader.health_reasons or ""),
                }
            )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            values
        )
        for partner in self:
            self.env["cs.webhook"]._cs_emit(
                "health_red",
                {
                    **partner._cs_get_webhook_values(),
                    "score": partner.health_score,
                    # a machine reads it: in English, and as data
                    "reasons": partner.with_context(lang="en_US").health_reasons
                    or None,
                    "reason_data": partner.health_reason_data or [],
                    "date": fields.Date.to_string(today),
                },
                partner._cs_get_health_company(),
            )
