# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_cs = new_test_user(
            cls.env,
            login="tour_cs_user",
            password="tour_cs_user",
            name="Carla Souza",
            groups="customer_success.customer_success_group_user",
        )
        cls.env["res.partner"].create(
            {
                "name": "Tour Hosting Ltda",
                "is_company": True,
                "csm_id": cls.user_cs.id,
            }
        )

    def test_cs_user_opens_the_app(self):
        self.start_tour("/odoo", "customer_success_open_app", login="tour_cs_user")


@tagged("post_install", "-at_install")
class TestOnboardingUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_lead = new_test_user(
            cls.env,
            login="tour_onboarder",
            password="tour_onboarder",
            name="Olívia Braga",
            groups="customer_success.customer_success_group_user",
        )
        cls.user_csm = new_test_user(
            cls.env,
            login="tour_csm",
            name="Otávio Lima",
            groups="customer_success.customer_success_group_user",
        )
        customer = cls.env["res.partner"].create(
            {
                "name": "Tour Onboarding Ltda",
                "is_company": True,
                "csm_id": cls.user_csm.id,
            }
        )
        contact = cls.env["res.partner"].create(
            {
                "name": "Rita Lopes",
                "parent_id": customer.id,
                "email": "rita@tour.example.com",
            }
        )
        cls.onboarding = cls.env["cs.onboarding"].create(
            {
                "partner_id": customer.id,
                "user_id": cls.user_lead.id,
                "stage_id": cls.env.ref(
                    "customer_success.cs_onboarding_stage_planning"
                ).id,
                "activation_date": "2026-05-25",
                "stakeholder_ids": [
                    Command.create(
                        {
                            "partner_id": customer.id,
                            "contact_id": contact.id,
                            "role": "decision_maker",
                        }
                    )
                ],
            }
        )
        cls.env["cs.success.goal"].create(
            {"partner_id": customer.id, "name": "Uptime", "metric": "Uptime (%)"}
        )

    def test_drag_onboarding_to_handoff(self):
        self.start_tour(
            "/odoo/action-customer_success.cs_onboarding_action",
            "customer_success_onboarding_handoff",
            login="tour_onboarder",
        )
        self.assertEqual(self.onboarding.state, "done")
        self.assertEqual(
            self.onboarding.stage_id,
            self.env.ref("customer_success.cs_onboarding_stage_handoff"),
        )
        self.assertEqual(self.onboarding.handoff_id.csm_id, self.user_csm)
        self.assertTrue(self.onboarding.handoff_id.intro_sent)
