# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    cs_is_nps = fields.Boolean(
        string="NPS Survey",
        help="Answers to this survey create NPS responses on the customer: its "
        "questions tagged Score, Reason, Exit Reason and Competitor are read.",
    )
    cs_campaign_ids = fields.One2many(
        "cs.nps.campaign", "survey_id", string="NPS Campaigns"
    )
