# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL


class CsHealthFactorReport(models.Model):
    """One line per health snapshot and factor with data: the health history
    drawn one line per factor. Read from the factor columns of the snapshot
    (``cs.health.snapshot._get_factor_score_fields``): nothing more is
    written by the daily run."""

    _name = "cs.health.factor.report"
    _description = "Health by Factor"
    _auto = False
    _order = "date desc, snapshot_id desc, factor"
    _rec_name = "partner_id"

    # what the query reads, flushed before each search
    _depends = {
        "cs.health.snapshot": [
            "partner_id",
            "company_id",
            "csm_id",
            "touch_model_id",
            "date",
            "usage_score",
            "nps_score",
            "payment_score",
            "engagement_score",
            "onboarding_score",
            "sentiment_score",
        ]
    }

    snapshot_id = fields.Many2one("cs.health.snapshot", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    csm_id = fields.Many2one("res.users", string="Success Manager", readonly=True)
    touch_model_id = fields.Many2one("cs.touch.model", readonly=True)
    date = fields.Date(readonly=True)
    factor = fields.Selection(selection="_get_factor_selection", readonly=True)
    score = fields.Float(digits=(16, 1), aggregator="avg", readonly=True)

    @api.model
    def _get_factor_selection(self):
        return (
            self.env["cs.health.factor"]
            ._fields["code"]
            ._description_selection(self.env)
        )

    @property
    def _table_query(self):
        columns = self.env["cs.health.snapshot"]._get_factor_score_fields()
        # one row per factor of each snapshot, without its empty columns
        factors = SQL(", ").join(
            SQL("(%s, %s, s.%s)", index, code, SQL.identifier(name))
            for index, (code, name) in enumerate(columns.items())
        )
        return SQL(
            """
            SELECT s.id * %s + f.position AS id,
                   s.id AS snapshot_id,
                   s.partner_id,
                   s.company_id,
                   s.csm_id,
                   s.touch_model_id,
                   s.date,
                   f.factor::varchar AS factor,
                   f.score
              FROM cs_health_snapshot s
        CROSS JOIN LATERAL (VALUES %s) AS f(position, factor, score)
             WHERE f.score IS NOT NULL
            """,
            len(columns),
            factors,
        )
