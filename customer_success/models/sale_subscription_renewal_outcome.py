# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import api, fields, models


class SaleSubscription(models.Model):
    """The forecast of a renewal is recorded before the renewal date
    passes: before the next period is invoiced (the renewal date moves on)
    and before the subscription closes (the forecast goes)."""

    _inherit = "sale.subscription"  # pylint: disable=consider-merging-classes-inherited

    cs_renewal_outcome_ids = fields.One2many(
        "cs.renewal.outcome",
        "subscription_id",
        string="Renewal Outcomes",
        groups="customer_success.customer_success_group_user",
    )

    def _cs_get_outcome_renewal_date(self):
        """The renewal date an outcome is recorded for: the renewal date, or
        for a cancelled subscription the day it closes (the first day not
        paid for)."""
        self.ensure_one()
        return self.cs_renewal_date or self.cs_cancel_date

    def write(self, vals):
        if self._cs_is_closing(vals):
            # the close settles the renewal of the period it leaves, whenever
            # it was due: an early churn counts against its forecast too
            self.env["cs.renewal.outcome"]._record_for(self)
        return super().write(vals)

    @api.model
    def _cs_is_closing(self, vals):
        if "recurring_next_date" in vals and not vals["recurring_next_date"]:
            # subscription_oca's close_subscription clears it first
            return True
        stage = vals.get("stage_id")
        if stage:
            if not isinstance(stage, models.BaseModel):
                stage = self.env["sale.subscription.stage"].browse(stage)
            return stage.type == "post"
        return False

    def _set_next_invoice_date_after_invoice(self, invoice_date=None):
        """The next period is invoiced: a renewal, recorded with the forecast
        it had."""
        self.env["cs.renewal.outcome"]._record_for(self)
        return super()._set_next_invoice_date_after_invoice(invoice_date=invoice_date)
