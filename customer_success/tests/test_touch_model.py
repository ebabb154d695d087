# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CustomerSuccessOnboardingCommon


@tagged("post_install", "-at_install")
class TestTouchModel(CustomerSuccessOnboardingCommon):
    def test_shipped_models_cover_every_level_once(self):
        models = self.env["cs.touch.model"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            sorted(models.mapped("level")), ["exclusive", "high", "low", "mid", "tech"]
        )
        self.assertEqual(self.tm_exclusive.max_accounts_per_csm, 1)
        self.assertEqual(self.tm_tech.checkin_mode, "email")
        self.assertEqual(self.tm_mid.checkin_mode, "activity")

    def test_overlapping_ranges_rejected(self):
        with self.assertRaisesText(ValidationError, "overlap"):
            self.tm_mid.mrr_max = 12000
        self.env.invalidate_all()
        self.assertEqual(self.tm_mid.mrr_max, 10000)
        with self.assertRaisesText(ValidationError, "overlap"):
            self.env["cs.touch.model"].create(
                {"name": "Enterprise", "level": "high", "mrr_min": 30000}
            )

    def test_tagged_rule_overlaps_untagged_and_wins(self):
        partner_tag = self.env["res.partner.category"].create({"name": "Governo"})
        other_tag = self.env["res.partner.category"].create({"name": "Startup"})
        government = self.env["cs.touch.model"].create(
            {
                "name": "Government",
                "level": "high",
                "sequence": 99,
                "mrr_min": 0,
                "tag_ids": [Command.link(partner_tag.id)],
            }
        )
        with self.assertRaisesText(ValidationError, "overlap"):
            self.env["cs.touch.model"].create(
                {
                    "name": "Public sector",
                    "level": "mid",
                    "mrr_min": 100,
                    "tag_ids": [
                        Command.link(partner_tag.id),
                        Command.link(other_tag.id),
                    ],
                }
            )
        self.customer.category_id = partner_tag
        self.start(self.create_subscription(self.customer, 300))
        self.assertEqual(self.customer.touch_model_id, government)
        self.assertEqual(self.customer.touch_model_reason, "tag")

    def test_empty_or_negative_ranges_rejected(self):
        with self.assertRaisesText(ValidationError, "empty"):
            self.tm_high.mrr_max = 5000
        with self.assertRaises(ValidationError):
            self.tm_high.checkin_interval = 0
        with self.assertRaises(ValidationError):
            self.tm_high.max_accounts_per_csm = -1
        self.env.invalidate_all()
        self.assertEqual(self.tm_high.mrr_max, 50000)

    def test_subscription_start_assigns_touch_model_with_reason(self):
        subscription = self.create_subscription(self.customer, 3500)
        self.flush_tracking()
        self.assertFalse(
            self.customer.touch_model_id, "a draft subscription is no revenue"
        )
        self.start(
            subscription.with_context(tracking_disable=False, mail_notrack=False)
        )
        self.flush_tracking()
        self.assertEqual(self.customer.recurring_revenue, 3500)
        self.assertEqual(self.customer.touch_model_id, self.tm_mid)
        self.assertEqual(self.customer.touch_model_reason, "revenue")
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.customer.id),
            ]
        )
        self.assertTrue(
            {"touch_model_id", "touch_model_reason", "recurring_revenue"}
            <= set(tracked.mapped("field_id.name"))
        )

    def test_revenue_change_reassigns(self):
        subscription = self.create_subscription(self.customer, 3500)
        self.start(subscription)
        subscription.sale_subscription_line_ids = [
            Command.create({"product_id": self.product.id, "price_unit": 9000})
        ]
        self.assertEqual(self.customer.recurring_revenue, 12500)
        self.assertEqual(self.customer.touch_model_id, self.tm_high)

    def test_annual_plan_counts_as_monthly_revenue(self):
        self.start(self.create_subscription(self.customer, 12000, self.annual))
        self.assertAlmostEqual(self.customer.recurring_revenue, 1000)
        self.assertEqual(self.customer.touch_model_id, self.tm_low)

    def test_locked_model_survives_revenue_change(self):
        self.customer.with_user(self.user_cs_manager).touch_model_id = self.tm_high
        self.assertTrue(self.customer.touch_model_locked)
        self.start(self.create_subscription(self.customer, 100))
        self.assertEqual(self.customer.touch_model_id, self.tm_high)
        self.assertEqual(self.customer.touch_model_reason, "locked")
        self.customer.with_user(self.user_cs_manager).action_cs_unlock_touch_model()
        self.assertEqual(self.customer.touch_model_id, self.tm_tech)
        self.assertEqual(self.customer.touch_model_reason, "revenue")

    def test_cs_user_cannot_choose_or_lock_touch_model(self):
        self.customer.csm_id = self.user_cs
        customer = self.customer.with_user(self.user_cs)
        with self.assertRaisesText(UserError, "Only customer success managers"):
            customer.touch_model_id = self.tm_exclusive
        with self.assertRaisesText(UserError, "Only customer success managers"):
            customer.touch_model_locked = True
        self.env.invalidate_all()
        self.assertFalse(self.customer.touch_model_id)
        self.assertFalse(self.customer.touch_model_locked)

    def test_second_exclusive_customer_for_a_csm_rejected(self):
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True}
        )
        self.customer.write(
            {"csm_id": self.user_cs.id, "touch_model_id": self.tm_exclusive.id}
        )
        other.touch_model_id = self.tm_exclusive
        with self.assertRaisesText(ValidationError, "dedicated success manager"):
            other.csm_id = self.user_cs
        self.env.invalidate_all()
        self.assertFalse(other.csm_id)
        # a high-touch customer is fine for the same CSM
        other.write({"touch_model_id": self.tm_high.id, "csm_id": self.user_cs.id})
        self.assertEqual(other.csm_id, self.user_cs)

    def test_exclusive_rule_holds_across_portfolios(self):
        """A CS user cannot see the other portfolio, the rule still holds."""
        ipe = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "csm_id": self.user_cs.id}
        )
        ipe.touch_model_id = self.tm_exclusive
        self.customer.touch_model_id = self.tm_exclusive
        customer = self.customer.with_user(self.user_cs_other)
        with self.assertRaisesText(ValidationError, "dedicated success manager"):
            customer.csm_id = self.user_cs
        self.env.invalidate_all()
        self.assertFalse(self.customer.csm_id)

    def test_cs_user_duplicates_a_customer(self):
        self.customer.write(
            {"touch_model_id": self.tm_high.id, "csm_id": self.user_cs.id}
        )
        copy = self.customer.with_user(self.user_cs).copy()
        self.assertFalse(copy.touch_model_locked)
        self.assertFalse(copy.touch_model_id, "a copy has no subscription yet")

    def test_automatic_exclusive_waits_for_a_free_csm(self):
        exclusive = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "csm_id": self.user_cs.id}
        )
        exclusive.touch_model_id = self.tm_exclusive
        self.customer.csm_id = self.user_cs
        self.start(self.create_subscription(self.customer, 20000))
        self.assertEqual(self.customer.touch_model_id, self.tm_high)
        subscription = self.customer.cs_subscription_ids
        subscription.sale_subscription_line_ids.price_unit = 80000
        self.assertEqual(self.customer.touch_model_id, self.tm_high)
        self.assertEqual(self.customer.touch_model_reason, "exclusive_taken")
        self.customer.csm_id = self.user_cs_other
        subscription.sale_subscription_line_ids.price_unit = 81000
        self.assertEqual(self.customer.touch_model_id, self.tm_exclusive)

    def test_touch_model_dunning_policy_applies(self):
        policy = self.env["cs.dunning.policy"].create(
            {
                "name": "High-touch billing",
                "step_ids": [
                    Command.create(
                        {"name": "Call", "offset_days": 1, "action": "activity"}
                    )
                ],
            }
        )
        self.tm_high.dunning_policy_id = policy
        self.customer.with_user(self.user_cs_manager).touch_model_id = self.tm_high
        self.assertEqual(self.customer._cs_get_dunning_policy(self.company), policy)
        own = self.env["cs.dunning.policy"].create(
            {
                "name": "Own",
                "step_ids": [
                    Command.create(
                        {"name": "Call", "offset_days": 2, "action": "activity"}
                    )
                ],
            }
        )
        self.customer.cs_dunning_policy_id = own
        self.assertEqual(self.customer._cs_get_dunning_policy(self.company), own)

    def test_dunning_policy_of_another_company_rejected(self):
        company = self.env["res.company"].create({"name": "Filial Recife"})
        policy = self.env["cs.dunning.policy"].create(
            {
                "name": "Recife",
                "company_id": company.id,
                "step_ids": [
                    Command.create(
                        {"name": "Call", "offset_days": 1, "action": "activity"}
                    )
                ],
            }
        )
        with self.assertRaisesText(ValidationError, "another company"):
            self.tm_mid.dunning_policy_id = policy

    def test_each_company_has_its_own_models_and_stages(self):
        company = self.env["res.company"].create({"name": "Filial Recife"})
        models = self.env["cs.touch.model"].search([("company_id", "=", company.id)])
        stages = self.env["cs.onboarding"]._get_stages(company)
        self.assertEqual(len(models), 5)
        self.assertEqual(len(stages), 9)
        self.assertFalse(models & self.tm_mid)
        self.assertEqual(
            stages.filtered("require_goal").task_template_ids.mapped("name"),
            self.stage["success"].task_template_ids.mapped("name"),
        )
        # editing one company's model leaves the other's alone
        models.filtered(lambda model: model.level == "mid").mrr_max = 8000
        self.assertEqual(self.tm_mid.mrr_max, 10000)
        # a customer of that company is assigned from its models
        customer = self.env["res.partner"].create(
            {"name": "Recife Cloud", "is_company": True, "company_id": company.id}
        )
        subscription = self.create_subscription(customer, 9000, company=company)
        self.start(subscription)
        # 9000 falls between that company's mid-touch (up to 8000) and
        # high-touch (from 10000): no rule fits
        self.assertFalse(customer.touch_model_id)
        self.assertEqual(customer.touch_model_reason, "no_rule")
        subscription.sale_subscription_line_ids.price_unit = 5000
        self.assertEqual(customer.touch_model_id.company_id, company)
        self.assertEqual(customer.touch_model_id.level, "mid")
        onboarding = customer.onboarding_ids
        self.assertEqual(onboarding.company_id, company)
        self.assertEqual(onboarding.stage_id, stages[0])
