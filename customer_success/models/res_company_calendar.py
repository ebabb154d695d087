# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The company's business days and the sending window of its billing e-mails.

A day is a business day of a company when its working calendar
(``resource_calendar_id``) has working hours on it and no public holiday (a
``resource.calendar.leaves`` without a resource, on that calendar or on none)
covers it. A company without a calendar, or whose calendar gives no working
day of the week (a flexible one, counted in hours per week), works Monday to
Friday. The days of a year are worked out once per cursor and company
(``cr.cache``, cleared when a public holiday changes), so a dunning run over
thousands of invoices asks the database once.

Billing e-mails leave inside the company's sending window (08:00 to 20:00 in
its time zone by default): one created outside it waits in Odoo's mail queue
(``mail.mail.scheduled_date``) until the window opens.
"""

from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

CACHE_KEY = "cs_non_business_days"


def _float_to_time(hours):
    """08.5 -> 08:30 (24 is the end of the day, never an opening)."""
    minutes = round(hours * 60)
    return time(min(minutes // 60, 23), minutes % 60)


class ResCompany(models.Model):
    # the sending window and the holidays, apart from res_company.py
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    cs_send_window_start = fields.Float(
        string="Sending Window Opens",
        default=8.0,
        help="Billing e-mails created before this hour (in the company's time "
        "zone) wait in the mail queue until it.",
    )
    cs_send_window_end = fields.Float(
        string="Sending Window Closes",
        default=20.0,
        help="Billing e-mails created from this hour on (in the company's time "
        "zone) wait in the mail queue until the window opens again.",
    )

    @api.constrains("cs_send_window_start", "cs_send_window_end")
    def _check_cs_send_window(self):
        for company in self:
            if not (
                0 <= company.cs_send_window_start < company.cs_send_window_end <= 24
            ):
                raise ValidationError(
                    self.env._(
                        "The sending window of %(company)s must open before it "
                        "closes, between 00:00 and 24:00.",
                        company=company.display_name,
                    )
                )

    def _cs_get_tz(self):
        """The company's time zone: its working calendar's, else its own
        contact's, else UTC."""
        self.ensure_one()
        return pytz.timezone(
            self.resource_calendar_id.tz or self.partner_id.tz or "UTC"
        )

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
        closed = set()
        if calendar and not calendar.flexible_hours:
            closed = {day for day in days if not calendar._works_on_date(day)}
        if not calendar or len(closed) == len(days):
            # no calendar, or one without a working day (flexible hours):
            # Monday to Friday
            closed = {day for day in days if day.weekday() >= 5}
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(self._cs_get_holiday_domain(calendar, first, last))
        )
        return frozenset(closed | self._cs_get_leave_days(leaves, first, last))

    def _cs_get_holiday_domain(self, calendar, first, last):
        """The public holidays of this company (on ``calendar`` or on no
        calendar) that touch the days ``first`` to ``last``."""
        tz = self._cs_get_tz()
        start = tz.localize(datetime.combine(first, time.min)).astimezone(pytz.utc)
        stop = tz.localize(datetime.combine(last, time.max)).astimezone(pytz.utc)
        return [
            ("resource_id", "=", False),
            ("calendar_id", "in", [calendar.id, False] if calendar else [False]),
            ("company_id", "in", [self.id, False]),
            ("date_from", "<=", stop.replace(tzinfo=None)),
            ("date_to", ">=", start.replace(tzinfo=None)),
        ]

    def _cs_get_leave_days(self, leaves, first, last, tz=None):
        """The days from ``first`` to ``last`` that ``leaves`` cover, in
        ``tz`` (the company's time zone by default)."""
        tz = tz or self._cs_get_tz()
        covered = set()
        for leave in leaves:
            day = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            end = pytz.utc.localize(leave.date_to).astimezone(tz).date()
            while day <= end:
                if first <= day <= last:
                    covered.add(day)
                day += timedelta(days=1)
        return covered

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
        return day  # a year of holidays: leave it be

    def _cs_previous_business_day(self, day):
        """``day`` when it is a business day, else the last one before it."""
        self.ensure_one()
        for _n in range(366):
            if self._cs_is_business_day(day):
                return day
            day -= timedelta(days=1)
        return day

    def _cs_get_send_opening(self, now=None, business_days=True):
        """When a billing e-mail of this company created at ``now`` (UTC,
        the current time by default) may leave: False when the sending
        window is open, else the next opening (a naive UTC datetime, as
        ``mail.mail.scheduled_date``). With ``business_days`` (the
        reminders), the window opens on business days only; without (the
        payment confirmation), on any day."""
        self.ensure_one()
        tz = self._cs_get_tz()
        now = now or fields.Datetime.now()
        local = pytz.utc.localize(now).astimezone(tz)
        day = local.date()
        hour = local.hour + local.minute / 60 + local.second / 3600
        start, end = self.cs_send_window_start, self.cs_send_window_end
        open_day = not business_days or self._cs_is_business_day(day)
        if open_day and start <= hour < end:
            return False
        if not open_day or hour >= start:
            day += timedelta(days=1)
            if business_days:
                day = self._cs_next_business_day(day)
        opening = tz.localize(datetime.combine(day, _float_to_time(start)))
        return opening.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _cs_clear_business_days(self):
        self.env.cr.cache.pop(CACHE_KEY, None)


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._cs_clear_business_days()
        leaves = super().create(vals_list)
        leaves._cs_refresh_next_dunning()
        return leaves

    def write(self, vals):
        self.env["res.company"]._cs_clear_business_days()
        self._cs_refresh_next_dunning()
        result = super().write(vals)
        self._cs_refresh_next_dunning()
        return result

    def unlink(self):
        self.env["res.company"]._cs_clear_business_days()
        self._cs_refresh_next_dunning()
        return super().unlink()

    def _cs_refresh_next_dunning(self):
        """A public holiday moves the reminders due around it: the open
        invoices due, or with a reminder due, within a fortnight of it
        recompute their next reminder date, so that the form says what the
        daily run does."""
        holidays = self.filtered(lambda leave: not leave.resource_id)
        if not holidays:
            return
        margin = timedelta(days=15)
        first = min(holidays.mapped("date_from")).date() - margin
        last = max(holidays.mapped("date_to")).date() + margin
        Move = self.env["account.move"].sudo()
        domain = Move._cs_get_open_invoice_domain() & (
            Domain("cs_next_dunning_date", ">=", first)
            & Domain("cs_next_dunning_date", "<=", last)
            | Domain("invoice_date_due", ">=", first)
            & Domain("invoice_date_due", "<=", last)
            & Domain("cs_next_dunning_step_id", "!=", False)
        )
        if all(holidays.mapped("company_id")):
            domain &= Domain("company_id", "in", holidays.company_id.ids)
        # sudo: the dates of the dunning of every invoice the holiday moves,
        # whoever edits the calendar
        moves = Move.search(domain)
        for name in ("cs_next_dunning_step_id", "cs_next_dunning_date"):
            self.env.add_to_compute(Move._fields[name], moves)
