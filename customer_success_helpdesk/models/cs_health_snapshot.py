# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class CsHealthSnapshot(models.Model):
    _inherit = "cs.health.snapshot"

    # the support factor's score of the day, next to the other factors'
    # (cs.health.snapshot._get_factor_score_fields finds it by its name)
    support_score = fields.Float(digits=(16, 1), aggregator="avg", readonly=True)
