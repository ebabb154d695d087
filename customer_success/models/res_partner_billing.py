# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import email_normalize


class ResPartner(models.Model):
    """Billing: who pays, reachability, billing health, dunning pause and
    dunning policy of a customer."""

    # one file per feature of the customer (see res_partner.py)
    _name = "res.partner"
    _inherit = [  # pylint: disable=consider-merging-classes-inherited
        "res.partner",
        "cs.dunning.pause.mixin",
    ]

    # Billing: who pays, and how the billing conversation goes
    payer_id = fields.Many2one(
        "res.partner",
        compute="_compute_payer_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
        domain="['|', ('id', '=', id), ('parent_id', '=', id)]",
        help="The person responsible for payment: billing e-mails go to them. By "
        "default the invoice address of the customer, else the customer itself.",
    )
    billing_cc_signer = fields.Boolean(
        string="Copy the Customer on Billing E-mails",
        help="When the payer is another contact, the customer's own address is "
        "put in copy of reminders and payment confirmations.",
    )
    payer_email_missing = fields.Boolean(compute="_compute_payer_email_missing")
    cs_dunning_policy_id = fields.Many2one(
        "cs.dunning.policy",
        string="Dunning Policy",
        tracking=True,
        domain="[('company_id', 'in', [company_id or current_company_id, False])]",
        help="Leave empty to use the company's default policy.",
    )
    billing_comm_issue = fields.Boolean(
        string="Billing Communication Problem",
        tracking=True,
        help="A billing e-mail to the payer bounced or failed. It clears when a "
        "later e-mail is delivered or the payer's address changes.",
    )
    billing_comm_checked_since = fields.Datetime(
        help="Bounces before this moment are already dealt with.",
    )
    # Billing health, from the customer's posted invoices
    cs_invoice_ids = fields.One2many(
        "account.move", "commercial_partner_id", string="Customer Journal Entries"
    )
    cs_invoice_count = fields.Integer(
        string="Posted Invoices", compute="_compute_billing_health", store=True
    )
    cs_late_paid_count = fields.Integer(
        string="Paid Late", compute="_compute_billing_health", store=True
    )
    cs_avg_days_late = fields.Float(
        string="Average Days Late",
        compute="_compute_billing_health",
        store=True,
        digits=(16, 1),
    )
    cs_amount_overdue = fields.Monetary(
        string="Amount Overdue",
        compute="_compute_billing_health",
        store=True,
        currency_field="cs_company_currency_id",
    )
    cs_last_payment_date = fields.Date(
        string="Last Payment", compute="_compute_billing_health", store=True
    )
    cs_dunning_step_id = fields.Many2one(
        "cs.dunning.step",
        string="Current Dunning Step",
        compute="_compute_billing_health",
        store=True,
    )

    @api.depends("is_company", "parent_id", "child_ids.type", "child_ids.active")
    def _compute_payer_id(self):
        for partner in self:
            if partner.parent_id:
                partner.payer_id = False
                continue
            invoice_contacts = partner.child_ids.filtered(
                lambda child: child.type == "invoice" and child.active
            )
            partner.payer_id = invoice_contacts[:1] or partner

    @api.depends("payer_id.email", "payer_id.active", "parent_id")
    def _compute_payer_email_missing(self):
        for partner in self:
            payer = partner.commercial_partner_id.payer_id
            partner.payer_email_missing = bool(payer) and (
                not payer.email or not payer.active
            )

    @api.depends(
        "cs_invoice_ids.state",
        "cs_invoice_ids.payment_state",
        "cs_invoice_ids.amount_residual",
        "cs_invoice_ids.cs_days_late",
        "cs_invoice_ids.cs_paid_date",
        "cs_invoice_ids.cs_dunning_step_id",
    )
    def _compute_billing_health(self):
        today = fields.Date.context_today(self)
        Move = self.env["account.move"]
        invoices = (
            Domain("commercial_partner_id", "in", self.ids)
            & Move._cs_get_customer_invoice_domain()
        )
        open_invoices = (
            Domain("commercial_partner_id", "in", self.ids)
            & Move._cs_get_open_invoice_domain()
        )
        totals = {
            partner: (count, last_paid)
            for partner, count, last_paid in Move._read_group(
                invoices,
                groupby=["commercial_partner_id"],
                aggregates=["__count", "cs_paid_date:max"],
            )
        }
        late = {
            partner: (count, avg)
            for partner, count, avg in Move._read_group(
                invoices & Domain("cs_days_late", ">", 0),
                groupby=["commercial_partner_id"],
                aggregates=["__count", "cs_days_late:avg"],
            )
        }
        overdue = dict(
            Move._read_group(
                open_invoices & Domain("invoice_date_due", "<", today),
                groupby=["commercial_partner_id"],
                aggregates=["amount_residual_signed:sum"],
            )
        )
        steps = {}
        for partner, step_ids in Move._read_group(
            Domain("commercial_partner_id", "in", self.ids)
            & Move._cs_get_in_dunning_domain(),
            groupby=["commercial_partner_id"],
            aggregates=["cs_dunning_step_id:recordset"],
        ):
            steps[partner] = step_ids.sorted("offset_days")[-1:]
        for partner in self:
            count, last_paid = totals.get(partner, (0, False))
            late_count, avg_late = late.get(partner, (0, 0.0))
            partner.cs_invoice_count = count
            partner.cs_last_payment_date = last_paid
            partner.cs_late_paid_count = late_count
            partner.cs_avg_days_late = avg_late or 0.0
            partner.cs_amount_overdue = overdue.get(partner, 0.0)
            partner.cs_dunning_step_id = steps.get(partner, False)

    def _cs_sync_payer_stakeholder(self):
        """The payer stakeholder follows the customer's payer contact."""
        # Billing users change payers without seeing stakeholders; the payer
        # stakeholder only mirrors the payer they were allowed to set.
        stakeholders = (
            self.env["cs.stakeholder"]
            .sudo()
            .search([("partner_id", "in", self.ids), ("role", "=", "payer")])
        )
        for stakeholder in stakeholders:
            payer = stakeholder.partner_id.payer_id
            if payer and stakeholder.contact_id != payer:
                stakeholder.contact_id = payer
            elif not payer:
                stakeholder.unlink()

    def _cs_get_dunning_pause_records(self):
        """The dunning of a contact is paused on its customer."""
        return self.commercial_partner_id

    def _cs_clear_comm_issue_of_payers(self, new_email):
        """A payer's new address ends the communication problem it caused,
        and the bounces counted on the former address."""
        normalized = email_normalize(new_email) if new_email else False
        # the same address written differently (case, a name around it) is
        # not a new one: its bounces still count
        changed = self.filtered(lambda partner: partner.email_normalized != normalized)
        # sudo: the bounce counter is Odoo's, kept by the mail gateway; its
        # own reset, as when the address answers again
        changed.sudo().filtered("message_bounce")._message_reset_bounce(new_email)
        customers = self.search(
            [("payer_id", "in", changed.ids), ("billing_comm_issue", "=", True)]
        )
        customers._cs_set_comm_issue(False)

    def _cs_set_comm_issue(self, problem):
        """Flag (or clear) the billing communication problem of customers."""
        customers = self.commercial_partner_id.filtered(
            lambda partner: partner.billing_comm_issue != problem
        )
        vals = {"billing_comm_issue": problem}
        if not problem:
            vals["billing_comm_checked_since"] = fields.Datetime.now()
        customers.write(vals)

    def _cs_billing_health_fields(self):
        return [
            self._fields[name]
            for name in (
                "cs_invoice_count",
                "cs_late_paid_count",
                "cs_avg_days_late",
                "cs_amount_overdue",
                "cs_last_payment_date",
                "cs_dunning_step_id",
            )
        ]

    def _cs_invalidate_billing_health(self):
        """Recompute the billing health of these customers at the next flush
        (it depends on today's date, not only on their invoices)."""
        for field in self._cs_billing_health_fields():
            self.env.add_to_compute(field, self)

    def _cs_get_dunning_policy(self, company):
        """The dunning policy of this customer in ``company``."""
        self.ensure_one()
        customer = self.commercial_partner_id
        for policy in (
            customer.cs_dunning_policy_id,
            customer.touch_model_id.dunning_policy_id,
        ):
            if policy and policy.company_id == company:
                return policy
        return company.cs_dunning_policy_id

    def _cs_get_billing_recipients(self, payer=None):
        """Partners who receive the billing e-mails of this customer: the payer
        (``payer`` or the customer's), and the customer in copy if asked."""
        self.ensure_one()
        customer = self.commercial_partner_id
        payer = payer or customer.payer_id or customer
        recipients = payer
        if customer.billing_cc_signer and customer != payer and customer.email:
            recipients |= customer
        return recipients
