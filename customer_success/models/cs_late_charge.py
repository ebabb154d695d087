# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.fields import Domain


class CsLateCharge(models.Model):
    """The fee and interest of one invoice paid late, or waived: what is
    still to charge on the customer's next subscription invoice, what was
    charged there, what is to invoice by hand and what was waived."""

    _name = "cs.late.charge"
    _description = "Late Fee and Interest"
    _order = "date desc, id desc"
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Late Invoice",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    date = fields.Date(
        required=True,
        readonly=True,
        help="The day the invoice was paid off, or the charges were waived.",
    )
    days_late = fields.Integer(readonly=True, aggregator="avg")
    fee = fields.Monetary(string="Late Fee", readonly=True)
    interest = fields.Monetary(string="Late Interest", readonly=True)
    amount = fields.Monetary(
        string="Fee and Interest", compute="_compute_amount", store=True
    )
    amount_company = fields.Monetary(
        string="Fee and Interest (Company Currency)",
        compute="_compute_amount",
        store=True,
        currency_field="company_currency_id",
    )
    invoicing = fields.Selection(
        [("next_invoice", "On the next invoice"), ("manual", "By hand")],
        required=True,
        readonly=True,
        default="manual",
        help="On the next invoice: the customer had a running subscription when "
        "the invoice was paid. By hand: it had none.",
    )
    charge_line_ids = fields.One2many(
        "account.move.line", "cs_late_charge_id", string="Charged on", readonly=True
    )
    charge_move_id = fields.Many2one(
        "account.move",
        string="Charged on Invoice",
        compute="_compute_state",
        store=True,
    )
    waived = fields.Boolean(readonly=True)
    waive_reason = fields.Char(readonly=True)
    waived_by_id = fields.Many2one("res.users", string="Waived by", readonly=True)
    waive_date = fields.Date(readonly=True)
    state = fields.Selection(
        [
            ("due", "Due"),
            ("charged", "Charged"),
            ("manual", "To Invoice by Hand"),
            ("waived", "Waived"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )

    _move_uniq = models.Constraint(
        "UNIQUE(move_id)", "An invoice has one late charge: it is charged once."
    )

    @api.depends("fee", "interest", "currency_id", "company_id", "date")
    def _compute_amount(self):
        for charge in self:
            charge.amount = charge.fee + charge.interest
            company = charge.company_id
            if charge.currency_id and charge.currency_id != company.currency_id:
                charge.amount_company = charge.currency_id._convert(
                    charge.amount, company.currency_id, company, charge.date
                )
            else:
                charge.amount_company = charge.amount

    @api.depends("waived", "invoicing", "charge_line_ids")
    def _compute_state(self):
        for charge in self:
            charge.charge_move_id = charge.charge_line_ids.move_id[:1]
            if charge.waived:
                charge.state = "waived"
            elif charge.charge_line_ids:
                charge.state = "charged"
            elif charge.invoicing == "next_invoice":
                charge.state = "due"
            else:
                charge.state = "manual"

    @api.model
    def _prepare_values(self, move, values, day, next_invoice):
        """The values of the charge of ``move``, from its late charge
        ``values`` on ``day``."""
        return {
            "move_id": move.id,
            "partner_id": move.commercial_partner_id.id,
            "company_id": move.company_id.id,
            "currency_id": move.currency_id.id,
            "date": day,
            "days_late": values["days_late"],
            "fee": values["fee"],
            "interest": values["interest"],
            "invoicing": "next_invoice" if next_invoice else "manual",
        }

    @api.model
    def _get_running_customers(self, customers):
        """{(customer id, company id)} of ``customers`` that have a running
        subscription: their next invoice can carry a charge."""
        if not customers:
            return set()
        groups = (
            self.env["sale.subscription"]
            .sudo()
            ._read_group(
                Domain("cs_commercial_partner_id", "in", customers.ids)
                & Domain("in_progress", "=", True)
                & Domain("stage_id.type", "=", "in_progress"),
                groupby=["cs_commercial_partner_id", "company_id"],
            )
        )
        return {(customer.id, company.id) for customer, company in groups}

    @api.model
    def _get_to_charge_domain(self, subscription):
        """The charges the next invoice of ``subscription`` carries."""
        return Domain(
            [
                ("partner_id", "=", subscription.cs_commercial_partner_id.id),
                ("company_id", "=", subscription.company_id.id),
                ("state", "=", "due"),
            ]
        )

    def _prepare_invoice_line_commands(self, subscription):
        """One invoice line per charge, with its policy's product, in the
        company's currency (what subscription_oca invoices in)."""
        company = subscription.company_id
        commands = []
        for charge in self:
            policy = charge.move_id.cs_dunning_policy_id
            name = self.env._(
                "Late fee and interest of %(invoice)s (%(days)s days late)",
                invoice=charge.move_id.name,
                days=charge.days_late,
            )
            commands.append(
                Command.create(
                    {
                        "product_id": policy.late_charge_product_id.id,
                        "name": name,
                        "quantity": 1,
                        "price_unit": charge.currency_id._convert(
                            charge.amount,
                            company.currency_id,
                            company,
                            fields.Date.context_today(self),
                        ),
                        "cs_late_charge_id": charge.id,
                    }
                )
            )
        return commands
