# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustomerSuccessVoiceCommon

START = date(2025, 3, 3)
RENEWAL = date(2026, 3, 3)


@tagged("post_install", "-at_install")
class TestRenewalOutcome(CustomerSuccessVoiceCommon):
    """Annual subscriptions of 1,200 a year started on 3 March 2025, up for
    renewal on 3 March 2026: the customer's followed by Carla, the other's
    by Otávio."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Outcome = cls.env["cs.renewal.outcome"]
        cls.Outcome.search([]).unlink()
        cls.customer.csm_id = cls.user_cs
        cls.other = cls.env["res.partner"].create(
            {"name": "Cliente do Otávio", "is_company": True}
        )
        cls.other.csm_id = cls.user_cs_other

    def renewing(self, customer=None, forecast=None):
        subscription = self.subscribe(
            customer or self.customer, price=1200.0, start=START, template=self.annual
        )
        with freeze_time(START):
            subscription.generate_invoice()  # the first year
        if forecast:
            subscription.write(
                {
                    "cs_renewal_forecast_set": forecast,
                    "cs_renewal_forecast_reason": "Talked to the buyer",
                }
            )
        self.env.flush_all()
        return subscription

    def run_outcomes(self, on):
        self.run_cron("cs.renewal.outcome", "_cron_cs_renewal_outcome", on)

    def outcomes(self, subscription):
        return self.Outcome.search([("subscription_id", "in", subscription.ids)])

    def test_likely_annual_invoiced_for_its_next_year_is_renewed(self):
        subscription = self.renewing()
        self.assertEqual(subscription.cs_renewal_date, RENEWAL)
        self.assertEqual(subscription.cs_renewal_forecast, "likely")
        self.run_outcomes(RENEWAL - date.resolution)
        self.assertFalse(self.outcomes(subscription), "not up for renewal yet")
        with freeze_time(RENEWAL):
            subscription.generate_invoice()
        self.env.flush_all()
        outcome = self.outcomes(subscription)
        self.assertEqual(outcome.result, "pending", "settled by the daily run")
        self.run_outcomes(RENEWAL)
        self.assertRecordValues(
            outcome,
            [
                {
                    "renewal_date": RENEWAL,
                    "forecast": "likely",
                    "forecast_by_csm": False,
                    "result": "renewed",
                    "date_result": RENEWAL,
                    "arr": 1200.0,
                    "renewed_arr": 1200.0,
                    "churned_arr": 0.0,
                    "partner_id": self.customer.id,
                    "user_id": self.user_cs.id,
                }
            ],
        )
        self.assertEqual(subscription.cs_renewal_date, date(2027, 3, 3))

    def test_forecast_is_the_one_before_the_renewal_date_passed(self):
        """The invoice is late: the run of the renewal day keeps the forecast
        of that day, whatever the success manager sets afterwards."""
        subscription = self.renewing()
        self.run_outcomes(RENEWAL)
        outcome = self.outcomes(subscription)
        self.assertEqual((outcome.forecast, outcome.result), ("likely", "pending"))
        subscription.write(
            {
                "cs_renewal_forecast_set": "at_risk",
                "cs_renewal_forecast_reason": "The invoice is late",
            }
        )
        self.run_outcomes(date(2026, 3, 5))
        self.assertEqual((outcome.forecast, outcome.result), ("likely", "pending"))
        with freeze_time(date(2026, 3, 6)):
            subscription.generate_invoice()
        self.run_outcomes(date(2026, 3, 6))
        self.assertEqual(self.outcomes(subscription), outcome, "recorded once")
        self.assertEqual((outcome.forecast, outcome.result), ("likely", "renewed"))

    def test_at_risk_closed_on_its_renewal_date_is_churned(self):
        subscription = self.renewing(forecast="at_risk")
        with freeze_time(RENEWAL):
            subscription.close_subscription()
        self.env.flush_all()
        self.assertFalse(subscription.cs_renewal_forecast, "the forecast is gone")
        self.run_outcomes(RENEWAL)
        self.assertRecordValues(
            self.outcomes(subscription),
            [
                {
                    "renewal_date": RENEWAL,
                    "forecast": "at_risk",
                    "forecast_by_csm": True,
                    "result": "churned",
                    "date_result": RENEWAL,
                    "churned_count": 1,
                    "churned_arr": 1200.0,
                }
            ],
        )

    def test_at_risk_cancelled_is_churned_as_known_churn(self):
        """Cancelled before its renewal date, an at-risk subscription is a
        known churn by then: that is the forecast kept, and it churns the
        day it closes."""
        subscription = self.renewing(forecast="at_risk")
        subscription.cs_cancel_date = RENEWAL
        self.env.flush_all()
        self.assertEqual(subscription.cs_renewal_forecast, "churn")
        self.run_outcomes(RENEWAL)
        outcome = self.outcomes(subscription)
        self.assertEqual((outcome.forecast, outcome.result), ("churn", "pending"))
        self.run_cron("cs.retention.request", "_cron_cs_retention", RENEWAL)
        self.assertEqual(subscription.stage_id.type, "post")
        self.run_outcomes(RENEWAL)
        self.run_outcomes(RENEWAL)
        self.assertEqual(self.outcomes(subscription), outcome)
        self.assertRecordValues(
            outcome,
            [{"renewal_date": RENEWAL, "result": "churned", "date_result": RENEWAL}],
        )

    def test_rerun_records_nothing_twice(self):
        renewing = self.renewing()
        closing = self.renewing(self.other, forecast="at_risk")
        self.run_outcomes(RENEWAL)
        self.run_outcomes(RENEWAL)
        self.assertEqual(len(self.outcomes(renewing)), 1)
        self.assertEqual(len(self.outcomes(closing)), 1)
        with freeze_time(RENEWAL):
            renewing.generate_invoice()
            closing.close_subscription()
        self.run_outcomes(RENEWAL)
        self.run_outcomes(date(2026, 3, 4))
        self.assertEqual(len(self.outcomes(renewing | closing)), 2)
        self.assertEqual(self.outcomes(renewing).result, "renewed")
        self.assertEqual(self.outcomes(closing).result, "churned")

    def test_early_close_counts_against_its_forecast(self):
        """Closed half a year before its renewal date: the churn is recorded
        for that renewal, with the forecast it had, not lost."""
        subscription = self.renewing(forecast="committed")
        closing = date(2025, 9, 15)
        with freeze_time(closing):
            subscription.close_subscription()
        self.env.flush_all()
        self.run_outcomes(closing)
        outcome = self.outcomes(subscription)
        self.assertEqual(len(outcome), 1)
        self.assertEqual(outcome.renewal_date, RENEWAL)
        self.assertEqual(outcome.forecast, "committed")
        self.assertEqual(outcome.result, "churned")
        self.run_outcomes(RENEWAL)
        self.assertEqual(len(self.outcomes(subscription)), 1, "recorded once")

    def test_monthly_and_first_invoices_are_not_renewals(self):
        monthly = self.subscribe(self.customer, price=100.0, start=START)
        annual = self.subscribe(
            self.customer, price=1200.0, start=RENEWAL, template=self.annual
        )
        with freeze_time(RENEWAL):
            monthly.generate_invoice()
            annual.generate_invoice()
        self.run_outcomes(RENEWAL)
        self.assertFalse(self.outcomes(monthly | annual))

    def test_forecast_against_actual_by_month(self):
        march = self.renewing()
        lost = self.renewing(self.other, forecast="at_risk")
        april = self.subscribe(
            self.customer,
            price=2400.0,
            start=date(2025, 4, 10),
            template=self.annual,
        )
        with freeze_time(date(2025, 4, 10)):
            april.generate_invoice()
        with freeze_time(RENEWAL):
            march.generate_invoice()
            lost.close_subscription()
        with freeze_time(date(2026, 4, 10)):
            april.generate_invoice()
        self.run_outcomes(date(2026, 4, 10))
        rows = self.Outcome._read_group(
            [],
            ["renewal_date:month", "forecast"],
            ["__count", "arr:sum", "renewed_count:sum", "churned_count:sum"],
        )
        self.assertEqual(
            sorted(
                (month.month, forecast, *figures) for month, forecast, *figures in rows
            ),
            [
                (3, "at_risk", 1, 1200.0, 0, 1),
                (3, "likely", 1, 1200.0, 1, 0),
                (4, "likely", 1, 2400.0, 1, 0),
            ],
        )

    def test_success_manager_sees_own_portfolio(self):
        mine = self.renewing()
        theirs = self.renewing(self.other)
        self.run_outcomes(RENEWAL)
        seen = self.Outcome.with_user(self.user_cs).search([])
        self.assertEqual(seen.subscription_id, mine)
        seen = self.Outcome.with_user(self.user_cs_manager).search([])
        self.assertEqual(seen.subscription_id, mine | theirs)
