# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.customer_success.tests.common import new_tour_user, tour_company_env


@tagged("post_install", "-at_install")
class TestSupportUi(HttpCase):
    """A success manager who does not work in the helpdesk opens the tickets
    of their customer from its form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = tour_company_env(cls.env)
        user = new_tour_user(
            env,
            "tour_cs_support",
            "customer_success.customer_success_group_user",
            name="Carla Souza",
        )
        other = new_test_user(
            env,
            login="tour_cs_support_other",
            groups="customer_success.customer_success_group_user",
        )
        Partner = env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Suporte Meu Ltda", "is_company": True, "csm_id": user.id}
        )
        theirs = Partner.create(
            {"name": "Suporte Deles Ltda", "is_company": True, "csm_id": other.id}
        )
        Ticket = env["helpdesk.ticket"]
        tickets = Ticket
        for partner, name, description, priority in (
            (cls.customer, "Painel fora do ar", "O painel não abre desde cedo.", "3"),
            (cls.customer, "Relatório lento", "O relatório demora.", "1"),
            (theirs, "Outro cliente", "Não é seu.", "1"),
        ):
            tickets |= Ticket.create(
                {
                    "name": name,
                    "description": f"<p>{description}</p>",
                    "partner_id": partner.id,
                    "priority": priority,
                }
            )
        # the urgent one opened 20 days ago; the customer's health of today
        # on support alone: 100 - 20 (urgent) - 10 (open) - 15 (20 days)
        Ticket._cs_demo_set_opened({tickets[0].id: 20})
        Factor = env["cs.health.factor"]
        for factor in Factor.search([("company_id", "=", env.company.id)]):
            factor.weight = 10 if factor.code == "support" else 0
        cls.customer.action_cs_compute_health()

    def test_the_success_manager_opens_the_tickets_of_a_customer(self):
        self.assertEqual(self.customer.health_score, 55.0)
        self.assertEqual(self.customer.health_band, "yellow")
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "customer_success_helpdesk_support",
            login="tour_cs_support",
        )
