# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Brazil's national holidays, computed for any year, as the global time off
of a working calendar: the business days of the reminders."""

from datetime import date, datetime, time, timedelta

import pytz
from dateutil.easter import easter

from odoo import api, models
from odoo.exceptions import ValidationError

FIRST_YEAR, LAST_YEAR = 1900, 2199


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @api.model
    def _cs_get_brazil_holidays(self, year):
        """Brazil's national holidays of ``year`` and the days banks close,
        [(date, name)] in date order, named in the user's language: the
        fixed national holidays (Lei 662/1949, 6.802/1980 and 14.759/2023
        for the Consciência Negra) and the days counted from Easter:
        Carnival Monday and Tuesday, Good Friday and Corpus Christi."""
        self._cs_check_holiday_year(year)
        sunday = easter(year)
        holidays = [
            (date(year, 1, 1), self.env._("Universal Fraternization Day")),
            (sunday - timedelta(days=48), self.env._("Carnival Monday")),
            (sunday - timedelta(days=47), self.env._("Carnival Tuesday")),
            (sunday - timedelta(days=2), self.env._("Good Friday")),
            (date(year, 4, 21), self.env._("Tiradentes")),
            (date(year, 5, 1), self.env._("Labour Day")),
            (sunday + timedelta(days=60), self.env._("Corpus Christi")),
            (date(year, 9, 7), self.env._("Independence Day")),
            (date(year, 10, 12), self.env._("Our Lady of Aparecida")),
            (date(year, 11, 2), self.env._("All Souls' Day")),
            (date(year, 11, 15), self.env._("Republic Proclamation Day")),
            (date(year, 12, 25), self.env._("Christmas Day")),
        ]
        if year >= 2024:
            holidays.append(
                (
                    date(year, 11, 20),
                    self.env._("National Day of Zumbi and Black Awareness"),
                )
            )
        return sorted(holidays)

    @api.model
    def _cs_check_holiday_year(self, year):
        if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(
                self.env._(
                    "Holidays are computed for the years %(first)s to %(last)s, "
                    "not %(year)s.",
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                    year=year,
                )
            )

    def _cs_load_brazil_holidays(self, years):
        """Add Brazil's national holidays of ``years`` (a year or a list) to
        these calendars as global time off, from midnight to midnight in the
        calendar's time zone. Idempotent: a day already covered by a global
        time off of the calendar (loaded before, or typed by hand) gets
        nothing new. Returns the time off created."""
        years = [years] if isinstance(years, int) else list(years)
        for year in years:
            self._cs_check_holiday_year(year)
        Leave = self.env["resource.calendar.leaves"]
        day = timedelta(days=1)  # the time zones around the year's edges
        vals_list = []
        for calendar in self:
            tz = pytz.timezone(calendar.tz or "UTC")
            for year in years:
                first, last = date(year, 1, 1), date(year, 12, 31)
                company = calendar.company_id or self.env.company
                covered = company._cs_get_leave_days(
                    Leave.search(
                        [
                            ("resource_id", "=", False),
                            ("calendar_id", "=", calendar.id),
                            ("date_from", "<=", datetime.combine(last, time.max) + day),
                            ("date_to", ">=", datetime.combine(first, time.min) - day),
                        ]
                    ),
                    first,
                    last,
                    tz=tz,
                )
                for holiday, name in self._cs_get_brazil_holidays(year):
                    if holiday in covered:
                        continue
                    start = tz.localize(datetime.combine(holiday, time.min))
                    stop = tz.localize(datetime.combine(holiday, time(23, 59, 59)))
                    vals_list.append(
                        {
                            "name": name,
                            "calendar_id": calendar.id,
                            "date_from": start.astimezone(pytz.utc).replace(
                                tzinfo=None
                            ),
                            "date_to": stop.astimezone(pytz.utc).replace(tzinfo=None),
                            "time_type": "leave",
                        }
                    )
        return Leave.create(vals_list)
