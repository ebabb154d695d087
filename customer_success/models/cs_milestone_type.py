# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class CsMilestoneType(models.Model):
    """A kind of success milestone: activation, renewal, goal achieved..."""

    _name = "cs.milestone.type"
    _description = "Milestone Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_value = fields.Boolean(
        string="Value Milestone",
        help="Counts as value delivered: the first one sets the Time to Value, "
        "the gaps between them the Value Perception Cycle.",
    )
    description = fields.Text(translate=True)
