# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

# Average length of a month, in each recurrence unit.
MONTHS_PER_UNIT = {"days": 12 / 365.25, "weeks": 12 / 52.1775, "months": 1, "years": 12}


class SaleSubscriptionTemplate(models.Model):
    _inherit = "sale.subscription.template"

    cs_included_users = fields.Integer(
        string="Users in the Plan",
        help="Users included in this plan: the health score compares the "
        "customer's active users with it. 0: usage is judged by its trend.",
    )

    def _cs_get_months(self):
        """How many months one invoicing period of this template lasts (a
        subscription without template is invoiced every month)."""
        if not self:
            return 1.0
        self.ensure_one()
        unit = MONTHS_PER_UNIT.get(self.recurring_rule_type or "months", 1)
        return (self.recurring_interval or 1) * unit
