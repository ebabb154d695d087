# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CsTouchModelWeight(models.Model):
    """The weight of one health factor for the customers of one touch model,
    instead of the company's weight of that factor."""

    _name = "cs.touch.model.weight"
    _description = "Touch Model Factor Weight"
    _order = "touch_model_id, sequence, id"

    touch_model_id = fields.Many2one(
        "cs.touch.model", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="touch_model_id.company_id", store=True)
    factor_id = fields.Many2one(
        "cs.health.factor",
        string="Health Factor",
        required=True,
        ondelete="cascade",
        domain="[('company_id', '=', company_id)]",
    )
    code = fields.Selection(related="factor_id.code")
    sequence = fields.Integer(related="factor_id.sequence", store=True)
    weight = fields.Integer(default=20, help="Relative weight, as on the factor.")

    _touch_model_factor_uniq = models.Constraint(
        "UNIQUE(touch_model_id, factor_id)",
        "A factor has one weight per touch model.",
    )

    @api.constrains("weight", "factor_id", "touch_model_id")
    def _check_weight(self):
        for line in self:
            if line.weight < 0 or line.weight > 100:
                raise ValidationError(
                    self.env._(
                        "The weight of %(factor)s in the touch model %(model)s "
                        "must be between 0 and 100.",
                        factor=line.factor_id.name,
                        model=line.touch_model_id.display_name,
                    )
                )
            if line.factor_id.company_id != line.touch_model_id.company_id:
                raise ValidationError(
                    self.env._(
                        "The health factor %(factor)s belongs to another company "
                        "than the touch model %(model)s.",
                        factor=line.factor_id.name,
                        model=line.touch_model_id.display_name,
                    )
                )
        self.touch_model_id._check_factor_weights()
