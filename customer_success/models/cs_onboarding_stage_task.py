# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class CsOnboardingStageTask(models.Model):
    """A default task of a stage's checklist."""

    _name = "cs.onboarding.stage.task"
    _description = "Onboarding Stage Checklist Item"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    stage_id = fields.Many2one(
        "cs.onboarding.stage", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="stage_id.company_id", store=True)
    description = fields.Text(translate=True)

    def _prepare_task_values(self, onboarding):
        """Values of the onboarding task copied from this checklist item."""
        self.ensure_one()
        return {
            "onboarding_id": onboarding.id,
            "stage_id": self.stage_id.id,
            "template_id": self.id,
            "name": self.name,
            "sequence": self.sequence,
            "description": self.description,
        }
