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

    @api.depends("offset_days")
    def _compute_is_overdue(self):
        for step in self:
            step.is_overdue = step.offset_days > 0

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
            if policy.step_ids <= self and self.env["res.company"].sudo().search_count(
                [("cs_dunning_policy_id", "=", policy.id)], limit=1
            ):
                raise UserError(
                    self.env._(
                        "The policy %(policy)s is a company's default: keep at least "
                        "one step.",
                        policy=policy.display_name,
                    )
                )

    def _get_date(self, due_date):
        """The day this step falls on for an invoice due on ``due_date``."""
        self.ensure_one()
        return due_date + timedelta(days=self.offset_days)

    def _sends_email(self):
        self.ensure_one()
        return self.action in ("email", "both")

    def _creates_activity(self):
        self.ensure_one()
        return self.action in ("activity", "both")
