# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_date

TREND_MONTHS = 12


class CsDashboard(models.AbstractModel):
    """The figures of the customer-success dashboard, in one call, from the
    records the user may read (a CSM sees their portfolio's)."""

    _name = "cs.dashboard"
    _description = "Customer Success Dashboard"

    @api.model
    def get_data(self):
        """Everything the dashboard shows, each card with the action that
        opens the list behind it."""
        company = self.env.company
        month = fields.Date.context_today(self).replace(day=1)
        Movement = self.env["cs.mrr.movement"]
        current = Movement._kpis(company, month)
        # the amount paid so far is not a figure of the month: read once
        previous = Movement._kpis(
            company,
            month - relativedelta(months=1),
            cltv_paid=current["cltv_paid"],
        )
        current["save_rate"], previous["save_rate"] = self._get_save_rates(
            company, month
        )
        current.update(self._get_cta_figures(company, month))
        cta_types = current.pop("cta_by_type")
        return {
            "company": company.name,
            "currency": {
                "symbol": company.currency_id.symbol,
                "position": company.currency_id.position,
            },
            "month": format_date(self.env, month, date_format="MMMM y"),
            "cards": self._get_cards(current, previous, month),
            "mrr_trend": self._get_mrr_trend(company, month),
            "nps_trend": self._get_nps_trend(company, month),
            "health": self._get_health_bands(),
            "health_average": self._get_health_average(),
            "dunning": self._get_dunning_steps(company),
            "onboardings": self._get_onboarding_stages(),
            "cta_types": self._get_cta_types(company, cta_types),
            "at_risk": self._get_at_risk(),
            "cohorts": self._get_cohorts(company, month),
            "csms": self._get_csm_performance(company, month),
        }

    # ------------------------------------------------------------------

    def _act(self, model, domain, name, views=("list", "form"), context=None):
        # the name comes last: Odoo's term extractor reads the tuples that
        # follow a translated string in the same call as more terms
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": [[False, view] for view in views],
            "context": context or {},
        }

    def _get_cards(self, current, previous, month):
        company = self.env.company
        of_company = [("company_id", "=", company.id)]
        month_domain = [*of_company, ("month", "=", fields.Date.to_string(month))]
        movements = self._act(
            "cs.mrr.movement",
            month_domain,
            self.env._("MRR Movements"),
            views=("list", "pivot", "graph"),
        )
        churned = self._act(
            "cs.mrr.movement",
            [*month_domain, ("movement", "=", "churn")],
            self.env._("Churned This Month"),
        )
        subscriptions = self._act(
            "sale.subscription",
            [*of_company, ("cs_mrr", ">", 0)],
            self.env._("Running Subscriptions"),
            views=("list", "form"),
        )
        paused = self._act(
            "sale.subscription",
            [*of_company, ("cs_paused_mrr", ">", 0)],
            self.env._("Paused Subscriptions"),
        )
        responses = self._act(
            "cs.nps.response",
            [*of_company, ("date", ">=", fields.Date.to_string(month))],
            self.env._("NPS Responses"),
        )
        paid = self._act(
            "account.move",
            list(self.env["cs.mrr.movement"]._get_cltv_paid_domain(company)),
            self.env._("Customer Invoices"),
        )
        value = self._act(
            "res.partner",
            [("first_value_date", ">=", fields.Date.to_string(month))],
            self.env._("Time to Value"),
        )
        saves = self._act(
            "cs.retention.request",
            [*of_company, ("date_decided", ">=", fields.Date.to_string(month))],
            self.env._("Cancellation Requests"),
            views=("list", "form", "pivot"),
        )
        ctas = self._act(
            "cs.cta",
            [*of_company, ("state", "in", ("open", "in_progress", "snoozed"))],
            self.env._("Calls to Action"),
            views=("list", "kanban", "form"),
        )
        overdue = self._act(
            "cs.cta",
            [*of_company, ("is_overdue", "=", True)],
            self.env._("Overdue Calls to Action"),
        )
        closed = self._act(
            "cs.cta",
            [
                *of_company,
                ("date_closed", ">=", fields.Date.to_string(month)),
                ("state", "=", "done"),
            ],
            self.env._("Calls to Action Closed This Month"),
            views=("list", "pivot", "form"),
        )
        specs = [
            ("mrr", self.env._("MRR"), "money", True, movements),
            ("arr", self.env._("ARR"), "money", True, subscriptions),
            ("arpu", self.env._("ARPU"), "money", True, subscriptions),
            ("paused_mrr", self.env._("Paused MRR"), "money", None, paused),
            ("logo_churn_rate", self.env._("Logo Churn"), "percent", False, churned),
            (
                "revenue_churn_rate",
                self.env._("Revenue Churn"),
                "percent",
                False,
                churned,
            ),
            (
                "net_revenue_retention",
                self.env._("Net Revenue Retention"),
                "percent",
                True,
                movements,
            ),
            (
                "renewal_rate",
                self.env._("Renewal Rate"),
                "percent",
                True,
                subscriptions,
            ),
            ("cltv", self.env._("CLTV (ARPU / churn)"), "money", True, movements),
            ("cltv_paid", self.env._("CLTV (paid so far)"), "money", True, paid),
            ("save_rate", self.env._("Save Rate"), "percent", True, saves),
            ("cta_open", self.env._("Open Calls to Action"), "count", None, ctas),
            (
                "cta_overdue",
                self.env._("Overdue Calls to Action"),
                "count",
                None,
                overdue,
            ),
            ("cta_saved_rate", self.env._("Risks Saved"), "percent", True, closed),
            ("cta_won_mrr", self.env._("Expansion MRR Won"), "money", True, closed),
            ("nps", self.env._("NPS"), "number", True, responses),
            ("avg_ttv", self.env._("Average TTV (days)"), "number", False, value),
        ]
        cards = []
        for key, label, kind, higher_is_better, action in specs:
            now, before = current.get(key), previous.get(key)
            delta = (
                now - before
                if isinstance(now, (int, float)) and isinstance(before, (int, float))
                else None
            )
            cards.append(
                {
                    "key": key,
                    "label": label,
                    "kind": kind,
                    "value": now,
                    "delta": delta,
                    "good": None
                    if delta in (None, 0) or higher_is_better is None
                    else (delta > 0) == higher_is_better,
                    "action": action,
                }
            )
        return cards

    def _get_csm_cta_figures(self, company, month):
        """Per success manager, over the last 3 months: the share of their
        calls to action closed by the due date, and of their risks closed
        that were saved (one grouped query). Judged by the loyalty they
        create, not by speed alone (seed 001)."""
        since = month - relativedelta(months=2)
        rows = defaultdict(lambda: {"closed": 0, "in_time": 0, "saved": 0, "lost": 0})
        for user, outcome, count, in_time in self.env["cs.cta"]._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("date_closed", ">=", since),
                ("user_id", "!=", False),
            ],
            ["user_id", "outcome"],
            ["__count", "closed_in_time:sum"],
        ):
            row = rows[user]
            row["closed"] += count
            row["in_time"] += in_time
            row["saved"] += count if outcome == "saved" else 0
            row["lost"] += count if outcome in ("lost", "churned") else 0
        return {
            user: {
                "cta_in_time": round(100.0 * row["in_time"] / row["closed"], 1),
                "cta_saved_rate": round(
                    100.0 * row["saved"] / (row["saved"] + row["lost"]), 1
                )
                if row["saved"] + row["lost"]
                else None,
            }
            for user, row in rows.items()
        }

    def _get_cta_figures(self, company, month):
        """Open and overdue calls to action, the share of the risks closed
        this month that were saved, and the expansion MRR won this month: one
        grouped query."""
        figures = {"cta_open": 0, "cta_overdue": 0, "cta_won_mrr": 0.0}
        # the open ones by type: [open, overdue]
        by_type = defaultdict(lambda: [0, 0])
        saved = lost = 0
        today = fields.Date.context_today(self)
        for cta_type, state, outcome, overdue, closed_now, count, mrr in self.env[
            "cs.cta"
        ]._read_group(
            [("company_id", "=", company.id)],
            ["cta_type", "state", "outcome", "date_due:day", "date_closed:month"],
            ["__count", "outcome_mrr:sum"],
        ):
            if state in ("open", "in_progress", "snoozed"):
                figures["cta_open"] += count
                by_type[cta_type][0] += count
                if overdue and overdue < today:
                    figures["cta_overdue"] += count
                    by_type[cta_type][1] += count
            elif closed_now == month:
                saved += count if outcome == "saved" else 0
                lost += count if outcome in ("lost", "churned") else 0
                if outcome == "won":
                    figures["cta_won_mrr"] += mrr
        figures["cta_saved_rate"] = (
            round(100.0 * saved / (saved + lost), 1) if saved + lost else None
        )
        figures["cta_by_type"] = by_type
        return figures

    def _get_cta_types(self, company, by_type):
        """The open calls to action of each type (in the order of the
        types), with their overdue ones, each opening its list."""
        labels = dict(
            self.env["cs.cta"]._fields["cta_type"]._description_selection(self.env)
        )
        return [
            {
                "type": cta_type,
                "label": labels[cta_type],
                "count": by_type[cta_type][0],
                "overdue": by_type[cta_type][1],
                "action": self._act(
                    "cs.cta",
                    [
                        ("company_id", "=", company.id),
                        ("cta_type", "=", cta_type),
                        ("state", "in", ("open", "in_progress", "snoozed")),
                    ],
                    labels[cta_type],
                    views=("list", "kanban", "form"),
                ),
            }
            for cta_type in labels
            if by_type.get(cta_type)
        ]

    def _get_save_rates(self, company, month):
        """The share of the cancellation requests decided this month and the
        month before that ended saved (None without any), in one query."""
        counts = defaultdict(lambda: defaultdict(int))
        for decided, state, count in self.env["cs.retention.request"]._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "in", ("saved", "cancelled")),
                ("date_decided", ">=", month - relativedelta(months=1)),
                ("date_decided", "<", month + relativedelta(months=1)),
            ],
            ["date_decided:month", "state"],
            ["__count"],
        ):
            counts[decided][state] += count
        rates = []
        for start in (month, month - relativedelta(months=1)):
            saved, cancelled = counts[start]["saved"], counts[start]["cancelled"]
            rates.append(
                round(100.0 * saved / (saved + cancelled), 1)
                if saved + cancelled
                else None
            )
        return rates

    def _get_mrr_trend(self, company, month):
        first = month - relativedelta(months=TREND_MONTHS - 1)
        Movement = self.env["cs.mrr.movement"]
        domain = [("company_id", "=", company.id), ("month", ">=", first)]
        by_month = defaultdict(dict)
        totals = defaultdict(float)
        # one scan of the months' rows for both the movements and the MRR
        for month_start, movement, change, mrr in Movement._read_group(
            domain,
            groupby=["month:month", "movement"],
            aggregates=["change:sum", "mrr_end:sum"],
        ):
            by_month[month_start.replace(day=1)][movement] = change
            totals[month_start.replace(day=1)] += mrr
        # the sum of the rows' MRR to the cent, in whatever order it was added
        currency = company.currency_id
        totals = {start: currency.round(mrr) for start, mrr in totals.items()}
        # the selection's labels in the reader's language
        labels = dict(Movement._fields["movement"]._description_selection(self.env))
        months = []
        for index in range(TREND_MONTHS):
            start = first + relativedelta(months=index)
            months.append(
                {
                    "label": format_date(self.env, start, date_format="MMM yy"),
                    "mrr": totals.get(start, 0.0),
                    "movements": by_month.get(start, {}),
                    "action": self._act(
                        "cs.mrr.movement",
                        [
                            ("company_id", "=", company.id),
                            ("month", "=", fields.Date.to_string(start)),
                        ],
                        self.env._("MRR Movements"),
                    ),
                }
            )
        return {
            "months": months,
            "movements": [
                {"key": key, "label": labels[key]}
                for key in (
                    "new",
                    "expansion",
                    "reactivation",
                    "resume",
                    "contraction",
                    "churn",
                    "pause",
                )
            ],
        }

    def _get_nps_trend(self, company, month):
        first = month - relativedelta(months=TREND_MONTHS - 1)
        groups = {
            start.replace(day=1): (nps, count)
            for start, nps, count in self.env["cs.nps.response"]._read_group(
                [("company_id", "=", company.id), ("date", ">=", first)],
                groupby=["date:month"],
                aggregates=["nps_value:avg", "__count"],
            )
        }
        trend = []
        for index in range(TREND_MONTHS):
            start = first + relativedelta(months=index)
            nps, count = groups.get(start, (None, 0))
            trend.append(
                {
                    "label": format_date(self.env, start, date_format="MMM yy"),
                    "nps": nps,
                    "count": count,
                    "action": self._act(
                        "cs.nps.response",
                        [
                            ("company_id", "=", company.id),
                            ("date", ">=", fields.Date.to_string(start)),
                            (
                                "date",
                                "<",
                                fields.Date.to_string(start + relativedelta(months=1)),
                            ),
                        ],
                        self.env._("NPS Responses"),
                    ),
                }
            )
        return trend

    def _get_health_bands(self):
        """The customers of each band, then the rated customers not scored
        yet (never scored, or no data on any factor)."""
        Partner = self.env["res.partner"]
        labels = dict(Partner._fields["health_status"]._description_selection(self.env))
        counts = dict(
            Partner._read_group(
                [("health_band", "!=", False), ("parent_id", "=", False)],
                groupby=["health_band"],
                aggregates=["__count"],
            )
        )
        domains = {
            band: [("health_band", "=", band), ("parent_id", "=", False)]
            for band in ("green", "yellow", "red")
        }
        domains["none"] = list(
            Partner._cs_get_health_scope_domain() & Domain("health_band", "=", False)
        )
        counts["none"] = Partner.search_count(domains["none"])
        return [
            {
                "band": band,
                "label": labels[band],
                "count": counts.get(band, 0),
                "action": self._act("res.partner", domain, labels[band]),
            }
            for band, domain in domains.items()
        ]

    def _get_health_average(self):
        """The average score of the scored customers: those without a score
        do not count as zero."""
        [(average,)] = self.env["res.partner"]._read_group(
            [("health_band", "!=", False), ("parent_id", "=", False)],
            aggregates=["health_score:avg"],
        )
        return average

    def _get_dunning_steps(self, company):
        """The open invoices at each dunning step: those the user may read
        (a CSM reads their portfolio's), the ones each row opens."""
        domain = self._get_dunning_domain(company)
        groups = self.env["account.move"]._read_group(
            domain,
            groupby=["cs_dunning_step_id"],
            aggregates=["amount_residual_signed:sum", "__count"],
        )
        return [
            {
                "step": step.name,
                "offset": step.offset_days,
                "amount": amount,
                "count": count,
                "action": self._act(
                    "account.move",
                    list(domain & Domain("cs_dunning_step_id", "=", step.id)),
                    step.name,
                    # the customer invoices' list, with its customer column
                    context={"default_move_type": "out_invoice"},
                ),
            }
            for step, amount, count in sorted(
                groups, key=lambda group: group[0].offset_days
            )
        ]

    @api.model
    def _get_dunning_domain(self, company):
        """The invoices of ``company`` in dunning: posted, open, at a step."""
        return (
            Domain("company_id", "=", company.id)
            & self.env["account.move"]._cs_get_in_dunning_domain()
        )

    def _get_onboarding_stages(self):
        groups = self.env["cs.onboarding"]._read_group(
            [("state", "=", "in_progress")],
            groupby=["stage_id"],
            aggregates=["__count"],
        )
        return [
            {
                "stage": stage.name,
                "count": count,
                "action": self._act(
                    "cs.onboarding",
                    [("stage_id", "=", stage.id), ("state", "=", "in_progress")],
                    stage.name,
                    views=("list", "kanban", "form"),
                ),
            }
            for stage, count in sorted(groups, key=lambda g: (g[0].sequence, g[0].id))
        ]

    def _get_at_risk(self, limit=8):
        customers = self.env["res.partner"].search(
            [("health_at_risk", "=", True), ("parent_id", "=", False)],
            order="health_score, id",
            limit=limit,
        )
        return {
            "customers": [
                {
                    "id": customer.id,
                    "name": customer.name,
                    "score": customer.health_score,
                    "band": customer.health_band,
                    "reasons": customer.health_reasons or "",
                    "csm": customer.csm_id.name or "",
                }
                for customer in customers
            ],
            "action": self._act(
                "res.partner",
                [("health_at_risk", "=", True), ("parent_id", "=", False)],
                self.env._("Customers at Risk"),
            ),
        }

    def _get_cohorts(self, company, month):
        """The signup cohorts of the last year, each with its month's name."""
        return [
            {
                "label": format_date(self.env, cohort["start"], date_format="MMM yy"),
                "size": cohort["size"],
                "cells": cohort["cells"],
            }
            for cohort in self.env["cs.mrr.movement"]._get_cohorts(
                company, month, months=TREND_MONTHS
            )
        ]

    def _get_csm_performance(self, company, month):
        """One row per success manager, by name, each with the action that
        opens the manager's customers."""
        figures = self.env["cs.mrr.movement"]._get_csm_kpis(company, month)
        ctas = self._get_csm_cta_figures(company, month)
        return [
            {
                "id": csm.id,
                "name": csm.name,
                **figures[csm],
                **ctas.get(csm, {"cta_in_time": None, "cta_saved_rate": None}),
                "action": self._act(
                    "res.partner",
                    [("csm_id", "=", csm.id), ("parent_id", "=", False)],
                    csm.name,
                ),
            }
            for csm in sorted(figures, key=lambda user: user.name or "")
        ]
