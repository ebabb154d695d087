# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CsDunningPauseWizard(models.TransientModel):
    """Pause the billing conversation of invoices or of whole customers."""

    _name = "cs.dunning.pause.wizard"
    _description = "Pause Dunning"

    res_model = fields.Selection(
        [("account.move", "Invoices"), ("res.partner", "Customers")],
        required=True,
        readonly=True,
    )
    res_ids = fields.Json(required=True, readonly=True)
    reason = fields.Char(required=True)
    date_until = fields.Date(
        string="Until", help="Leave empty to pause until someone resumes it."
    )

    @api.constrains("date_until")
    def _check_date_until(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.date_until and wizard.date_until < today:
                raise ValidationError(self.env._("A pause cannot end in the past."))

    @api.model
    def _action_open(self, records):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause Dunning"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": records._name,
                "default_res_ids": records.ids,
            },
        }

    def action_pause(self):
        self.ensure_one()
        records = self.env[self.res_model].browse(self.res_ids)
        records._cs_write_dunning_pause(
            {
                "dunning_paused": True,
                "dunning_pause_reason": self.reason,
                "dunning_pause_until": self.date_until,
            }
        )
        return {"type": "ir.actions.act_window_close"}
