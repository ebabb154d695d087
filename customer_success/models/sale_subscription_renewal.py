# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# in the order a renewals list groups them: the ones to worry about first
FORECASTS = [
    ("at_risk", "At Risk"),
    ("churn", "Known Churn"),
    ("likely", "Likely"),
    ("committed", "Committed"),
]
# plans this long or longer are forecast (semiannual, annual)
FORECAST_MONTHS = 6


class SaleSubscription(models.Model):
    """When each subscription renews, and, for the long plans, whether it
    will."""

    _inherit = "sale.subscription"

    cs_period_months = fields.Float(
        string="Months per Period",
        compute="_compute_cs_period_months",
        store=True,
        aggregator=None,
        help="How many months one invoicing period lasts.",
    )
    cs_renewal_date = fields.Date(
        string="Renewal Date",
        compute="_compute_cs_renewal_date",
        store=True,
        index="btree_not_null",
        help="The end of the period already paid: the next invoice of a "
        "running subscription.",
    )
    cs_renewal_forecast_set = fields.Selection(
        FORECASTS,
        string="Forecast Set by the Success Manager",
        tracking=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    cs_renewal_forecast_reason = fields.Char(
        string="Why This Forecast",
        tracking=True,
        copy=False,
        groups="customer_success.customer_success_group_user",
    )
    cs_renewal_forecast = fields.Selection(
        FORECASTS,
        string="Renewal Forecast",
        compute="_compute_cs_renewal_forecast",
        store=True,
        groups="customer_success.customer_success_group_user",
        help="For plans of six months or more: the success manager's forecast, "
        "else the customer's health band and last NPS answer (green or a "
        "promoter: likely; red or a detractor: at risk).",
    )

    @api.depends("template_id.recurring_rule_type", "template_id.recurring_interval")
    def _compute_cs_period_months(self):
        for subscription in self:
            subscription.cs_period_months = subscription.template_id._cs_get_months()

    @api.depends("recurring_next_date", "stage_id.type", "cs_cancel_date")
    def _compute_cs_renewal_date(self):
        for subscription in self:
            running = (
                subscription.stage_id.type == "in_progress"
                and not subscription.cs_cancel_date
            )
            subscription.cs_renewal_date = (
                subscription.recurring_next_date if running else False
            )

    @api.depends(
        "cs_period_months",
        "cs_renewal_forecast_set",
        "cs_cancel_date",
        "stage_id.type",
        "cs_commercial_partner_id.health_band",
        "cs_commercial_partner_id.nps_last_category",
    )
    def _compute_cs_renewal_forecast(self):
        for subscription in self:
            subscription.cs_renewal_forecast = subscription._cs_get_forecast()

    def _cs_get_forecast(self):
        self.ensure_one()
        if (
            self.cs_period_months < FORECAST_MONTHS
            or self.stage_id.type != "in_progress"
        ):
            return False
        if self.cs_cancel_date:
            return "churn"
        if self.cs_renewal_forecast_set:
            return self.cs_renewal_forecast_set
        customer = self.cs_commercial_partner_id
        if customer.health_band == "red" or customer.nps_last_category == "detractor":
            return "at_risk"
        if customer.health_band == "green" or customer.nps_last_category == "promoter":
            return "likely"
        return "at_risk" if customer.health_band == "yellow" else "likely"

    @api.constrains("cs_renewal_forecast_set", "cs_renewal_forecast_reason")
    def _check_cs_renewal_forecast_reason(self):
        for subscription in self:
            if (
                subscription.cs_renewal_forecast_set
                and not (subscription.cs_renewal_forecast_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Say why you forecast %(subscription)s this way.",
                        subscription=subscription.display_name,
                    )
                )

    def action_cs_set_forecast(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Renewal Forecast"),
            "res_model": "cs.renewal.forecast.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_subscription_id": self.id,
                "default_forecast": self.cs_renewal_forecast_set
                or self.cs_renewal_forecast,
            },
        }
