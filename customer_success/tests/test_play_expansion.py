# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, fields
from odoo.tests import Form, tagged

from .common import CustomerSuccessVoiceCommon

DAY = timedelta(days=1)


class ExpansionPlayCommon(CustomerSuccessVoiceCommon):
    """The customer (followed by Carla) on a monthly plan of 300 including 10
    users, and the next plan of its product line at 500."""

    PLAY = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.play = cls.env.ref(f"customer_success.{cls.PLAY}")
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        line = cls.env["product.category"].create({"name": "Hospedagem"})
        cls.product.categ_id = line
        cls.pro = cls.env["product.product"].create(
            {
                "name": "Hospedagem gerenciada Pro",
                "type": "service",
                "subscribable": True,
                "categ_id": line.id,
                "list_price": 500.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.subscription = cls.subscribe()

    def ctas(self, customer=None, play=None):
        return self.env["cs.cta"].search(
            [
                ("play_id", "=", (play or self.play).id),
                ("partner_id", "=", (customer or self.customer).id),
            ]
        )

    def push(self, on, active_users, customer=None):
        """Active users of day ``on`` pushed as the usage feed stores them:
        validated, then upserted, as the superuser in the company."""
        customer = customer or self.customer
        with freeze_time(on):
            Metric = (
                self.env["cs.usage.metric"]
                .with_user(SUPERUSER_ID)
                .with_company(self.company)
            )
            rows, errors = Metric._validate_feed_rows(
                [
                    {
                        "customer": customer.ref,
                        "metric": "active_users",
                        "value": active_users,
                    }
                ],
                on.isoformat(),
            )
            self.assertFalse(errors)
            Metric._upsert(rows)
        self.env.flush_all()

    def push_and_score(self, start, days, active_users):
        """Usage pushed and the health run, day by day."""
        for offset in range(days):
            day = start + offset * DAY
            self.push(day, active_users)
            self.run_health(day)

    def run_automations(self, at):
        """Odoo's scheduler of time-based automation rules, as ir.cron runs
        it at ``at``: its clock is the transaction's, frozen too."""
        self.env.flush_all()
        with (
            freeze_time(at),
            patch.object(type(self.env.cr), "now", lambda cr: fields.Datetime.now()),
        ):
            self.env["base.automation"].with_user(
                SUPERUSER_ID
            )._cron_process_time_based_actions()
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestSeatsFullPlay(ExpansionPlayCommon):
    PLAY = "cs_play_seats_full"
    D = date(2026, 3, 2)

    def test_seats_full_for_14_days_opens_one_cta_with_the_next_plan(self):
        # 8 of 10: not yet
        self.push_and_score(self.D, 1, 8)
        self.assertFalse(self.customer.cs_seats_full_since)
        # 9 of 10 from the next day, for two weeks
        self.push_and_score(self.D + DAY, 13, 9)
        self.assertEqual(self.customer.cs_seats_full_since, self.D + DAY)
        self.run_automations(datetime(2026, 3, 16, 6))
        self.assertFalse(self.ctas(), "13 days: not yet")
        self.push_and_score(date(2026, 3, 16), 1, 9)
        self.run_automations(datetime(2026, 3, 17, 6))
        cta = self.ctas()
        self.assertEqual(len(cta), 1)
        self.assertRecordValues(
            cta,
            [
                {
                    "state": "open",
                    "cta_type": "expansion",
                    "priority": "1",
                    "user_id": self.user_cs.id,
                    "subscription_id": self.subscription.id,
                    "suggested_product_id": self.pro.id,
                    "suggested_mrr": 200.0,
                    "date_due": date(2026, 3, 24),
                }
            ],
        )
        self.assertEqual(
            cta.reason,
            "Seats nearly full: offer the next plan: 9 active users of 10 (90%) "
            "since 03/03/2026",
        )
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertRecordValues(
            activity,
            [
                {
                    "activity_type_id": self.call_type.id,
                    "user_id": self.user_cs.id,
                    "date_deadline": date(2026, 3, 22),
                    "summary": "Call: who else would use it, and the next plan",
                }
            ],
        )
        self.assertIn("9 active users of 10 (90%)", activity.note)
        # the scheduler and the health run again: no second one
        self.run_automations(datetime(2026, 3, 17, 18))
        self.push_and_score(date(2026, 3, 17), 2, 10)
        self.run_automations(datetime(2026, 3, 19, 6))
        self.assertEqual(self.customer.cs_seats_full_since, self.D + DAY)
        self.assertEqual(self.ctas(), cta)
        self.assertEqual(len(cta.activity_ids), 1)
        # closing it as won schedules the next plan
        with freeze_time("2026-03-19"):
            cta.action_close_won()
        self.assertEqual(self.subscription.cs_next_product_id, self.pro)
        self.assertEqual((cta.outcome, cta.outcome_mrr), ("won", 200.0))

    def test_below_90_percent_clears_the_date_and_opens_nothing(self):
        self.push_and_score(self.D, 10, 9)
        self.assertEqual(self.customer.cs_seats_full_since, self.D)
        self.push_and_score(self.D + 10 * DAY, 1, 7)
        self.assertFalse(self.customer.cs_seats_full_since)
        self.run_automations(datetime(2026, 3, 20, 6))
        self.assertFalse(self.ctas())
        # full again: 14 days from the new date
        self.push_and_score(date(2026, 3, 20), 1, 10)
        self.assertEqual(self.customer.cs_seats_full_since, date(2026, 3, 20))
        self.run_automations(datetime(2026, 4, 2, 6))
        self.assertFalse(self.ctas())
        self.push_and_score(date(2026, 3, 21), 13, 10)
        self.run_automations(datetime(2026, 4, 3, 6))
        self.assertEqual(len(self.ctas()), 1)

    def test_plan_without_users_or_no_usage_keeps_no_date(self):
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "ref": "IPE"}
        )
        self.subscribe(customer=other)
        self.monthly.cs_included_users = 0
        self.push(self.D, 50)
        self.run_health(self.D)
        self.assertFalse((self.customer | other).filtered("cs_seats_full_since"))
        self.monthly.cs_included_users = 10
        self.run_health(self.D + DAY)
        self.assertFalse(other.cs_seats_full_since, "no usage pushed")
        self.assertEqual(self.customer.cs_seats_full_since, self.D + DAY)

    def test_seats_read_in_a_few_queries_whatever_the_customers(self):
        Factor = self.env["cs.health.factor"].with_user(SUPERUSER_ID)
        customers = self.env["res.partner"].create(
            [{"name": f"Cliente {n}", "is_company": True} for n in range(6)]
        )
        for index, customer in enumerate(customers):
            self.subscribe(customer=customer)
            self.usage(customer, self.D - (index % 3) * DAY, 1, active_users=index + 5)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            usage = Factor._get_seat_usage(customers, self.D)
        self.assertEqual(
            [usage[customer] for customer in customers],
            [(index + 5.0, 10) for index in range(6)],
        )


@tagged("post_install", "-at_install")
class TestMilestoneUpsellPlay(ExpansionPlayCommon):
    PLAY = "cs_play_milestone_upsell"
    D = date(2026, 3, 2)

    def achieve(self, name, on):
        goal = self.env["cs.success.goal"].create(
            {"partner_id": self.customer.id, "name": name, "metric": name}
        )
        with freeze_time(on):
            goal.state = "achieved"
        self.env.flush_all()
        return goal

    def test_goal_achieved_with_the_seats_nearly_full_opens_one_cta(self):
        self.push(self.D, 5)
        self.run_health(self.D)
        self.achieve("Go-live", self.D)
        self.assertEqual(len(self.customer.milestone_ids), 1)
        self.assertFalse(self.ctas(), "5 of 10 seats: its plan fits")
        self.push(self.D + DAY, 10)
        self.run_health(self.D + DAY)
        self.achieve("Integração ERP", self.D + DAY)
        cta = self.ctas()
        self.assertEqual(len(cta), 1)
        self.assertRecordValues(
            cta,
            [
                {
                    "cta_type": "expansion",
                    "user_id": self.user_cs.id,
                    "suggested_product_id": self.pro.id,
                    "suggested_mrr": 200.0,
                    "date_due": self.D + 6 * DAY,
                }
            ],
        )
        self.assertEqual(
            cta.reason,
            "Milestone reached on a plan its usage outgrows: offer the next plan: "
            "Goal achieved: Integração ERP; 10 active users of 10 (100%) since "
            "03/03/2026",
        )
        self.assertEqual(len(cta.activity_ids), 1)
        self.assertEqual(
            cta.activity_ids.summary,
            "Call: celebrate the milestone, and offer the next plan",
        )
        # another milestone meanwhile: the same call to action
        self.achieve("NPS 60", self.D + 2 * DAY)
        self.assertEqual(self.ctas(), cta)
        self.assertIn("NPS 60", cta.reason_note)
        self.assertEqual(len(cta.activity_ids), 1)

    def test_milestone_not_of_value_opens_nothing(self):
        self.push(self.D, 10)
        self.run_health(self.D)
        self.env["cs.milestone"]._record(
            [
                {
                    "name": "1 year(s) together",
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "type_id": self.env.ref(
                        "customer_success.cs_milestone_type_anniversary"
                    ).id,
                    "date": self.D,
                    "origin_key": "anniversary:test",
                }
            ]
        )
        self.assertFalse(self.ctas())


@tagged("post_install", "-at_install")
class TestPromoterReferrals(ExpansionPlayCommon):
    PLAY = "cs_play_promoter"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.periodic = cls.campaign("periodic", 30)
        cls.periodic.referral_template_id = cls.env.ref(
            "customer_success.mail_template_cs_nps_referral"
        )

    def promoter(self):
        """A healthy customer (its seats used) answering 10."""
        self.usage(self.customer, self.START - 5 * DAY, 6, active_users=10)
        self.run_health(self.START)
        self.assertEqual(self.customer.health_band, "green")
        invitation = self.periodic._invite(self.START, self.customer)
        return self.answer(invitation, 10, "Excelente", on=self.START)

    def test_referral_request_is_noted_on_the_promoter_cta(self):
        response = self.promoter()
        self.assertTrue(response.referral_sent)
        cta = self.ctas()
        self.assertEqual(len(cta), 1)
        self.assertEqual(cta.nps_response_id, response)
        self.assertEqual(cta.suggested_product_id, self.pro)
        notes = cta.message_ids.filtered(
            lambda message: "Referral request sent" in (message.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertIn(self.customer.name, notes.body)
        # the success manager records the contacts referred
        referred = self.env["res.partner"].create(
            [{"name": "Ana Ribeiro"}, {"name": "Beto Sales"}]
        )
        with Form(cta.with_user(self.user_cs)) as form:
            form.referral_partner_ids.add(referred[0])
            form.referral_partner_ids.add(referred[1])
        self.assertEqual(cta.referral_count, 2)
        [(total,)] = self.env["cs.cta"]._read_group(
            [("cta_type", "=", "expansion")], aggregates=["referral_count:sum"]
        )
        self.assertEqual(total, 2)

    def test_referral_request_goes_to_another_open_expansion(self):
        """Not green (no usage): no promoter call to action, but an open
        expansion of another play records the request."""
        seats = self.env.ref("customer_success.cs_play_seats_full")
        other = seats._run_on(self.customer)
        self.env.flush_all()
        invitation = self.periodic._invite(self.START, self.customer)
        response = self.answer(invitation, 9, on=self.START)
        self.assertFalse(self.ctas())
        self.assertEqual(other.nps_response_id, response)
        self.assertTrue(
            other.message_ids.filtered(
                lambda message: "Referral request sent" in (message.body or "")
            )
        )
