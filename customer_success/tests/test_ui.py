# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import new_tour_user, tour_company_env


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_cs = new_tour_user(
            cls.env,
            "tour_cs_user",
            "customer_success.customer_success_group_user",
            name="Carla Souza",
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
        cls.user_lead = new_tour_user(
            cls.env,
            "tour_onboarder",
            "customer_success.customer_success_group_user",
            name="Olívia Braga",
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


@tagged("post_install", "-at_install")
class TestNpsUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_csm = new_tour_user(
            cls.env,
            "tour_nps_csm",
            "customer_success.customer_success_group_user",
            name="Carla Souza",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour NPS Ltda",
                "is_company": True,
                "email": "contato@tour-nps.example.com",
                "csm_id": cls.user_csm.id,
            }
        )
        campaign = cls.env["cs.nps.campaign"].create(
            {
                "name": "Tour periodic",
                "kind": "periodic",
                "delay_days": 30,
                "survey_id": cls.env.ref("customer_success.survey_cs_nps").id,
            }
        )
        cls.invitation = campaign._invite(date.today(), cls.customer)

    def test_contact_answers_through_the_token_link(self):
        self.assertEqual(len(self.invitation), 1)
        self.start_tour(self.invitation.get_start_url(), "customer_success_nps_answer")
        response = self.env["cs.nps.response"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(response.score, 9)
        self.assertEqual(response.category, "promoter")
        self.assertEqual(response.comment, "O suporte resolve tudo no mesmo dia")
        self.assertEqual(response.user_input_id, self.invitation)
        self.assertEqual(self.customer.nps_last_score, 9)
        # the same token cannot answer again
        survey = self.invitation.survey_id
        result = self.make_jsonrpc_request(
            f"/survey/submit/{survey.access_token}/{self.invitation.access_token}",
            {"question_id": False, "page_id": False},
        )
        self.assertEqual(result[1], {"error": "unauthorized"})
        # nor can a guessed one
        result = self.make_jsonrpc_request(
            f"/survey/submit/{survey.access_token}/{uuid.uuid4()}", {}
        )
        self.assertEqual(result[1], {"error": "token_wrong"})
        self.assertEqual(
            self.env["cs.nps.response"].search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            1,
        )
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "customer_success_nps_on_customer",
            login="tour_nps_csm",
        )


@tagged("post_install", "-at_install")
class TestDashboardUi(AccountTestInvoicingHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = tour_company_env(cls.env)
        company = env.company
        cls.manager = new_tour_user(
            env,
            "tour_cs_dashboard",
            "customer_success.customer_success_group_manager,"
            "account.group_account_invoice",
            name="Marina Costa",
        )
        Partner = env["res.partner"]
        red, steady = Partner.create(
            [
                {
                    "name": "Painel Vermelho Ltda",
                    "is_company": True,
                    "csm_id": cls.manager.id,
                },
                {"name": "Estável Cloud", "is_company": True, "csm_id": cls.manager.id},
            ]
        )
        red.write(
            {
                "health_score": 31.0,
                "health_band": "red",
                "health_at_risk": True,
                "health_reason_data": [
                    {"code": "nps_detractor", "score": 2},
                    {"code": "overdue", "count": 1},
                ],
                "health_date": date.today(),
            }
        )
        month = date.today().replace(day=1)
        Movement = env["cs.mrr.movement"]
        Movement._write_month(
            company, month - relativedelta(months=1), {red: (1000.0, 0.0)}
        )
        Movement._write_month(
            company, month, {red: (1200.0, 0.0), steady: (350.0, 0.0)}
        )
        env["cs.nps.response"].create(
            [
                {"partner_id": red.id, "score": 2, "company_id": company.id},
                # last month at NPS 0 (one passive), not a month without answers
                {
                    "partner_id": steady.id,
                    "score": 7,
                    "company_id": company.id,
                    "date": month - relativedelta(days=10),
                },
            ]
        )
        policy = env["cs.dunning.policy"].search(
            [("company_id", "=", company.id)], limit=1
        )
        if not policy:
            policy = env["cs.dunning.policy"].create(
                {
                    "name": "Tour",
                    "company_id": company.id,
                    "step_ids": [
                        Command.create(
                            {
                                "name": "First overdue notice",
                                "offset_days": 3,
                                "action": "activity",
                            }
                        )
                    ],
                }
            )
        invoice = cls.init_invoice(
            "out_invoice", partner=red, amounts=[500.0], post=True
        )
        invoice.sudo().cs_dunning_step_id = policy.step_ids[:1]
        env["cs.onboarding"].create(
            {
                "partner_id": steady.id,
                "user_id": cls.manager.id,
                "company_id": company.id,
            }
        )

    def test_dashboard_cards_open_their_records(self):
        self.start_tour(
            "/odoo/action-customer_success.cs_dashboard_action",
            "customer_success_dashboard",
            login="tour_cs_dashboard",
        )


class HealthUiCommon(HttpCase):
    """A success manager's portfolio: a green, a yellow, a red customer and
    one never scored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = tour_company_env(cls.env)
        cls.manager = new_tour_user(
            env,
            "tour_cs_health",
            "customer_success.customer_success_group_manager",
            name="Marina Costa",
        )
        Partner = env["res.partner"]
        green, yellow, red, _never = Partner.create(
            [
                {"name": name, "is_company": True, "csm_id": cls.manager.id}
                for name in (
                    "Verde Ltda",
                    "Amarelo Hospedagem",
                    "Vermelho Cloud",
                    "Sem Nota Ltda",
                )
            ]
        )
        cls.bands = {}
        for customer, band, score, reasons in (
            (green, "green", 85.0, False),
            (yellow, "yellow", 62.0, [{"code": "nps_detractor", "score": 4}]),
            (red, "red", 30.0, [{"code": "overdue", "count": 1}]),
        ):
            customer.write(
                {
                    "health_score": score,
                    "health_band": band,
                    "health_at_risk": band == "red" or bool(reasons),
                    "health_reason_data": reasons,
                    "health_date": date.today(),
                }
            )
            cls.bands[band] = customer


@tagged("post_install", "-at_install")
class TestHealthUi(HealthUiCommon):
    def test_never_scored_customers_and_the_band_banner(self):
        self.start_tour(
            "/odoo/action-customer_success.res_partner_action_customers",
            "customer_success_health_display",
            login="tour_cs_health",
        )


@tagged("post_install", "-at_install")
class TestHealthChartsUi(HealthUiCommon):
    """Health History and MRR movements: axes and colours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)
        company = cls.env.company
        today = date.today()
        # four weeks of history, the sum of the bands far above 100
        env["cs.health.snapshot"].create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "date": today - relativedelta(weeks=weeks),
                    "score": customer.health_score,
                    "band": band,
                }
                for band, customer in cls.bands.items()
                for weeks in range(4)
            ]
            # six weeks ago, no yellow or red customer yet
            + [
                {
                    "partner_id": cls.bands["green"].id,
                    "company_id": company.id,
                    "date": today - relativedelta(weeks=6),
                    "score": 85.0,
                    "band": "green",
                }
            ]
        )
        # last month one customer paid; this month it left and another came
        month = today.replace(day=1)
        Movement = env["cs.mrr.movement"]
        Movement._write_month(
            company, month - relativedelta(months=1), {cls.bands["green"]: (500.0, 0.0)}
        )
        Movement._write_month(company, month, {cls.bands["yellow"]: (300.0, 0.0)})

    def test_health_history_is_not_stacked_and_coloured_by_band(self):
        self.start_tour(
            "/odoo/action-customer_success.cs_health_snapshot_action",
            "customer_success_health_history_chart",
            login="tour_cs_health",
        )

    def test_mrr_movements_draw_churn_red(self):
        self.start_tour(
            "/odoo/action-customer_success.cs_mrr_movement_action",
            "customer_success_mrr_movements_chart",
            login="tour_cs_health",
        )


@tagged("post_install", "-at_install")
class TestPortal(AccountTestInvoicingHttpCommon):
    """The portal shows a customer its invoices and surveys, and nothing of
    the customer success team's work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)
        Partner = env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Cliente do Portal",
                "is_company": True,
                "email": "c@portal.example.com",
            }
        )
        cls.customer.write(
            {
                "health_score": 22.0,
                "health_band": "red",
                "health_at_risk": True,
                "health_reason_data": [
                    {"code": "text", "text": "Segredo de saude do cliente"}
                ],
            }
        )
        cls.customer.message_post(
            body="Nota interna do CSM", subtype_xmlid="mail.mt_note"
        )
        cls.portal_user = new_test_user(
            env,
            login="cs_portal_contact",
            password="cs_portal_contact",
            name="Rita Portal",
            email="rita@portal.example.com",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        other = Partner.create({"name": "Outro Cliente", "is_company": True})
        env["cs.nps.response"].create(
            {
                "partner_id": other.id,
                "score": 1,
                "comment": "Comentario de outro cliente",
            }
        )
        env["cs.nps.response"].create(
            {
                "partner_id": cls.customer.id,
                "score": 3,
                "comment": "Comentario interno avaliado",
            }
        )
        campaign = env["cs.nps.campaign"].create(
            {
                "name": "Portal",
                "kind": "periodic",
                "delay_days": 30,
                "survey_id": env.ref("customer_success.survey_cs_nps").id,
            }
        )
        cls.invitation = campaign._invite(date.today(), cls.portal_user.partner_id)
        cls.invoice = cls.init_invoice(
            "out_invoice", partner=cls.customer, amounts=[750.0], post=True
        )

    def test_portal_shows_invoices_and_surveys_and_nothing_internal(self):
        self.assertEqual(len(self.invitation), 1)
        self.authenticate("cs_portal_contact", "cs_portal_contact")
        pages = {}
        for url in (
            "/my/home",
            "/my/invoices",
            "/my/surveys",
            f"/my/invoices/{self.invoice.id}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            pages[url] = response.text
        self.assertIn(self.invoice.name, pages["/my/invoices"])
        self.assertIn("How are we doing?", pages["/my/surveys"])
        self.assertIn(self.invitation.access_token, pages["/my/surveys"])
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["cs_survey_count"]}
        )
        self.assertEqual(counters["cs_survey_count"], 1)
        for url, html in pages.items():
            for secret in (
                "Segredo de saude",
                "Nota interna do CSM",
                "Comentario de outro cliente",
                "Comentario interno avaliado",
            ):
                with self.subTest(url=url, secret=secret):
                    self.assertNotIn(secret, html)


@tagged("post_install", "-at_install")
class TestHealthValidationUi(HttpCase):
    """A manager opens Health Validation and drills down from the red churn
    rate to those customers. Two red customers at a month-end four months
    ago both churned the month after; of two green ones, one did."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = tour_company_env(cls.env)
        cls.manager = new_tour_user(
            env,
            "tour_cs_validation",
            "customer_success.customer_success_group_manager",
            name="Marina Costa",
        )
        month_end = date.today().replace(day=1) - relativedelta(months=4, days=1)
        churn_month = month_end + relativedelta(days=1)
        customers = env["res.partner"].create(
            [
                {"name": name, "is_company": True, "csm_id": cls.manager.id}
                for name in ("Vermelho Um", "Vermelho Dois", "Verde Um", "Verde Dois")
            ]
        )
        company = env.company
        # sudo: the daily health and revenue runs write these
        env["cs.health.snapshot"].sudo().create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "date": month_end,
                    "band": band,
                    "score": score,
                    "factor_scores": {"usage": {"score": score, "weight": 100.0}},
                }
                for customer, band, score in zip(
                    customers,
                    ("red", "red", "green", "green"),
                    (20, 30, 80, 90),
                    strict=True,
                )
            ]
        )
        env["cs.mrr.movement"].sudo().create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "month": churn_month,
                    "movement": "churn",
                    "churned": 1,
                }
                for customer in customers[:3]
            ]
        )

    def test_manager_drills_down_from_the_red_churn_rate(self):
        self.start_tour(
            "/odoo/action-customer_success.cs_health_validation_report_action",
            "customer_success_health_validation",
            login="tour_cs_validation",
        )
