# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's business days: its working calendar and its public holidays.

A day is a business day of a company when its working calendar
(``resource_calendar_id``, Monday to Friday without one) has working hours on
it and no public holiday (a ``resource.calendar.leaves`` without a resource,
on that calendar or on none) covers it. The days of a year are worked out
once per transaction and company (``cr.cache``), so a dunning run over
thousands of invoices asks the database once.
"""

from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, models

CACHE_KEY = "cs_non_business_days"


class ResCompany(models.Model):
    _inherit = "res.company"

    def _cs_get_non_business_days(self, year):
        """The set of the dates of ``year`` that are not business days."""
        self.ensure_one()
        cache = self.env.cr.cache.setdefault(CACHE_KEY, {})
        key = (self.id, year)
        if key not in cache:
            cache[key] = self._cs_compute_non_business_days(year)
        return cache[key]

    def _cs_compute_non_business_days(self, year):
        first, last = date(year, 1, 1), date(year, 12, 31)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        calendar = self.resource_calendar_id
        if not calendar:
            closed = {day for day in days if day.weekday() >= 5}
        else:
            closed = {day for day in days if not calendar._works_on_date(day)}
        tz = pytz.timezone(calendar.tz or self.partner_id.tz or "UTC")
        start = tz.localize(datetime.combine(first, time.min)).astimezone(pytz.utc)
        stop = tz.localize(datetime.combine(last, time.max)).astimezone(pytz.utc)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("calendar_id", "in", [calendar.id, False] if calendar else [False]),
                    ("company_id", "in", [self.id, False]),
                    ("date_from", "<=", stop.replace(tzinfo=None)),
                    ("date_to", ">=", start.replace(tzinfo=None)),
                ]
            )
        )
        for leave in leaves:
            day = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            end = pytz.utc.localize(leave.date_to).astimezone(tz).date()
            while day <= end:
                if first <= day <= last:
                    closed.add(day)
                day += timedelta(days=1)
        return frozenset(closed)

    def _cs_is_business_day(self, day):
        self.ensure_one()
        return day not in self._cs_get_non_business_days(day.year)

    def _cs_next_business_day(self, day):
        """``day`` when it is a business day, else the first one after it."""
        self.ensure_one()
        for _n in range(366):
            if self._cs_is_business_day(day):
                return day
            day += timedelta(days=1)
        return day  # a calendar without a single working day: leave it be

    def _cs_previous_business_day(self, day):
        """``day`` when it is a business day, else the last one before it."""
        self.ensure_one()
        for _n in range(366):
            if self._cs_is_business_day(day):
                return day
            day -= timedelta(days=1)
        return day

    @api.model
    def _cs_clear_business_days(self):
        self.env.cr.cache.pop(CACHE_KEY, None)


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._cs_clear_business_days()
        return super().create(vals_list)

    def write(self, vals):
        self.env["res.company"]._cs_clear_business_days()
        return super().write(vals)

    def unlink(self):
        self.env["res.company"]._cs_clear_business_days()
        return super().unlink()
