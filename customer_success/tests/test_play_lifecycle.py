# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, fields
from odoo.tests import tagged

from .common import CustomerSuccessOnboardingCommon


class PlayMixin:
    PLAY = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.play = cls.env.ref(f"customer_success.{cls.PLAY}")
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        # for the owners who read Portuguese
        cls._activate_lang("pt_BR")

    def ctas(self, customer=None):
        """The calls to action of the play (of ``customer``)."""
        domain = [("play_id", "=", self.play.id)]
        if customer:
            domain.append(("partner_id", "=", customer.id))
        return self.env["cs.cta"].search(domain)


@tagged("post_install", "-at_install")
class TestOnboardingLatePlay(PlayMixin, CustomerSuccessOnboardingCommon):
    PLAY = "cs_play_onboarding_late"

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

    def test_late_onboarding_opens_one_cta(self):
        with freeze_time("2026-05-04"):
            onboarding = self.start(self.create_subscription(self.customer, 3500))
        self.assertEqual(onboarding.target_activation_date, date(2026, 6, 3))
        self.run_automations(datetime(2026, 5, 20, 6))
        # on its target date, the onboarding is not late yet
        self.run_automations(datetime(2026, 6, 3, 22))
        self.assertFalse(self.ctas())
        self.run_automations(datetime(2026, 6, 4, 6))
        cta = self.ctas()
        self.assertEqual(len(cta), 1)
        # nobody follows the customer yet: the onboarding lead owns it
        self.assertRecordValues(
            cta,
            [
                {
                    "partner_id": self.customer.id,
                    "state": "open",
                    "cta_type": "onboarding",
                    "priority": "1",
                    "user_id": self.user_onboarder.id,
                    "subscription_id": onboarding.subscription_id.id,
                    "date_due": date(2026, 6, 7),
                }
            ],
        )
        self.assertEqual(
            cta.reason,
            "Onboarding past its target date: activation targeted for 06/03/2026, "
            f"at the stage {onboarding.stage_id.name}",
        )
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertRecordValues(
            activity,
            [
                {
                    "activity_type_id": self.call_type.id,
                    "user_id": self.user_onboarder.id,
                    "date_deadline": date(2026, 6, 6),
                    "summary": "Call: what blocks the activation, and a new "
                    "target date",
                }
            ],
        )
        self.assertIn("activation targeted for 06/03/2026", activity.note)
        # the scheduler again, the same day and the next ones: no second one
        self.run_automations(datetime(2026, 6, 4, 18))
        self.run_automations(datetime(2026, 6, 5, 6))
        self.run_automations(datetime(2026, 6, 20, 6))
        self.assertEqual(self.ctas(), cta)
        self.assertEqual(len(cta.activity_ids), 1)

    def test_success_manager_owns_it_and_a_new_target_fires_again(self):
        self.customer.csm_id = self.user_cs
        with freeze_time("2026-05-04"):
            onboarding = self.start(self.create_subscription(self.customer, 3500))
        self.run_automations(datetime(2026, 6, 4, 6))
        cta = self.ctas()
        self.assertEqual((len(cta), cta.user_id), (1, self.user_cs))
        self.assertEqual(cta.activity_ids.user_id, self.user_cs)
        cta.action_close_saved()
        # a new target date, missed too: a new call to action
        onboarding.target_activation_date = date(2026, 6, 15)
        self.run_automations(datetime(2026, 6, 15, 6))
        self.assertEqual(self.ctas(), cta)
        self.run_automations(datetime(2026, 6, 16, 6))
        self.assertEqual(len(self.ctas()), 2)

    def test_activated_or_cancelled_onboardings_open_nothing(self):
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True}
        )
        with freeze_time("2026-05-04"):
            activated = self.start(self.create_subscription(self.customer, 3500))
            cancelled = self.start(self.create_subscription(other, 200))
        activated.activation_date = date(2026, 6, 1)
        cancelled.target_activation_date = date(2026, 6, 3)
        cancelled.action_cancel()
        self.run_automations(datetime(2026, 6, 4, 6))
        self.assertFalse(self.ctas())

    def test_cta_in_the_language_of_the_onboarding_lead(self):
        self.user_onboarder.lang = "pt_BR"
        with freeze_time("2026-05-04"):
            onboarding = self.start(self.create_subscription(self.customer, 3500))
        self.run_automations(datetime(2026, 6, 4, 6))
        cta = self.ctas().with_context(lang="pt_BR")
        stage = onboarding.stage_id.with_context(lang="pt_BR").name
        self.assertEqual(
            cta.reason,
            "Onboarding passou da data prevista: ativação prevista para "
            f"03/06/2026, na etapa {stage}",
        )

    def test_switched_off_play_opens_nothing(self):
        self.play.disabled_company_ids = self.company
        with freeze_time("2026-05-04"):
            self.start(self.create_subscription(self.customer, 3500))
        self.run_automations(datetime(2026, 6, 4, 6))
        self.assertFalse(self.ctas())


@tagged("post_install", "-at_install")
class TestCheckinNoTouchPlay(PlayMixin, CustomerSuccessOnboardingCommon):
    PLAY = "cs_play_no_touch"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # mid touch: a check-in every 30 days (twice: 60)
        cls.customer.write(
            {
                "csm_id": cls.user_cs.id,
                "touch_model_id": cls.tm_mid.id,
                "last_touch_date": date(2026, 3, 1),
            }
        )

    def test_untouched_for_twice_the_cadence_opens_one_cta(self):
        self.assertEqual(self.tm_mid.checkin_interval, 30)
        # day 60 after the last touch: not yet older than twice the cadence
        self.run_checkin(date(2026, 3, 20))
        self.run_checkin(date(2026, 4, 30))
        self.assertFalse(self.customer.cs_no_touch)
        self.assertFalse(self.ctas())
        # the check-in is there, not done
        self.assertEqual(len(self.checkin_activities(self.customer)), 1)
        self.run_checkin(date(2026, 5, 1))
        self.assertTrue(self.customer.cs_no_touch)
        cta = self.ctas()
        self.assertEqual(len(cta), 1)
        self.assertRecordValues(
            cta,
            [
                {
                    "partner_id": self.customer.id,
                    "state": "open",
                    "cta_type": "lifecycle",
                    "priority": "1",
                    "user_id": self.user_cs.id,
                    "date_due": date(2026, 5, 8),
                }
            ],
        )
        self.assertEqual(
            cta.reason,
            "No touch for twice the check-in cadence: last touch on 03/01/2026, "
            f"61 days ago; {self.tm_mid.name} checks in every 30 days",
        )
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertRecordValues(
            activity,
            [
                {
                    "activity_type_id": self.call_type.id,
                    "user_id": self.user_cs.id,
                    "date_deadline": date(2026, 5, 4),
                    "summary": "Call: how it is going, and the next check-in",
                }
            ],
        )
        # the daily run again, the same day and the next ones: no second one
        self.run_checkin(date(2026, 5, 1))
        self.run_checkin(date(2026, 5, 2))
        self.assertEqual(self.ctas(), cta)
        self.assertEqual(len(cta.activity_ids), 1)

    def test_a_touch_clears_it_and_the_next_silence_opens_a_new_one(self):
        self.run_checkin(date(2026, 5, 1))
        cta = self.ctas()
        self.assertEqual(len(cta), 1)
        # the check-in done is a touch: the flag falls
        with freeze_time("2026-05-03"):
            self.checkin_activities(self.customer).action_feedback(feedback="Ok")
        self.assertEqual(self.customer.last_touch_date, date(2026, 5, 3))
        self.assertFalse(self.customer.cs_no_touch)
        cta.action_close_saved()
        self.run_checkin(date(2026, 7, 2))
        self.assertFalse(self.ctas() - cta, "60 days: not yet")
        self.run_checkin(date(2026, 7, 3))
        self.assertEqual(len(self.ctas()), 2)

    def test_a_longer_cadence_clears_the_flag(self):
        self.run_checkin(date(2026, 5, 1))
        self.assertTrue(self.customer.cs_no_touch)
        self.tm_mid.checkin_interval = 45
        self.run_checkin(date(2026, 5, 2))
        self.assertFalse(self.customer.cs_no_touch)
        self.assertEqual(len(self.ctas()), 1, "the open one stays")

    def test_onboarded_never_touched_or_untracked_open_nothing(self):
        Partner = self.env["res.partner"]
        never = Partner.create(
            {"name": "Nunca", "is_company": True, "touch_model_id": self.tm_mid.id}
        )
        self.tm_exclusive.checkin_mode = "none"
        untracked = Partner.create(
            {
                "name": "Sem check-in",
                "is_company": True,
                "touch_model_id": self.tm_exclusive.id,
                "last_touch_date": date(2026, 1, 1),
            }
        )
        with freeze_time("2026-02-01"):
            onboarded = self.start(self.create_subscription(self.customer, 3500))
        self.assertEqual(self.customer.onboarding_state, "in_progress")
        self.run_checkin(date(2026, 5, 1))
        self.assertFalse(self.ctas())
        self.assertFalse((never | untracked | self.customer).filtered("cs_no_touch"))
        # once the onboarding is over, the silence counts
        onboarded.state = "done"
        self.run_checkin(date(2026, 5, 2))
        self.assertEqual(self.ctas().partner_id, self.customer)

    def test_cta_in_the_language_of_the_success_manager(self):
        self.user_cs.lang = "pt_BR"
        self.run_checkin(date(2026, 5, 1))
        cta = self.ctas().with_context(lang="pt_BR")
        self.assertEqual(
            cta.reason,
            "Sem contato há o dobro da cadência de check-in: último contato em "
            f"01/03/2026, há 61 dias; {self.tm_mid.with_context(lang='pt_BR').name} "
            "faz check-in a cada 30 dias",
        )
