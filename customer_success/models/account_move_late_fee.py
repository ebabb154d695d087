# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fine and interest ("multa e juros") of a late invoice, the amount due
today, and the early-payment discount a pre-due reminder offers.

The rates are the dunning policy's. An invoice is late from the day after
its due date moved to the company's next business day (the "late start"):
the fee is a percent of what was unpaid at the late start, charged once; the
interest is simple, a thirtieth of the monthly rate a day, on what stayed
unpaid each day (the reconciled payments, at their dates). Paid within the
grace days after the late start, nothing is charged; later, both count from
the late start. Amounts are in the invoice's currency, rounded as it rounds.

:meth:`_cs_get_late_charge_values` is the one interface; the fields behind it
are computed for a whole batch of invoices at once (one query for the
payments of all of them), so a reminder listing many invoices, or a dunning
run, costs no query per invoice.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# the context key of the day the late charges are computed for
LATE_DAY = "cs_late_day"


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    cs_late_residual = fields.Monetary(
        string="Residual on that Day", compute="_compute_cs_late_charge"
    )
    cs_late_fee = fields.Monetary(
        string="Late Fee",
        compute="_compute_cs_late_charge",
        help="Charged once, a percent of what was unpaid when the invoice became "
        "late (the dunning policy's late fee).",
    )
    cs_late_interest = fields.Monetary(
        string="Late Interest",
        compute="_compute_cs_late_charge",
        help="Simple interest per day on what stayed unpaid since the invoice "
        "became late (the dunning policy's monthly interest).",
    )
    cs_amount_due_today = fields.Monetary(
        string="Amount Due Today",
        compute="_compute_cs_late_charge",
        help="What is left to pay, with the late fee and interest.",
    )
    cs_late_days = fields.Integer(string="Days Late", compute="_compute_cs_late_charge")
    cs_late_start_date = fields.Date(
        string="Late Charges From",
        compute="_compute_cs_late_charge",
        help="The due date, moved to the next business day: the invoice is late "
        "from the day after it.",
    )
    cs_late_charge_next_invoice = fields.Boolean(
        string="Charged on the Next Invoice",
        compute="_compute_cs_late_charge",
        help="The policy adds the fee and interest to the customer's next "
        "subscription invoice, and the customer has a running subscription.",
    )
    cs_late_charge_waived = fields.Boolean(
        string="Late Charges Waived", copy=False, readonly=True, tracking=True
    )
    cs_late_charge_waive_reason = fields.Char(
        string="Waive Reason", copy=False, readonly=True, tracking=True
    )
    cs_early_discount_amount = fields.Monetary(
        string="Amount with Early Discount",
        compute="_compute_cs_early_discount",
        help="What the customer pays until the discount date (the payment "
        "terms' early-payment discount).",
    )
    cs_early_discount_date = fields.Date(
        string="Early Discount Until", compute="_compute_cs_early_discount"
    )

    @api.depends_context(LATE_DAY)
    @api.depends(
        "move_type",
        "state",
        "amount_residual",
        "invoice_date_due",
        "currency_id",
        "cs_late_charge_waived",
        "cs_dunning_policy_id.late_fee_percent",
        "cs_dunning_policy_id.interest_percent",
        "cs_dunning_policy_id.grace_days",
        "cs_dunning_policy_id.charge_mode",
    )
    def _compute_cs_late_charge(self):
        by_id = self._cs_get_late_charge_values_batch(self._cs_get_late_day())
        for move in self:
            values = by_id[move.id]
            move.cs_late_residual = values["residual"]
            move.cs_late_fee = values["fee"]
            move.cs_late_interest = values["interest"]
            move.cs_amount_due_today = values["total"]
            move.cs_late_days = values["days_late"]
            move.cs_late_start_date = values["start_date"]
            move.cs_late_charge_next_invoice = values["next_invoice"]

    @api.depends_context(LATE_DAY)
    @api.depends(
        "payment_state",
        "invoice_payment_term_id.early_discount",
        "line_ids.discount_date",
        "line_ids.discount_amount_currency",
    )
    def _compute_cs_early_discount(self):
        day = self._cs_get_late_day()
        for move in self:
            amount, until = 0.0, False
            if (
                move.state == "posted"
                and move.payment_state == "not_paid"
                and move._is_eligible_for_early_payment_discount(move.currency_id, day)
            ):
                terms = move.line_ids.filtered(
                    lambda line: line.display_type == "payment_term"
                )
                amount = abs(sum(terms.mapped("discount_amount_currency")))
                until = min(terms.filtered("discount_date").mapped("discount_date"))
            move.cs_early_discount_amount = amount
            move.cs_early_discount_date = until

    def _cs_get_late_day(self):
        day = self.env.context.get(LATE_DAY)
        return fields.Date.to_date(day) if day else fields.Date.context_today(self)

    def _cs_with_late_day(self, day=None):
        """These invoices, their late charges computed for ``day`` (today by
        default, in the company's context)."""
        day = day or fields.Date.context_today(self)
        return self.with_context(**{LATE_DAY: fields.Date.to_string(day)})

    def _cs_get_late_charge_values(self, day=None):
        """The amount due on ``day`` (today by default) and its breakdown:
        {residual, fee, interest, total, days_late, start_date, next_invoice,
        currency}. The invoices prefetched with this one are computed with it,
        in one go."""
        self.ensure_one()
        move = self._cs_with_late_day(day)
        return {
            "residual": move.cs_late_residual,
            "fee": move.cs_late_fee,
            "interest": move.cs_late_interest,
            "total": move.cs_amount_due_today,
            "days_late": move.cs_late_days,
            "start_date": move.cs_late_start_date,
            "next_invoice": move.cs_late_charge_next_invoice,
            "currency": move.currency_id,
        }

    def _cs_get_early_discount_values(self, day=None):
        """{amount, date}: what pays this invoice until ``date`` with its
        payment terms' early-payment discount, when it is still eligible on
        ``day`` (today by default); else an empty dict."""
        self.ensure_one()
        move = self._cs_with_late_day(day)
        if not move.cs_early_discount_date:
            return {}
        return {
            "amount": move.cs_early_discount_amount,
            "date": move.cs_early_discount_date,
        }

    def _cs_prefetch_late_charges(self, day=None):
        """Compute the late charges and early discounts of all these invoices
        at once, before a reminder reads them invoice by invoice."""
        moves = self._cs_with_late_day(day)
        moves.fetch(["currency_id", "invoice_payment_term_id", "line_ids"])
        moves.line_ids.fetch(["display_type", "discount_date"])
        moves.mapped("cs_amount_due_today")
        moves.mapped("cs_early_discount_amount")

    def _cs_get_late_charge_values_batch(self, day):
        """{invoice id: values of :meth:`_cs_get_late_charge_values`} on
        ``day``, for all of ``self``: the payments of all of them in one
        query, the running subscriptions of their customers in another."""
        payments = self._cs_get_payments_by_date()
        charging = self.filtered(
            lambda move: move.cs_dunning_policy_id.charge_mode == "next_invoice"
        )
        running = self.env["cs.late.charge"]._get_running_customers(
            charging.commercial_partner_id
        )
        return {
            move.id: move._cs_compute_late_charge(
                day,
                payments.get(move.id, []),
                (move.commercial_partner_id.id, move.company_id.id) in running,
            )
            for move in self
        }

    def _cs_get_payments_by_date(self):
        """{invoice id: [(date, amount in the invoice's currency)]}, what was
        reconciled with each invoice's receivable, by date, oldest first."""
        ids = [move_id for move_id in self.ids if move_id]
        if not ids:
            return {}
        self.env["account.move.line"].flush_model(["move_id", "display_type"])
        self.env["account.partial.reconcile"].flush_model(
            ["debit_move_id", "max_date", "debit_amount_currency"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT line.move_id, part.max_date, SUM(part.debit_amount_currency)
                  FROM account_partial_reconcile part
                  JOIN account_move_line line ON line.id = part.debit_move_id
                 WHERE line.move_id IN %s AND line.display_type = 'payment_term'
              GROUP BY line.move_id, part.max_date
              ORDER BY line.move_id, part.max_date
                """,
                tuple(ids),
            )
        )
        payments = defaultdict(list)
        for move_id, day, amount in rows:
            payments[move_id].append((day, amount))
        return payments

    def _cs_compute_late_charge(self, day, payments, next_invoice):
        """The late charges of this invoice on ``day``, given its
        ``payments`` ([(date, amount)], oldest first)."""
        self.ensure_one()
        currency = self.currency_id
        later = sum(amount for date, amount in payments if date > day)
        paid = [(date, amount) for date, amount in payments if date <= day]
        residual = currency.round(self.amount_residual + later)
        values = {
            "residual": residual,
            "fee": 0.0,
            "interest": 0.0,
            "total": residual,
            "days_late": 0,
            "start_date": False,
            "next_invoice": False,
        }
        policy = self.cs_dunning_policy_id
        if (
            not policy
            or self.move_type != "out_invoice"
            or self.state != "posted"
            or not self.invoice_date_due
        ):
            return values
        start = self.company_id._cs_next_business_day(self.invoice_date_due)
        values["start_date"] = start
        if self.cs_late_charge_waived:
            return values
        balance = residual + sum(amount for _date, amount in paid)
        for date, amount in paid:
            if date <= start:
                balance -= amount
        base = balance
        # interest stops the day the invoice is paid off
        last = day if not currency.is_zero(residual) else (paid[-1][0] if paid else day)
        days_late = (last - start).days
        if days_late <= 0 or currency.compare_amounts(base, 0.0) <= 0:
            return values
        values["days_late"] = days_late
        if days_late <= policy.grace_days:
            return values
        # simple interest, day by day on what stayed unpaid
        balance_days, cursor = 0.0, start
        for date, amount in paid:
            if date <= start:
                continue
            balance_days += balance * (date - cursor).days
            balance -= amount
            cursor = date
        if currency.compare_amounts(balance, 0.0) > 0:
            balance_days += balance * (day - cursor).days
        fee = currency.round(base * policy.late_fee_percent / 100)
        interest = currency.round(balance_days * policy.interest_percent / 100 / 30)
        values.update(
            fee=fee,
            interest=interest,
            total=currency.round(residual + fee + interest),
            next_invoice=next_invoice and policy.charge_mode == "next_invoice",
        )
        return values

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        self._cs_record_late_charges()
        return result

    def _cs_record_late_charges(self):
        """The fee and interest of these invoices, paid late under a policy
        that charges them on the next invoice, become charges: once per
        invoice, at the day each was paid off."""
        moves = self.filtered(
            lambda move: (
                move.cs_paid_date
                and move.cs_dunning_policy_id.charge_mode == "next_invoice"
                and not move.cs_late_charge_waived
            )
        )
        if not moves:
            return
        # sudo: the charges follow the payment, whoever registers it
        Charge = self.env["cs.late.charge"].sudo()
        moves -= Charge.search([("move_id", "in", moves.ids)]).move_id
        by_day = defaultdict(self.browse)
        for move in moves:
            by_day[move.cs_paid_date] |= move
        values = []
        for day, day_moves in by_day.items():
            charges = day_moves._cs_get_late_charge_values_batch(day)
            for move in day_moves:
                charge = charges[move.id]
                if move.currency_id.is_zero(charge["fee"] + charge["interest"]):
                    continue
                values.append(
                    Charge._prepare_values(move, charge, day, charge["next_invoice"])
                )
        Charge.create(values)

    def _cs_waive_late_charges(self, reason):
        """Waive the fee and interest of these invoices, for ``reason``: the
        reminders and the portal no longer show them, and the charges not
        invoiced yet are waived. A manager's decision, tracked."""
        user = self.env.user
        if not (
            user.has_group("customer_success.customer_success_group_manager")
            or user.has_group("account.group_account_manager")
        ):
            raise UserError(
                self.env._(
                    "Only a customer success manager or an accounting manager "
                    "may waive late fees and interest."
                )
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the late charges are waived."))
        self.check_access("read")
        # sudo: a customer success manager may not edit invoices; only the
        # waiver is written, tracked under the manager's name
        moves = self.sudo()
        Charge = self.env["cs.late.charge"].sudo()
        charges = Charge.search([("move_id", "in", moves.ids)])
        charged = charges.filtered(lambda charge: charge.state == "charged")
        if charged:
            raise UserError(
                self.env._(
                    "The late charges of %(invoices)s are already on the invoice "
                    "%(charged_on)s: refund that line instead.",
                    invoices=", ".join(charged.move_id.mapped("display_name")),
                    charged_on=", ".join(charged.charge_move_id.mapped("display_name")),
                )
            )
        today = fields.Date.context_today(self)
        amounts = moves._cs_get_late_charge_values_batch(today)
        new_values = [
            Charge._prepare_values(move, amounts[move.id], today, False)
            for move in moves - charges.move_id
            if not move.currency_id.is_zero(
                amounts[move.id]["fee"] + amounts[move.id]["interest"]
            )
        ]
        charges |= Charge.create(new_values)
        charges.write(
            {
                "waived": True,
                "waive_reason": reason,
                "waived_by_id": user.id,
                "waive_date": today,
            }
        )
        moves.with_context(skip_invoice_sync=True).write(
            {"cs_late_charge_waived": True, "cs_late_charge_waive_reason": reason}
        )
        return True

    def action_cs_waive_late_charges(self):
        """Open the form that asks why the late charges are waived."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive Late Fee and Interest"),
            "res_model": "cs.late.charge.waive.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }
