# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class MailActivityPlan(models.Model):
    """A plan's name is read in its reader's language (the plans of the
    shipped plays are translated)."""

    _inherit = "mail.activity.plan"

    name = fields.Char(translate=True)


class MailActivityPlanTemplate(models.Model):
    """A step's summary is read in the language of the user it is for: the
    plans of the shipped plays are written in English and translated."""

    _inherit = "mail.activity.plan.template"

    summary = fields.Char(translate=True)
