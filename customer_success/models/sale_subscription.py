# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models


class SaleSubscription(models.Model):
    _inherit = "sale.subscription"

    cs_commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Commercial Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
    )
    cs_onboarding_ids = fields.One2many(
        "cs.onboarding", "subscription_id", string="Onboardings"
    )
    cs_ttv_days = fields.Integer(
        string="Customer Time to Value (Days)",
        related="cs_commercial_partner_id.ttv_days",
        store=True,
        aggregator="avg",
    )
    cs_cpv_days = fields.Float(
        string="Customer Value Perception Cycle (Days)",
        related="cs_commercial_partner_id.cpv_days",
        store=True,
        aggregator="avg",
    )

    cs_close_date = fields.Date(
        string="Closed On",
        copy=False,
        readonly=True,
        tracking=True,
        help="The day the subscription moved to a closed stage.",
    )
    cs_exit_reason = fields.Text(
        string="Exit Reason", copy=False, help="From the exit survey, if answered."
    )
    cs_exit_competitor = fields.Char(string="Left For", copy=False)
    cs_exit_response_id = fields.Many2one(
        "cs.nps.response", string="Exit Survey Answer", copy=False, readonly=True
    )
    cs_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    cs_mrr = fields.Monetary(
        string="MRR",
        compute="_compute_cs_mrr",
        store=True,
        currency_field="cs_currency_id",
        help="Monthly recurring revenue: the recurring total divided by the "
        "months of one invoicing period, in the company's currency. Zero unless "
        "the subscription is in progress and not paused.",
    )
    cs_arr = fields.Monetary(
        string="ARR",
        compute="_compute_cs_mrr",
        store=True,
        currency_field="cs_currency_id",
        help="Annual recurring revenue: MRR x 12.",
    )
    cs_paused_mrr = fields.Monetary(
        string="Paused MRR",
        compute="_compute_cs_mrr",
        store=True,
        currency_field="cs_currency_id",
        help="The MRR this subscription would bring if it were not paused.",
    )
    cs_is_reactivation = fields.Boolean(
        string="Reactivation",
        copy=False,
        readonly=True,
        help="Started by a customer whose earlier subscriptions were all closed.",
    )
    cs_nps_invitation_ids = fields.One2many(
        "survey.user_input", "cs_subscription_id", string="NPS Invitations"
    )

    @api.depends(
        "recurring_total",
        "currency_id",
        "company_id.currency_id",
        "template_id.recurring_rule_type",
        "template_id.recurring_interval",
        "in_progress",
        "stage_id.type",
        "is_paused",
    )
    def _compute_cs_mrr(self):
        today = fields.Date.context_today(self)
        for subscription in self:
            monthly = subscription._cs_get_monthly_amount(today)
            running = (
                subscription.in_progress and subscription.stage_id.type == "in_progress"
            )
            subscription.cs_mrr = (
                monthly if running and not subscription.is_paused else 0.0
            )
            subscription.cs_paused_mrr = (
                monthly if running and subscription.is_paused else 0.0
            )
            subscription.cs_arr = subscription.cs_mrr * 12

    def _cs_get_monthly_amount(self, date):
        """The recurring total of one month, in the company's currency at
        ``date``'s rate: weekly, monthly, every N months and yearly plans
        alike."""
        self.ensure_one()
        monthly = self.recurring_total / self.template_id._cs_get_months()
        company = self.company_id or self.env.company
        if self.currency_id and self.currency_id != company.currency_id:
            monthly = self.currency_id._convert(
                monthly, company.currency_id, company, date
            )
        return company.currency_id.round(monthly)

    @api.model
    def _cs_get_customer_mrr(self, domain):
        """{(customer, company): (MRR, paused MRR)} of the subscriptions of
        ``domain``, in each company's currency: a customer's MRR is the sum
        of its subscriptions' (``cs_mrr``). The one definition the customer's
        recurring revenue and the MRR movements read."""
        return {
            (customer, company): (mrr, paused)
            for customer, company, mrr, paused in self._read_group(
                domain,
                groupby=["cs_commercial_partner_id", "company_id"],
                aggregates=["cs_mrr:sum", "cs_paused_mrr:sum"],
            )
        }

    def _prepare_account_move(self, line_ids):
        """The next invoice also carries the late fees and interest due by
        the customer (policies that charge them on the next invoice), one
        line per late invoice, never twice."""
        values = super()._prepare_account_move(line_ids)
        # sudo: the charges are the billing's data; the user (or the cron)
        # invoicing the subscription may not read them
        charges = (
            self.env["cs.late.charge"]
            .sudo()
            .search(self.env["cs.late.charge"]._get_to_charge_domain(self))
        )
        if charges:
            values["invoice_line_ids"] = [
                *values["invoice_line_ids"],
                *charges._prepare_invoice_line_commands(self),
            ]
        return values

    @api.depends("partner_id.commercial_partner_id.payer_id")
    def _compute_partner_address_ids(self):
        result = super()._compute_partner_address_ids()
        for subscription in self:
            payer = subscription.partner_id.commercial_partner_id.payer_id
            if payer and subscription.partner_id == payer.commercial_partner_id:
                subscription.partner_invoice_id = payer
        return result

    # The recurring total also follows price changes of existing lines, not
    # only added or removed lines: the touch model depends on it.
    @api.depends(
        "sale_subscription_line_ids.price_subtotal",
        "sale_subscription_line_ids.amount_tax_line_amount",
    )
    def _compute_total(self):
        return super()._compute_total()

    @api.model_create_multi
    def create(self, vals_list):
        subscriptions = super().create(vals_list)
        subscriptions._cs_on_stage_change()
        return subscriptions

    def write(self, vals):
        res = super().write(vals)
        if "stage_id" in vals:
            self._cs_on_stage_change()
        return res

    def _cs_on_stage_change(self):
        """Start the onboarding of a customer's first subscription, and cancel
        the onboarding of a subscription closed before its end."""
        started = self.filtered(lambda sub: sub.stage_id.type == "in_progress")
        started._cs_flag_reactivations()
        started._cs_start_onboarding()
        closed = self.filtered(lambda sub: sub.stage_id.type == "post")
        closed.filtered(
            lambda sub: not sub.cs_close_date
        ).cs_close_date = fields.Date.context_today(self)
        (self - closed).filtered("cs_close_date").cs_close_date = False
        if closed:
            self.env.ref("customer_success.ir_cron_cs_nps")._trigger()
            customers = closed.cs_commercial_partner_id
            running = (
                self.sudo()
                .search(
                    [
                        ("cs_commercial_partner_id", "in", customers.ids),
                        ("stage_id.type", "=", "in_progress"),
                    ]
                )
                .cs_commercial_partner_id
            )
            self.env["cs.cta"]._close_for_churned(customers - running)
        for subscription in closed:
            subscription.cs_onboarding_ids._cancel_for_closed_subscription(subscription)
            customer = subscription.cs_commercial_partner_id
            self.env["cs.webhook"]._emit(
                "churned",
                {
                    **customer._cs_get_webhook_values(),
                    "subscription": subscription.display_name,
                    "close_reason": subscription.close_reason_id.name or None,
                    "recurring_total": subscription.recurring_total,
                },
                subscription.company_id,
            )

    def _cs_flag_reactivations(self):
        """Mark the subscriptions that bring back a customer whose earlier
        subscriptions were all closed."""
        if not self:
            return
        others = self.search(
            [
                ("cs_commercial_partner_id", "in", self.cs_commercial_partner_id.ids),
                ("id", "not in", self.ids),
                ("stage_id.type", "in", ("in_progress", "post")),
            ]
        )
        for subscription in self.filtered(lambda sub: not sub.cs_is_reactivation):
            earlier = others.filtered(
                lambda other, sub=subscription: (
                    other.cs_commercial_partner_id == sub.cs_commercial_partner_id
                )
            )
            if earlier and all(other.stage_id.type == "post" for other in earlier):
                subscription.cs_is_reactivation = True

    def _cs_start_onboarding(self):
        """Create the onboarding of the customers starting their first
        subscription. Never twice for a customer and subscription, and not for
        a customer already onboarded or being onboarded."""
        if not self:
            return self.env["cs.onboarding"]
        customers = self.cs_commercial_partner_id
        Onboarding = self.env["cs.onboarding"].sudo()
        existing = Onboarding.with_context(active_test=False).search(
            [
                "|",
                ("subscription_id", "in", self.ids),
                "&",
                ("partner_id", "in", customers.ids),
                ("state", "in", ("in_progress", "done")),
            ]
        )
        skip_subscriptions = existing.subscription_id
        skip_customers = existing.filtered(
            lambda onboarding: onboarding.state in ("in_progress", "done")
        ).partner_id
        values = []
        for subscription in self:
            customer = subscription.cs_commercial_partner_id
            if subscription in skip_subscriptions or customer in skip_customers:
                continue
            skip_customers |= customer
            values.append(subscription._prepare_onboarding_values())
        # The automation works for whoever starts the subscription: a salesman
        # or the cron may not be a customer success user.
        onboardings = Onboarding.create(values)
        for onboarding in onboardings:
            onboarding.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Started with the subscription %(subscription)s.",
                    subscription=onboarding.subscription_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return onboardings

    def _prepare_onboarding_values(self):
        """Values of the onboarding started by this subscription."""
        self.ensure_one()
        customer = self.cs_commercial_partner_id
        model = customer.touch_model_id
        team = model.onboarding_team_id or self.company_id.cs_default_team_id
        kickoff = self.date_start or fields.Date.context_today(self)
        return {
            "partner_id": customer.id,
            "subscription_id": self.id,
            "company_id": self.company_id.id,
            "team_id": team.id,
            "user_id": team.leader_id.id or self.user_id.id,
            "kickoff_date": kickoff,
            "target_activation_date": fields.Date.add(
                kickoff, days=model.onboarding_days or 30
            ),
        }

    @api.model
    def _cs_enable_pricelists(self):
        """Switch Odoo's pricelist feature on for internal users, at install
        and at every update: each subscription is billed from a pricelist,
        and with the feature off, saving any settings archives them all."""
        self.env.ref("base.group_user")._apply_group(
            self.env.ref("product.group_product_pricelist")
        )
