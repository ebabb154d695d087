# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class CsOnboardingTask(models.Model):
    """A checklist task of one onboarding."""

    _name = "cs.onboarding.task"
    _description = "Onboarding Task"
    _order = "stage_sequence, sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    onboarding_id = fields.Many2one(
        "cs.onboarding", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="onboarding_id.company_id", store=True)
    stage_id = fields.Many2one("cs.onboarding.stage", ondelete="set null")
    stage_sequence = fields.Integer(
        string="Stage Sequence", related="stage_id.sequence", store=True
    )
    template_id = fields.Many2one("cs.onboarding.stage.task", ondelete="set null")
    description = fields.Text()
    is_done = fields.Boolean(string="Done")
    done_date = fields.Date(compute="_compute_done", store=True, readonly=False)
    done_by_id = fields.Many2one("res.users", compute="_compute_done", store=True)

    @api.depends("is_done")
    def _compute_done(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.done_date = task.is_done and (task.done_date or today)
            task.done_by_id = task.is_done and (task.done_by_id or self.env.user)
