# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo.tests import Form, tagged

from .common import SupportCommon


@tagged("post_install", "-at_install")
class TestSupportFactor(SupportCommon):
    """The support factor of the health score, from the customer's tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscribe(start=cls.today - timedelta(days=120))

    def test_every_company_has_the_support_factor_and_weights_of_100(self):
        # the shipped weights made room for it: usage 25 -> 20, engagement
        # 15 -> 10, support 10
        factors = self.env["cs.health.factor"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        weights = {factor.code: factor.weight for factor in factors}
        self.assertEqual(weights["support"], 10)
        self.assertEqual(sum(weights.values()), 100)
        other = self.env["res.company"].create({"name": "Segunda Nuvem"})
        copied = self.env["cs.health.factor"].search(
            [("company_id", "=", other.id), ("code", "=", "support")]
        )
        self.assertEqual(copied.weight, 10)

    def test_a_changed_company_keeps_its_weights(self):
        company = self.env["res.company"].create({"name": "Terceira Nuvem"})
        Factor = self.env["cs.health.factor"]
        factors = Factor.search([("company_id", "=", company.id)])
        factors.filtered(lambda factor: factor.code == "support").unlink()
        weights = {"usage": 40, "nps": 20, "payment": 20, "engagement": 10}
        for factor in factors.exists():
            factor.weight = weights.get(factor.code, 5)
        company._cs_setup_support_factor()
        after = {
            factor.code: factor.weight
            for factor in Factor.search([("company_id", "=", company.id)])
        }
        self.assertEqual(after["usage"], 40)
        self.assertEqual(after["engagement"], 10)
        self.assertEqual(after["support"], 10)
        # the settings say the weights are normalised
        self.assertIn("sum to 110", Factor._weight_warning(company))

    def test_a_customer_without_tickets_has_no_support_data(self):
        # quiet is not a score: its weight goes to the other factors
        self.open_ticket(days_ago=70, closed=True)
        data = self.score()
        self.assertIsNone(data["score"])
        self.assertEqual(data["effective"], 0.0)

    def test_score_and_reasons_worked_out(self):
        """Open: one urgent (Very High) for 20 days, two normal; closed: one
        opened 5 days ago; one opened 40 days ago (closed).

        - two normal open tickets: -20 (10 each, at most 30);
        - one urgent open ticket: -20 (at most 40);
        - opened in the last 30 days: 4 (the urgent one, the two normal and
          the closed one of 5 days), against 1 in the 30 before: rising, -15;
        - the oldest open ticket, 20 days > 14: -15.
        100 - 20 - 20 - 15 - 15 = 30."""
        self.only_support()
        self.open_ticket(priority="3", days_ago=20)
        self.open_ticket(days_ago=3)
        self.open_ticket(priority="0", days_ago=1)
        self.open_ticket(priority="2", days_ago=5, closed=True)
        self.open_ticket(days_ago=40, closed=True)
        data = self.score()
        self.assertEqual(data["score"], 30.0)
        self.assertEqual(self.customer.health_score, 30.0)
        self.assertEqual(self.customer.health_band, "red")
        self.assertEqual(
            self.customer.with_context(lang="en_US").health_reasons,
            "1 urgent ticket open; 3 tickets open; 4 tickets in 30 days, against "
            "1 the 30 before; a ticket open for 20 days",
        )
        # the snapshot keeps the factor's score in its own column
        snapshot = self.customer.health_snapshot_ids.filtered(
            lambda snap: snap.date == self.today
        )
        self.assertEqual(snapshot.support_score, 30.0)
        lines = self.env["cs.health.factor.report"].search(
            [("snapshot_id", "=", snapshot.id), ("factor", "=", "support")]
        )
        self.assertEqual(lines.score, 30.0)

    def test_urgent_tickets_floor_and_plural(self):
        # three urgent open tickets: -40 at most, "3 urgent tickets open"
        self.only_support()
        for _index in range(3):
            self.open_ticket(priority="2", days_ago=40)
        data = self.score()
        # -40 urgent, -15 open for 40 days; no rise (none in the last 30)
        self.assertEqual(data["score"], 45.0)
        self.assertIn(
            "3 urgent tickets open",
            self.customer.with_context(lang="en_US").health_reasons,
        )

    def test_ticket_through_the_helpdesk_form_changes_the_next_score(self):
        # NPS 8 (80) and support weigh alike. Yesterday the customer had no
        # ticket: support had no data, the score was the NPS's.
        self.weigh(
            usage=0,
            nps=10,
            payment=0,
            engagement=0,
            onboarding=0,
            sentiment=0,
            support=10,
        )
        self.nps(8, on=self.day(-3))
        self.run_health(self.day(-1))
        self.assertEqual(self.customer.health_score, 80.0)
        # the customer's contact calls; the agent opens the ticket
        form = Form(self.env["helpdesk.ticket"].with_user(self.user_agent))
        form.name = "Painel não carrega"
        form.description = "<p>O painel fica em branco desde ontem.</p>"
        form.partner_id = self.contact
        form.priority = "3"
        ticket = form.save()
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.run_health(self.now)
        # support: 100 - 20 (one urgent open) = 80
        self.assertEqual(self.customer.health_factor_scores["support"]["score"], 80.0)
        self.assertIn(
            "1 urgent ticket open",
            self.customer.with_context(lang="en_US").health_reasons,
        )
        form = Form(self.env["helpdesk.ticket"].with_user(self.user_agent))
        form.name = "Dúvida sobre a fatura"
        form.description = "<p>Qual é o vencimento?</p>"
        form.partner_id = self.contact
        form.save()
        # a second, normal one: support 100 - 20 - 10 = 70; (80 + 70) / 2
        self.customer.action_cs_compute_health()
        self.assertEqual(self.customer.health_score, 75.0)

    def test_reasons_in_the_readers_language_and_searchable(self):
        self._activate_lang("pt_BR")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_success_helpdesk"], ["pt_BR"], overwrite=True
        )
        self.only_support()
        self.open_ticket(priority="3")
        self.open_ticket(priority="3")
        self.score()
        self.assertEqual(
            self.customer.with_context(lang="pt_BR").health_reasons,
            "2 chamados urgentes abertos",
        )
        Partner = self.env["res.partner"]
        self.assertIn(
            self.customer,
            Partner.with_context(lang="en_US").search(
                [("health_reasons", "ilike", "urgent tickets")]
            ),
        )
        self.assertIn(
            self.customer,
            Partner.with_context(lang="pt_BR").search(
                [("health_reasons", "ilike", "chamados urgentes")]
            ),
        )

    def test_queries_do_not_grow_with_the_customers(self):
        customers = self.customer
        for index in range(10):
            customer = self.customer.copy({"name": f"Cliente {index}"})
            self.open_ticket(partner=customer, priority="2", days_ago=index)
            customers |= customer
        factor = self.factors["support"]

        def scored(partners):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            result = factor._score(partners, self.today)
            return self.cr.sql_log_count - before, result

        scored(customers)  # warm the registry's caches (rules, fields)
        few_queries, few = scored(customers[:2])
        many_queries, many = scored(customers)
        # the closing stages, the open tickets by priority, the two windows
        # of 30 days
        self.assertEqual(few_queries, many_queries)
        self.assertLessEqual(many_queries, 4)
        self.assertEqual(few[customers[1]], many[customers[1]])
        self.assertEqual(many[customers[-1]][0], 80.0)
