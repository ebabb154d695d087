# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CsDunningStep(models.Model):
    """One moment of a dunning policy, counted in days from the due date."""

    _name = "cs.dunning.step"
    _description = "Dunning Step"
    _order = "policy_id, offset_days, id"

    policy_id = fields.Many2one(
        "cs.dunning.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    name = fields.Char(required=True, translate=True)
    offset_days = fields.Integer(
        string="Day",
        required=True,
        help="Days from the due date: negative before it, 0 on it, positive after.",
    )
    action = fields.Selection(
        [
            ("email", "E-mail"),
            ("activity", "Activity"),
            ("both", "E-mail and activity"),
        ],
        default="email",
        required=True,
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'account.move')]",
    )
    attach_invoice = fields.Boolean(
        string="Attach Invoice PDF",
        help="Attach the invoice (the boleto is printed on it) to the e-mail.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        default=lambda self: self.env.ref(
            "mail.mail_activity_data_call", raise_if_not_found=False
        ),
    )
    activity_summary = fields.Char(translate=True)
    escalate_to_csm = fields.Boolean(
        string="Escalate to the CSM",
        help="The customer's success manager follows the invoice and gets the "
        "activity of this step.",
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue")
    is_final = fields.Boolean(
        string="Final Notice",
        compute="_compute_is_final",
        store=True,
        help="The last overdue step of its policy: reaching it runs the play "
        "*Dunning reached its final step*.",
    )

    @api.depends("offset_days")
    def _compute_is_overdue(self):
        for step in self:
            step.is_overdue = step.offset_days > 0

    @api.depends("offset_days", "policy_id.step_ids.offset_days")
    def _compute_is_final(self):
        for step in self:
            last = step.policy_id.step_ids.sorted("offset_days")[-1:]
            step.is_final = step.offset_days > 0 and step == last

    @api.constrains("policy_id", "offset_days")
    def _check_unique_offset(self):
        for policy in self.policy_id:
            offsets = policy.step_ids.mapped("offset_days")
            if len(offsets) != len(set(offsets)):
                raise ValidationError(
                    self.env._(
                        "Two steps of the policy %(policy)s fall on the same day. "
                        "Give each step its own day.",
                        policy=policy.display_name,
                    )
                )

    @api.constrains("action", "mail_template_id")
    def _check_template(self):
        for step in self:
            if step.action in ("email", "both") and not step.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "The step %(step)s sends an e-mail: choose its template.",
                        step=step.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_steps_of_default(self):
        for policy in self.policy_id:
            if (
                not policy._keeps_steps(removed_steps=self)
                and policy._get_default_companies()
            ):
                raise UserError(
                    self.env._(
                        "The policy %(policy)s is a company's default: keep at least "
                        "one step.",
                        policy=policy.display_name,
                    )
                )

    def _get_date(self, due_date):
        """The day this step is due for an invoice due on ``due_date``: the
        one definition the daily run, the invoice's next reminder date and
        the reminder sent by hand share.

        Steps go out on the company's business days: a step before the due
        date that falls on a closed day moves to the business day before it
        (the reminder still comes before the due date); the others to the
        next business day. An overdue step counts from the effective due
        date, the first business day from the due date on (a boleto due on
        a Sunday is paid on Monday without charges).
        """
        self.ensure_one()
        company = self.company_id
        if self.offset_days < 0:
            return company._cs_previous_business_day(
                due_date + timedelta(days=self.offset_days)
            )
        if self.is_overdue:
            due_date = company._cs_next_business_day(due_date)
        return company._cs_next_business_day(
            due_date + timedelta(days=self.offset_days)
        )

    def _sends_email(self):
        self.ensure_one()
        return self.action in ("email", "both")

    def _creates_activity(self):
        self.ensure_one()
        return self.action in ("activity", "both")

    def _is_final(self):
        """Whether this step is the last overdue notice of its policy."""
        self.ensure_one()
        return self.is_final

    def _uses_human_touch(self, customer):
        """Whether a person calls ``customer`` before (or instead of) the
        e-mail of this step: an overdue step, for a customer served in
        person, when the policy asks for it."""
        self.ensure_one()
        return self.is_overdue and self.policy_id._use_human_touch(customer)

    def _get_mode(self, customer, problem=False):
        """What this step does now for invoices of ``customer`` whose payer
        has the communication ``problem`` (or none): ``email``, ``activity``
        (a person instead of the e-mail, or no e-mail in the step),
        ``waiting`` (the e-mail after a person's call) or ``blocked`` (the
        payer cannot be reached)."""
        self.ensure_one()
        human = self._uses_human_touch(customer)
        if not self._sends_email() or (
            human and self.policy_id.human_touch == "replace"
        ):
            return "activity"
        if human:
            return "waiting"
        if problem:
            return "blocked"
        return "email"

    def _get_send_after(self, today):
        """The day the e-mail held back for a person's call goes out."""
        self.ensure_one()
        return self.company_id._cs_next_business_day(
            fields.Date.add(today, days=self.policy_id.human_touch_delay)
        )

    def _get_escalation_user(self, customer):
        """The success manager of ``customer`` this step escalates to: they
        follow the invoices and get the step's activity."""
        self.ensure_one()
        return customer.csm_id if self.escalate_to_csm else self.env["res.users"]

    def _prepare_activity_values(self, customer):
        """The activities this step schedules on invoices of ``customer``, in
        order (the dunning log keeps the last): the call of a human touch,
        then the step's own activity, or else the escalation to the success
        manager. Each is ``{"activity_type", "summary", "user"}``: the
        summary is a function of the environment of its reader, ``user`` may
        be empty (the invoice's salesperson, then the policy's responsible).
        """
        self.ensure_one()
        escalation_user = self._get_escalation_user(customer)
        human = self._uses_human_touch(customer)
        values = []
        if human:
            values.append(
                {
                    "activity_type": self.policy_id.human_touch_activity_type_id,
                    "summary": lambda env: env._(
                        "Call %(customer)s about the overdue invoice before the "
                        "automated notice",
                        customer=customer.display_name,
                    ),
                    "user": customer.csm_id,
                }
            )
        if self._creates_activity():
            values.append(
                {
                    "activity_type": self.activity_type_id,
                    "summary": lambda env: (
                        self.with_env(env).activity_summary or self.with_env(env).name
                    ),
                    "user": escalation_user,
                }
            )
        elif escalation_user and not human:
            values.append(
                {
                    "activity_type": self.env.ref("mail.mail_activity_data_todo"),
                    "summary": lambda env: env._(
                        "Dunning escalated: %(step)s", step=self.with_env(env).name
                    ),
                    "user": escalation_user,
                }
            )
        return values
