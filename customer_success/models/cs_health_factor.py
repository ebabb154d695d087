# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..const import FACTOR_CODES, SENTIMENT_SCORES

_logger = logging.getLogger(__name__)

USAGE_METRICS = ("active_users", "logins")
# one reason of each kind, to search the reasons by their text
REASON_SAMPLES = [
    *(
        {
            "code": "usage_drop",
            "metric": metric,
            "change": "",
            "key": {"metric": metric},
        }
        for metric in USAGE_METRICS
    ),
    {"code": "nps_detractor", "score": ""},
    {"code": "paid_late", "count": 1},
    {"code": "paid_late", "count": 2},
    {"code": "overdue", "count": 1},
    {"code": "overdue", "count": 2},
    {"code": "checkin_overdue"},
    {"code": "no_touch", "days": ""},
    {"code": "bouncing"},
    {"code": "onboarding_late"},
    *(
        {"code": "stale", "factor": code, "days": "", "key": {"factor": code}}
        for code, _label in FACTOR_CODES
    ),
    {"code": "sentiment_expired", "date": ""},
    {"code": "sentiment_at_risk"},
]


class CsHealthFactor(models.Model):
    """One weighted signal of the health score. Each scores a customer from 0
    to 100, or not at all when it has no data: its weight then goes to the
    other factors."""

    _name = "cs.health.factor"
    _description = "Health Score Factor"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(FACTOR_CODES, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    weight = fields.Integer(
        default=20,
        help="Relative weight. Weights that do not sum to 100 are normalised.",
    )
    normalized_weight = fields.Float(
        string="Share (%)",
        compute="_compute_normalized_weight",
        digits=(16, 1),
        help="The weight's share of the active factors of the company.",
    )
    description = fields.Text(translate=True)
    stale_days = fields.Integer(
        string="Stale After (Days)",
        help="When the newest input of this factor for a customer is older than "
        "this many days, the factor counts as no data for that customer, and its "
        "risk reasons say so. Zero: old data never goes stale.",
    )
    can_go_stale = fields.Boolean(
        compute="_compute_can_go_stale",
        help="Whether the inputs of this factor are dated (usage, NPS): only "
        "those can go stale.",
    )

    _company_code_uniq = models.Constraint(
        "UNIQUE(company_id, code)", "Each factor appears once per company."
    )

    @api.depends("weight", "active", "company_id")
    def _compute_normalized_weight(self):
        totals = dict(
            self.sudo()._read_group(
                [("company_id", "in", self.company_id.ids)],
                groupby=["company_id"],
                aggregates=["weight:sum"],
            )
        )
        for factor in self:
            total = totals.get(factor.company_id, 0)
            factor.normalized_weight = (
                factor.weight / total * 100 if total and factor.active else 0.0
            )

    @api.depends("code")
    def _compute_can_go_stale(self):
        for factor in self:
            factor.can_go_stale = hasattr(factor, f"_newest_{factor.code}")

    @api.constrains("stale_days")
    def _check_stale_days(self):
        for factor in self:
            if factor.stale_days < 0:
                raise ValidationError(
                    self.env._(
                        "The days after which %(factor)s goes stale cannot be "
                        "negative.",
                        factor=factor.name,
                    )
                )

    @api.constrains("weight")
    def _check_weight(self):
        for factor in self:
            if factor.weight < 0 or factor.weight > 100:
                raise ValidationError(
                    self.env._(
                        "The weight of the health factor %(factor)s must be "
                        "between 0 and 100.",
                        factor=factor.name,
                    )
                )

    @api.model
    def _weight_warning(self, company):
        """A sentence for the settings when the weights of ``company`` do not
        sum to 100; empty otherwise."""
        factors = self.search([("company_id", "=", company.id)])
        total = sum(factors.mapped("weight"))
        if not factors or total == 100:
            return ""
        if not total:
            return self.env._(
                "All health factor weights are zero: no health score can be computed."
            )
        return self.env._(
            "The health factor weights sum to %(total)s, not 100: each weight "
            "counts as its share of %(total)s.",
            total=total,
        )

    @api.model
    def _get_scoring_factors(self, company, touch_models=None):
        """The factors that score the customers of ``company``: those with a
        weight, in the company or in one of ``touch_models``."""
        factors = self.search([("company_id", "=", company.id)])
        weighted = {factor for factor in factors if factor.weight > 0}
        total = sum(factor.weight for factor in weighted)
        if total and total != 100:
            _logger.warning(
                "Health factor weights of %s sum to %s: normalised.",
                company.name,
                total,
            )
        for model in touch_models or ():
            codes = {
                code
                for code, weight in (model._get_factor_weights() or {}).items()
                if weight > 0
            }
            weighted.update(factor for factor in factors if factor.code in codes)
        return factors.filtered(lambda factor: factor in weighted)

    @api.model
    def _get_weights_by_touch_model(self, company, factors, touch_models):
        """The weights each customer of ``company`` is scored with:
        {touch model id: {factor code: weight}}, the company's weights under
        False and for the touch models without weights of their own. Only
        the ``factors`` that score and weights above zero appear."""
        codes = set(factors.mapped("code"))
        default = {
            factor.code: factor.weight for factor in factors if factor.weight > 0
        }
        result = {False: default}
        for model in touch_models:
            own = model._get_factor_weights() if model.company_id == company else None
            result[model.id] = (
                default
                if own is None
                else {
                    code: weight
                    for code, weight in own.items()
                    if weight > 0 and code in codes
                }
            )
        return result

    @api.model
    def _get_company_by_partner(self, partners):
        """The company whose factors and bands rate each customer:
        {partner: company}. Its own, else the one it subscribes with (a
        subscription in progress first), else the current one."""
        # each customer's company comes from its subscriptions: read them all
        # at once, not customer by customer
        partners.cs_subscription_ids.fetch(["company_id", "stage_id"])
        result = {}
        for partner in partners:
            company = partner.company_id
            if not company:
                subscriptions = partner.cs_subscription_ids
                running = (
                    sub for sub in subscriptions if sub.stage_id.type == "in_progress"
                )
                subscription = next(running, subscriptions[:1])
                company = subscription.company_id
            result[partner] = company or self.env.company
        return result

    @api.model
    def _get_plan_users(self, partners):
        """Users included in the running plans of each customer, where the
        plans say: {customer: users}."""
        groups = (
            self.env["sale.subscription"]
            .sudo()
            ._read_group(
                [
                    ("cs_commercial_partner_id", "in", partners.ids),
                    ("stage_id.type", "=", "in_progress"),
                    ("template_id.cs_included_users", ">", 0),
                ],
                groupby=["cs_commercial_partner_id", "template_id"],
                aggregates=["__count"],
            )
        )
        users = defaultdict(int)
        for customer, template, count in groups:
            users[customer] += template.cs_included_users * count
        return users

    @api.model
    def _get_seat_usage(self, partners, today):
        """The seats used by each customer whose running plans say how many
        users they include: {customer: (active users, users of the plans)},
        the active users being the newest value pushed in the 30 days up to
        ``today`` (the window of the usage factor). Two grouped reads and a
        search, whatever the number of customers."""
        seats = self._get_plan_users(partners)
        if not seats:
            return {}
        Metric = self.env["cs.usage.metric"].sudo()
        domain = (
            Domain("partner_id", "in", [partner.id for partner in seats])
            & Domain("metric", "=", "active_users")
            & Domain("date", ">", today - timedelta(days=30))
            & Domain("date", "<=", today)
        )
        newest = dict(Metric._read_group(domain, ["partner_id"], ["date:max"]))
        if not newest:
            return {}
        active = {}
        for metric in Metric.search_fetch(
            domain & Domain("date", "in", list(set(newest.values()))),
            ["partner_id", "date", "value"],
        ):
            if newest[metric.partner_id] == metric.date:
                active[metric.partner_id] = metric.value
        return {partner: (value, seats[partner]) for partner, value in active.items()}

    # ------------------------------------------------------------------
    # Scoring: each returns {partner: (score or None, [reasons])}, a reason
    # being a dict {"code": ..., and its values}: the text is made when it
    # is read, in the language of the reader (_format_reasons)
    # ------------------------------------------------------------------

    @api.model
    def _format_reasons(self, reason_data):
        """The risk reasons ``reason_data`` as one line, in the language of
        this environment; False without reasons."""
        texts = [self._format_reason(reason) for reason in reason_data or []]
        return "; ".join(text for text in texts if text) or False

    @api.model
    def _format_reason(self, reason):
        """The text of one risk reason, in the language of this environment.

        A reason of code ``text`` is a text kept as it was written (the
        reasons stored as text by former versions)."""
        code = reason.get("code")
        if code == "usage_drop":
            metrics = {
                "active_users": self.env._("active users"),
                "logins": self.env._("logins"),
            }
            metric = reason.get("metric") or ""
            return self.env._(
                "%(metric)s %(change)s%% in 30 days",
                metric=metrics.get(metric) or metric.replace("_", " "),
                change=reason.get("change"),
            )
        if code == "nps_detractor":
            return self.env._("NPS detractor (%(score)s)", score=reason.get("score"))
        if code == "paid_late":
            if reason.get("count", 1) > 1:
                return self.env._("%(count)s invoices paid late", count=reason["count"])
            return self.env._("1 invoice paid late")
        if code == "overdue":
            if reason.get("count", 1) > 1:
                return self.env._("%(count)s invoices overdue", count=reason["count"])
            return self.env._("1 invoice overdue")
        if code == "checkin_overdue":
            return self.env._("check-in overdue")
        if code == "no_touch":
            return self.env._("no touch in %(days)s days", days=reason.get("days"))
        if code == "bouncing":
            return self.env._("e-mails bouncing")
        if code == "onboarding_late":
            return self.env._("onboarding late")
        if code == "stale":
            labels = dict(self._fields["code"]._description_selection(self.env))
            factor = reason.get("factor") or ""
            return self.env._(
                "%(factor)s: no data pushed for %(days)s days",
                factor=labels.get(factor, factor),
                days=reason.get("days"),
            )
        if code == "sentiment_expired":
            day = reason.get("date")
            return self.env._(
                "sentiment expired on %(date)s",
                date=format_date(self.env, day) if day else "",
            )
        if code == "sentiment_at_risk":
            return self.env._("the success manager sees the customer at risk")
        return reason.get("text") or False

    @api.model
    def _get_reason_samples(self):
        """One reason of each kind, to search the reasons by their text; a
        module adding a factor adds the samples of its reasons."""
        return list(REASON_SAMPLES)

    @api.model
    def _search_reason_domain(self, field_name, operator, value):
        """The domain of the records whose risk reasons, stored as data in
        the Json field ``field_name``, read in the language of this
        environment, contain ``value``."""
        if operator != "ilike" or not isinstance(value, str):
            return NotImplemented
        needle = value.casefold()
        matching = [
            sample
            for sample in self._get_reason_samples()
            if needle in (self._format_reason(sample) or "").casefold()
        ]

        def to_sql(model, alias, query):
            column = SQL.identifier(alias, field_name)
            # the reasons kept as text, and the values (scores, counts)
            conditions = [SQL("%s::text ILIKE %s", column, f"%{value}%")]
            conditions += [
                SQL(
                    "%s @> %s::jsonb",
                    column,
                    json.dumps([{"code": sample["code"]} | sample.get("key", {})]),
                )
                for sample in matching
            ]
            return SQL("(%s)", SQL(" OR ").join(conditions))

        return Domain.custom(to_sql=to_sql)

    def _score(self, partners, today):
        """Score ``partners`` on this factor; a customer whose newest input
        is older than the factor's limit (``stale_days``) has no data, and a
        reason that says so."""
        self.ensure_one()
        result = getattr(self, f"_score_{self.code}")(partners, today)
        if not (self.stale_days and self.can_go_stale):
            return result
        newest = getattr(self, f"_newest_{self.code}")(partners, today)
        for partner, day in newest.items():
            age = (today - day).days
            if age > self.stale_days and partner in result:
                result[partner] = (
                    None,
                    [{"code": "stale", "factor": self.code, "days": age}],
                )
        return result

    @api.model
    def _newest_usage(self, partners, today):
        """The day of the newest usage of each customer: {partner: date}."""
        return dict(
            self.env["cs.usage.metric"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("metric", "in", USAGE_METRICS),
                    ("date", "<=", today),
                ],
                groupby=["partner_id"],
                aggregates=["date:max"],
            )
        )

    @api.model
    def _newest_nps(self, partners, today):
        """The day of the newest NPS answer of each customer: {partner:
        date}."""
        return dict(
            self.env["cs.nps.response"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partners.ids), ("date", "<=", today)],
                groupby=["partner_id"],
                aggregates=["date:max"],
            )
        )

    @api.model
    def _score_usage(self, partners, today):
        """Active users against the users of the plan, else the trend of each
        metric over the last 30 days against the 30 before."""
        Metric = self.env["cs.usage.metric"].sudo()
        base = Domain("partner_id", "in", partners.ids) & Domain(
            "metric", "in", USAGE_METRICS
        )
        current, previous = (
            {
                (partner, metric): value
                for partner, metric, value in Metric._read_group(
                    base & Domain("date", ">", start) & Domain("date", "<=", end),
                    groupby=["partner_id", "metric"],
                    aggregates=["value:avg"],
                )
            }
            for start, end in (
                (today - timedelta(days=30), today),
                (today - timedelta(days=60), today - timedelta(days=30)),
            )
        )
        seats = self._get_plan_users(partners)
        result = {}
        for partner in partners:
            scores, reasons = [], []
            for metric in USAGE_METRICS:
                now, before = (
                    current.get((partner, metric)),
                    previous.get((partner, metric)),
                )
                if now is None and before is None:
                    continue
                now = now or 0.0
                if metric == "active_users" and seats.get(partner):
                    scores.append(min(100.0, now / seats[partner] * 100))
                elif before:
                    scores.append(min(100.0, now / before * 100))
                else:
                    scores.append(100.0 if now else 0.0)
                if before and now < before * 0.8:
                    reasons.append(
                        {
                            "code": "usage_drop",
                            "metric": metric,
                            "change": round((now - before) / before * 100),
                        }
                    )
            result[partner] = (
                (sum(scores) / len(scores), reasons) if scores else (None, [])
            )
        return result

    @api.model
    def _score_nps(self, partners, today):
        """The last NPS score of the year, times ten."""
        responses = (
            self.env["cs.nps.response"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("date", ">", today - timedelta(days=365)),
                    ("date", "<=", today),
                ],
                order="date desc, id desc",
            )
        )
        last = {}
        for response in responses:
            last.setdefault(response.partner_id, response)
        result = {}
        for partner in partners:
            response = last.get(partner)
            if not response:
                result[partner] = (None, [])
                continue
            reasons = (
                [{"code": "nps_detractor", "score": response.score}]
                if response.category == "detractor"
                else []
            )
            result[partner] = (response.score * 10.0, reasons)
        return result

    @api.model
    def _score_payment(self, partners, today):
        """The share of invoices paid on time, less 30 while an invoice is
        overdue today; from the billing-health figures of the customer."""
        overdue = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                Domain("commercial_partner_id", "in", partners.ids)
                & self.env["account.move"]._cs_get_open_invoice_domain()
                & Domain("invoice_date_due", "<", today),
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        result = {}
        for partner in partners:
            count = partner.cs_invoice_count
            if not count:
                result[partner] = (None, [])
                continue
            late = partner.cs_late_paid_count
            score = (count - late) / count * 100
            reasons = []
            if late:
                reasons.append({"code": "paid_late", "count": late})
            if overdue.get(partner):
                score -= 30
                reasons.append({"code": "overdue", "count": overdue[partner]})
            result[partner] = (max(0.0, score), reasons)
        return result

    @api.model
    def _score_engagement(self, partners, today):
        """Check-ins done on time, the last touch within the cadence, and
        e-mails that arrive."""
        result = {}
        for partner in partners:
            model = partner.touch_model_id
            tracked = model and model.checkin_mode != "none"
            if not tracked and not partner.billing_comm_issue:
                result[partner] = (None, [])
                continue
            score, reasons = 100.0, []
            if tracked:
                if partner.overdue_checkin_count:
                    score -= 40
                    reasons.append({"code": "checkin_overdue"})
                limit = today - timedelta(days=2 * (model.checkin_interval or 30))
                if partner.last_touch_date and partner.last_touch_date < limit:
                    score -= 30
                    reasons.append(
                        {
                            "code": "no_touch",
                            "days": (today - partner.last_touch_date).days,
                        }
                    )
            if partner.billing_comm_issue:
                score -= 40
                reasons.append({"code": "bouncing"})
            result[partner] = (max(0.0, score), reasons)
        return result

    @api.model
    def _score_onboarding(self, partners, today):
        """Done: 100. In progress: 50 to 100 with the stage reached; 30 when
        past its target activation date."""
        onboardings = (
            self.env["cs.onboarding"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "in", ("in_progress", "done")),
                ],
                order="id desc",
            )
        )
        latest = {}
        for onboarding in onboardings:
            latest.setdefault(onboarding.partner_id, onboarding)
        stages = {}
        result = {}
        for partner in partners:
            onboarding = latest.get(partner)
            if not onboarding:
                result[partner] = (None, [])
            elif onboarding.state == "done":
                result[partner] = (100.0, [])
            elif (
                onboarding.target_activation_date
                and not onboarding.activation_date
                and onboarding.target_activation_date < today
            ):
                result[partner] = (30.0, [{"code": "onboarding_late"}])
            else:
                company = onboarding.company_id
                if company not in stages:
                    stages[company] = onboarding._get_stages(company)
                ordered = stages[company]
                reached = (
                    list(ordered).index(onboarding.stage_id) + 1
                    if onboarding.stage_id in ordered
                    else 0
                )
                result[partner] = (50.0 + 50.0 * reached / max(len(ordered), 1), [])
        return result

    def _score_sentiment(self, partners, today):
        """The success manager's last sentiment: good 100, neutral 50, at
        risk 0, while it is valid in the factor's company; expired, no
        data."""
        company = self.company_id
        # sudo: the engine scores every customer of the batch, whoever
        # recorded their sentiment
        latest = self.env["cs.sentiment"].sudo()._get_latest(partners, today, company)
        result = {}
        for partner in partners:
            sentiment = latest.get(partner)
            if not sentiment:
                result[partner] = (None, [])
                continue
            expiry = sentiment._expiry_of(sentiment.date, company)
            if expiry < today:
                result[partner] = (
                    None,
                    # the first day it no longer counted
                    [
                        {
                            "code": "sentiment_expired",
                            "date": (expiry + timedelta(days=1)).isoformat(),
                        }
                    ],
                )
                continue
            reasons = (
                [{"code": "sentiment_at_risk"}] if sentiment.value == "at_risk" else []
            )
            result[partner] = (SENTIMENT_SCORES[sentiment.value], reasons)
        return result
