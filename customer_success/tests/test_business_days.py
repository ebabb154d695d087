# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime

import pytz
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CustomerSuccessBillingCommon

# Brazil's national holidays and bank closures, as the official calendars of
# 2027 (Easter on 28 March) and 2028 (Easter on 16 April) list them.
HOLIDAYS = {
    2027: {
        date(2027, 1, 1),
        date(2027, 2, 8),  # Carnival Monday
        date(2027, 2, 9),  # Carnival Tuesday
        date(2027, 3, 26),  # Good Friday
        date(2027, 4, 21),
        date(2027, 5, 1),
        date(2027, 5, 27),  # Corpus Christi
        date(2027, 9, 7),
        date(2027, 10, 12),
        date(2027, 11, 2),
        date(2027, 11, 15),
        date(2027, 11, 20),
        date(2027, 12, 25),
    },
    2028: {
        date(2028, 1, 1),
        date(2028, 2, 28),
        date(2028, 2, 29),
        date(2028, 4, 14),
        date(2028, 4, 21),
        date(2028, 5, 1),
        date(2028, 6, 15),
        date(2028, 9, 7),
        date(2028, 10, 12),
        date(2028, 11, 2),
        date(2028, 11, 15),
        date(2028, 11, 20),
        date(2028, 12, 25),
    },
}


@tagged("post_install", "-at_install")
class TestBusinessDays(CustomerSuccessBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "America/Sao_Paulo"

    def load_holidays(self, year):
        wizard = Form(self.env["cs.holiday.wizard"])
        wizard.year = year
        wizard.save().action_load()

    def holiday_days(self, year):
        tz = pytz.timezone(self.calendar.tz)
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.calendar.id), ("resource_id", "=", False)]
        )
        days = set()
        for leave in leaves:
            day = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            if day.year == year:
                days.add(day)
        return days

    def subjects(self):
        return self.mails_to(self.payer).mapped("subject")

    def test_holidays_of_2027_and_2028_match_the_official_calendar(self):
        for year in (2027, 2028):
            self.load_holidays(year)
            self.assertEqual(self.holiday_days(year), HOLIDAYS[year])
        count = self.env["resource.calendar.leaves"].search_count([])
        self.load_holidays(2027)  # twice: nothing new
        self.assertEqual(self.env["resource.calendar.leaves"].search_count([]), count)
        self.assertFalse(self.company._cs_is_business_day(date(2027, 3, 26)))
        self.assertTrue(self.company._cs_is_business_day(date(2027, 3, 25)))

    def test_absurd_year_is_refused(self):
        count = self.env["resource.calendar.leaves"].search_count([])
        wizard = Form(self.env["cs.holiday.wizard"])
        wizard.year = 1800
        with self.assertRaises(ValidationError):
            wizard.save()
        self.assertEqual(self.env["resource.calendar.leaves"].search_count([]), count)

    def test_pre_due_step_on_good_friday_leaves_on_thursday(self):
        """Due on Wednesday 31 March 2027: the friendly reminder (5 days
        before) falls on Good Friday, 26 March, and leaves on Thursday 25."""
        self.load_holidays(2027)
        invoice = self.create_invoice(due=date(2027, 3, 31))
        self.assertEqual(invoice.cs_next_dunning_date, date(2027, 3, 25))
        self.run_dunning(date(2027, 3, 24))
        self.assertEqual(self.subjects(), [])
        self.run_dunning(date(2027, 3, 25))
        self.assertEqual(len(self.subjects()), 1)
        self.assertIn("Reminder", self.subjects()[0])
        self.run_dunning(date(2027, 3, 26))
        self.assertEqual(len(self.subjects()), 1)

    def test_due_on_saturday_counts_overdue_from_monday(self):
        """Due on Saturday 14 March 2026: the due date moves to Monday 16,
        so the first overdue notice (3 days) goes on Thursday 19, not 17."""
        self.create_invoice(due=date(2026, 3, 14))
        self.run_dunning(date(2026, 3, 17))
        self.assertFalse([s for s in self.subjects() if "overdue" in s])
        self.run_dunning(date(2026, 3, 19))
        self.assertTrue([s for s in self.subjects() if "overdue" in s])

    def test_overdue_step_on_sunday_leaves_on_monday(self):
        """Due on Thursday 5 March 2026: 3 days later is Sunday 8, so the
        first overdue notice waits for Monday 9."""
        self.create_invoice(due=date(2026, 3, 5))
        self.run_dunning(date(2026, 3, 8))
        self.assertFalse([s for s in self.subjects() if "overdue" in s])
        self.run_dunning(date(2026, 3, 9))
        self.assertTrue([s for s in self.subjects() if "overdue" in s])

    def test_reminder_made_at_night_waits_for_the_window(self):
        """The daily run at 01:00 UTC (22:00 the day before in São Paulo)
        makes the friendly reminder of an invoice due on Tuesday 10 March
        2026; it waits in the queue, unsent, until 08:00 local (11:00 UTC)."""
        self.create_invoice()
        self.run_dunning(datetime(2026, 3, 5, 1, 0))
        mail = self.mails_to(self.payer)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.scheduled_date, datetime(2026, 3, 5, 11, 0))
        with freeze_time(datetime(2026, 3, 5, 10, 59)):
            self.env["mail.mail"].process_email_queue()
        self.assertEqual(mail.state, "outgoing")
        # the mail queue's job is woken up for the opening
        trigger = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.env.ref("mail.ir_cron_mail_scheduler_action").id)]
        )
        self.assertIn(datetime(2026, 3, 5, 11, 0), trigger.mapped("call_at"))

    def test_window_and_payment_opening(self):
        """The reminders wait for a business day, the thank-you does not."""
        self.company.cs_send_window_start = 8.0
        self.company.cs_send_window_end = 20.0
        saturday_night = datetime(2026, 3, 7, 23, 30)  # Saturday 20:30 local
        self.assertEqual(
            self.company._cs_get_send_opening(saturday_night),
            datetime(2026, 3, 9, 11, 0),  # Monday 08:00 local
        )
        self.assertEqual(
            self.company._cs_get_send_opening(saturday_night, business_days=False),
            datetime(2026, 3, 8, 11, 0),  # Sunday 08:00 local
        )
        self.assertFalse(self.company._cs_get_send_opening(datetime(2026, 3, 9, 15)))

    def test_bad_window_is_refused_and_kept(self):
        for start, end in ((20.0, 8.0), (-1.0, 8.0), (8.0, 25.0)):
            with self.assertRaises(ValidationError):
                self.company.write(
                    {"cs_send_window_start": start, "cs_send_window_end": end}
                )
        self.assertEqual(
            (self.company.cs_send_window_start, self.company.cs_send_window_end),
            (8.0, 20.0),
        )
