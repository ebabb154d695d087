# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    cs_default_team_id = fields.Many2one(
        "cs.team",
        string="Default Customer Success Team",
        domain="[('company_id', '=', id)]",
        help="Team given to customers whose success manager belongs to no team.",
    )
