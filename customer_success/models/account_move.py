# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import SUPERUSER_ID, api, fields, models
from odoo.fields import Domain

from ..const import OPEN_PAYMENT_STATES


class AccountMove(models.Model):
    _inherit = "account.move"

    # the billing health, the health's payment factor and the dunning read
    # a customer's invoices a batch of customers at a time
    commercial_partner_id = fields.Many2one(index=True)

    cs_payer_id = fields.Many2one(
        "res.partner",
        string="Payer",
        compute="_compute_cs_payer_id",
        store=True,
        index="btree_not_null",
        help="Who receives the billing e-mails of this invoice: its invoice "
        "address when it is a contact, else the customer's payer.",
    )
    cs_payer_email_missing = fields.Boolean(compute="_compute_cs_payer_email_missing")
    cs_billing_comm_issue = fields.Boolean(
        related="commercial_partner_id.billing_comm_issue",
        string="Billing Communication Problem",
    )
    cs_billing_sender_id = fields.Many2one(
        "res.partner",
        string="Billing Sender",
        compute="_compute_cs_billing_sender_id",
        help="Who signs the billing e-mails of this invoice: its salesperson, "
        "else the company's billing sender, else the company.",
    )
    cs_paid_date = fields.Date(string="Paid On", copy=False, readonly=True)
    cs_days_late = fields.Integer(
        string="Days Paid Late",
        compute="_compute_cs_days_late",
        store=True,
        aggregator="avg",
    )
    cs_days_overdue = fields.Integer(
        string="Days Overdue", compute="_compute_cs_days_overdue"
    )
    cs_payment_confirmed = fields.Boolean(copy=False, readonly=True)

    @api.depends(
        "partner_id.type", "commercial_partner_id.payer_id", "state", "payment_state"
    )
    def _compute_cs_payer_id(self):
        for move in self:
            if move.cs_payer_id and not move._cs_is_open():
                # a settled invoice keeps who was billed: a new payer takes
                # over what is still to pay, not the history
                move.cs_payer_id = move.cs_payer_id
                continue
            partner = move.partner_id
            payer = move.commercial_partner_id.payer_id
            # an invoice address stands for the payer: a new payer takes over
            # the open invoices addressed to the former one
            if partner.type == "invoice" and payer.type == "invoice":
                move.cs_payer_id = payer
            elif partner and partner != move.commercial_partner_id:
                move.cs_payer_id = partner
            else:
                move.cs_payer_id = move.commercial_partner_id.payer_id or partner

    @api.depends("cs_payer_id.email", "cs_payer_id.active")
    def _compute_cs_payer_email_missing(self):
        for move in self:
            payer = move.cs_payer_id
            move.cs_payer_email_missing = (
                move.is_sale_document(include_receipts=False)
                and bool(payer)
                and (not payer.email or not payer.active)
            )

    @api.depends(
        "invoice_user_id.partner_id.email",
        "company_id.cs_billing_sender_id.email",
        "company_id.partner_id.email",
    )
    def _compute_cs_billing_sender_id(self):
        for move in self:
            move.cs_billing_sender_id = move.company_id._cs_get_billing_sender(
                move.invoice_user_id
            )

    @api.depends("cs_paid_date", "invoice_date_due")
    def _compute_cs_days_late(self):
        for move in self:
            if move.cs_paid_date and move.invoice_date_due:
                move.cs_days_late = max(
                    (move.cs_paid_date - move.invoice_date_due).days, 0
                )
            else:
                move.cs_days_late = 0

    @api.depends_context("date")
    @api.depends("invoice_date_due", "payment_state")
    def _compute_cs_days_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            due = move.invoice_date_due
            if due and move.payment_state in OPEN_PAYMENT_STATES and due < today:
                move.cs_days_overdue = (today - due).days
            else:
                move.cs_days_overdue = 0

    def _compute_invoice_default_sale_person(self):
        res = super()._compute_invoice_default_sale_person()
        # an invoice made by a scheduled job would get OdooBot as salesperson,
        # shown to the customer on the portal: the customer's own, or none
        for move in self.filtered(lambda move: move.invoice_user_id.id == SUPERUSER_ID):
            salesperson = (
                move.partner_id.user_id or move.partner_id.commercial_partner_id.user_id
            )
            move.invoice_user_id = salesperson.filtered(
                lambda user: user.id != SUPERUSER_ID
            )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self._cs_address_customer_invoices_to_payer(vals_list)
        for vals in vals_list:
            # OdooBot is no salesperson (subscription_oca passes the user of
            # the subscription, OdooBot when a job created it): Odoo's default
            if vals.get("invoice_user_id") == SUPERUSER_ID:
                del vals["invoice_user_id"]
        return super().create(vals_list)

    @api.model
    def _cs_address_customer_invoices_to_payer(self, vals_list):
        """Invoices created for a customer go to its payer contact."""
        default_type = self.env.context.get("default_move_type")
        customer_vals = [
            vals
            for vals in vals_list
            if vals.get("partner_id")
            and vals.get("move_type", default_type) in ("out_invoice", "out_refund")
        ]
        customers = self.env["res.partner"].browse(
            list({vals["partner_id"] for vals in customer_vals})
        )
        payers = {
            customer.id: customer.payer_id.id
            for customer in customers
            if not customer.parent_id and customer.payer_id not in (customer, False)
        }
        for vals in customer_vals:
            vals["partner_id"] = payers.get(vals["partner_id"], vals["partner_id"])

    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        self._cs_on_paid()
        return result

    @api.model
    def _cs_get_customer_invoice_domain(self):
        """The posted customer invoices."""
        return Domain([("move_type", "=", "out_invoice"), ("state", "=", "posted")])

    @api.model
    def _cs_get_open_invoice_domain(self):
        """The posted customer invoices still to be paid."""
        return self._cs_get_customer_invoice_domain() & Domain(
            "payment_state", "in", OPEN_PAYMENT_STATES
        )

    @api.model
    def _cs_get_in_dunning_domain(self):
        """The open customer invoices the dunning has reached a step of."""
        return self._cs_get_open_invoice_domain() & Domain(
            "cs_dunning_step_id", "!=", False
        )

    def _cs_is_open(self):
        """Whether this invoice is still to be settled (a draft, or posted
        and not paid yet)."""
        self.ensure_one()
        return self.state == "draft" or (
            self.state == "posted" and self.payment_state in OPEN_PAYMENT_STATES
        )

    def _cs_record_renewals(self):
        """A paid invoice of a subscription that is not its first invoice is
        a renewal: a milestone, once per invoice."""
        renewing = self.filtered("subscription_id")
        if not renewing:
            return
        first = dict(
            self._read_group(
                Domain("subscription_id", "in", renewing.subscription_id.ids)
                & self._cs_get_customer_invoice_domain(),
                groupby=["subscription_id"],
                aggregates=["id:min"],
            )
        )
        renewal = self.env.ref("customer_success.cs_milestone_type_renewal")
        self.env["cs.milestone"]._record(
            [
                {
                    "name": lambda env, move=move: env._(
                        "Renewal: %(subscription)s",
                        subscription=move.subscription_id.display_name,
                    ),
                    "partner_id": move.commercial_partner_id.id,
                    "company_id": move.company_id.id,
                    "type_id": renewal.id,
                    "date": move.cs_paid_date or move.invoice_date,
                    "subscription_id": move.subscription_id.id,
                    "invoice_id": move.id,
                    "origin_key": f"renewal:{move.id}",
                }
                for move in renewing
                if first.get(move.subscription_id) != move.id
            ]
        )

    def _cs_on_paid(self):
        """Record the payment date and thank the payer, once per invoice."""
        invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.payment_state in ("paid", "in_payment")
                and not move.currency_id.is_zero(move.amount_total)
            )
        )
        today = fields.Date.context_today(self)
        for move in invoices:
            dates = move.line_ids.matched_credit_ids.mapped("max_date")
            move.cs_paid_date = max(dates) if dates else today
        invoices._cs_record_renewals()
        to_thank = invoices.filtered(lambda move: not move.cs_payment_confirmed)
        to_thank.cs_payment_confirmed = True
        for move in to_thank:
            template = move.cs_dunning_policy_id.payment_template_id
            payer = move.cs_payer_id
            if template and payer.email and payer.active:
                # a thank-you may go on any day, inside the sending window
                move._cs_send_email(template, business_days=False)
        self.env["cs.cta"]._close_for_paid(invoices)
        # sudo: whoever registers the payment closes the held-back e-mails of
        # these invoices; the log itself is not theirs to edit.
        self.env["cs.dunning.log"].sudo().search(
            [("move_id", "in", invoices.ids), ("state", "=", "waiting")]
        ).state = "cancelled"
