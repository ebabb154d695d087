# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.sale_subscription_renewal import FORECAST_MONTHS, FORECASTS


class CsRenewalForecastWizard(models.TransientModel):
    """The success manager's renewal forecast of a subscription, and why."""

    _name = "cs.renewal.forecast.wizard"
    _description = "Set a Renewal Forecast"

    subscription_id = fields.Many2one("sale.subscription", required=True, readonly=True)
    forecast = fields.Selection(
        [item for item in FORECASTS if item[0] != "churn"], required=True
    )
    reason = fields.Char(required=True)

    def action_apply(self):
        self.ensure_one()
        # the user reads the subscription (a success manager of its customer)
        subscription = self.subscription_id
        subscription.check_access("read")
        if subscription.cs_period_months < FORECAST_MONTHS:
            raise UserError(
                self.env._("Only plans of six months or more are forecast.")
            )
        # sudo: success managers forecast, they do not edit subscriptions
        subscription.sudo().write(
            {
                "cs_renewal_forecast_set": self.forecast,
                "cs_renewal_forecast_reason": self.reason.strip(),
            }
        )
        return {"type": "ir.actions.act_window_close"}
