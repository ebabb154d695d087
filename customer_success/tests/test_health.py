# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import importlib.util
from datetime import timedelta

from freezegun import freeze_time
from lxml import etree
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, file_path, mute_logger

from ..const import FACTOR_WEIGHTS
from .common import CustomerSuccessVoiceCommon


@tagged("post_install", "-at_install")
class TestHealthScore(CustomerSuccessVoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.periodic = cls.campaign("periodic", 30)
        cls.red_type = cls.env.ref("customer_success.mail_activity_type_cs_health")
        cls.play_red = cls.env.ref("customer_success.cs_play_health_red")
        cls.play_drop = cls.env.ref("customer_success.cs_play_health_drop")
        cls.play_usage = cls.env.ref("customer_success.cs_play_usage_halved")

    def day(self, offset):
        return self.START + timedelta(days=offset)

    def weigh(self, **weights):
        for code, weight in weights.items():
            self.factors[code].weight = weight

    def invoices(self, on_time, late, customer=None):
        """``on_time`` invoices paid on their due date, ``late`` paid 10
        days after it (due dates in January)."""
        for index in range(on_time + late):
            due = self.day(index)
            invoice = self.create_invoice(due=due, partner=customer)
            self.pay(invoice, due + timedelta(days=10 if index >= on_time else 0))

    def red_ctas(self, customer=None):
        """The calls to action of the play *Health turns red* of ``customer``."""
        return self.env["cs.cta"].search(
            [
                ("play_id", "=", self.play_red.id),
                ("partner_id", "=", (customer or self.customer).id),
            ]
        )

    def test_shipped_factors_sum_to_100_with_the_sentiment(self):
        # as the data file ships them (a bridge may make room for a factor
        # of its own in the database: the helpdesk bridge does), and as the
        # fixtures of these tests put them back
        path = file_path("customer_success/data/cs_health_factor_data.xml")
        records = etree.parse(path).getroot().iter("record")
        shipped = {
            record.findtext("field[@name='code']"): int(
                record.findtext("field[@name='weight']")
            )
            for record in records
            if record.get("model") == "cs.health.factor"
        }
        expected = {
            "usage": 25,
            "nps": 15,
            "payment": 20,
            "engagement": 15,
            "onboarding": 10,
            "sentiment": 15,
        }
        self.assertEqual(shipped, expected)
        self.assertEqual(FACTOR_WEIGHTS, expected)
        weights = {code: factor.weight for code, factor in self.factors.items()}
        self.assertEqual(weights, expected)
        stale = {code: factor.stale_days for code, factor in self.factors.items()}
        self.assertEqual((stale["usage"], stale["nps"], stale["payment"]), (7, 180, 0))

    def test_missing_factor_gives_its_weight_to_the_others(self):
        # usage 30 (no data), NPS 20 (score 5: 50), payment 25 (3 of 4 on
        # time: 75); engagement and onboarding off. Weights sum to 75.
        # score = (20 * 50 + 25 * 75) / (20 + 25) = 2875 / 45 = 63.9
        self.weigh(
            usage=30, nps=20, payment=25, engagement=0, onboarding=0, sentiment=0
        )
        self.subscribe()
        self.invoices(on_time=3, late=1)
        self.nps(5)
        self.run_health(self.day(40))
        self.assertAlmostEqual(self.customer.health_score, 63.9)
        self.assertEqual(self.customer.health_band, "yellow")
        details = self.customer.health_factor_scores
        self.assertIsNone(details["usage"]["score"])
        self.assertEqual(details["usage"]["effective"], 0.0)
        self.assertAlmostEqual(details["usage"]["weight"], 40.0)  # 30 of 75
        self.assertAlmostEqual(details["nps"]["effective"], 44.44, places=2)
        self.assertAlmostEqual(details["payment"]["effective"], 55.56, places=2)
        self.assertIn("no data", self.customer.health_details_html)
        self.assertIn("their weight is shared", self.customer.health_details_html)

    def test_weights_not_summing_to_100_are_normalised_with_a_warning(self):
        Factor = self.env["cs.health.factor"]
        self.assertFalse(Factor._weight_warning(self.company))
        self.weigh(
            usage=60, nps=40, payment=50, engagement=0, onboarding=0, sentiment=0
        )
        warning = Factor._weight_warning(self.company)
        self.assertIn("sum to 150", warning)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.cs_health_weight_warning, warning)
        self.assertAlmostEqual(self.factors["usage"].normalized_weight, 40.0)
        self.subscribe()
        self.invoices(on_time=1, late=1)  # payment 50
        self.nps(10)  # 100
        self.usage(self.customer, self.day(20), 20, active_users=8)  # 8 of 10: 80
        # (60 * 80 + 40 * 100 + 50 * 50) / 150 = 11300 / 150 = 75.3
        self.run_health(self.day(40))
        self.assertAlmostEqual(self.customer.health_score, 75.3)
        self.assertEqual(self.customer.health_band, "green")
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            self.factors["nps"].weight = -5
        self.assertEqual(self.factors["nps"].weight, 40)
        self.weigh(usage=0, nps=0, payment=0)
        self.assertIn("zero", Factor._weight_warning(self.company))

    def test_bands_follow_the_company_settings(self):
        self.weigh(usage=0, nps=100, payment=0, engagement=0, onboarding=0)
        self.subscribe()
        self.nps(6)
        self.run_health(self.day(40))
        self.assertEqual(self.customer.health_score, 60.0)
        self.assertEqual(self.customer.health_band, "yellow", "40 <= 60 < 70")
        self.company.cs_health_green_min = 55
        self.assertEqual(self.company._cs_health_band(60.0), "green")
        self.assertEqual(self.company._cs_health_band(39.9), "red")
        for green, yellow in ((50, 50), (40, 60), (120, 40), (70, 0)):
            with self.assertRaisesText(ValidationError, "health bands"):
                self.company.write(
                    {"cs_health_green_min": green, "cs_health_yellow_min": yellow}
                )
        self.assertEqual(self.company.cs_health_green_min, 55)

    def test_one_snapshot_per_customer_and_day(self):
        self.weigh(usage=0, nps=100, payment=0, engagement=0, onboarding=0)
        self.subscribe()
        idle = self.env["res.partner"].create({"name": "Sem assinatura"})
        self.nps(9)
        self.run_health(self.day(40))
        self.run_health(self.day(40))
        snapshots = self.customer.health_snapshot_ids
        self.assertEqual(len(snapshots), 1)
        self.assertEqual(snapshots.date, self.day(40))
        self.assertEqual(snapshots.score, 90.0)
        self.assertEqual(snapshots.band, "green")
        self.run_health(self.day(41))
        self.assertEqual(len(self.customer.health_snapshot_ids), 2)
        self.assertFalse(idle.health_snapshot_ids, "no subscription, no score")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaisesText(IntegrityError, "partner_date_uniq"),
        ):
            # sudo: snapshots are written by the health cron, as the system
            self.env["cs.health.snapshot"].sudo().create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "date": self.day(41),
                    "score": 10.0,
                }
            )

    def test_turning_red_gives_one_activity_and_readable_reasons(self):
        self.subscribe()
        # usage: 10 active users of 10, then 3 (-70%): 30; NPS 2: 20; 2 of 4
        # invoices paid late and one overdue: 50 - 30 = 20; engagement 100;
        # onboarding late: 30.
        # (30 * 30 + 20 * 20 + 25 * 20 + 15 * 100 + 10 * 30) / 100 = 36
        self.weigh(
            usage=30, nps=20, payment=25, engagement=15, onboarding=10, sentiment=0
        )
        self.usage(self.customer, self.day(1), 30, active_users=10)
        self.usage(self.customer, self.day(31), 29, active_users=3)
        self.nps(2, on=self.day(30))
        self.invoices(on_time=1, late=2)
        self.create_invoice(due=self.day(50))
        self.run_health(self.day(60))
        customer = self.customer
        self.assertEqual(customer.health_score, 36.0)
        self.assertEqual(customer.health_band, "red")
        self.assertTrue(customer.health_at_risk)
        reasons = customer.health_reasons
        for reason in (
            "active users -70% in 30 days",
            "NPS detractor (2)",
            "2 invoices paid late",
            "1 invoice overdue",
        ):
            self.assertIn(reason, reasons)
        # the play opens one call to action for the success manager, with
        # the score and the reasons, and its Health Alert due in 2 days
        cta = self.red_ctas()
        self.assertEqual(len(cta), 1)
        self.assertEqual(
            (cta.state, cta.cta_type, cta.priority, cta.user_id),
            ("open", "risk", "2", self.user_cs),
        )
        self.assertEqual(cta.date_due, self.day(62))
        self.assertTrue(cta.reason.startswith("Health turned red: 36.0: "))
        self.assertIn("NPS detractor (2)", cta.reason)
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.red_type)
        self.assertEqual(activity.user_id, self.user_cs)
        self.assertEqual(activity.date_deadline, self.day(62))
        self.assertEqual(activity.summary, "The customer's health turned red")
        self.assertIn("NPS detractor (2)", activity.note)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", customer.id),
                    ("activity_type_id", "=", self.red_type.id),
                ]
            ),
            "the follow-up is on the call to action, not on the customer",
        )
        self.run_health(self.day(61))
        self.assertEqual(self.red_ctas(), cta, "still red: no new call to action")
        self.assertEqual(len(cta.activity_ids), 1)
        self.assertEqual(len(customer.health_snapshot_ids), 2)

    def test_turning_red_again_updates_the_open_call_to_action(self):
        """The daily run writes a customer whose band changes with write():
        yellow to red fires the automation rule of the play, red to yellow
        does not, and red again updates the call to action still open."""
        self.weigh(usage=0, nps=100, payment=0, engagement=0, onboarding=0, sentiment=0)
        self.subscribe()
        self.nps(5, on=self.day(1))
        self.run_health(self.day(2))
        self.assertEqual(self.customer.health_band, "yellow")
        self.assertFalse(self.red_ctas())
        self.nps(2, on=self.day(3))
        self.run_health(self.day(4))
        self.assertEqual(self.customer.health_band, "red")
        cta = self.red_ctas()
        self.assertEqual(len(cta), 1)
        self.assertIn("NPS detractor (2)", cta.reason_note)
        self.assertEqual(cta.date_due, self.day(6))
        self.assertEqual(cta.activity_ids.date_deadline, self.day(6))
        self.nps(6, on=self.day(5))
        self.run_health(self.day(6))
        self.assertEqual(self.customer.health_band, "yellow")
        self.assertEqual(self.red_ctas(), cta)
        self.nps(1, on=self.day(7))
        self.run_health(self.day(8))
        self.assertEqual(self.customer.health_band, "red")
        self.assertEqual(self.red_ctas(), cta, "the open one, updated")
        self.assertIn("NPS detractor (1)", cta.reason_note)
        self.assertEqual(len(cta.activity_ids), 1)
        # closed, the next turn to red opens a new one
        cta.action_close_saved()
        self.nps(7, on=self.day(9))
        self.run_health(self.day(10))
        self.nps(0, on=self.day(11))
        self.run_health(self.day(12))
        self.assertEqual(len(self.red_ctas()), 2)

    def test_upgrade_keeps_the_health_alerts_on_the_customers(self):
        """A Health Alert scheduled on a customer before the play stays
        there through the 19.0.1.7.0 migration, and is done as before."""
        alert = self.customer.activity_schedule(
            activity_type_id=self.red_type.id,
            summary="Health turned red (20.0)",
            user_id=self.user_cs.id,
        )
        path = file_path("customer_success/migrations/19.0.1.7.0/post-migrate.py")
        spec = importlib.util.spec_from_file_location("cs_post_migrate_170", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "19.0.1.6.0")
        self.assertTrue(alert.exists())
        self.assertEqual(
            (alert.res_model, alert.res_id, alert.user_id),
            ("res.partner", self.customer.id, self.user_cs),
        )
        alert.action_feedback(feedback="Called")
        self.assertFalse(alert.active, "done")
        self.assertIn("Called", self.customer.message_ids[:1].body)

    def play_ctas(self, play, customer=None):
        return self.env["cs.cta"].search(
            [
                ("play_id", "=", play.id),
                ("partner_id", "=", (customer or self.customer).id),
            ]
        )

    def test_health_drop_of_20_points_in_30_days_opens_one_call_to_action(self):
        """The daily run keeps the points lost since the score of 30 days
        ago; 30 of them (80 to 50, still yellow) fire the play once, with
        both scores, for the success manager."""
        self.weigh(usage=0, nps=100, payment=0, engagement=0, onboarding=0, sentiment=0)
        self.subscribe()
        self.nps(8, on=self.day(1))
        self.run_health(self.day(1))
        self.assertEqual(self.customer.health_score, 80.0)
        self.nps(5, on=self.day(20))
        self.run_health(self.day(20))
        self.assertEqual(
            self.customer.health_drop_30d, 0.0, "no score 30 days before yet"
        )
        self.assertFalse(self.play_ctas(self.play_drop))
        self.run_health(self.day(31))
        self.assertEqual(
            (self.customer.health_score, self.customer.health_band), (50.0, "yellow")
        )
        self.assertEqual(self.customer.health_drop_30d, 30.0)
        cta = self.play_ctas(self.play_drop)
        self.assertEqual(len(cta), 1)
        self.assertEqual(
            (cta.state, cta.cta_type, cta.priority, cta.user_id),
            ("open", "risk", "2", self.user_cs),
        )
        self.assertEqual(cta.date_due, self.day(34))
        self.assertEqual(
            cta.reason, "Health dropped by 20 points or more: 80.0 → 50.0 in 30 days"
        )
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.red_type)
        self.assertEqual(activity.user_id, self.user_cs)
        self.assertEqual(activity.date_deadline, self.day(34))
        self.assertEqual(activity.summary, "Call: what changed in the last 30 days")
        self.assertIn("80.0 → 50.0 in 30 days", activity.note)
        self.assertFalse(self.red_ctas(), "yellow: not the play of the red band")
        # the next day it is still 30 down (day 2 had no run: the nearest
        # score before, day 1's): no second call to action, the same activity
        self.run_health(self.day(32))
        self.assertEqual(self.customer.health_drop_30d, 30.0)
        self.assertEqual(self.play_ctas(self.play_drop), cta)
        self.assertEqual(len(cta.activity_ids), 1)
        self.assertEqual(len(self.customer.health_snapshot_ids), 4)

    def test_health_drop_fires_from_20_points_not_below(self):
        self.weigh(usage=0, nps=100, payment=0, engagement=0, onboarding=0, sentiment=0)
        self.subscribe()
        self.nps(9, on=self.day(1))
        self.run_health(self.day(1))
        self.nps(7, on=self.day(20))
        self.run_health(self.day(31))
        self.assertEqual(self.customer.health_drop_30d, 20.0)
        self.assertEqual(len(self.play_ctas(self.play_drop)), 1, "20 points: fires")
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "csm_id": self.user_cs.id}
        )
        self.subscribe(customer=other)
        self.nps(9, customer=other, on=self.day(1))
        self.nps(8, customer=other, on=self.day(20))
        self.run_health(self.day(1))
        self.run_health(self.day(31))
        self.assertEqual((other.health_score, other.health_drop_30d), (80.0, 10.0))
        self.assertFalse(self.play_ctas(self.play_drop, other))

    def test_usage_falling_by_half_in_30_days_opens_one_call_to_action(self):
        """Usage pushed day by day: 10 active users for 30 days, then 4 for
        30 days (60% less) fire the play once, with the metric that fell."""
        self.weigh(usage=100, nps=0, payment=0, engagement=0, onboarding=0, sentiment=0)
        self.subscribe()
        self.usage(self.customer, self.day(1), 30, active_users=10)
        self.run_health(self.day(30))
        self.assertEqual(self.customer.usage_drop_30d, 0.0)
        self.usage(self.customer, self.day(31), 30, active_users=4)
        self.run_health(self.day(45))
        # days 16 to 45 against 1 to 15: (15 * 10 + 15 * 4) / 30 against 10
        self.assertEqual(self.customer.usage_drop_30d, 30.0)
        self.assertFalse(self.play_ctas(self.play_usage))
        self.run_health(self.day(60))
        self.assertEqual(self.customer.usage_drop_30d, 60.0)
        cta = self.play_ctas(self.play_usage)
        self.assertEqual(len(cta), 1)
        self.assertEqual(
            (cta.state, cta.cta_type, cta.priority, cta.user_id),
            ("open", "risk", "1", self.user_cs),
        )
        self.assertEqual(cta.date_due, self.day(65))
        self.assertEqual(cta.reason, "Usage fell by half: active users -60% in 30 days")
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(activity.user_id, self.user_cs)
        self.assertEqual(activity.date_deadline, self.day(65))
        self.assertEqual(activity.summary, "Call: why usage fell and what would help")
        self.assertIn("active users -60% in 30 days", activity.note)
        # still down the next day: no second one
        self.run_health(self.day(61))
        self.assertGreaterEqual(self.customer.usage_drop_30d, 50.0)
        self.assertEqual(self.play_ctas(self.play_usage), cta)
        self.assertEqual(len(cta.activity_ids), 1)

    def test_usage_falling_by_less_than_half_opens_nothing(self):
        self.weigh(usage=100, nps=0, payment=0, engagement=0, onboarding=0, sentiment=0)
        self.subscribe()
        self.usage(self.customer, self.day(1), 30, active_users=10)
        self.usage(self.customer, self.day(31), 30, active_users=6)
        self.run_health(self.day(60))
        self.assertEqual(self.customer.usage_drop_30d, 40.0)
        self.assertIn("active users -40% in 30 days", self.customer.health_reasons)
        self.assertFalse(self.play_ctas(self.play_usage))

    def test_switched_off_play_opens_nothing(self):
        self.play_red.disabled_company_ids = self.company
        self.weigh(usage=0, nps=100, payment=0, engagement=0, onboarding=0, sentiment=0)
        self.subscribe()
        self.nps(2, on=self.day(1))
        self.run_health(self.day(2))
        self.assertEqual(self.customer.health_band, "red")
        self.assertFalse(self.red_ctas())

    def test_usage_is_judged_against_the_users_of_the_plan(self):
        self.weigh(usage=100, nps=0, payment=0, engagement=0, onboarding=0)
        self.subscribe()
        self.usage(self.customer, self.day(11), 30, active_users=5, logins=40)
        # active users 5 of 10: 50; logins steady (no earlier data): 100
        self.run_health(self.day(40))
        self.assertEqual(self.customer.health_factor_scores["usage"]["score"], 75.0)
        self.monthly.cs_included_users = 0
        self.customer.health_snapshot_ids.unlink()
        self.run_health(self.day(40))
        self.assertEqual(self.customer.health_factor_scores["usage"]["score"], 100.0)

    def test_recompute_button_replaces_todays_snapshot(self):
        self.weigh(usage=0, nps=100, payment=0, engagement=0, onboarding=0)
        self.subscribe()
        self.nps(9)
        self.run_health(self.day(40))
        self.nps(3, on=self.day(40))
        self.env.flush_all()
        with freeze_time(self.day(40)):
            self.customer.with_user(self.user_cs).action_cs_compute_health()
        self.assertEqual(self.customer.health_score, 30.0)
        self.assertEqual(len(self.customer.health_snapshot_ids), 1)

    def test_health_queries_do_not_grow_with_customers(self):
        self.weigh(usage=30, nps=20, payment=25, engagement=15, onboarding=10)
        first = self._customers(3)
        second = self._customers(12)
        counts = []
        for batch in (first, second):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["cs.health.snapshot"].with_user(SUPERUSER_ID)._compute_for(
                batch.with_user(SUPERUSER_ID), self.day(40)
            )
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        per_customer = (counts[1] - counts[0]) / 9
        # all is read and written per batch: the customers' subscriptions,
        # factors and snapshots at once, their rows in batched UPDATEs, and
        # no chatter message for a first score
        self.assertLess(per_customer, 1, counts)

    def test_health_store_matches_write(self):
        """The daily run's fast path stores what write() stores: the fields,
        the log columns, the fields computed from them, and a chatter line
        when a band changes."""
        by_write, by_store = (
            self._customers(2).with_user(SUPERUSER_ID).with_context(mail_notrack=False)
        )
        details = {"nps": {"score": 80.0, "weight": 100.0, "effective": 100.0}}
        yellow = {
            "health_score": 55.0,
            "health_band": "yellow",
            "health_at_risk": True,
            "health_reason_data": [{"code": "nps_detractor", "score": 4}],
            "health_date": self.day(40),
            "health_trend": -5.0,
            "health_factor_scores": details,
        }
        red = dict(yellow, health_score=20.0, health_band="red", health_trend=-35.0)
        for values in (yellow, red):
            messages = []
            for customer in (by_write, by_store):
                before = len(customer.message_ids)
                if customer == by_write:
                    customer.with_context(
                        tracking_disable=not customer.health_band
                    ).write(values)
                else:
                    customer._cs_store_health_values({customer.id: values})
                # the tracking is posted before the commit
                self.env.flush_all()
                self.env.cr.flush()
                self.env.invalidate_all()
                messages.append(len(customer.message_ids) - before)
            self.assertEqual(messages[0], messages[1], values["health_band"])
            for name in [*values, "health_status", "health_reasons", "write_uid"]:
                self.assertEqual(by_write[name], by_store[name], name)
        self.assertEqual(messages, [1, 1])

    def test_snapshot_insert_matches_create(self):
        """The daily run's snapshots, inserted in one statement, are what
        create() and the clearing of empty scores make of the same values:
        a band with reasons, a red 0.0, no data at all."""
        customers = self._customers(6)
        Snapshot = self.env["cs.health.snapshot"].sudo()
        details = {
            "usage": {"score": 0.0, "weight": 50.0, "effective": 100.0},
            "nps": {"score": None, "weight": 50.0, "effective": 0.0},
        }
        mixed = {
            "usage": {"score": 62.5, "weight": 40.0, "effective": 50.0},
            "sentiment": {"score": 50.0, "weight": 40.0, "effective": 50.0},
            "nps": {"score": None, "weight": 20.0, "effective": 0.0, "stale_days": 9},
        }
        factor_fields = Snapshot._get_factor_score_fields()
        # and the columns of the factors a bridge adds (support tickets)
        self.assertLessEqual(
            {"usage", "nps", "payment", "engagement", "onboarding", "sentiment"},
            set(factor_fields),
        )

        def columns(factor_scores):
            # what the daily run gives each factor's column (_prepare_snapshot_values)
            return {
                name: (factor_scores.get(code) or {}).get("score")
                for code, name in factor_fields.items()
            }

        cases = [
            {
                "score": 55.5,
                "band": "yellow",
                "at_risk": True,
                "reason_data": [
                    {"code": "nps_detractor", "score": 4},
                    {"code": "stale", "factor": "nps", "days": 9},
                ],
                "factor_scores": mixed,
                **columns(mixed),
            },
            {
                "score": 0.0,
                "band": "red",
                "at_risk": True,
                "factor_scores": details,
                **columns(details),
            },
            {
                "score": 0.0,
                "band": False,
                "at_risk": False,
                "reason_data": False,
                **columns({}),
            },
        ]

        def values_of(customer, case):
            return dict(
                case,
                partner_id=customer.id,
                company_id=self.env.company.id,
                date=self.day(40),
                csm_id=customer.csm_id.id,
                touch_model_id=False,
            )

        by_create, by_insert = customers[:3], customers[3:]
        Snapshot.create(list(map(values_of, by_create, cases)))
        # what the daily run did after create(): a score without data is
        # empty, not the 0.0 the ORM writes
        Snapshot.flush_model()
        self.env.cr.execute(
            "UPDATE cs_health_snapshot SET score = NULL"
            " WHERE partner_id IN %s AND band IS NULL",
            [tuple(by_create.ids)],
        )
        # and a factor without data is empty in its column, not 0.0
        for code, name in factor_fields.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE cs_health_snapshot SET %s = NULL WHERE partner_id IN %s"
                    " AND (factor_scores -> %s ->> 'score') IS NULL",
                    SQL.identifier(name),
                    tuple(by_create.ids),
                    code,
                )
            )
        Snapshot._insert_snapshots(list(map(values_of, by_insert, cases)))
        self.env.invalidate_all()
        names = [
            name
            for name, field in Snapshot._fields.items()
            if field.store
            and name not in ("id", "partner_id", "create_date")
            and name not in ("write_date",)
        ]
        for created, inserted in zip(by_create, by_insert, strict=True):
            [expected] = created.health_snapshot_ids.read(names)
            [got] = inserted.health_snapshot_ids.read(names)
            expected.pop("id"), got.pop("id")
            self.assertEqual(got, expected)
        self.assertEqual(
            by_insert.health_snapshot_ids.mapped("reasons"),
            by_create.health_snapshot_ids.mapped("reasons"),
        )
        # the empty columns the ORM cannot read apart from 0.0
        for batch in (by_create, by_insert):
            self.env.cr.execute(
                SQL(
                    "SELECT usage_score, nps_score, sentiment_score"
                    " FROM cs_health_snapshot WHERE partner_id IN %s"
                    " ORDER BY partner_id",
                    tuple(batch.ids),
                )
            )
            self.assertEqual(
                self.env.cr.fetchall(),
                [(62.5, None, 50.0), (0.0, None, None), (None, None, None)],
            )

    def test_stale_usage_counts_as_no_data_and_says_so(self):
        # usage 50 (8 of 10 users: 80, last pushed on day 9), NPS 50 (7: 70)
        self.weigh(usage=50, nps=50, payment=0, engagement=0, onboarding=0, sentiment=0)
        self.assertEqual(self.factors["usage"].stale_days, 7, "shipped: a week")
        self.subscribe()
        self.nps(7)
        self.usage(self.customer, self.day(0), 10, active_users=8)
        # day 16: usage pushed 7 days ago, within the limit: (80 + 70) / 2
        self.run_health(self.day(16))
        self.assertEqual(self.customer.health_score, 75.0)
        self.assertFalse(self.customer.health_reasons)
        # day 20: 11 days without usage, over the 7 allowed: NPS alone
        self.run_health(self.day(20))
        customer = self.customer
        self.assertEqual(customer.health_score, 70.0)
        self.assertEqual(
            customer.health_reasons, "Product Usage: no data pushed for 11 days"
        )
        self.assertIsNone(customer.health_factor_scores["usage"]["score"])
        self.assertEqual(customer.health_factor_scores["usage"]["stale_days"], 11)
        self.assertIn("no data for 11 days", customer.health_details_html)
        found = self.env["res.partner"].search(
            [("health_reasons", "ilike", "no data pushed")]
        )
        self.assertIn(customer, found)
        # the day's snapshot: the usage column is empty, out of the averages
        self.env.cr.execute(
            "SELECT usage_score IS NULL, nps_score FROM cs_health_snapshot"
            " WHERE partner_id = %s AND date = %s",
            [customer.id, self.day(20)],
        )
        self.assertEqual(self.env.cr.fetchall(), [(True, 70.0)])
        # no limit: old data counts again
        self.factors["usage"].stale_days = 0
        self.run_health(self.day(21))
        self.assertEqual(customer.health_score, 75.0)
        with self.assertRaisesText(ValidationError, "cannot be negative"):
            self.factors["usage"].stale_days = -1
        self.assertFalse(self.factors["payment"].can_go_stale)
        self.assertTrue(self.factors["nps"].can_go_stale)

    def test_factor_moves_of_the_last_30_days_in_the_readers_language(self):
        """Each factor's part of the score is its score times the weight it
        counted with; the moves sum to the change of the score.

        Day 10: NPS 8 (80) and sentiment good (100), payment without data:
        NPS 50% of 80 = 40, sentiment 50% of 100 = 50, score 90.
        Day 40: NPS 5 (50) and sentiment neutral (50): 25 + 25 = 50.
        Moves: NPS 25 - 40 = -15.0, sentiment 25 - 50 = -25.0, payment 0.0;
        -15 - 25 = -40 = 50 - 90."""
        self._activate_lang("pt_BR")
        self.weigh(
            usage=0, nps=50, payment=20, engagement=0, onboarding=0, sentiment=50
        )
        self.subscribe()
        self.nps(8)
        Sentiment = self.env["cs.sentiment"]
        Sentiment.create(
            {"partner_id": self.customer.id, "value": "good", "date": self.day(5)}
        )
        self.run_health(self.day(10))
        self.assertEqual(self.customer.health_score, 90.0)
        self.assertFalse(self.customer.health_factor_moves, "nothing to compare")
        self.nps(5, on=self.day(35))
        Sentiment.create(
            {"partner_id": self.customer.id, "value": "neutral", "date": self.day(35)}
        )
        self.run_health(self.day(40))
        customer = self.customer
        self.assertEqual(customer.health_score, 50.0)
        self.assertEqual(
            customer.with_context(lang="en_US").health_factor_moves,
            "NPS -15.0; Payment Behaviour 0.0; CSM Sentiment -25.0",
        )
        moves = customer.with_context(lang="pt_BR").health_factor_moves
        self.assertIn("NPS -15,0", moves)
        self.assertIn("-25,0", moves)
        # the snapshot of day 10 is 30 days old on day 40, the oldest kept
        snapshots = customer.health_snapshot_ids.sorted("date")
        self.assertEqual(snapshots.mapped("nps_score"), [80.0, 50.0])
        self.assertEqual(snapshots.mapped("sentiment_score"), [100.0, 50.0])
        # the history per factor: one line each, payment (no data) left out
        Report = self.env["cs.health.factor.report"].with_user(self.user_cs)
        lines = Report.search([("partner_id", "=", customer.id)])
        self.assertEqual(
            sorted((line.date, line.factor, line.score) for line in lines),
            [
                (self.day(10), "nps", 80.0),
                (self.day(10), "sentiment", 100.0),
                (self.day(40), "nps", 50.0),
                (self.day(40), "sentiment", 50.0),
            ],
        )
        self.assertEqual(lines.snapshot_id, snapshots)
        self.assertEqual(
            dict(Report._read_group([], groupby=["factor"], aggregates=["score:avg"])),
            {"nps": 65.0, "sentiment": 75.0},
        )
        # day 70: day 10 is out of the window, day 40 is compared; the
        # sentiment of day 35 expired on day 65: its weight goes to the NPS,
        # which counts alone, 100% of 50
        self.run_health(self.day(70))
        self.assertEqual(customer.health_score, 50.0)
        self.assertEqual(
            customer.with_context(lang="en_US").health_factor_moves,
            "NPS +25.0; Payment Behaviour 0.0; CSM Sentiment -25.0",
        )

    def test_health_run_of_3n_customers_issues_the_queries_of_n(self):
        """Touch models with weights of their own, sentiments valid and
        expired and stale usage cost no query per customer."""
        self.weigh(usage=30, nps=20, payment=25, engagement=15, onboarding=10)
        tech = self.env.ref("customer_success.cs_touch_model_tech")
        mid = self.env.ref("customer_success.cs_touch_model_mid")
        tech.weight_ids = [
            Command.create({"factor_id": self.factors["usage"].id, "weight": 70}),
            Command.create({"factor_id": self.factors["sentiment"].id, "weight": 30}),
        ]
        warm, small, large = (self._customers(n, (tech, mid)) for n in (2, 4, 12))

        def run(batch, day):
            self.env["cs.health.snapshot"].with_user(SUPERUSER_ID)._compute_for(
                batch.with_user(SUPERUSER_ID), day
            )

        # the caches of the registry (factors, fields, rules) filled once
        run(warm, self.day(40))
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        run(small, self.day(40))
        self.env.flush_all()
        count = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        with self.assertQueryCount(count):
            run(large, self.day(40))
        self.assertEqual(
            set(large.health_snapshot_ids.mapped("touch_model_id")), {tech, mid}
        )
        scored = large.filtered(lambda customer: customer.touch_model_id == tech)
        self.assertEqual(
            set(scored.mapped(lambda c: tuple(sorted(c.health_factor_scores)))),
            {("sentiment", "usage")},
        )

    def _customers(self, count, touch_models=()):
        """``count`` customers with an NPS answer and usage; with
        ``touch_models``, served by them in turn, with a sentiment (every
        other one expired) and usage stale for one in three."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Cliente {index}",
                    "is_company": True,
                    "csm_id": self.user_cs.id,
                    "touch_model_id": (
                        touch_models[index % len(touch_models)].id
                        if touch_models
                        else False
                    ),
                }
                for index in range(count)
            ]
        )
        for index, customer in enumerate(customers):
            self.nps(8, customer=customer)
            if touch_models:
                stale = not index % 3
                self.usage(customer, self.day(20 if stale else 35), 2, active_users=3)
                self.env["cs.sentiment"].create(
                    {
                        "partner_id": customer.id,
                        # none turns red: the follow-up of a red customer is
                        # not the engine's cost
                        "value": ("good", "neutral")[index % 2],
                        "date": self.day(30 if index % 2 else 1),
                    }
                )
            else:
                self.usage(customer, self.day(20), 2, active_users=3)
        return customers
