# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class CsHealthValidation(models.Model):
    _inherit = "cs.health.validation"

    # the lines read the support column too: flushed before each search (Odoo
    # adds these to the columns of customer_success)
    _depends = {"cs.health.snapshot": ["support_score"]}
