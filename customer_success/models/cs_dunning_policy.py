# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the consumer protection code (CDC art. 52 §1) caps the late fee of a
# consumer relation; business contracts may agree more
CDC_LATE_FEE_CAP = 2.0
MAX_LATE_FEE = 20.0
MAX_MONTHLY_INTEREST = 10.0


class CsDunningPolicy(models.Model):
    """Which billing conversation a customer gets, step by step."""

    _name = "cs.dunning.policy"
    _description = "Dunning Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    step_ids = fields.One2many(
        "cs.dunning.step", "policy_id", string="Steps", copy=True
    )
    step_count = fields.Integer(compute="_compute_step_count")
    payment_template_id = fields.Many2one(
        "mail.template",
        string="Payment Received E-mail",
        domain="[('model', '=', 'account.move')]",
        help="Sent once to the payer when an invoice becomes paid. Leave empty to "
        "send no confirmation.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Fallback Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Gets the activities of customers that have neither a success manager "
        "nor a salesperson on the invoice.",
    )
    human_touch = fields.Selection(
        [
            ("none", "Same e-mails for everyone"),
            ("replace", "Activity instead of the overdue e-mail"),
            ("activity_first", "Activity first, e-mail a few days later"),
        ],
        default="none",
        required=True,
        help="For customers served high-touch or exclusive-touch: a person calls "
        "before (or instead of) the automated overdue e-mail.",
    )
    human_touch_delay = fields.Integer(
        string="E-mail Delay (days)",
        default=2,
        help="With 'Activity first': days between the activity and the e-mail.",
    )
    human_touch_activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Human Touch Activity",
        default=lambda self: self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        ),
    )
    late_fee_percent = fields.Float(
        string="Late Fee (%)",
        default=2.0,
        digits=(5, 2),
        tracking=True,
        help="Charged once on what was unpaid when the invoice became late.",
    )
    interest_percent = fields.Float(
        string="Interest per Month (%)",
        default=1.0,
        digits=(5, 2),
        tracking=True,
        help="Simple interest, pro rata per day (a thirtieth of the monthly rate "
        "a day), on what stays unpaid each day.",
    )
    grace_days = fields.Integer(
        default=0,
        tracking=True,
        help="An invoice paid within these days after it became late carries no "
        "fee and no interest; paid later, both count from the first late day.",
    )
    charge_mode = fields.Selection(
        [("show", "Show only"), ("next_invoice", "Charge on the next invoice")],
        string="Late Charges",
        default="show",
        required=True,
        tracking=True,
        help="Show only: the reminders and the portal show the amount due today. "
        "Charge on the next invoice: the fee and interest of an invoice paid late "
        "are added to the customer's next subscription invoice.",
    )
    late_charge_product_id = fields.Many2one(
        "product.product",
        domain="[('type', '=', 'service')]",
        help="The product of the line that charges the fee and interest.",
    )
    late_fee_above_cap = fields.Boolean(compute="_compute_late_fee_above_cap")

    @api.depends("late_fee_percent")
    def _compute_late_fee_above_cap(self):
        for policy in self:
            policy.late_fee_above_cap = policy.late_fee_percent > CDC_LATE_FEE_CAP

    @api.depends("step_ids")
    def _compute_step_count(self):
        for policy in self:
            policy.step_count = len(policy.step_ids)

    @api.constrains("human_touch_delay")
    def _check_human_touch_delay(self):
        for policy in self:
            if policy.human_touch_delay < 0:
                raise ValidationError(
                    self.env._("The e-mail delay of a human touch cannot be negative.")
                )

    @api.constrains(
        "late_fee_percent",
        "interest_percent",
        "grace_days",
        "charge_mode",
        "late_charge_product_id",
    )
    def _check_late_charges(self):
        for policy in self:
            if min(policy.late_fee_percent, policy.interest_percent) < 0 or (
                policy.grace_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The late fee, the interest and the grace days of the "
                        "policy %(policy)s cannot be negative.",
                        policy=policy.display_name,
                    )
                )
            if policy.late_fee_percent > MAX_LATE_FEE:
                raise ValidationError(
                    self.env._(
                        "A late fee of %(fee)s%% is refused: at most %(max)s%%.",
                        fee=policy.late_fee_percent,
                        max=MAX_LATE_FEE,
                    )
                )
            if policy.interest_percent > MAX_MONTHLY_INTEREST:
                raise ValidationError(
                    self.env._(
                        "An interest of %(rate)s%% a month is refused: at most "
                        "%(max)s%% a month.",
                        rate=policy.interest_percent,
                        max=MAX_MONTHLY_INTEREST,
                    )
                )
            if policy.charge_mode == "next_invoice" and not (
                policy.late_charge_product_id
            ):
                raise ValidationError(
                    self.env._(
                        "The policy %(policy)s charges fees and interest on the "
                        "next invoice: choose the product of that line.",
                        policy=policy.display_name,
                    )
                )

    @api.constrains("step_ids", "active")
    def _check_default_has_steps(self):
        for company in self._get_default_companies():
            policy = company.cs_dunning_policy_id
            if not policy._keeps_steps() or not policy.active:
                raise ValidationError(
                    self.env._(
                        "The policy %(policy)s is the default of %(company)s: it "
                        "must stay active and keep at least one step.",
                        policy=policy.display_name,
                        company=company.display_name,
                    )
                )

    def _get_default_companies(self):
        """The companies whose default dunning policy is one of these."""
        # sudo: which companies use the policy, whatever companies the user
        # may read; the rule of a default holds in all of them
        return (
            self.env["res.company"]
            .sudo()
            .search([("cs_dunning_policy_id", "in", self.ids)])
        )

    def _keeps_steps(self, removed_steps=None):
        """The rule of a company's default policy: it keeps at least one
        step (once ``removed_steps`` are deleted)."""
        self.ensure_one()
        return bool(self.step_ids - removed_steps if removed_steps else self.step_ids)

    def _get_due_step(self, due_date, last_step, today):
        """Return the step to run now for an invoice, or an empty recordset.

        Only the latest step now due is returned: after downtime the customer
        gets one message, never a burst of older ones. Steps at or before
        ``last_step`` were already run.
        """
        self.ensure_one()
        steps = self.step_ids.filtered(
            lambda step: (
                (not last_step or step.offset_days > last_step.offset_days)
                and step._get_date(due_date) <= today
            )
        )
        return steps[-1:] if steps else steps

    def _get_next_step(self, last_step):
        """The first step after ``last_step`` (or the first step)."""
        self.ensure_one()
        steps = self.step_ids.filtered(
            lambda step: not last_step or step.offset_days > last_step.offset_days
        )
        return steps[:1]

    def _use_human_touch(self, partner):
        """Whether ``partner`` gets a person rather than the automated e-mail."""
        self.ensure_one()
        return self.human_touch != "none" and partner._cs_is_high_touch()
