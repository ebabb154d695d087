# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class CsRetentionOfferWizard(models.TransientModel):
    """The success manager applies an offer the customer took on the phone."""

    _name = "cs.retention.offer.wizard"
    _description = "Apply a Retention Offer"

    request_id = fields.Many2one("cs.retention.request", required=True, readonly=True)
    available_offer_ids = fields.Many2many(
        "cs.retention.offer", compute="_compute_available_offer_ids"
    )
    offer_id = fields.Many2one(
        "cs.retention.offer",
        required=True,
        domain="[('id', 'in', available_offer_ids)]",
    )
    offer_kind = fields.Selection(related="offer_id.kind")
    pause_months = fields.Integer(string="Pause (Months)", default=1)

    @api.depends("request_id")
    def _compute_available_offer_ids(self):
        for wizard in self:
            wizard.available_offer_ids = wizard.request_id._cs_get_offers()

    def action_apply(self):
        self.ensure_one()
        self.request_id._cs_take_offer(self.offer_id, months=self.pause_months)
        return {"type": "ir.actions.act_window_close"}
