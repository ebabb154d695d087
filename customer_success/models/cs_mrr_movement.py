# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

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
    (and by :meth:`_rebuild_history` for past months), so that the
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
    # the churns of a company's months, read from the index alone: Health
    # Validation joins them to the month-ends of 20,000 customers
    _churn_index = models.Index("(company_id, month, partner_id) WHERE churned = 1")

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
            self._write_month(company, month, self._current_mrr(company))
            self.env["ir.cron"]._commit_progress(1)

    @api.model
    def _current_mrr(self, company):
        """{customer: (mrr, paused mrr)} of ``company`` today."""
        # sudo: the rows are the company's figures, written by the cron for
        # every reader (a CSM reads their portfolio's rows only)
        mrr = (
            self.env["sale.subscription"]
            .sudo()
            ._cs_get_customer_mrr(
                [
                    ("company_id", "=", company.id),
                    "|",
                    ("cs_mrr", ">", 0),
                    ("cs_paused_mrr", ">", 0),
                ]
            )
        )
        return {customer: amounts for (customer, _company), amounts in mrr.items()}

    @api.model
    def _rebuild_history(self, company, months=12):
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
                mrr = {k: list(v) for k, v in self._current_mrr(company).items()}
            self._write_month(company, month, {k: tuple(v) for k, v in mrr.items()})

    @api.model
    def _write_month(self, company, month, mrr_by_customer):
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
            values = self._classify(
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
    def _classify(self, start, end, paused_before, paused, paid_before):
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
