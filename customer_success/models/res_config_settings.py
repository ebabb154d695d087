# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


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
    cs_billing_sender_id = fields.Many2one(
        related="company_id.cs_billing_sender_id",
        readonly=False,
    )
    cs_usage_api_key = fields.Char(related="company_id.cs_usage_api_key")
    cs_resource_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id",
        string="Working Calendar",
        readonly=False,
    )
    cs_send_window_start = fields.Float(
        related="company_id.cs_send_window_start", readonly=False
    )
    cs_send_window_end = fields.Float(
        related="company_id.cs_send_window_end", readonly=False
    )
    cs_nps_window_days = fields.Integer(
        related="company_id.cs_nps_window_days", readonly=False
    )
    cs_retention_pause_months = fields.Integer(
        related="company_id.cs_retention_pause_months", readonly=False
    )
    cs_retention_max_discount = fields.Float(
        related="company_id.cs_retention_max_discount", readonly=False
    )
    cs_retention_discount_product_id = fields.Many2one(
        related="company_id.cs_retention_discount_product_id", readonly=False
    )
    cs_health_horizon = fields.Integer(
        related="company_id.cs_health_horizon", readonly=False
    )
    cs_health_green_min = fields.Integer(
        related="company_id.cs_health_green_min", readonly=False
    )
    cs_health_yellow_min = fields.Integer(
        related="company_id.cs_health_yellow_min", readonly=False
    )
    cs_sentiment_validity_days = fields.Integer(
        related="company_id.cs_sentiment_validity_days", readonly=False
    )
    cs_health_weight_warning = fields.Char(
        string="Health Weight Warning", compute="_compute_cs_health_weight_warning"
    )

    @api.depends("company_id")
    def _compute_cs_health_weight_warning(self):
        for settings in self:
            settings.cs_health_weight_warning = self.env[
                "cs.health.factor"
            ]._weight_warning(settings.company_id)

    def set_values(self):
        # Odoo archives every pricelist when the feature is switched off; the
        # subscriptions still running are billed from theirs.
        count = not self.group_product_pricelist and (
            self._cs_count_priced_subscriptions()
        )
        if count:
            raise UserError(
                self.env._(
                    "Pricelists cannot be switched off: %(count)s subscriptions "
                    "that are not closed are billed from one. Close them first.",
                    count=count,
                )
            )
        return super().set_values()

    def _cs_count_priced_subscriptions(self):
        """Subscriptions not closed, of every company (Odoo archives the
        pricelists of every company), billed from an active pricelist."""
        # sudo: a count only, and the settings are the administrator's
        return (
            self.env["sale.subscription"]
            .sudo()
            .search_count(
                [
                    ("stage_id", "not any", [("type", "=", "post")]),
                    ("pricelist_id.active", "=", True),
                ]
            )
        )

    def action_cs_generate_usage_key(self):
        """Generate the usage feed key of the current company."""
        self.company_id.action_cs_generate_usage_key()

    def action_cs_rebuild_mrr_history(self):
        """Rebuild the last twelve months of MRR movements of the current
        company from its subscriptions."""
        self.env["cs.mrr.movement"]._rebuild_history(self.company_id, 12)
