# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class CsLateChargeWaiveWizard(models.TransientModel):
    """Waive the late fee and interest of invoices, with a reason."""

    _name = "cs.late.charge.waive.wizard"
    _description = "Waive Late Fee and Interest"

    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    reason = fields.Char(required=True)

    def action_waive(self):
        self.ensure_one()
        self.move_ids._cs_waive_late_charges(self.reason)
        return {"type": "ir.actions.act_window_close"}
