# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class SaleSubscription(models.Model):
    _inherit = "sale.subscription"

    @api.depends("partner_id.commercial_partner_id.payer_id")
    def _compute_partner_address_ids(self):
        result = super()._compute_partner_address_ids()
        for subscription in self:
            payer = subscription.partner_id.commercial_partner_id.payer_id
            if payer and subscription.partner_id == payer.commercial_partner_id:
                subscription.partner_invoice_id = payer
        return result
