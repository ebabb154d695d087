# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cs_default_team_id = fields.Many2one(
        related="company_id.cs_default_team_id",
        readonly=False,
    )
    cs_dunning_policy_id = fields.Many2one(
        related="company_id.cs_dunning_policy_id",
        readonly=False,
    )
    cs_usage_api_key = fields.Char(related="company_id.cs_usage_api_key")

    def action_cs_generate_usage_key(self):
        """Generate the usage feed key of the current company."""
        self.company_id.action_cs_generate_usage_key()
