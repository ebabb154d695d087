# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup
from psycopg2.extras import Json

from odoo import api, fields, models
from odoo.tools import SQL, LazyTranslate, formatLang, ormcache

from ..const import FACTOR_CODES, HEALTH_BANDS

_lt = LazyTranslate(__name__)

# the score "30 days ago" of a customer not scored that very day: the
# nearest day before it, at most a week before
PAST_SCORE_TOLERANCE_DAYS = 7


class CsHealthSnapshot(models.Model):
    """The health score of a customer on one day, kept for the trend."""

    _name = "cs.health.snapshot"
    _description = "Health Score Snapshot"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    score = fields.Float(
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Empty (not 0) on a day without data on any factor.",
    )
    band = fields.Selection(
        HEALTH_BANDS,
        readonly=True,
        # _lt: the export reads no other field attribute than string, help
        # and selection
        falsy_value_label=_lt("No data"),  # pylint: disable=translation-field
    )
    at_risk = fields.Boolean(readonly=True)
    reason_data = fields.Json(
        string="Risk Reason Data",
        readonly=True,
        help='The risk reasons: [{"code": "nps_detractor", "score": 4}, ...].',
    )
    reasons = fields.Text(
        string="Risk Reasons",
        compute="_compute_reasons",
        search="_search_reasons",
        help="The risk reasons, in your language.",
    )
    factor_scores = fields.Json(
        readonly=True,
        help="Per factor: its score (null without data), its weight and the "
        "weight it counted with once missing factors were redistributed.",
    )
    details_html = fields.Html(
        string="Factors", compute="_compute_details_html", sanitize=False
    )
    csm_id = fields.Many2one("res.users", string="Success Manager", readonly=True)
    touch_model_id = fields.Many2one("cs.touch.model", readonly=True)
    # each factor's score of the day, as columns of the row: the history is
    # drawn and averaged per factor without reading the Json, and the daily
    # run still inserts one row per customer (_get_factor_score_fields)
    usage_score = fields.Float(digits=(16, 1), aggregator="avg", readonly=True)
    nps_score = fields.Float(
        string="NPS Score", digits=(16, 1), aggregator="avg", readonly=True
    )
    payment_score = fields.Float(digits=(16, 1), aggregator="avg", readonly=True)
    engagement_score = fields.Float(digits=(16, 1), aggregator="avg", readonly=True)
    onboarding_score = fields.Float(digits=(16, 1), aggregator="avg", readonly=True)
    sentiment_score = fields.Float(digits=(16, 1), aggregator="avg", readonly=True)

    _partner_date_uniq = models.Constraint(
        "UNIQUE(partner_id, date)", "A customer has one health snapshot per day."
    )

    @api.depends("reason_data")
    @api.depends_context("lang")
    def _compute_reasons(self):
        Factor = self.env["cs.health.factor"]
        for snapshot in self:
            snapshot.reasons = Factor._format_reasons(snapshot.reason_data)

    def _search_reasons(self, operator, value):
        return self.env["cs.health.factor"]._search_reason_domain(
            "reason_data", operator, value
        )

    @api.depends("factor_scores")
    def _compute_details_html(self):
        for snapshot in self:
            snapshot.details_html = self._render_factors(snapshot.factor_scores)

    @api.model
    def _render_factors(self, factor_scores):
        """A small table of the factors: score, weight and effective weight."""
        if not factor_scores:
            return False
        names = dict(FACTOR_CODES)
        labels = dict(
            self.env["cs.health.factor"]
            ._fields["code"]
            ._description_selection(self.env)
        )
        rows = Markup()
        for code, data in factor_scores.items():
            rows += Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td><td class='text-end'>%s</td></tr>"
            ) % (
                labels.get(code, names.get(code, code)),
                self._format_factor_score(data),
                f"{data.get('weight', 0):.0f}%",
                f"{data.get('effective', 0):.0f}%",
            )
        head = Markup(
            "<table class='table table-sm o_cs_health_factors'><thead><tr>"
            "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th></tr></thead><tbody>"
        ) % (
            self.env._("Factor"),
            self.env._("Score"),
            self.env._("Weight"),
            self.env._("Counted"),
        )
        note = Markup()
        if any(data.get("score") is None for data in factor_scores.values()):
            note = Markup("<p class='text-muted small'>%s</p>") % self.env._(
                "Factors without data do not count as zero: their weight is "
                "shared among the others (column Counted)."
            )
        return head + rows + Markup("</tbody></table>") + note

    @api.model
    def _format_factor_score(self, data):
        """The score of one factor in the table: the score, no data, or how
        stale its data is."""
        score = data.get("score")
        if score is not None:
            return f"{score:.0f}"
        if data.get("stale_days"):
            return self.env._("no data for %(days)s days", days=data["stale_days"])
        return self.env._("no data")

    @api.model
    @ormcache()
    def _get_factor_score_fields(self):
        """The column of each factor's score: {factor code: field name}. A
        module adding a factor adds its ``<code>_score`` field."""
        return {
            code: f"{code}_score"
            for code in self.env["cs.health.factor"]
            ._fields["code"]
            .get_values(self.env)
            if f"{code}_score" in self._fields
        }

    @api.model
    def _format_factor_moves(self, current, past):
        """How much each factor moved the score from the factor scores
        ``past`` to ``current`` (both as stored in ``factor_scores``), in the
        language of this environment: "Product Usage -12.4; NPS +3.0".

        A factor's part of the score is its score times the weight it counted
        with (``effective``); the moves sum to the change of the score."""
        if not current or not past:
            return False
        labels = dict(
            self.env["cs.health.factor"]
            ._fields["code"]
            ._description_selection(self.env)
        )

        def part(data):
            score = (data or {}).get("score")
            return 0.0 if score is None else score * data.get("effective", 0) / 100

        # in the order of the factors (the Json keeps no order)
        order = {code: index for index, code in enumerate(labels)}
        moves = []
        for code in sorted({*current, *past}, key=lambda code: order.get(code, 99)):
            # + 0.0: no "-0.0"
            move = round(part(current.get(code)) - part(past.get(code)), 1) + 0.0
            text = formatLang(self.env, move, digits=1)
            moves.append(
                self.env._(
                    "%(factor)s %(move)s",
                    factor=labels.get(code, code),
                    move=f"+{text}" if move > 0 else text,
                )
            )
        return self.env._("; ").join(moves)

    # ------------------------------------------------------------------
    # The health engine: the factors score, the snapshot keeps the day
    # ------------------------------------------------------------------

    @api.model
    def _compute_for(self, partners, today):
        """Score ``partners`` on the factors of their company, store their
        health fields (with the seats their plans' users are nearly full
        since) and the day's snapshot, and follow up the customers turning
        red."""
        # the engine runs with the rights of the caller's customers
        Snapshot = self.with_env(partners.env)
        Factor = Snapshot.env["cs.health.factor"]
        company_of = Factor._get_company_by_partner(partners)
        by_company = {}
        for partner in partners:
            by_company.setdefault(company_of[partner], []).append(partner.id)
        past, drop_from = Snapshot._get_past_scores(partners, today)
        seat_usage = Factor._get_seat_usage(partners, today)
        scored_on = fields.Date.context_today(partners)
        health_values, snapshot_values, turned_red = {}, [], []
        for company, partner_ids in by_company.items():
            customers = partners.browse(partner_ids)
            touch_models = customers.touch_model_id
            factors = Factor._get_scoring_factors(company, touch_models)
            # plain data from here on: the loop below runs once per customer
            weights_of = Factor._get_weights_by_touch_model(
                company, factors, touch_models
            )
            scores = {
                factor.code: {
                    partner.id: result
                    for partner, result in factor._score(customers, today).items()
                }
                for factor in factors
            }
            for partner in customers:
                weights = weights_of.get(partner.touch_model_id.id, weights_of[False])
                values = Snapshot._prepare_partner_values(
                    company,
                    weights,
                    {code: scores[code][partner.id] for code in weights},
                    past.get(partner.id),
                    scored_on,
                    drop_from=drop_from.get(partner.id),
                )
                values.update(
                    partner._cs_prepare_seats_values(seat_usage.get(partner), today)
                )
                if values["health_band"] == "red" and partner.health_band != "red":
                    turned_red.append(partner.id)
                health_values[partner.id] = values
                snapshot_values.append(
                    Snapshot._prepare_snapshot_values(partner, company, today, values)
                )
        partners._cs_store_health_values(health_values)
        Snapshot._insert_snapshots(snapshot_values)
        partners.invalidate_recordset(["health_snapshot_ids"])
        Snapshot._clear_empty_scores(partners)
        partners.browse(turned_red)._cs_on_turned_red(today)

    @api.model
    def _get_past_scores(self, partners, today):
        """The scores of ``partners`` 30 days before ``today``, in one
        grouped read of the snapshots of that day and the week before it:
        ``(past, drop_from)``, {partner id: score}, ``past`` the score of
        that very day (the trend), ``drop_from`` the score of the nearest
        day on or before it (the drop in 30 days: a day without a run is no
        day without a score)."""
        day = today - timedelta(days=30)
        nearest = {}
        for partner, date, score in self._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("date", "<=", day),
                ("date", ">=", day - timedelta(days=PAST_SCORE_TOLERANCE_DAYS)),
                ("band", "!=", False),
            ],
            groupby=["partner_id", "date:day"],
            aggregates=["score:max"],
        ):
            if partner.id not in nearest or nearest[partner.id][0] < date:
                nearest[partner.id] = (date, score)
        past = {
            partner_id: score
            for partner_id, (date, score) in nearest.items()
            if date == day
        }
        return past, {
            partner_id: score for partner_id, (_date, score) in nearest.items()
        }

    @api.model
    def _prepare_partner_values(
        self, company, weights, scores, past_score, date, drop_from=None
    ):
        """The health fields of a customer scored on ``date`` by the factors
        of ``company``: ``weights`` {factor code: weight}, ``scores`` {factor
        code: (score or None, reasons)}; ``past_score`` is its score 30 days
        before, if any, and ``drop_from`` that of the nearest day on or
        before (the points it dropped in 30 days, ``health_drop_30d``).

        ``usage_drop_30d`` is how much usage fell in 30 days, in percent:
        the largest drop of a usage metric the usage factor gives as a risk
        reason (the last 30 days against the 30 before), else 0.

        A factor without data counts with no weight: the weights of the
        factors with data are scaled up to 100.
        """
        total = sum(weights.values())
        known_weight = sum(
            weights[code]
            for code, (value, _reasons) in scores.items()
            if value is not None
        )
        details, reasons = {}, []
        usage_drop = max(
            (
                -reason["change"]
                for reason in scores.get("usage", (None, []))[1]
                if reason.get("code") == "usage_drop"
            ),
            default=0.0,
        )
        for code, (score, factor_reasons) in scores.items():
            weight = weights[code]
            reasons += factor_reasons
            details[code] = {
                "score": None if score is None else round(score, 1),
                "weight": weight / total * 100 if total else 0.0,
                "effective": (
                    weight / known_weight * 100
                    if score is not None and known_weight
                    else 0.0
                ),
            }
            stale = [r["days"] for r in factor_reasons if r.get("code") == "stale"]
            if stale:
                details[code]["stale_days"] = stale[0]
        if not known_weight:
            return {
                "health_score": 0.0,
                "health_band": False,
                "health_at_risk": False,
                # stale or expired data, said even without a score
                "health_reason_data": reasons or False,
                "health_date": date,
                "health_trend": 0.0,
                "health_drop_30d": 0.0,
                "usage_drop_30d": float(usage_drop),
                "health_factor_scores": details,
            }
        score = sum(
            weights[code] * value
            for code, (value, _reasons) in scores.items()
            if value is not None
        )
        score = round(score / known_weight, 1)
        band = company._cs_health_band(score)
        return {
            "health_score": score,
            "health_band": band,
            "health_at_risk": band == "red" or (band == "yellow" and bool(reasons)),
            "health_reason_data": reasons or False,
            "health_date": date,
            "health_trend": score - past_score if past_score is not None else 0.0,
            "health_drop_30d": (
                round(drop_from - score, 1) if drop_from is not None else 0.0
            ),
            "usage_drop_30d": float(usage_drop),
            "health_factor_scores": details,
        }

    @api.model
    def _prepare_snapshot_values(self, partner, company, today, values):
        """The snapshot of ``partner`` on ``today``, from its health field
        ``values``."""
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "date": today,
            "score": values["health_score"],
            "band": values["health_band"],
            "at_risk": values["health_at_risk"],
            "reason_data": values["health_reason_data"],
            "factor_scores": values["health_factor_scores"],
            "csm_id": partner.csm_id.id,
            "touch_model_id": partner.touch_model_id.id,
            **{
                name: (values["health_factor_scores"].get(code) or {}).get("score")
                for code, name in self._get_factor_score_fields().items()
            },
        }

    @api.model
    def _insert_snapshots(self, values_list):
        """Create the day's snapshots, ``values_list`` as for ``create``, in
        one statement.

        The fast path of ``create`` for the daily run: ``create`` costs a
        third of the run at 20,000 customers (the cache, the conversions and
        the JSON of each value, twice), and a snapshot is a row of plain
        values nobody tracks or computes from. ``create`` stays the reference:
        ``test_snapshot_insert_matches_create`` holds both equal."""
        if not values_list:
            return
        self.check_access("create")
        uid, now = self.env.uid, self.env.cr.now()
        factor_fields = list(self._get_factor_score_fields().values())
        columns = [
            "partner_id",
            "company_id",
            "date",
            "score",
            "band",
            "at_risk",
            "reason_data",
            "factor_scores",
            "csm_id",
            "touch_model_id",
            *factor_fields,
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        ]
        rows = [
            SQL(
                "(%s)",
                SQL(", ").join(
                    [
                        values["partner_id"],
                        values["company_id"],
                        values["date"],
                        # a score without a band is "no data": empty, which the
                        # ORM would not leave (it writes 0.0)
                        values["score"] if values.get("band") else None,
                        values.get("band") or None,
                        bool(values.get("at_risk")),
                        # as the ORM stores a Json value: an empty one is NULL
                        Json(values["reason_data"])
                        if values.get("reason_data")
                        else None,
                        Json(values["factor_scores"])
                        if values.get("factor_scores")
                        else None,
                        values.get("csm_id") or None,
                        values.get("touch_model_id") or None,
                        # a factor without data: empty, not 0
                        *(values.get(name) for name in factor_fields),
                        uid,
                        now,
                        uid,
                        now,
                    ]
                ),
            )
            for values in values_list
        ]
        self.env.cr.execute(
            SQL(
                "INSERT INTO cs_health_snapshot (%s) VALUES %s",
                SQL(", ").join(map(SQL.identifier, columns)),
                SQL(", ").join(rows),
            )
        )
        self.invalidate_model()

    @api.model
    def _clear_empty_scores(self, partners):
        """Empty the score of ``partners`` where no factor had data (no band).

        The ORM writes 0.0 for an empty float, and a 0 would count in every
        average (grouped lists, Health History) as a very bad score. The
        day's snapshots are inserted with an empty score already
        (_insert_snapshots)."""
        if not partners:
            return
        partners.flush_model(["health_score", "health_band"])
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET health_score = NULL"
                " WHERE id IN %s AND health_band IS NULL",
                tuple(partners.ids),
            )
        )
        partners.invalidate_recordset(["health_score"])
