# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What 19.0.1.6.0 adds to the health score, given to existing databases.

- The snapshots kept before the upgrade get their factor columns
  (``usage_score``, ...) from their ``factor_scores``, so that Health by
  Factor draws the history from before the upgrade too.
- Every company gets the success manager's sentiment as a factor (weight
  15, as the main company gets it from the shipped data): without a
  sentiment recorded it has no data and counts with no weight, so no score
  moves until a success manager records one. Companies whose weights then
  sum to more than 100 see the usual warning in Settings.
- The shipped usage and NPS factors get their stale-data limits (7 and 180
  days) where none was set.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

STALE_DAYS = {"usage": 7, "nps": 180}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Snapshot = env["cs.health.snapshot"]
    columns = Snapshot._get_factor_score_fields()
    cr.execute(
        SQL(
            "UPDATE cs_health_snapshot SET %s WHERE factor_scores IS NOT NULL",
            SQL(", ").join(
                SQL(
                    "%s = CASE WHEN jsonb_typeof(factor_scores->%s->'score') = "
                    "'number' THEN (factor_scores->%s->>'score')::numeric END",
                    SQL.identifier(name),
                    code,
                    code,
                )
                for code, name in columns.items()
            ),
        )
    )
    Factor = env["cs.health.factor"].with_context(active_test=False)
    sentiment = env.ref(
        "customer_success.cs_health_factor_sentiment", raise_if_not_found=False
    )
    if sentiment:
        with_sentiment = Factor.search([("code", "=", "sentiment")]).company_id
        for company in env["res.company"].search([]) - with_sentiment:
            if Factor.search_count([("company_id", "=", company.id)]):
                sentiment.copy({"company_id": company.id})
    for code, days in STALE_DAYS.items():
        Factor.search([("code", "=", code), ("stale_days", "=", 0)]).write(
            {"stale_days": days}
        )
