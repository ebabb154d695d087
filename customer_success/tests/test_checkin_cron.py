# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustomerSuccessOnboardingCommon

START = date(2026, 1, 5)


@tagged("post_install", "-at_install")
class TestCheckinCron(CustomerSuccessOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        users = [cls.user_cs, cls.user_cs_other, cls.user_onboarder]
        cls.served = {}
        for name, model, csm in (
            ("Mid", cls.tm_mid, users[0]),
            ("High", cls.tm_high, users[0]),
            ("Exclusive", cls.tm_exclusive, users[1]),
            ("Mid never done", cls.tm_mid, users[2]),
            ("Tech", cls.tm_tech, False),
            ("Low", cls.tm_low, users[2]),
        ):
            cls.served[name] = Partner.create(
                {
                    "name": f"Cliente {name}",
                    "is_company": True,
                    "email": f"{name.replace(' ', '')}@cliente.example.com",
                    "csm_id": csm and csm.id,
                    "touch_model_id": model.id,
                }
            )

    def simulate(self, days, done_after=2, never_done=()):
        """Run the cron every day (twice a day) for ``days`` days; CSMs finish
        each check-in ``done_after`` days after it was created, except for the
        customers in ``never_done``. Returns the days each customer got a
        check-in activity."""
        created = defaultdict(list)
        known = self.env["mail.activity"]
        for offset in range(days):
            today = START + timedelta(days=offset)
            self.run_checkin(today)
            self.run_checkin(today)
            activities = self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "customer_success.mail_activity_type_cs_checkin"
                        ).id,
                    ),
                ]
            )
            for activity in activities - known:
                created[activity.res_id].append(offset)
            known |= activities
            for activity in activities:
                partner = self.env["res.partner"].browse(activity.res_id)
                if partner in never_done:
                    continue
                if activity.date_deadline + timedelta(days=done_after) == today:
                    with freeze_time(today):
                        activity.action_feedback(feedback="Conversamos")
        return created

    def test_cadence_over_90_days(self):
        never = self.served["Mid never done"]
        created = self.simulate(90, never_done=never)
        served = self.served
        # created when due, done two days later, due again a cadence after that
        self.assertEqual(created[served["Mid"].id], [0, 32, 64])
        self.assertEqual(created[served["High"].id], [0, 16, 32, 48, 64, 80])
        self.assertEqual(created[served["Exclusive"].id], list(range(0, 90, 9)))
        # an open check-in blocks the next one
        self.assertEqual(created[never.id], [0])
        self.assertEqual(len(self.checkin_activities(never)), 1)
        # tech- and low-touch customers get e-mails instead, every 30 days
        self.assertNotIn(served["Tech"].id, created)
        self.assertNotIn(served["Low"].id, created)
        for name in ("Tech", "Low"):
            mails = self.env["mail.mail"].search(
                [("recipient_ids", "in", served[name].ids)], order="id"
            )
            self.assertEqual(len(mails), 3, name)
            self.assertEqual(served[name].checkin_count, 3)
            self.assertEqual(served[name].last_touch_date, START + timedelta(days=60))
            # check-in, "how is it going?", check-in
            self.assertIn("checking in", mails[0].subject)
            self.assertIn("How is it going", mails[1].subject)
            self.assertIn("checking in", mails[2].subject)
            self.assertIn("mailto:", mails[1].body_html)
        self.assertEqual(served["Mid"].last_touch_date, START + timedelta(days=66))

    def test_rerun_same_day_creates_nothing(self):
        self.run_checkin(START)
        served = self.served
        for name in ("Mid", "High", "Exclusive", "Mid never done"):
            self.assertEqual(len(self.checkin_activities(served[name])), 1, name)
        for name in ("Tech", "Low"):
            self.assertEqual(served[name].checkin_count, 1, name)
        first = self.env["mail.activity"].search_count([])
        mails = self.env["mail.mail"].search_count([])
        self.run_checkin(START)
        self.run_checkin(START + timedelta(days=1))
        self.assertEqual(self.env["mail.activity"].search_count([]), first)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)

    def test_checkin_done_within_cadence_skips(self):
        customer = self.served["Mid"]
        customer.last_touch_date = START - timedelta(days=29)
        self.run_checkin(START)
        self.assertFalse(self.checkin_activities(customer))
        self.run_checkin(START + timedelta(days=1))
        self.assertEqual(len(self.checkin_activities(customer)), 1)

    def test_customers_in_onboarding_and_without_csm_skipped(self):
        customer = self.served["Mid"]
        self.env["cs.onboarding"].create({"partner_id": customer.id})
        self.served["High"].csm_id = False
        self.served["Tech"].email = False
        self.run_checkin(START)
        self.assertFalse(self.checkin_activities(customer))
        self.assertFalse(self.checkin_activities(self.served["High"]))
        self.assertFalse(
            self.env["mail.mail"].search(
                [("recipient_ids", "in", self.served["Tech"].ids)]
            )
        )
        self.assertTrue(self.checkin_activities(self.served["Exclusive"]))
        self.assertTrue(
            self.env["mail.mail"].search(
                [("recipient_ids", "in", self.served["Low"].ids)]
            ),
            "the e-mail check-ins do go out",
        )

    def test_batches_create_every_checkin_once(self):
        self.env.flush_all()
        with freeze_time(START):
            self.env["res.partner"].sudo()._cron_cs_checkin(batch_size=1)
        activities = self.env["mail.activity"].search(
            [
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("customer_success.mail_activity_type_cs_checkin").id,
                )
            ]
        )
        self.assertEqual(len(activities), 4)
        self.assertEqual(len(set(activities.mapped("res_id"))), 4)

    def test_checkin_counts_on_the_customer(self):
        customer = self.served["Mid"]
        self.run_checkin(START)
        with freeze_time(START + timedelta(days=3)):
            customer.invalidate_recordset(
                ["open_checkin_count", "overdue_checkin_count"]
            )
            self.assertEqual(customer.open_checkin_count, 1)
            self.assertEqual(customer.overdue_checkin_count, 1)
        with freeze_time(START):
            customer.invalidate_recordset(
                ["open_checkin_count", "overdue_checkin_count"]
            )
            self.assertEqual(customer.overdue_checkin_count, 0)

    def test_checkin_emails_in_the_customers_language(self):
        self._activate_lang("pt_BR")
        self.company.email = "cs@empresa.example.com"
        customer = self.served["Tech"]
        customer.lang = "pt_BR"
        self.run_checkin(START)
        self.run_checkin(START + timedelta(days=30))
        mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", customer.ids)], order="id"
        )
        self.assertEqual(len(mails), 2)
        self.assertIn("passando para saber como vocês estão", mails[0].subject)
        self.assertIn("Se pudermos ajudar", mails[0].body_html)
        self.assertIn("Como está indo com", mails[1].subject)
        self.assertIn(">Responder<", mails[1].body_html)
        self.assertIn("mailto:cs@empresa.example.com", mails[1].body_html)
