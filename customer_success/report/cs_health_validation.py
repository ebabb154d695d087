# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL, format_date, formatLang

from ..const import HEALTH_BANDS

# the month-ends looked at: those of the last 12 months
VALIDATION_MONTHS = 12


class CsHealthValidation(models.Model):
    """Did the health score predict churn? One line per customer and
    month-end of the last 12 months whose horizon has passed: the band of its
    snapshot that day, and whether it churned (every subscription closed; a
    pause is not churn, see :class:`cs.mrr.movement`) within the company's
    horizon after it. Read by :class:`cs.health.validation.report`."""

    _name = "cs.health.validation"
    _description = "Health Validation"
    _auto = False
    _order = "month_end desc, churned desc, score"
    _rec_name = "partner_id"
    # what the query reads: flushed before each search
    _depends = {
        "cs.health.snapshot": [
            "partner_id",
            "company_id",
            "csm_id",
            "touch_model_id",
            "date",
            "band",
            "score",
            "factor_scores",
        ],
        "cs.mrr.movement": ["partner_id", "company_id", "month", "churned"],
        "res.company": ["cs_health_horizon"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    csm_id = fields.Many2one("res.users", string="Success Manager", readonly=True)
    touch_model_id = fields.Many2one("cs.touch.model", readonly=True)
    month_end = fields.Date(readonly=True)
    band = fields.Selection(HEALTH_BANDS, readonly=True)
    score = fields.Float(digits=(16, 1), aggregator="avg", readonly=True)
    churned = fields.Integer(
        readonly=True,
        help="1 when the customer churned within the horizon after the month-end.",
    )
    has_churned = fields.Boolean(
        string="Churned Within the Horizon",
        readonly=True,
        help="The customer churned within the horizon after the month-end.",
    )
    churn_rate = fields.Float(
        string="Churn Rate (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="The share of these customers that churned within the horizon.",
    )
    churn_month = fields.Date(
        readonly=True, help="The month of the first churn within the horizon."
    )
    factor_scores = fields.Json(readonly=True)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT s.id,
                   s.partner_id,
                   s.company_id,
                   s.csm_id,
                   s.touch_model_id,
                   s.date AS month_end,
                   s.band,
                   s.score,
                   s.factor_scores,
                   churn.month AS churn_month,
                   (churn.month IS NOT NULL)::int AS churned,
                   churn.month IS NOT NULL AS has_churned,
                   CASE WHEN churn.month IS NOT NULL THEN 100.0 ELSE 0.0 END
                       AS churn_rate
              FROM cs_health_snapshot s
              JOIN res_company c ON c.id = s.company_id
         LEFT JOIN LATERAL (
                    SELECT MIN(m.month) AS month
                      FROM cs_mrr_movement m
                     WHERE m.partner_id = s.partner_id
                       AND m.company_id = s.company_id
                       AND m.churned = 1
                       AND m.month > s.date
                       AND m.month < s.date + COALESCE(c.cs_health_horizon, 90)
                   ) churn ON true
             WHERE s.date IN (
                    SELECT (date_trunc('month', %(today)s::date)
                            - make_interval(months => k))::date - 1
                      FROM generate_series(0, %(months)s - 1) k
                   )
               AND s.band IS NOT NULL
               -- the last month counted (the one holding the horizon's last
               -- day) is over: its churns are all known
               AND date_trunc(
                       'month', s.date + COALESCE(c.cs_health_horizon, 90) - 1
                   ) + interval '1 month' <= %(today)s::date
            """,
            today=today,
            months=VALIDATION_MONTHS,
        )


class CsHealthValidationReport(models.TransientModel):
    """Health Validation: how often the customers of each band churned
    within the horizon, the lift of red over green, recall and precision,
    each factor's average score of the customers who stayed and of those who
    left, per touch model and (for managers) per success manager. The
    figures read the lines of :class:`cs.health.validation` the user may
    read."""

    _name = "cs.health.validation.report"
    _description = "Health Validation Report"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    horizon = fields.Integer(related="company_id.cs_health_horizon")
    summary = fields.Char(compute="_compute_figures")
    notice = fields.Char(compute="_compute_figures")
    figures_html = fields.Html(
        string="Figures", compute="_compute_figures", sanitize=False
    )
    churn_count = fields.Integer(string="Churns", compute="_compute_figures")

    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._("Health Validation")

    def _get_domain(self):
        return [("company_id", "=", self.company_id.id)]

    def _compute_figures(self):
        for report in self:
            figures = report._get_figures()
            report.churn_count = figures["churn_count"]
            report.summary = figures["summary"]
            report.notice = figures["notice"]
            report.figures_html = self.env["ir.qweb"]._render(
                "customer_success.cs_health_validation_figures",
                {"figures": figures, "report": report},
            )

    def _get_band_figures(self, groups):
        """{band: {"count", "churned", "rate"}} and the summary figures of
        ``groups`` [(band, count, churned)]."""
        bands = {
            band: {"count": 0, "churned": 0, "rate": 0.0} for band, _l in HEALTH_BANDS
        }
        for band, count, churned in groups:
            if band in bands:
                bands[band].update(count=count, churned=churned)
        for values in bands.values():
            values["rate"] = (
                values["churned"] / values["count"] * 100 if values["count"] else 0.0
            )
        count = sum(values["count"] for values in bands.values())
        churned = sum(values["churned"] for values in bands.values())
        red, green = bands["red"], bands["green"]
        return {
            "bands": bands,
            "count": count,
            "churned": churned,
            "rate": churned / count * 100 if count else 0.0,
            # how many times as often red churned as green
            "lift": red["rate"] / green["rate"] if green["rate"] else None,
            # of the customers who churned, the share red or yellow before
            "recall": (
                (red["churned"] + bands["yellow"]["churned"]) / churned * 100
                if churned
                else None
            ),
            # of the red customers, the share who then churned
            "precision": red["rate"] if red["count"] else None,
        }

    def _get_figures(self):
        """Every figure of the report, from one grouped query on the lines
        (:meth:`_read_lines`)."""
        self.ensure_one()
        manager = self.env.user.has_group(
            "customer_success.customer_success_group_manager"
        )
        totals, by_touch_model, by_csm, factors, month_ends = self._read_lines(
            self._get_domain()
        )
        figures = self._get_band_figures(totals)
        figures["touch_models"] = self._get_grouped_figures(
            by_touch_model, "cs.touch.model"
        )
        figures["csms"] = (
            self._get_grouped_figures(by_csm, "res.users") if manager else []
        )
        figures["factors"] = factors
        figures["date_from"], figures["date_to"] = month_ends
        figures["churn_count"] = self._get_churn_count(*month_ends)
        figures["period"] = month_ends[0] and self.env._(
            "Month-ends from %(date_from)s to %(date_to)s; churned: every "
            "subscription closed within %(days)s days after the month-end (a "
            "pause is not churn).",
            date_from=format_date(self.env, month_ends[0]),
            date_to=format_date(self.env, month_ends[1]),
            days=self.company_id.cs_health_horizon,
        )
        figures["summary"] = self._get_summary(figures)
        figures["notice"] = (
            self.env._(
                "Only %(count)s churns in the period: these figures are not "
                "reliable yet (from 20 churns on, they start to be).",
                count=figures["churn_count"],
            )
            if figures["count"] and figures["churn_count"] < 20
            else False
        )
        return figures

    def _read_lines(self, domain):
        """The lines of ``domain`` (with the user's record rules) counted in
        one query, grouped by band, by touch model and band, by success
        manager and band, and all together (the month-ends and each factor's
        average score of who stayed and of who left, from the snapshots'
        ``factor_scores``: older snapshots have no factor columns).

        Returns ([(band, count, churned)], {touch model id: [...]}, {user
        id: [...]}, [(factor name, stayed, left)], (first, last month-end)).
        """
        query = self.env["cs.health.validation"]._search(domain)
        factors = (
            self.env["cs.health.factor"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.company_id.id)])
            .sorted("sequence")
        )
        codes = list(dict.fromkeys(factors.mapped("code")))
        averages = SQL(", ").join(
            SQL(
                "AVG((lines.factor_scores->%(code)s->>'score')::float) "
                "FILTER (WHERE lines.churned = %(churned)s "
                "AND jsonb_typeof(lines.factor_scores->%(code)s->'score') = 'number')",
                code=code,
                churned=churned,
            )
            for code in codes
            for churned in (0, 1)
        )
        columns = [
            SQL.identifier(query.table, name)
            for name in (
                "band",
                "touch_model_id",
                "csm_id",
                "churned",
                "month_end",
                "factor_scores",
            )
        ]
        # execute_query flushes what the view reads (_depends)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT GROUPING(lines.band, lines.touch_model_id, lines.csm_id),
                       lines.band, lines.touch_model_id, lines.csm_id,
                       COUNT(*), COALESCE(SUM(lines.churned), 0),
                       MIN(lines.month_end), MAX(lines.month_end)%s
                  FROM (%s) lines
              GROUP BY GROUPING SETS (
                       (lines.band),
                       (lines.touch_model_id, lines.band),
                       (lines.csm_id, lines.band),
                       ())
                """,
                SQL(", %s", averages) if codes else SQL(),
                query.select(*columns),
            )
        )
        totals, by_touch_model, by_csm = [], {}, {}
        factor_figures, month_ends = [], (None, None)
        for (
            grouping,
            band,
            touch_model,
            csm,
            count,
            churned,
            first,
            last,
            *avgs,
        ) in rows:
            # GROUPING bits: band 4, touch model 2, success manager 1
            if grouping == 3:
                totals.append((band, count, churned))
            elif grouping == 1:
                by_touch_model.setdefault(touch_model, []).append(
                    (band, count, churned)
                )
            elif grouping == 2:
                by_csm.setdefault(csm, []).append((band, count, churned))
            elif grouping == 7:
                month_ends = (first, last)
                names = dict(
                    zip(factors.mapped("code"), factors.mapped("name"), strict=True)
                )
                for index, code in enumerate(codes):
                    stayed, left = avgs[2 * index], avgs[2 * index + 1]
                    if stayed is not None or left is not None:
                        factor_figures.append((names[code], stayed, left))
        return totals, by_touch_model, by_csm, factor_figures, month_ends

    def _get_grouped_figures(self, groups, model):
        """[(record, band figures)] of ``groups`` {record id: [(band, count,
        churned)]}, by name."""
        # one recordset: their names are read together
        records = self.env[model].browse(key for key in groups if key)
        by_id = {record.id: record for record in records}
        result = [
            (by_id.get(key, self.env[model]), self._get_band_figures(band_groups))
            for key, band_groups in groups.items()
        ]
        # no touch model (or success manager) last
        return sorted(
            result, key=lambda item: (not item[0], item[0].display_name or "")
        )

    def _get_churn_count(self, date_from, date_to):
        """The churns counted in the period (a customer that churned twice
        counts twice, in the month of each)."""
        if not date_from:
            return 0
        return self.env["cs.mrr.movement"].search_count(
            [
                ("company_id", "=", self.company_id.id),
                ("churned", "=", 1),
                ("month", ">", date_from),
                (
                    "month",
                    "<",
                    fields.Date.add(date_to, days=self.company_id.cs_health_horizon),
                ),
            ]
        )

    def _get_summary(self, figures):
        """The sentence at the top of the report."""
        if not figures["count"]:
            return self.env._(
                "No month-end of the last 12 months has health scores and a "
                "horizon of %(days)s days already passed: the report fills as "
                "the daily health run keeps its snapshots.",
                days=self.company_id.cs_health_horizon,
            )
        bands = figures["bands"]
        if figures["lift"] is not None and bands["red"]["churned"]:
            return self.env._(
                "Customers in red churned %(lift)s times as often as customers "
                "in green over the last 12 months.",
                lift=self._format_number(figures["lift"]),
            )
        if bands["red"]["churned"]:
            return self.env._(
                "%(rate)s%% of the customers in red churned over the last 12 "
                "months; none in green did.",
                rate=self._format_number(bands["red"]["rate"]),
            )
        return self.env._(
            "No customer in red churned over the last 12 months: the score has "
            "not told a churn yet."
        )

    def _format_number(self, value):
        return formatLang(self.env, value, digits=1)

    def action_open_report(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Health Validation"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_lines(self):
        """The customers behind a band's churn rate (the context's
        ``validation_band``), those who churned first (the lines' order)."""
        self.ensure_one()
        domain = self._get_domain()
        band = self.env.context.get("validation_band")
        name = self.env._("Health Validation")
        if band:
            domain.append(("band", "=", band))
            labels = dict(
                self.env["cs.health.validation"]
                ._fields["band"]
                ._description_selection(self.env)
            )
            name = self.env._("Health Validation: %(band)s", band=labels[band])
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "cs.health.validation",
            "view_mode": "list,pivot,graph",
            "views": [(False, "list"), (False, "pivot"), (False, "graph")],
            "domain": domain,
        }

    def action_open_chart(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_health_validation_action"
        )
        action["domain"] = self._get_domain()
        return action
