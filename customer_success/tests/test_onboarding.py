# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CustomerSuccessOnboardingCommon


@tagged("post_install", "-at_install")
class TestOnboarding(CustomerSuccessOnboardingCommon):
    @freeze_time("2026-05-04")
    def test_first_subscription_starts_onboarding(self):
        subscription = self.create_subscription(self.customer, 3500)
        self.assertFalse(subscription.cs_onboarding_ids, "not before the start")
        onboarding = self.start(subscription)
        self.assertEqual(len(onboarding), 1)
        self.assertRecordValues(
            onboarding,
            [
                {
                    "partner_id": self.customer.id,
                    "subscription_id": subscription.id,
                    "state": "in_progress",
                    "stage_id": self.stage["scenario"].id,
                    "team_id": self.team_onboarding.id,
                    "user_id": self.user_onboarder.id,
                    "kickoff_date": date(2026, 5, 4),
                    "target_activation_date": date(2026, 6, 3),
                }
            ],
        )
        self.assertEqual(
            onboarding.task_ids.mapped("name"),
            self.stage["scenario"].task_template_ids.mapped("name"),
        )
        self.assertIn(subscription.display_name, onboarding.message_ids[0].body)
        self.assertEqual(self.customer.onboarding_state, "in_progress")

    def test_onboarding_never_created_twice(self):
        subscription = self.create_subscription(self.customer, 3500)
        onboarding = self.start(subscription)
        # restarting, or writing the stage again, starts nothing new
        subscription.stage_id = self.env.ref(
            "subscription_oca.subscription_stage_draft"
        )
        self.start(subscription)
        subscription.write({"stage_id": subscription.stage_id.id})
        # a second subscription of a customer being onboarded starts nothing
        self.start(self.create_subscription(self.customer, 100))
        self.assertEqual(self.customer.onboarding_ids, onboarding)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["cs.onboarding"].create(
                {"partner_id": self.customer.id, "subscription_id": subscription.id}
            )

    def test_customer_already_onboarded_gets_no_new_onboarding(self):
        onboarding = self.start(self.create_subscription(self.customer, 3500))
        onboarding.state = "done"
        self.start(self.create_subscription(self.customer, 500))
        self.assertEqual(self.customer.onboarding_ids, onboarding)

    def test_several_customers_start_together(self):
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True}
        )
        subscriptions = self.create_subscription(self.customer, 100) | (
            self.create_subscription(other, 200)
        )
        subscriptions.action_start_subscription()
        self.assertEqual(len(self.customer.onboarding_ids), 1)
        self.assertEqual(len(other.onboarding_ids), 1)

    def test_stage_requirements_block_moving_on(self):
        onboarding = self.start(self.create_subscription(self.customer, 3500))
        with self.assertRaisesText(UserError, "add at least one stakeholder"):
            self.move(onboarding, "success")
        self.assertEqual(onboarding.stage_id, self.stage["scenario"])
        contact = self.env["res.partner"].create(
            {
                "name": "Rita Lopes",
                "parent_id": self.customer.id,
                "email": "rita@n.example.com",
            }
        )
        onboarding.stakeholder_ids = [
            Command.create(
                {
                    "contact_id": contact.id,
                    "role": "decision_maker",
                    "partner_id": self.customer.id,
                }
            )
        ]
        self.move(onboarding, "success")
        with self.assertRaisesText(UserError, "success goal"):
            self.move(onboarding, "setup")
        self.assertEqual(onboarding.stage_id, self.stage["success"])
        self.env["cs.success.goal"].create(
            {
                "partner_id": self.customer.id,
                "onboarding_id": onboarding.id,
                "name": "Fechamento sem quedas",
                "metric": "Uptime (%)",
                "target": 99.9,
            }
        )
        self.move(onboarding, "activation")
        with self.assertRaisesText(UserError, "activation date"):
            self.move(onboarding, "handoff")
        # moving back is always allowed
        self.move(onboarding, "setup")
        onboarding.activation_date = date(2026, 5, 20)
        self.move(onboarding, "handoff")
        self.assertEqual(onboarding.stage_id, self.stage["handoff"])

    @freeze_time("2026-05-04")
    def test_checklist_requirement(self):
        onboarding = self.start(self.create_subscription(self.customer, 3500))
        self.stage["scenario"].require_checklist = True
        with self.assertRaisesText(UserError, "checklist"):
            self.move(onboarding, "team")
        checklist = onboarding.task_ids
        self.assertTrue(checklist)
        checklist.is_done = True
        self.move(onboarding, "team")
        self.assertEqual(set(checklist.mapped("done_date")), {date(2026, 5, 4)})

    def test_checklist_of_a_skipped_stage_still_required(self):
        onboarding = self.start(self.create_subscription(self.customer, 3500))
        self.stage["team"].require_checklist = True
        with self.assertRaisesText(UserError, "checklist"):
            self.move(onboarding, "stakeholders")
        self.assertEqual(onboarding.stage_id, self.stage["scenario"])

    def test_stage_checklist_copied_once(self):
        onboarding = self.start(self.create_subscription(self.customer, 3500))
        self.move(onboarding, "team")
        self.move(onboarding, "scenario")
        self.move(onboarding, "team")
        expected = (self.stage["scenario"] | self.stage["team"]).task_template_ids
        self.assertEqual(onboarding.task_ids.template_id, expected)
        self.assertEqual(len(onboarding.task_ids), len(expected))

    def test_closed_subscription_cancels_onboarding(self):
        subscription = self.create_subscription(self.customer, 3500)
        onboarding = self.start(subscription)
        subscription.close_subscription()
        self.assertEqual(onboarding.state, "cancelled")
        self.assertIn(
            "was closed during the onboarding", onboarding.message_ids[0].body
        )
        self.assertEqual(self.customer.onboarding_state, "cancelled")
        with self.assertRaisesText(UserError, "closed"):
            self.move(onboarding, "team")
        # the customer's next subscription starts a new onboarding
        again = self.start(self.create_subscription(self.customer, 3500))
        self.assertTrue(again)
        self.assertNotEqual(again, onboarding)

    def test_stage_of_another_company_rejected(self):
        company = self.env["res.company"].create({"name": "Filial Recife"})
        onboarding = self.start(self.create_subscription(self.customer, 3500))
        foreign = self.env["cs.onboarding"]._get_stages(company)[1]
        with self.assertRaisesText(UserError, "another company"):
            onboarding.stage_id = foreign

    def test_payer_stakeholder_is_the_payer(self):
        finance = self.env["res.partner"].create(
            {
                "name": "Financeiro",
                "parent_id": self.customer.id,
                "email": "fin@n.example.com",
            }
        )
        stakeholder = self.env["cs.stakeholder"].create(
            {"partner_id": self.customer.id, "contact_id": finance.id, "role": "payer"}
        )
        self.assertEqual(self.customer.payer_id, finance)
        boss = self.env["res.partner"].create(
            {"name": "Diretora", "parent_id": self.customer.id}
        )
        self.customer.payer_id = boss
        self.assertEqual(stakeholder.contact_id, boss)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["cs.stakeholder"].create(
                {
                    "partner_id": self.customer.id,
                    "contact_id": finance.id,
                    "role": "payer",
                }
            )

    def test_stakeholder_must_belong_to_the_customer(self):
        stranger = self.env["res.partner"].create({"name": "Estranho"})
        with self.assertRaisesText(ValidationError, "is not a contact of"):
            self.env["cs.stakeholder"].create(
                {"partner_id": self.customer.id, "contact_id": stranger.id}
            )

    def test_goal_revalidation_is_dated(self):
        goal = self.env["cs.success.goal"].create(
            {
                "partner_id": self.customer.id,
                "name": "NPS > 50",
                "metric": "NPS",
                "target": 50,
                "current_value": 25,
            }
        )
        self.assertEqual(goal.progress, 50)
        with freeze_time("2026-08-01"):
            goal.action_revalidate()
        self.assertEqual(goal.revalidation_date, date(2026, 8, 1))
        contact = self.env["res.partner"].create(
            {"name": "Rita", "parent_id": self.customer.id}
        )
        with self.assertRaisesText(ValidationError, "belongs to the customer"):
            goal.partner_id = contact

    def test_late_onboarding_is_flagged(self):
        with freeze_time("2026-05-04"):
            onboarding = self.start(self.create_subscription(self.customer, 3500))
        with freeze_time("2026-06-10"):
            onboarding.invalidate_recordset(["is_late"])
            self.assertTrue(onboarding.is_late)
            onboarding.activation_date = date(2026, 6, 9)
            self.assertFalse(onboarding.is_late)
            self.assertEqual(onboarding.days_to_activation, 36)

    def test_stage_with_running_onboardings_cannot_be_deleted(self):
        onboarding = self.start(self.create_subscription(self.customer, 3500))
        with self.assertRaisesText(UserError, "archive the stages instead"):
            self.stage["scenario"].unlink()
        self.assertTrue(self.stage["scenario"].exists())
        onboarding.action_cancel()
        self.stage["planning"].unlink()
        self.assertFalse(self.stage["planning"].exists())
