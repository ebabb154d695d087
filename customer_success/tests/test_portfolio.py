# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CustomerSuccessOnboardingCommon


@tagged("post_install", "-at_install")
class TestPortfolio(CustomerSuccessOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.mine = Partner.create(
            {
                "name": "Carteira Carla",
                "is_company": True,
                "csm_id": cls.user_cs.id,
                "touch_model_id": cls.tm_mid.id,
            }
        )
        cls.mine_contact = Partner.create(
            {"name": "Contato Carla", "parent_id": cls.mine.id}
        )
        cls.theirs = Partner.create(
            {
                "name": "Carteira Otávio",
                "is_company": True,
                "csm_id": cls.user_cs_other.id,
                "touch_model_id": cls.tm_mid.id,
            }
        )
        cls.theirs_contact = Partner.create(
            {"name": "Contato Otávio", "parent_id": cls.theirs.id}
        )
        cls.unassigned = Partner.create({"name": "Sem CSM", "is_company": True})
        cls.onboarding_theirs = cls.env["cs.onboarding"].create(
            {"partner_id": cls.theirs.id, "user_id": cls.user_cs_other.id}
        )
        cls.onboarding_mine = cls.env["cs.onboarding"].create(
            {"partner_id": cls.mine.id, "user_id": cls.user_cs_other.id}
        )
        cls.goal_theirs = cls.env["cs.success.goal"].create(
            {"partner_id": cls.theirs.id, "name": "Meta", "metric": "NPS"}
        )

    def test_cs_user_sees_and_edits_own_portfolio_only(self):
        Partner = self.env["res.partner"].with_user(self.user_cs)
        visible = Partner.search(
            [
                (
                    "id",
                    "in",
                    (
                        self.mine
                        | self.theirs
                        | self.unassigned
                        | self.mine_contact
                        | self.theirs_contact
                    ).ids,
                )
            ]
        )
        self.assertEqual(visible, self.mine | self.mine_contact | self.unassigned)
        self.mine.with_user(self.user_cs).write({"comment": "Visita em junho"})
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.user_cs).write({"comment": "Não é meu"})
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.user_cs).read(["name"])
        self.assertFalse(self.theirs.comment)

    def test_cs_user_sees_onboardings_and_goals_of_own_portfolio(self):
        Onboarding = self.env["cs.onboarding"].with_user(self.user_cs)
        self.assertEqual(
            Onboarding.search(
                [("id", "in", (self.onboarding_mine | self.onboarding_theirs).ids)]
            ),
            self.onboarding_mine,
        )
        self.assertFalse(
            self.env["cs.success.goal"]
            .with_user(self.user_cs)
            .search([("id", "=", self.goal_theirs.id)])
        )
        # the onboarding lead sees the onboarding of a customer not theirs
        self.assertEqual(
            self.env["cs.onboarding"]
            .with_user(self.user_cs_other)
            .search(
                [("id", "in", (self.onboarding_mine | self.onboarding_theirs).ids)]
            ),
            self.onboarding_mine | self.onboarding_theirs,
        )

    def test_cs_user_sees_subscriptions_of_own_portfolio(self):
        subscriptions = self.create_subscription(self.mine, 100) | (
            self.create_subscription(self.theirs, 200)
        )
        visible = (
            self.env["sale.subscription"]
            .with_user(self.user_cs)
            .search([("id", "in", subscriptions.ids)])
        )
        self.assertEqual(visible.partner_id, self.mine)
        self.assertEqual(
            self.env["sale.subscription"]
            .with_user(self.user_accountant)
            .search([("id", "in", subscriptions.ids)]),
            subscriptions,
        )

    def test_manager_and_billing_see_every_customer(self):
        everyone = self.mine | self.theirs | self.unassigned
        for user in (self.user_cs_manager, self.user_accountant):
            self.assertEqual(
                self.env["res.partner"]
                .with_user(user)
                .search([("id", "in", everyone.ids)]),
                everyone,
            )

    def test_portfolio_flags_csm_over_capacity(self):
        self.tm_mid.max_accounts_per_csm = 1
        extra = self.env["res.partner"].create(
            {
                "name": "Segunda Carla",
                "is_company": True,
                "csm_id": self.user_cs.id,
                "touch_model_id": self.tm_mid.id,
            }
        )
        self.env.flush_all()
        self.assertTrue(extra.csm_over_capacity)
        self.assertFalse(self.theirs.csm_over_capacity)
        lines = self.env["cs.portfolio.report"].search(
            [
                ("touch_model_id", "=", self.tm_mid.id),
                ("user_id", "in", (self.user_cs | self.user_cs_other).ids),
            ]
        )
        by_user = {line.user_id: line for line in lines}
        self.assertEqual(by_user[self.user_cs].customer_count, 2)
        self.assertTrue(by_user[self.user_cs].over_capacity)
        self.assertFalse(by_user[self.user_cs_other].over_capacity)
        # a CS user sees only their own lines
        own = self.env["cs.portfolio.report"].with_user(self.user_cs).search([])
        self.assertEqual(own.user_id, self.user_cs)
        action = by_user[self.user_cs].action_view_customers()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.mine | extra
        )

    def test_portfolio_counts_checkins_and_onboardings(self):
        self.mine.activity_schedule(
            "customer_success.mail_activity_type_cs_checkin", user_id=self.user_cs.id
        )
        self.env.flush_all()
        line = self.env["cs.portfolio.report"].search(
            [("user_id", "=", self.user_cs.id), ("touch_model_id", "=", self.tm_mid.id)]
        )
        self.assertEqual(line.open_checkin_count, 1)
        self.assertEqual(line.onboarding_count, 1)
        self.assertEqual(self.mine.open_checkin_count, 1)
