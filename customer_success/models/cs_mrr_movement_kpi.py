# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL


class CsMrrMovement(models.Model):
    """The figures read from the MRR rows: the KPIs of a month, the signup
    cohorts and the figures of each success manager. The rows and how they
    are written are in ``cs_mrr_movement.py``."""

    _inherit = "cs.mrr.movement"

    # ------------------------------------------------------------------
    # KPIs
    # ------------------------------------------------------------------

    @api.model
    def _kpis(self, company, month, domain=None, cltv_paid=None):
        """The KPIs of ``company`` for ``month`` (its first day), from the
        rows readable by the user and ``domain`` (for instance one CSM's).
        ``cltv_paid``, the same for every month, may be given when known.

        See the README for each formula.
        """
        base = (
            Domain("company_id", "=", company.id)
            & Domain("month", "=", month)
            & Domain(domain or Domain.TRUE)
        )
        (
            (
                mrr,
                mrr_start,
                paused,
                paying,
                at_start,
                churned,
                new,
                reactivated,
                expansion,
                contraction,
                churn_mrr,
            ),
        ) = self._read_group(
            base,
            aggregates=[
                "mrr_end:sum",
                "mrr_start:sum",
                "paused_mrr:sum",
                "customer_end:sum",
                "customer_start:sum",
                "churned:sum",
                "is_new:sum",
                "reactivated:sum",
                "expansion_mrr:sum",
                "contraction_mrr:sum",
                "churn_mrr:sum",
            ],
        )
        arpu = mrr / paying if paying else 0.0
        logo_churn = churned / at_start if at_start else 0.0
        revenue_churn = -(churn_mrr + contraction) / mrr_start if mrr_start else 0.0
        nrr = (
            (mrr_start + expansion + contraction + churn_mrr) / mrr_start
            if mrr_start
            else 0.0
        )
        return {
            "month": month,
            "mrr": mrr,
            "arr": mrr * 12,
            "paused_mrr": paused,
            "paying_customers": paying,
            "customers_start": at_start,
            "churned_customers": churned,
            "new_customers": new,
            "reactivated_customers": reactivated,
            "arpu": arpu,
            "logo_churn_rate": logo_churn * 100,
            "revenue_churn_rate": revenue_churn * 100,
            "net_revenue_retention": nrr * 100,
            "cltv": arpu / logo_churn if logo_churn else None,
            "renewal_rate": self._renewal_rate(company, month, domain),
            "nps": self._nps(company, month, domain),
            "avg_ttv": self._avg_ttv(company, month, domain),
            "cltv_paid": self._cltv_paid(company, domain)
            if cltv_paid is None
            else cltv_paid,
        }

    @api.model
    def _renewal_rate(self, company, month, domain=None):
        """Renewed / up for renewal x 100 in ``month``: a subscription is up
        for renewal when one of its periods ends in the month while it runs,
        and renewed when it is not closed before the month ends.

        A period of N months ends in the months N, 2N... after the start
        month: the subscriptions are counted by plan and start month, not
        one by one.
        """
        running, renewed = self._get_renewal_domains(company, month)
        running &= self._partner_filter(domain, "cs_commercial_partner_id")
        # the subscriptions the user may read: a CSM's are their portfolio's
        Subscription = self.env["sale.subscription"]

        def count(where):
            return sum(
                number
                for template, start, number in Subscription._read_group(
                    where, ["template_id", "date_start:month"], ["__count"]
                )
                if self._is_renewal_due(template, start, month)
            )

        up = count(running)
        return count(running & renewed) / up * 100 if up else None

    @api.model
    def _get_renewal_domains(self, company, month):
        """The subscriptions of ``company`` running into ``month``, and the
        condition for one of them to be renewed in it (not closed before the
        month ends)."""
        end = month + relativedelta(months=1, days=-1)
        running = (
            Domain("company_id", "=", company.id)
            & Domain("stage_id.type", "in", ("in_progress", "post"))
            & Domain("date_start", "<", month)
            & (
                Domain("cs_close_date", "=", False)
                | Domain("cs_close_date", ">=", month)
            )
        )
        renewed = Domain("cs_close_date", "=", False) | Domain(
            "cs_close_date", ">", end
        )
        return running, renewed

    @api.model
    def _is_renewal_due(self, template, start, month):
        """Whether a subscription of ``template`` started in the month of
        ``start`` ends one of its periods in ``month``."""
        step = round(template._cs_get_months())
        elapsed = month.year * 12 + month.month - (start.year * 12 + start.month)
        return step <= 1 or elapsed % step == 0

    @api.model
    def _partner_filter(self, domain, field):
        """``field`` restricted to the customers of the rows of ``domain``."""
        if not domain:
            return Domain.TRUE
        partners = [
            p.id for [p] in self._read_group(Domain(domain), groupby=["partner_id"])
        ]
        return Domain(field, "in", partners)

    @api.model
    def _nps(self, company, month, domain=None):
        end = month + relativedelta(months=1)
        [(nps, count)] = self.env["cs.nps.response"]._read_group(
            Domain("company_id", "=", company.id)
            & Domain("date", ">=", month)
            & Domain("date", "<", end)
            & self._partner_filter(domain, "partner_id"),
            aggregates=["nps_value:avg", "__count"],
        )
        return nps if count else None

    @api.model
    def _avg_ttv(self, company, month, domain=None):
        end = month + relativedelta(months=1)
        [(ttv, count)] = self.env["res.partner"]._read_group(
            Domain("first_value_date", ">=", month)
            & Domain("first_value_date", "<", end)
            & Domain("ttv_days", ">", 0)
            & self._company_partners(company, "id")
            & self._partner_filter(domain, "id"),
            aggregates=["ttv_days:avg", "__count"],
        )
        return ttv if count else None

    @api.model
    def _company_partners(self, company, field):
        """The condition "``field`` is a customer with rows in ``company``",
        as a sub-query (a company has tens of thousands of customers)."""
        query = self.sudo()._search([("company_id", "=", company.id)])
        return Domain(
            field, "any!", query.subselect(SQL.identifier(query.table, "partner_id"))
        )

    @api.model
    def _get_cltv_paid_domain(self, company):
        """The invoices the paid CLTV is computed from: the posted customer
        invoices of ``company``'s customers (those with MRR rows in it)."""
        return (
            Domain("company_id", "=", company.id)
            & self.env["account.move"]._cs_get_customer_invoice_domain()
            & Domain(
                "commercial_partner_id.cs_mrr_movement_ids.company_id", "=", company.id
            )
        )

    @api.model
    def _cltv_paid(self, company, domain=None):
        """Average amount actually paid per customer: posted customer
        invoices less what remains to pay, over the customers who paid."""
        invoices = self._get_cltv_paid_domain(company) & self._partner_filter(
            domain, "commercial_partner_id"
        )
        # the bookkeeping totals of the invoices the user may read (a CSM
        # reads their portfolio's), in one scan
        query = self.env["account.move"]._search(invoices)

        def column(name):
            return SQL.identifier(query.table, name)

        self.env.cr.execute(
            query.select(
                SQL(
                    "COALESCE(SUM(%s), 0), COALESCE(SUM(%s), 0), "
                    "COUNT(DISTINCT %s) FILTER (WHERE %s IN %s)",
                    column("amount_total_signed"),
                    column("amount_residual_signed"),
                    column("commercial_partner_id"),
                    column("payment_state"),
                    ("paid", "in_payment", "partial"),
                )
            )
        )
        paid, residual, payers = self.env.cr.fetchone()
        return (paid - residual) / payers if payers else 0.0

    # ------------------------------------------------------------------
    # Cohorts
    # ------------------------------------------------------------------

    @api.model
    def _get_cohorts(self, company, month, months=12):
        """Per signup month of the last ``months`` months: its customers,
        and the share of them, and of its first month's MRR, still paying 1
        to 12 months later (``start``, ``size`` and ``cells`` of each)."""
        first = month - relativedelta(months=months - 1)
        # one query on the paying rows the user may read since ``first``, of
        # the customers with none before: the whole history of every
        # customer is not read (at 20,000 customers, that was the slow part)
        paying = Domain("company_id", "=", company.id) & Domain("mrr_end", ">", 0)
        recent = self._search(paying & Domain("month", ">=", first))
        before = self._search(paying & Domain("month", "<", first))
        partner = SQL.identifier(before.table, "partner_id")
        before.add_where(SQL("%s = recent.partner_id", partner))
        self.env.cr.execute(
            SQL(
                """
                SELECT start, month, count(*), sum(mrr_end)
                  FROM (
                        SELECT month, mrr_end,
                               min(month) OVER (PARTITION BY partner_id) AS start
                          FROM (%s) recent
                         WHERE NOT EXISTS (%s)
                       ) signed_up
              GROUP BY start, month
                """,
                recent.select(
                    *(
                        SQL.identifier(recent.table, name)
                        for name in ("partner_id", "month", "mrr_end")
                    )
                ),
                before.select(SQL("1")),
            )
        )
        paying = defaultdict(dict)
        for start, at, customers, mrr in self.env.cr.fetchall():
            paying[start][at] = (customers, mrr)
        cohorts = []
        for index in range(months):
            start = first + relativedelta(months=index)
            size, base_mrr = paying[start].get(start, (0, 0.0))
            if not size:
                continue
            cells = []
            for k in range(1, 13):
                at = start + relativedelta(months=k)
                if at > month:
                    break
                alive, mrr = paying[start].get(at, (0, 0.0))
                cells.append(
                    {
                        "customers": alive / size * 100,
                        "mrr": mrr / base_mrr * 100 if base_mrr else 0.0,
                    }
                )
            cohorts.append({"start": start, "size": size, "cells": cells})
        return cohorts

    # ------------------------------------------------------------------
    # Success managers
    # ------------------------------------------------------------------

    @api.model
    def _get_csm_kpis(self, company, month):
        """{success manager: figures} over the last three months: portfolio
        MRR, logo and revenue churn, renewal rate, NPS against the three
        months before, check-ins done on time and the average TTV of the
        portfolio. Each figure is one grouped query for all the managers."""
        since = month - relativedelta(months=2)
        today = fields.Date.context_today(self)
        recent = Domain("company_id", "=", company.id) & Domain("month", ">=", since)
        churn = {
            csm: (start, churned, mrr_start, lost)
            for csm, start, churned, mrr_start, lost in self._read_group(
                recent & Domain("csm_id", "!=", False),
                groupby=["csm_id"],
                aggregates=[
                    "customer_start:sum",
                    "churned:sum",
                    "mrr_start:sum",
                    "churn_mrr:sum",
                ],
            )
        }
        portfolio = dict(
            self._read_group(
                [
                    ("company_id", "=", company.id),
                    ("month", "=", month),
                    ("csm_id", "!=", False),
                ],
                groupby=["csm_id"],
                aggregates=["mrr_end:sum"],
            )
        )
        Response = self.env["cs.nps.response"]
        nps_now, nps_before = (
            dict(
                Response._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("csm_id", "!=", False),
                        ("date", ">", today - timedelta(days=start)),
                        ("date", "<=", today - timedelta(days=end)),
                    ],
                    groupby=["csm_id"],
                    aggregates=["nps_value:avg"],
                )
            )
            for start, end in ((90, 0), (180, 90))
        )
        ttv = dict(
            self.env["res.partner"]._read_group(
                [("csm_id", "!=", False), ("ttv_days", ">", 0)],
                groupby=["csm_id"],
                aggregates=["ttv_days:avg"],
            )
        )
        checkin = self.env.ref("customer_success.mail_activity_type_cs_checkin")
        # sudo: counts per author and assignee only, no message or activity
        # is shown; reading them checks access document by document
        done = dict(
            self.env["mail.message"]
            .sudo()
            ._read_group(
                [
                    ("model", "=", "res.partner"),
                    ("mail_activity_type_id", "=", checkin.id),
                    ("date", ">=", today - timedelta(days=90)),
                ],
                groupby=["author_id"],
                aggregates=["__count"],
            )
        )
        overdue = dict(
            self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("activity_type_id", "=", checkin.id),
                    ("date_deadline", "<", today),
                ],
                groupby=["user_id"],
                aggregates=["__count"],
            )
        )
        csms = set(churn) | set(portfolio) | set(nps_now) | set(ttv)
        renewals = self._get_csm_renewal_rates(
            company,
            [since + relativedelta(months=k) for k in range(3)],
            self.env["res.users"].union(*csms),
        )
        figures = {}
        for csm in csms:
            start, churned, mrr_start, lost = churn.get(csm, (0, 0, 0.0, 0.0))
            done_count = done.get(csm.partner_id, 0)
            late = overdue.get(csm, 0)
            rates = list(renewals.get(csm, {}).values())
            figures[csm] = {
                "mrr": portfolio.get(csm, 0.0),
                "logo_churn": churned / start * 100 if start else 0.0,
                "revenue_churn": -lost / mrr_start * 100 if mrr_start else 0.0,
                "renewal_rate": sum(rates) / len(rates) if rates else None,
                "nps": nps_now.get(csm),
                "nps_before": nps_before.get(csm),
                "checkins_on_time": done_count / (done_count + late) * 100
                if done_count + late
                else None,
                "avg_ttv": ttv.get(csm),
            }
        return figures

    @api.model
    def _get_csm_renewal_rates(self, company, months, csms):
        """{success manager: {month: renewal rate}} of ``csms`` for each of
        ``months``, as :meth:`_renewal_rate` counts it for the customers
        of the rows of one manager, in one query for all managers and
        months. A month with nothing up for renewal has no rate."""
        if not csms:
            return {}
        Subscription = self.env["sale.subscription"]
        domains = [self._get_renewal_domains(company, month) for month in months]
        # the subscriptions the user may read, running in one of the months
        query = Subscription._search(Domain.OR(running for running, _ in domains))
        alias = query.table

        def condition(domain):
            return domain.optimize_full(Subscription)._to_sql(
                Subscription, alias, query
            )

        flags = []
        for running, renewed in domains:
            flags.append(condition(running))
            flags.append(condition(running & renewed))
        subscriptions = query.select(
            SQL.identifier(alias, "cs_commercial_partner_id"),
            SQL.identifier(alias, "template_id"),
            SQL("date_trunc('month', %s)::date", SQL.identifier(alias, "date_start")),
            *flags,
        )
        # the managers of each customer: those of its rows the user may read
        managers = self._search([("csm_id", "in", csms.ids)])
        pairs = managers.select(
            SQL(
                "DISTINCT %s, %s",
                SQL.identifier(managers.table, "partner_id"),
                SQL.identifier(managers.table, "csm_id"),
            )
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT pairs.csm_id, subscription.template_id,
                       subscription.start, %s
                  FROM (%s) subscription (customer, template_id, start, %s)
                  JOIN (%s) pairs ON pairs.partner_id = subscription.customer
              GROUP BY 1, 2, 3
                """,
                SQL(", ").join(
                    SQL("count(*) FILTER (WHERE %s)", SQL.identifier(f"flag_{index}"))
                    for index in range(len(flags))
                ),
                subscriptions,
                SQL(", ").join(
                    SQL.identifier(f"flag_{index}") for index in range(len(flags))
                ),
                pairs,
            )
        )
        rows = self.env.cr.fetchall()
        templates = self.env["sale.subscription.template"].browse(
            {row[1] for row in rows if row[1]}
        )
        totals = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for csm_id, template_id, start, *numbers in rows:
            csm = self.env["res.users"].browse(csm_id)
            # the plans read at once
            template = templates.browse(template_id or ()).with_prefetch(
                templates._prefetch_ids
            )
            for index, month in enumerate(months):
                if self._is_renewal_due(template, start, month):
                    totals[csm][month][0] += numbers[2 * index]
                    totals[csm][month][1] += numbers[2 * index + 1]
        return {
            csm: {
                month: renewed / up * 100
                for month, (up, renewed) in by_month.items()
                if up
            }
            for csm, by_month in totals.items()
        }
