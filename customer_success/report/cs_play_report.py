# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL

from ..models.cs_cta import OUTCOMES
from ..models.cs_play import CTA_TYPES


class CsPlayReport(models.Model):
    """How the plays do: one line per call to action, to group by play and
    by the month it opened. Opened, done, done in time, each outcome, the
    MRR kept or gained, and the median days to close.

    One line per call to action, not per play and month: the record rules
    of the calls to action apply to it as they are (a success manager
    counts their own), and any grouping (play, month, owner, team) adds up.
    A median does not add up: the ``median`` aggregator of
    ``days_to_close`` is computed by PostgreSQL for each group the pivot,
    the graph or the list asks for (``percentile_cont(0.5)``), totals
    included, never from the medians of the groups below.
    """

    _name = "cs.play.report"
    _description = "Play Analysis"
    _auto = False
    _order = "date_opened desc, id desc"

    cta_id = fields.Many2one("cs.cta", string="Call to Action", readonly=True)
    play_id = fields.Many2one("cs.play", readonly=True)
    cta_type = fields.Selection(CTA_TYPES, string="Type", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    team_id = fields.Many2one("cs.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("open", "Open"),
            ("in_progress", "In Progress"),
            ("snoozed", "Snoozed"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        readonly=True,
    )
    outcome = fields.Selection(OUTCOMES, readonly=True)
    date_opened = fields.Date(string="Opened On", readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    date_closed = fields.Date(string="Closed On", readonly=True)
    opened_count = fields.Integer(string="Calls Opened", readonly=True)
    done_count = fields.Integer(
        string="Closed", readonly=True, help="Done, whatever the outcome."
    )
    in_time_count = fields.Integer(
        string="Closed in Time", readonly=True, help="Done by the due date."
    )
    cancelled_count = fields.Integer(string="Calls Cancelled", readonly=True)
    saved_count = fields.Integer(string="Risks Saved", readonly=True)
    lost_count = fields.Integer(string="Calls Lost", readonly=True)
    won_count = fields.Integer(string="Expansions Won", readonly=True)
    renewed_count = fields.Integer(string="Renewals Won", readonly=True)
    churned_count = fields.Integer(string="Renewals Churned", readonly=True)
    outcome_mrr = fields.Monetary(string="MRR Kept or Gained", readonly=True)
    days_to_close = fields.Float(
        string="Median Days to Close",
        readonly=True,
        digits=(16, 1),
        aggregator="median",
        help="Of the calls to action done: the median of the days from opening "
        "to closing, in each group.",
    )

    @property
    def _table_query(self):
        done = SQL("c.state = 'done'")
        return SQL(
            """
            SELECT c.id,
                   c.id AS cta_id,
                   c.play_id,
                   c.cta_type,
                   c.partner_id,
                   c.user_id,
                   c.team_id,
                   c.company_id,
                   c.state,
                   c.outcome,
                   c.create_date::date AS date_opened,
                   c.date_due,
                   c.date_closed,
                   1 AS opened_count,
                   (%(done)s)::int AS done_count,
                   (%(done)s AND COALESCE(c.closed_in_time, 0) = 1)::int
                       AS in_time_count,
                   (c.state = 'cancelled')::int AS cancelled_count,
                   (%(done)s AND c.outcome = 'saved')::int AS saved_count,
                   (%(done)s AND c.outcome = 'lost')::int AS lost_count,
                   (%(done)s AND c.outcome = 'won')::int AS won_count,
                   (%(done)s AND c.outcome = 'renewed')::int AS renewed_count,
                   (%(done)s AND c.outcome = 'churned')::int AS churned_count,
                   CASE WHEN %(done)s THEN COALESCE(c.outcome_mrr, 0) ELSE 0 END
                       AS outcome_mrr,
                   CASE WHEN %(done)s THEN c.days_to_close END AS days_to_close
              FROM cs_cta c
            """,
            done=done,
        )

    def _read_group_select(self, aggregate_spec, query):
        """The ``median`` aggregator, for the days to close."""
        if aggregate_spec == "days_to_close:median":
            return SQL(
                "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %s)",
                self._field_to_sql(self._table, "days_to_close", query),
            )
        return super()._read_group_select(aggregate_spec, query)
