# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    cs_nps_role = fields.Selection(
        [
            ("score", "Score (0-10)"),
            ("reason", "Reason"),
            ("exit_reason", "Exit Reason"),
            ("competitor", "Competitor"),
        ],
        string="NPS Role",
        help="What this answer means to the NPS response of the customer.",
    )

    @api.constrains("cs_nps_role", "question_type", "scale_min", "scale_max")
    def _check_cs_nps_role(self):
        for question in self.filtered(lambda q: q.cs_nps_role == "score"):
            if (
                question.question_type != "scale"
                or question.scale_min != 0
                or question.scale_max != 10
            ):
                raise ValidationError(
                    self.env._(
                        "The NPS score question %(question)s must be a scale "
                        "from 0 to 10.",
                        question=question.title,
                    )
                )
