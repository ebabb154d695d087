# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class CsOnboardingStage(models.Model):
    """A step of the onboarding, with its checklist and the requirements to
    leave it."""

    _name = "cs.onboarding.stage"
    _description = "Onboarding Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Onboardings in a folded stage are hidden until the column is opened.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    description = fields.Html(
        translate=True, help="What happens in this stage, shown to the team."
    )
    task_template_ids = fields.One2many(
        "cs.onboarding.stage.task",
        "stage_id",
        string="Checklist",
        copy=True,
        help="Tasks copied onto an onboarding when it enters this stage.",
    )
    is_handoff = fields.Boolean(
        string="Hand-off Stage",
        help="Onboardings in this stage are ready to be handed over to the "
        "ongoing team. The hand-off closes them.",
    )
    # Requirements to move an onboarding forward out of this stage
    require_goal = fields.Boolean(
        string="Requires a Success Goal",
        help="The customer needs at least one success goal to leave this stage.",
    )
    require_stakeholder = fields.Boolean(
        string="Requires a Stakeholder",
        help="The customer needs at least one stakeholder to leave this stage.",
    )
    require_activation_date = fields.Boolean(
        string="Requires the Activation Date",
        help="The onboarding needs its actual activation date to leave this stage.",
    )
    require_checklist = fields.Boolean(
        string="Requires the Checklist Done",
        help="Every task of this stage must be done to leave it.",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_running_onboardings(self):
        running = self.env["cs.onboarding"].search_count(
            [("stage_id", "in", self.ids), ("state", "=", "in_progress")]
        )
        if running:
            raise UserError(
                self.env._(
                    "%(count)s onboardings in progress are in these stages: move "
                    "them to another stage, or archive the stages instead.",
                    count=running,
                )
            )

    def _get_blocking_reasons(self, onboarding):
        """Why ``onboarding`` cannot leave this stage (empty: it can).

        Override to add requirements; each reason is a sentence for the user.
        """
        self.ensure_one()
        reasons = []
        if self.require_goal and not onboarding.goal_ids:
            reasons.append(self.env._("add at least one success goal"))
        if self.require_stakeholder and not onboarding.stakeholder_ids:
            reasons.append(self.env._("add at least one stakeholder"))
        if self.require_activation_date and not onboarding.activation_date:
            reasons.append(self.env._("set the activation date"))
        stage_tasks = onboarding.task_ids.filtered(lambda task: task.stage_id == self)
        done_items = stage_tasks.filtered("is_done").template_id
        if self.require_checklist and (
            self.task_template_ids - done_items
            or stage_tasks.filtered(lambda task: not task.is_done)
        ):
            reasons.append(self.env._("finish the checklist of this stage"))
        return reasons
