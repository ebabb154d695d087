# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL


class CsPortfolioReport(models.Model):
    """One line per success manager and touch model: the size of the
    portfolio against the capacity of the model."""

    _name = "cs.portfolio.report"
    _description = "CSM Portfolio"
    _auto = False
    _order = "over_capacity desc, user_id, touch_model_id"

    user_id = fields.Many2one("res.users", string="Success Manager", readonly=True)
    touch_model_id = fields.Many2one("cs.touch.model", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    customer_count = fields.Integer(string="Customers", readonly=True)
    capacity = fields.Integer(
        readonly=True, help="Accounts per CSM in this touch model; zero: no limit."
    )
    over_capacity = fields.Boolean(readonly=True)
    recurring_revenue = fields.Monetary(
        string="Monthly Recurring Revenue", readonly=True
    )
    onboarding_count = fields.Integer(string="Onboarding", readonly=True)
    open_checkin_count = fields.Integer(string="Open Check-ins", readonly=True)
    overdue_checkin_count = fields.Integer(string="Overdue Check-ins", readonly=True)
    oldest_touch_date = fields.Date(
        string="Oldest Last Touch",
        readonly=True,
        help="The customer of this portfolio touched the longest time ago.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT MIN(p.id) AS id,
                   p.csm_id AS user_id,
                   p.touch_model_id,
                   t.company_id,
                   COUNT(*)::int AS customer_count,
                   t.max_accounts_per_csm AS capacity,
                   (t.max_accounts_per_csm > 0
                    AND COUNT(*) > t.max_accounts_per_csm) AS over_capacity,
                   SUM(COALESCE(p.recurring_revenue, 0)) AS recurring_revenue,
                   (COUNT(*) FILTER (WHERE p.onboarding_state = 'in_progress'))::int
                       AS onboarding_count,
                   SUM(COALESCE(a.open_count, 0))::int AS open_checkin_count,
                   SUM(COALESCE(a.overdue_count, 0))::int AS overdue_checkin_count,
                   MIN(p.last_touch_date) AS oldest_touch_date
              FROM res_partner p
              JOIN cs_touch_model t ON t.id = p.touch_model_id
         LEFT JOIN (
                    SELECT act.res_id,
                           COUNT(*) AS open_count,
                           COUNT(*) FILTER (
                               WHERE act.date_deadline < CURRENT_DATE) AS overdue_count
                      FROM mail_activity act
                      JOIN ir_model_data imd
                        ON imd.model = 'mail.activity.type'
                       AND imd.res_id = act.activity_type_id
                       AND imd.module = 'customer_success'
                       AND imd.name = 'mail_activity_type_cs_checkin'
                     WHERE act.res_model = 'res.partner'
                       AND act.active
                  GROUP BY act.res_id
                   ) a ON a.res_id = p.id
             WHERE p.parent_id IS NULL
               AND p.active
               AND p.csm_id IS NOT NULL
          GROUP BY p.csm_id, p.touch_model_id, t.company_id, t.max_accounts_per_csm
            """
        )

    def action_view_customers(self):
        """Open the customers behind this line."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.res_partner_action_portfolio"
        )
        action["domain"] = [
            ("csm_id", "=", self.user_id.id),
            ("touch_model_id", "=", self.touch_model_id.id),
            ("parent_id", "=", False),
        ]
        action["context"] = {}
        return action
