# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CsSuccessGoal(models.Model):
    """A measurable goal of the customer's success plan."""

    _name = "cs.success.goal"
    _description = "Success Goal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id"

    name = fields.Char(string="Goal", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    onboarding_id = fields.Many2one(
        "cs.onboarding",
        string="Set During",
        ondelete="set null",
        index="btree_not_null",
        domain="[('partner_id', '=', partner_id)]",
    )
    company_id = fields.Many2one(related="partner_id.company_id")
    csm_id = fields.Many2one(related="partner_id.csm_id", string="Success Manager")
    metric = fields.Char(
        required=True,
        tracking=True,
        help="What is measured, e.g. tickets answered in under an hour (%).",
    )
    target = fields.Float(tracking=True)
    current_value = fields.Float(string="Current", tracking=True)
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    date_deadline = fields.Date(string="Due Date", tracking=True)
    state = fields.Selection(
        [
            ("draft", "To Agree"),
            ("on_track", "On Track"),
            ("at_risk", "At Risk"),
            ("achieved", "Achieved"),
            ("missed", "Missed"),
        ],
        string="Status",
        required=True,
        default="draft",
        tracking=True,
    )
    revalidation_date = fields.Date(
        string="Last Revalidated",
        tracking=True,
        copy=False,
        help="When the customer last confirmed this goal still matters.",
    )
    description = fields.Text()

    @api.depends("target", "current_value")
    def _compute_progress(self):
        for goal in self:
            goal.progress = (
                goal.current_value / goal.target * 100.0 if goal.target else 0.0
            )

    @api.constrains("partner_id")
    def _check_partner_is_customer(self):
        for goal in self:
            if goal.partner_id.parent_id:
                raise ValidationError(
                    self.env._(
                        "A success goal belongs to the customer, not to the contact "
                        "%(contact)s.",
                        contact=goal.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        goals = super().create(vals_list)
        goals.filtered(lambda goal: goal.state == "achieved")._record_achievement()
        return goals

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "achieved":
            self._record_achievement()
        return res

    def _record_achievement(self):
        """A goal achieved is a value milestone, recorded once per goal."""
        achieved = self.env.ref("customer_success.cs_milestone_type_goal")
        today = fields.Date.context_today(self)
        self.env["cs.milestone"]._record(
            [
                {
                    "name": lambda env, goal=goal: env._(
                        "Goal achieved: %(goal)s", goal=goal.name
                    ),
                    "partner_id": goal.partner_id.id,
                    "company_id": (goal.company_id or self.env.company).id,
                    "type_id": achieved.id,
                    "date": today,
                    "goal_id": goal.id,
                    "value_delivered": goal.metric,
                    "origin_key": f"goal:{goal.id}",
                }
                for goal in self
            ]
        )

    def action_revalidate(self):
        """Record that the customer confirmed these goals today."""
        self.write({"revalidation_date": fields.Date.context_today(self)})
