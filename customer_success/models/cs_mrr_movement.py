# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

MOVEMENTS = [
    ("new", "New"),
    ("expansion", "Expansion"),
    ("contraction", "Contraction"),
    ("churn", "Churn"),
    ("reactivation", "Reactivation"),
    ("pause", "Paused"),
    ("resume", "Resumed"),
    ("flat", "No change"),
]


class CsMrrMovement(models.Model):
    """The MRR of one customer in one month and how it moved since the month
    before. A snapshot table, filled by a daily cron for the current month
    (and by :meth:`_cs_rebuild_history` for past months), so that the
    reports read plain indexed rows."""

    _name = "cs.mrr.movement"
    _description = "MRR Movement"
    _order = "month desc, partner_id"
    _rec_name = "partner_id"

    month = fields.Date(required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    csm_id = fields.Many2one("res.users", string="Success Manager", readonly=True)
    touch_model_id = fields.Many2one("cs.touch.model", readonly=True)
    movement = fields.Selection(MOVEMENTS, required=True, readonly=True)
    mrr_start = fields.Monetary(string="Starting MRR", readonly=True)
    mrr_end = fields.Monetary(string="MRR", readonly=True)
    change = fields.Monetary(readonly=True)
    paused_mrr = fields.Monetary(string="Paused MRR", readonly=True)
    new_mrr = fields.Monetary(string="New MRR", readonly=True)
    expansion_mrr = fields.Monetary(string="Expansion MRR", readonly=True)
    contraction_mrr = fields.Monetary(string="Contraction MRR", readonly=True)
    churn_mrr = fields.Monetary(string="Churned MRR", readonly=True)
    reactivation_mrr = fields.Monetary(string="Reactivation MRR", readonly=True)
    pause_mrr = fields.Monetary(
        string="Pause MRR", readonly=True, help="MRR paused (-) or resumed (+)."
    )
    customer_start = fields.Integer(
        string="Customers at Start", readonly=True, help="1 if paying at the start."
    )
    customer_end = fields.Integer(
        string="Paying Customers", readonly=True, help="1 if paying at the end."
    )
    churned = fields.Integer(string="Churned Customers", readonly=True)
    is_new = fields.Integer(string="New Customers", readonly=True)
    reactivated = fields.Integer(string="Reactivated Customers", readonly=True)

    _partner_month_uniq = models.Constraint(
        "UNIQUE(company_id, partner_id, month)",
        "A customer has one MRR row per company and month.",
    )
    _company_month_index = models.Index("(company_id, month)")

    # ------------------------------------------------------------------
    # Filling
    # ------------------------------------------------------------------

    @api.model
    def _cron_cs_mrr(self):
        """Write the current month's MRR of every customer of every company,
        from the MRR of their subscriptions. Re-running replaces the month's
        rows: the last run of a month leaves its closing figures."""
        month = fields.Date.context_today(self).replace(day=1)
        for company in self.env["res.company"].search([("active", "=", True)]):
            self._cs_write_month(company, month, self._cs_current_mrr(company))
            self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _cs_current_mrr(self, company):
        """{customer: (mrr, paused mrr)} of ``company`` today."""
        groups = (
            self.env["sale.subscription"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    "|",
                    ("cs_mrr", ">", 0),
                    ("cs_paused_mrr", ">", 0),
                ],
                groupby=["cs_commercial_partner_id"],
                aggregates=["cs_mrr:sum", "cs_paused_mrr:sum"],
            )
        )
        return {partner: (mrr, paused) for partner, mrr, paused in groups}

    @api.model
    def _cs_rebuild_history(self, company, months=12):
        """Rebuild the last ``months`` months of ``company`` from the
        subscriptions' start and close dates and their present MRR (past
        price changes are not known: the cron's monthly rows are)."""
        if isinstance(company, int):
            company = self.env["res.company"].browse(company)
        today = fields.Date.context_today(self)
        first = today.replace(day=1) - relativedelta(months=months - 1)
        subscriptions = (
            self.env["sale.subscription"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("stage_id.type", "in", ("in_progress", "post")),
                    ("date_start", "!=", False),
                ]
            )
        )
        amounts = {sub: sub._cs_get_monthly_amount(today) for sub in subscriptions}
        for index in range(months):
            month = first + relativedelta(months=index)
            end = month + relativedelta(months=1, days=-1)
            mrr = defaultdict(lambda: [0.0, 0.0])
            for sub, amount in amounts.items():
                if sub.date_start <= end and (
                    not sub.cs_close_date or sub.cs_close_date > end
                ):
                    mrr[sub.cs_commercial_partner_id][0] += amount
            if month == today.replace(day=1):
                mrr = {k: list(v) for k, v in self._cs_current_mrr(company).items()}
            self._cs_write_month(company, month, {k: tuple(v) for k, v in mrr.items()})

    @api.model
    def _cs_write_month(self, company, month, mrr_by_customer):
        """Write the rows of ``month``: each customer's MRR against the month
        before, classified."""
        previous_month = month - relativedelta(months=1)
        rows = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("month", "in", (previous_month, month)),
            ]
        )
        previous = {row.partner_id: row for row in rows if row.month == previous_month}
        current = {row.partner_id: row for row in rows if row.month == month}
        paid_before = {
            partner
            for [partner] in self.sudo()._read_group(
                [
                    ("company_id", "=", company.id),
                    ("month", "<", previous_month),
                    ("mrr_end", ">", 0),
                ],
                groupby=["partner_id"],
            )
        }
        customers = (
            set(mrr_by_customer)
            | {
                partner
                for partner, row in previous.items()
                if row.mrr_end or row.paused_mrr
            }
            | set(current)
        )
        to_create = []
        for customer in customers:
            mrr, paused = mrr_by_customer.get(customer, (0.0, 0.0))
            before = previous.get(customer)
            values = self._cs_classify(
                before.mrr_end if before else 0.0,
                mrr,
                paused_before=before.paused_mrr if before else 0.0,
                paused=paused,
                paid_before=customer in paid_before,
            )
            values.update(
                csm_id=customer.csm_id.id,
                touch_model_id=customer.touch_model_id.id,
                paused_mrr=paused,
            )
            if customer in current:
                current[customer].write(values)
            else:
                to_create.append(
                    dict(
                        values,
                        partner_id=customer.id,
                        company_id=company.id,
                        month=month,
                    )
                )
        return self.sudo().create(to_create)

    @api.model
    def _cs_classify(self, start, end, paused_before, paused, paid_before):
        """The movement from ``start`` to ``end`` MRR, and its amounts.

        A customer whose MRR goes to zero because its subscriptions are
        paused is paused, not churned; back from a pause, it is resumed, not
        new.
        """
        change = end - start
        amounts = dict.fromkeys(
            (
                "new_mrr",
                "expansion_mrr",
                "contraction_mrr",
                "churn_mrr",
                "reactivation_mrr",
                "pause_mrr",
            ),
            0.0,
        )
        if not start and end:
            if paused_before:
                movement, key = "resume", "pause_mrr"
            elif paid_before:
                movement, key = "reactivation", "reactivation_mrr"
            else:
                movement, key = "new", "new_mrr"
        elif start and not end:
            movement, key = ("pause", "pause_mrr") if paused else ("churn", "churn_mrr")
        elif end > start:
            movement, key = "expansion", "expansion_mrr"
        elif end < start:
            movement, key = "contraction", "contraction_mrr"
        else:
            movement, key = "flat", None
        if key:
            amounts[key] = change
        return {
            "movement": movement,
            "mrr_start": start,
            "mrr_end": end,
            "change": change,
            "customer_start": int(bool(start)),
            "customer_end": int(bool(end)),
            "churned": int(movement == "churn"),
            "is_new": int(movement == "new"),
            "reactivated": int(movement == "reactivation"),
            **amounts,
        }

    # ------------------------------------------------------------------
    # KPIs
    # ------------------------------------------------------------------

    @api.model
    def _cs_kpis(self, company, month, domain=None, cltv_paid=None):
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
            "renewal_rate": self._cs_renewal_rate(company, month, domain),
            "nps": self._cs_nps(company, month, domain),
            "avg_ttv": self._cs_avg_ttv(company, month, domain),
            "cltv_paid": self._cs_cltv_paid(company, domain)
            if cltv_paid is None
            else cltv_paid,
        }

    @api.model
    def _cs_renewal_rate(self, company, month, domain=None):
        """Renewed / up for renewal x 100 in ``month``: a subscription is up
        for renewal when one of its periods ends in the month while it runs,
        and renewed when it is not closed before the month ends.

        A period of N months ends in the months N, 2N... after the start
        month: the subscriptions are counted by plan and start month, not
        one by one (the dashboard asks this for every month and CSM).
        """
        end = month + relativedelta(months=1, days=-1)
        running = (
            Domain("company_id", "=", company.id)
            & Domain("stage_id.type", "in", ("in_progress", "post"))
            & Domain("date_start", "<", month)
            & (
                Domain("cs_close_date", "=", False)
                | Domain("cs_close_date", ">=", month)
            )
            & self._cs_partner_filter(domain, "cs_commercial_partner_id")
        )
        renewing = running & (
            Domain("cs_close_date", "=", False) | Domain("cs_close_date", ">", end)
        )
        target = month.year * 12 + month.month
        # the subscriptions the user may read: a CSM's are their portfolio's
        Subscription = self.env["sale.subscription"]

        def count(where):
            total = 0
            for template, start, number in Subscription._read_group(
                where, ["template_id", "date_start:month"], ["__count"]
            ):
                step = round(template._cs_get_months())
                elapsed = target - (start.year * 12 + start.month)
                if step <= 1 or elapsed % step == 0:
                    total += number
            return total

        up = count(running)
        return count(renewing) / up * 100 if up else None

    @api.model
    def _cs_partner_filter(self, domain, field):
        """``field`` restricted to the customers of the rows of ``domain``."""
        if not domain:
            return Domain.TRUE
        partners = [
            p.id for [p] in self._read_group(Domain(domain), groupby=["partner_id"])
        ]
        return Domain(field, "in", partners)

    @api.model
    def _cs_nps(self, company, month, domain=None):
        end = month + relativedelta(months=1)
        [(nps, count)] = self.env["cs.nps.response"]._read_group(
            Domain("company_id", "=", company.id)
            & Domain("date", ">=", month)
            & Domain("date", "<", end)
            & self._cs_partner_filter(domain, "partner_id"),
            aggregates=["nps_value:avg", "__count"],
        )
        return nps if count else None

    @api.model
    def _cs_avg_ttv(self, company, month, domain=None):
        end = month + relativedelta(months=1)
        [(ttv, count)] = self.env["res.partner"]._read_group(
            Domain("first_value_date", ">=", month)
            & Domain("first_value_date", "<", end)
            & Domain("ttv_days", ">", 0)
            & self._cs_company_partners(company, "id")
            & self._cs_partner_filter(domain, "id"),
            aggregates=["ttv_days:avg", "__count"],
        )
        return ttv if count else None

    @api.model
    def _cs_company_partners(self, company, field):
        """The condition "``field`` is a customer with rows in ``company``",
        as a sub-query (a company has tens of thousands of customers)."""
        query = self.sudo()._search([("company_id", "=", company.id)])
        return Domain(
            field, "any!", query.subselect(SQL.identifier(query.table, "partner_id"))
        )

    @api.model
    def _cs_get_cltv_paid_domain(self, company):
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
    def _cs_cltv_paid(self, company, domain=None):
        """Average amount actually paid per customer: posted customer
        invoices less what remains to pay, over the customers who paid."""
        invoices = self._cs_get_cltv_paid_domain(company) & self._cs_partner_filter(
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
