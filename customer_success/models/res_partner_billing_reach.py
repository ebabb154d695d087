# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.fields import Domain


class ResPartner(models.Model):
    """Billing health: do the customer's invoices reach it, and how soon it
    pays once it saw them."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    cs_viewed_before_due_rate = fields.Float(
        string="Viewed Before Due (%)",
        compute="_compute_billing_reach",
        store=True,
        digits=(16, 1),
        help="Share of the posted invoices already due that the customer viewed "
        "on the portal on or before their due date.",
    )
    cs_avg_view_to_payment_days = fields.Float(
        string="Days from First View to Payment",
        compute="_compute_billing_reach",
        store=True,
        digits=(16, 1),
        help="On average, over the paid invoices the customer viewed on the "
        "portal (paid before the first view counts as 0).",
    )

    @api.depends(
        "cs_invoice_ids.state",
        "cs_invoice_ids.invoice_date_due",
        "cs_invoice_ids.cs_viewed_before_due",
        "cs_invoice_ids.cs_view_to_payment_days",
    )
    def _compute_billing_reach(self):
        today = fields.Date.context_today(self)
        Move = self.env["account.move"]
        invoices = (
            Domain("commercial_partner_id", "in", self.ids)
            & Move._cs_get_customer_invoice_domain()
        )
        due = dict(
            Move._read_group(
                invoices & Domain("invoice_date_due", "<=", today),
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        viewed = dict(
            Move._read_group(
                invoices
                & Domain("invoice_date_due", "<=", today)
                & Domain("cs_viewed_before_due", "=", True),
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        to_payment = dict(
            Move._read_group(
                invoices
                & Domain("cs_first_viewed_date", "!=", False)
                & Domain("cs_paid_date", "!=", False),
                groupby=["commercial_partner_id"],
                aggregates=["cs_view_to_payment_days:avg"],
            )
        )
        for partner in self:
            count = due.get(partner, 0)
            partner.cs_viewed_before_due_rate = (
                viewed.get(partner, 0) / count * 100 if count else 0.0
            )
            partner.cs_avg_view_to_payment_days = to_payment.get(partner) or 0.0

    def _cs_billing_health_fields(self):
        return [
            *super()._cs_billing_health_fields(),
            self._fields["cs_viewed_before_due_rate"],
            self._fields["cs_avg_view_to_payment_days"],
        ]
