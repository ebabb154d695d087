# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Recompute the customers' MRR from their subscriptions' MRR: it counted
paused subscriptions before, and the touch models assigned from it."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Partner = env["res.partner"]
    customers = (
        env["sale.subscription"]
        .with_context(active_test=False)
        .search([("cs_commercial_partner_id", "!=", False)])
        .cs_commercial_partner_id
    )
    before = {partner.id: partner.recurring_revenue for partner in customers}
    env.add_to_compute(Partner._fields["recurring_revenue"], customers)
    env.add_to_compute(Partner._fields["has_running_subscription"], customers)
    Partner.flush_model(["recurring_revenue", "has_running_subscription"])
    changed = customers.filtered(
        lambda partner: partner.recurring_revenue != before[partner.id]
    )
    env.add_to_compute(Partner._fields["touch_model_id"], changed)
    env.add_to_compute(Partner._fields["touch_model_reason"], changed)
    Partner.flush_model(["touch_model_id", "touch_model_reason"])
