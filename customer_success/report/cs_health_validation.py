# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL, format_date, formatLang

from ..const import FACTOR_CODES, HEALTH_BANDS

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
            # re-scored with the company's weights (_get_company_band_sql)
            *(f"{code}_score" for code, _label in FACTOR_CODES),
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
        # The shape is the one that answers at 20,000 customers with a year
        # of daily snapshots (7.3 million rows, bench/bench.py): the snapshots
        # of the month-ends only (the date index), and the churns as one set
        # joined to them, read once from the movements' churn index
        # (cs.mrr.movement._churn_index), not looked up line by line.
        month_ends = self._get_month_ends_sql()
        factor_columns = self.env["cs.health.snapshot"]._get_factor_score_fields()
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
                   %(factor_columns)s,
                   %(line_scores)s,
                   churn.month AS churn_month,
                   (churn.month IS NOT NULL)::int AS churned,
                   churn.month IS NOT NULL AS has_churned,
                   CASE WHEN churn.month IS NOT NULL THEN 100.0 ELSE 0.0 END
                       AS churn_rate
              FROM (%(month_ends)s) e
              JOIN cs_health_snapshot s
                ON s.company_id = e.company_id AND s.date = e.month_end
         LEFT JOIN (
                    -- each customer's first churn after a month-end, within
                    -- its company's horizon
                    SELECT m.partner_id, m.company_id, me.month_end,
                           MIN(m.month) AS month
                      FROM (%(month_ends)s) me
                      JOIN cs_mrr_movement m
                        ON m.company_id = me.company_id
                       AND m.churned = 1
                       AND m.month > me.month_end
                       AND m.month < me.month_end + me.horizon
                  GROUP BY m.partner_id, m.company_id, me.month_end
                   ) churn
                ON churn.partner_id = s.partner_id
               AND churn.company_id = s.company_id
               AND churn.month_end = s.date
             WHERE s.band IS NOT NULL
            """,
            month_ends=month_ends,
            factor_columns=SQL(", ").join(
                SQL.identifier("s", name) for name in factor_columns.values()
            ),
            line_scores=SQL(", ").join(
                SQL("%s AS %s", expression, SQL.identifier(name))
                for name, expression in self._get_factor_score_sql("s").items()
            ),
        )

    @api.model
    def _get_month_ends_sql(self):
        """The month-ends of the last 12 months each company looks at, with
        its horizon: rows (company_id, horizon, month_end). A month-end
        counts once the last month of its horizon (the one holding the
        horizon's last day) is over: its churns are all known."""
        return SQL(
            """
            SELECT c.id AS company_id,
                   COALESCE(c.cs_health_horizon, 90) AS horizon,
                   e.month_end
              FROM res_company c
        CROSS JOIN LATERAL (
                    SELECT (date_trunc('month', %(today)s::date)
                            - make_interval(months => k))::date - 1 AS month_end
                      FROM generate_series(0, %(months)s - 1) k
                   ) e
             WHERE date_trunc(
                       'month', e.month_end + COALESCE(c.cs_health_horizon, 90) - 1
                   ) + interval '1 month' <= %(today)s::date
            """,
            today=fields.Date.context_today(self),
            months=VALIDATION_MONTHS,
        )

    @api.model
    def _get_factor_score_sql(self, alias):
        """Each factor's score of the snapshot ``alias`` for the averages of
        who stayed and who left, as columns of the lines: {"<code>_line_score":
        SQL expression, a numeric or NULL without data} for every factor code.

        The snapshot's factor columns where it has them (the daily run and
        the 19.0.1.6.0 migration write them with ``factor_scores``: they hold
        the same scores), else its ``factor_scores``: a snapshot written
        without the columns, or a factor without a column. Read from the Json,
        the averages of 180,000 lines took most of the report's time at
        20,000 customers."""
        columns = self.env["cs.health.snapshot"]._get_factor_score_fields()
        # a scored snapshot written with its columns has at least one
        has_columns = (
            SQL(" OR ").join(
                SQL("%s IS NOT NULL", SQL.identifier(alias, name))
                for name in columns.values()
            )
            if columns
            else SQL("FALSE")
        )
        factor_scores = SQL.identifier(alias, "factor_scores")
        result = {}
        for code in self.env["cs.health.factor"]._fields["code"].get_values(self.env):
            from_json = SQL(
                "WHEN jsonb_typeof(%s->%s->'score') = 'number' "
                "THEN (%s->%s->>'score')::numeric",
                factor_scores,
                code,
                factor_scores,
                code,
            )
            result[f"{code}_line_score"] = (
                SQL(
                    "CASE WHEN %s THEN %s %s END",
                    has_columns,
                    SQL.identifier(alias, columns[code]),
                    from_json,
                )
                if code in columns
                else SQL("CASE %s END", from_json)
            )
        return result


class CsHealthValidationReport(models.TransientModel):
    """Health Validation: how often the customers of each band churned
    within the horizon, the lift of red over green, recall and precision,
    each factor's average score of the customers who stayed and of those who
    left, per touch model and (for managers) per success manager; for the
    touch models with weights of their own, whether those weights told churn
    better than the company's would have. The figures read the lines of
    :class:`cs.health.validation` the user may read."""

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
        ``groups`` [(band, count, churned)]. Lines without a band (a re-score
        without data, see :meth:`_get_company_band_sql`) count among the
        lines and the churns, in no band: a churn there was not told."""
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
        count = sum(count for _band, count, _churned in groups)
        churned = sum(churned for _band, _count, churned in groups)
        red, green = bands["red"], bands["green"]
        return {
            "bands": bands,
            "count": count,
            "churned": churned,
            "unscored": count - sum(values["count"] for values in bands.values()),
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
        own_weights = self._get_own_weight_touch_models()
        lines = self._read_lines(self._get_domain(), own_weights)
        totals, by_touch_model, by_csm, factors, month_ends, rescored = lines
        figures = self._get_band_figures(totals)
        figures["touch_models"] = self._get_grouped_figures(
            by_touch_model, "cs.touch.model"
        )
        figures["csms"] = (
            self._get_grouped_figures(by_csm, "res.users") if manager else []
        )
        figures["factors"] = factors
        figures["date_from"], figures["date_to"] = month_ends
        churn_counts = self._get_churn_counts(*month_ends)
        figures["churn_count"] = sum(churn_counts.values())
        figures["weights"] = self._get_weights_comparison(
            own_weights, by_touch_model, rescored, churn_counts
        )
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
                "reliable yet (from %(minimum)s churns on, they start to be).",
                count=figures["churn_count"],
                minimum=self._get_reliable_churn_count(),
            )
            if figures["count"]
            and figures["churn_count"] < self._get_reliable_churn_count()
            else False
        )
        return figures

    def _get_reliable_churn_count(self):
        """How many churns the figures need before they are told as
        reliable: fewer, the report says so, and the comparison of a touch
        model's weights with the company's tells nothing."""
        return 20

    def _read_lines(self, domain, own_weights=None):
        """The lines of ``domain`` (with the user's record rules) counted in
        one query, grouped by band, by touch model and band, by success
        manager and band, and all together (the month-ends and each factor's
        average score of who stayed and of who left, from the lines' factor
        scores: :meth:`cs.health.validation._get_factor_score_sql`). The lines
        of the touch models ``own_weights`` are also counted per touch model
        and band the company's weights give them
        (:meth:`_get_company_band_sql`).

        Returns ([(band, count, churned)], {touch model id: [...]}, {user
        id: [...]}, [(factor name, stayed, left)], (first, last month-end),
        {touch model id: [(band with the company's weights, count,
        churned)]}).
        """
        own_weights = own_weights or self.env["cs.touch.model"]
        query = self.env["cs.health.validation"]._search(domain)
        factors = (
            self.env["cs.health.factor"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.company_id.id)])
            .sorted("sequence")
        )
        codes = list(dict.fromkeys(factors.mapped("code")))
        # Two steps: the lines grouped once by band, touch model, success
        # manager, churn and band with the company's weights (a handful of
        # groups), then the grouping sets over those groups. Over the lines
        # themselves, each line went through every set, and PostgreSQL sorted
        # the 180,000 lines of 20,000 customers on disk.
        names = ("band", "touch_model_id", "csm_id", "churned", "month_end")
        score_columns = self.env["cs.health.snapshot"]._get_factor_score_fields()
        columns = [
            SQL.identifier(query.table, name)
            for name in (
                *names,
                # the factors' scores for the averages (_get_factor_score_sql)
                *(f"{code}_line_score" for code in codes),
                # the factor columns, for the re-score with the company's
                # weights
                *(score_columns.values() if own_weights else ()),
            )
        ]
        # the lines of the touch models of weights of their own counted per
        # band the company's weights give them, next to their own band
        company_band = (
            self._get_company_band_sql(own_weights, factors.filtered("active"))
            if own_weights
            else SQL("NULL::varchar")
        )
        company_counts = SQL(", ").join(
            SQL(
                "COALESCE(SUM(g.count) FILTER (WHERE g.company_band = %(band)s), 0)"
                "::int, COALESCE(SUM(g.count) FILTER "
                "(WHERE g.company_band = %(band)s AND g.churned = 1), 0)::int",
                band=band,
            )
            for band, _label in HEALTH_BANDS
        )
        # each factor's score summed and counted per group, averaged per set
        sums = SQL("").join(
            SQL(
                ", SUM(lines.%s) AS %s, COUNT(lines.%s) AS %s",
                SQL.identifier(f"{code}_line_score"),
                SQL.identifier(f"{code}_sum"),
                SQL.identifier(f"{code}_line_score"),
                SQL.identifier(f"{code}_count"),
            )
            for code in codes
        )
        averages = SQL("").join(
            SQL(
                ", (SUM(g.%s) FILTER (WHERE g.churned = %s)"
                " / NULLIF(SUM(g.%s) FILTER (WHERE g.churned = %s), 0))::float",
                SQL.identifier(f"{code}_sum"),
                churned,
                SQL.identifier(f"{code}_count"),
                churned,
            )
            for code in codes
            for churned in (0, 1)
        )
        # execute_query flushes what the view reads (_depends)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT GROUPING(g.band, g.touch_model_id, g.csm_id),
                       g.band, g.touch_model_id, g.csm_id,
                       SUM(g.count)::int,
                       COALESCE(SUM(g.count) FILTER (WHERE g.churned = 1), 0)::int,
                       MIN(g.first), MAX(g.last), %s%s
                  FROM (
                        SELECT lines.band, lines.touch_model_id, lines.csm_id,
                               lines.churned, %s AS company_band,
                               COUNT(*) AS count,
                               MIN(lines.month_end) AS first,
                               MAX(lines.month_end) AS last%s
                          FROM (%s) lines
                      GROUP BY 1, 2, 3, 4, 5
                       ) g
              GROUP BY GROUPING SETS (
                       (g.band),
                       (g.touch_model_id, g.band),
                       (g.csm_id, g.band),
                       ())
                """,
                company_counts,
                averages,
                company_band,
                sums,
                query.select(*columns),
            )
        )
        totals, by_touch_model, by_csm, rescored = [], {}, {}, {}
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
            *company,
        ) in rows:
            company, avgs = company[:6], company[6:]
            # GROUPING bits: band 4, touch model 2, success manager 1
            if grouping == 3:
                totals.append((band, count, churned))
            elif grouping == 1:
                by_touch_model.setdefault(touch_model, []).append(
                    (band, count, churned)
                )
                if touch_model in own_weights.ids:
                    rescored.setdefault(touch_model, []).extend(
                        self._get_company_groups(count, churned, company)
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
        return (
            totals,
            by_touch_model,
            by_csm,
            factor_figures,
            month_ends,
            {
                touch_model: self._sum_groups(groups)
                for touch_model, groups in rescored.items()
            },
        )

    @staticmethod
    def _get_company_groups(count, churned, company):
        """[(band, count, churned)] of the ``count`` lines of one touch model
        and band, ``churned`` of which churned, in the bands the company's
        weights give them: ``company`` [count, churned] of each band of
        ``HEALTH_BANDS`` in turn; the rest in no band (False)."""
        groups = [
            (band, company[2 * index], company[2 * index + 1])
            for index, (band, _label) in enumerate(HEALTH_BANDS)
        ]
        scored = sum(group[1] for group in groups)
        return [
            *groups,
            (False, count - scored, churned - sum(group[2] for group in groups)),
        ]

    @staticmethod
    def _sum_groups(groups):
        """``groups`` [(band, count, churned)] summed per band."""
        sums = {}
        for band, count, churned in groups:
            counts = sums.setdefault(band, [0, 0])
            counts[0] += count
            counts[1] += churned
        return [(band, count, churned) for band, (count, churned) in sums.items()]

    def _get_own_weight_touch_models(self):
        """The touch models of the company whose customers are scored with
        weights of their own: those with a weight on an active factor, for
        which :meth:`cs.touch.model._get_factor_weights` is not None. The
        report compares those weights with the company's."""
        return self.env["cs.touch.model"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("weight_ids.factor_id.active", "=", True),
            ]
        )

    def _get_company_band_sql(self, touch_models, factors):
        """The band a line of ``touch_models`` would have had with the
        company's weights (those of its ``factors``), as SQL on the line's
        factor columns (``lines``); NULL on the other lines, and on a line
        none of whose factors with data has a company weight.

        As the engine scores (:meth:`cs.health.snapshot._prepare_partner_values`):
        the weighted average of the factors with data, rounded to one
        decimal, banded with the company's thresholds. ``round(x, 1) >= t``
        is ``x >= t - 0.05``: the weighted sum is compared with the threshold
        times the weights with data, no division nor rounding per line. The
        company's weights are today's. A factor the touch model does not
        weigh was not scored that day (the engine scores only the factors a
        customer is weighed on): it counts as no data in the re-score too."""
        if not touch_models:
            return SQL("NULL::varchar")
        company = self.company_id
        weights = self.env["cs.health.factor"]._get_weights_by_touch_model(
            company, factors, self.env["cs.touch.model"]
        )[False]
        columns = self.env["cs.health.snapshot"]._get_factor_score_fields()
        scored = [
            (SQL.identifier("lines", columns[code]), weight)
            for code, weight in weights.items()
            if code in columns
        ]
        if not scored:
            return SQL("NULL::varchar")
        total = SQL(" + ").join(
            SQL("COALESCE(%s * %s, 0)", column, weight) for column, weight in scored
        )
        known = SQL(" + ").join(
            SQL("CASE WHEN %s IS NULL THEN 0 ELSE %s END", column, weight)
            for column, weight in scored
        )
        return SQL(
            """CASE WHEN lines.touch_model_id NOT IN %(touch_models)s
                      OR (%(known)s) = 0 THEN NULL
                    WHEN %(total)s >= (%(green)s - 0.05) * (%(known)s) THEN 'green'
                    WHEN %(total)s >= (%(yellow)s - 0.05) * (%(known)s)
                    THEN 'yellow'
                    ELSE 'red' END""",
            touch_models=tuple(touch_models.ids),
            total=total,
            known=known,
            green=company.cs_health_green_min,
            yellow=company.cs_health_yellow_min,
        )

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

    def _get_churn_counts(self, date_from, date_to):
        """The churns counted in the period, per touch model of the customer
        when it churned: {touch model id or False: count} (a customer that
        churned twice counts twice, in the month of each)."""
        if not date_from:
            return {}
        groups = self.env["cs.mrr.movement"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("churned", "=", 1),
                ("month", ">", date_from),
                (
                    "month",
                    "<",
                    fields.Date.add(date_to, days=self.company_id.cs_health_horizon),
                ),
            ],
            groupby=["touch_model_id"],
            aggregates=["__count"],
        )
        return {touch_model.id: count for touch_model, count in groups}

    def _get_weights_comparison(self, touch_models, own, company, churn_counts):
        """One row per touch model of ``touch_models`` with lines: its
        figures with its own weights (the bands of the lines, ``own`` {touch
        model id: [(band, count, churned)]}), with the company's (``company``,
        the same lines re-scored) and the sentence saying which told churn
        better (:meth:`_get_weights_verdict`)."""
        rows = []
        for touch_model in touch_models.sorted("display_name"):
            if touch_model.id not in own:
                continue
            own_figures = self._get_band_figures(own[touch_model.id])
            company_figures = self._get_band_figures(company.get(touch_model.id, []))
            churns = churn_counts.get(touch_model.id, 0)
            rows.append(
                {
                    "touch_model": touch_model,
                    "own": own_figures,
                    "company": company_figures,
                    "churns": churns,
                    "verdict": self._get_weights_verdict(
                        own_figures, company_figures, churns
                    ),
                    "note": company_figures["unscored"]
                    and self.env._(
                        "%(count)s of these month-ends have no score with the "
                        "company's weights (none of their factors with data has "
                        "a company weight): they are in no band, and a churn "
                        "among them counts as not told.",
                        count=company_figures["unscored"],
                    ),
                }
            )
        return rows

    def _get_weights_verdict(self, own, company, churns):
        """Which weights told churn better, in a sentence: the higher lift of
        red over green and the higher recall; with fewer churns than
        :meth:`_get_reliable_churn_count`, too few to tell."""
        if churns < self._get_reliable_churn_count():
            return self.env._(
                "Too few churns to tell (%(count)s in the period).", count=churns
            )

        def lift(figures):
            # no churn in green: red apart from green as well as can be
            if figures["lift"] is not None:
                return figures["lift"]
            return float("inf") if figures["bands"]["red"]["churned"] else 1.0

        lifts = (lift(own), lift(company))
        recalls = (own["recall"] or 0.0, company["recall"] or 0.0)
        if lifts[0] == lifts[1] and recalls[0] == recalls[1]:
            return self.env._("Both weights told churn equally well.")
        if lifts[0] >= lifts[1] and recalls[0] >= recalls[1]:
            return self.env._("Its own weights predicted churn better.")
        if lifts[0] <= lifts[1] and recalls[0] <= recalls[1]:
            return self.env._(
                "The company's weights would have predicted churn better."
            )
        if recalls[0] > recalls[1]:
            return self.env._(
                "Mixed: its own weights caught more of the churns, the "
                "company's would have set red apart from green better."
            )
        return self.env._(
            "Mixed: the company's weights would have caught more of the churns, "
            "its own set red apart from green better."
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
