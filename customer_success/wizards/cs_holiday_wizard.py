# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class CsHolidayWizard(models.TransientModel):
    """Load Brazil's national holidays of a year into a working calendar."""

    _name = "cs.holiday.wizard"
    _description = "Load National Holidays"

    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year + 1,
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        domain="[('company_id', 'in', [company_id, False])]",
        help="The calendar whose business days the reminders follow: the "
        "company's working hours.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            self.env["resource.calendar"]._cs_check_holiday_year(wizard.year)

    def action_load(self):
        """Load the holidays, and say how many were new."""
        self.ensure_one()
        created = self.calendar_id._cs_load_brazil_holidays(self.year)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("National holidays"),
                "message": self.env._(
                    "%(count)s holidays of %(year)s added to %(calendar)s.",
                    count=len(created),
                    year=self.year,
                    calendar=self.calendar_id.display_name,
                )
                if created
                else self.env._(
                    "The holidays of %(year)s were already in %(calendar)s.",
                    year=self.year,
                    calendar=self.calendar_id.display_name,
                ),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
