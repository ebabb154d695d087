# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_support_surge_count = fields.Integer(
        related="company_id.cs_support_surge_count", readonly=False
    )
    cs_support_surge_days = fields.Integer(
        related="company_id.cs_support_surge_days", readonly=False
    )
