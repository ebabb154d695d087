# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL


class CsOnboardingTask(models.Model):
    """A checklist task of one onboarding."""

    _name = "cs.onboarding.task"
    _description = "Onboarding Task"
    _order = "stage_sequence, sequence, id"

    # in every language of its checklist item (_copy_template_translations)
    name = fields.Char(required=True, translate=True)
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
    description = fields.Text(translate=True)
    is_done = fields.Boolean(string="Done")
    done_date = fields.Date(compute="_compute_done", store=True, readonly=False)
    done_by_id = fields.Many2one("res.users", compute="_compute_done", store=True)

    def _copy_template_translations(self):
        """Give these tasks the name and description of their checklist item
        in every language, not only in the current one: each user reads the
        checklist in their language."""
        if not self:
            return
        self.flush_model(["name", "description", "template_id"])
        self.env["cs.onboarding.stage.task"].flush_model(["name", "description"])
        self.env.cr.execute(
            SQL(
                "UPDATE cs_onboarding_task task"
                " SET name = item.name, description = item.description"
                " FROM cs_onboarding_stage_task item"
                " WHERE item.id = task.template_id AND task.id IN %s",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["name", "description"])

    @api.depends("is_done")
    def _compute_done(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.done_date = task.is_done and (task.done_date or today)
            task.done_by_id = task.is_done and (task.done_by_id or self.env.user)
