# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models


class ResPartner(models.Model):
    """The customer: its success manager and team, its subscriptions and
    their monthly recurring revenue. Each feature extends the partner in a
    file of its own: res_partner_touch, _onboarding, _value, _checkin,
    _billing and _health."""

    _name = "res.partner"
    _inherit = ["res.partner", "cs.mail.mixin", "cs.cron.mixin"]

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
    # The customer's subscriptions and their monthly recurring revenue
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
    cs_company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_cs_company_currency_id"
    )

    @api.depends("csm_id", "company_id")
    def _compute_cs_team_id(self):
        team_by_user = self.env["cs.team"]._get_team_by_user(self.csm_id)
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

    @api.depends_context("company")
    def _compute_cs_company_currency_id(self):
        self.cs_company_currency_id = self.env.company.currency_id

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "csm_id",
            "cs_team_id",
            "cs_dunning_policy_id",
        ]

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

    def _cs_get_webhook_values(self):
        """The customer part of every webhook payload: who it is about."""
        self.ensure_one()
        return {
            "customer_id": self.id,
            "customer": self.name,
            "customer_ref": self.ref or None,
        }

    def _cs_get_responsible_user(self, company, fallback=None):
        """Who follows this customer up: its success manager, else the leader
        of its team, else ``fallback`` (a user the caller knows of), else the
        leader of the default team of ``company``. Empty when none is set:
        the caller chooses the last resort (most take the current user)."""
        self.ensure_one()
        return (
            self.csm_id
            or self.cs_team_id.leader_id
            or fallback
            or company.cs_default_team_id.leader_id
        )
