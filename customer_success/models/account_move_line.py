# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    cs_late_charge_id = fields.Many2one(
        "cs.late.charge",
        string="Late Charge",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The late fee and interest of another invoice this line charges.",
    )

    # a late invoice's fee and interest go on one line of one invoice, once
    _cs_late_charge_uniq = models.UniqueIndex(
        "(cs_late_charge_id) WHERE cs_late_charge_id IS NOT NULL",
        "These late fees and interest are already charged on another invoice.",
    )
