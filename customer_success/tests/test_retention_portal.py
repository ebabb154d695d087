# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Retention from the portal: a customer's decision maker pauses or cancels a
plan and is offered a way to stay (browser tours), and what the portal lets
nobody else do (HTTP requests)."""

from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import html

from odoo import SUPERUSER_ID, Command, fields, http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import _commit_as_savepoint, tour_company_env


class RetentionPortalCommon(HttpCase):
    """Three plans of one product line, a monthly template, and a customer
    with a success manager, a decision maker on the portal and a running Pro
    subscription paid a month ahead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.object(
                type(cls.env["ir.cron"]), "_commit_progress", _commit_as_savepoint
            )
        )
        env = tour_company_env(cls.env)
        cls.company = env.company
        cls.company.cs_retention_pause_months = 3
        category = env["product.category"].create({"name": "Hospedagem (planos)"})
        cls.plans = {
            name: env["product.product"].create(
                {
                    "name": name,
                    "type": "service",
                    "subscribable": True,
                    "sale_ok": True,
                    "categ_id": category.id,
                    "list_price": price,
                    "taxes_id": [Command.clear()],
                }
            )
            for name, price in (("Start", 390.0), ("Pro", 890.0), ("Business", 1490.0))
        }
        cls.pricelist = env["product.pricelist"].create(
            {"name": "Planos", "currency_id": cls.company.currency_id.id}
        )
        cls.monthly = env["sale.subscription.template"].create(
            {"name": "Mensal", "recurring_rule_type": "months", "recurring_interval": 1}
        )
        cls.csm = new_test_user(
            env,
            login="cs_retention_csm",
            name="Carla Souza",
            email="carla@empresa.example.com",
            groups="customer_success.customer_success_group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.offer_pause = env.ref("customer_success.cs_retention_offer_pause")
        cls.reason_price = env.ref("customer_success.survey_cs_nps_exit_a_price")
        cls.reason_competitor = env.ref(
            "customer_success.survey_cs_nps_exit_a_competitor"
        )
        cls.customer, cls.decision_maker, cls.subscription = cls.create_customer(
            env, "Nuvem Alta Hospedagem", "cs_retention_dm"
        )

    @classmethod
    def create_customer(cls, env, name, login):
        """A customer followed by the success manager, its decision maker on
        the portal (password: the login) and its running Pro subscription."""
        customer = env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"contato@{login}.example.com",
                "csm_id": cls.csm.id,
            }
        )
        user = cls.create_portal_user(env, customer, login)
        env["cs.stakeholder"].create(
            {
                "partner_id": customer.id,
                "contact_id": user.partner_id.id,
                "role": "decision_maker",
            }
        )
        return customer, user, cls.create_subscription(env, customer)

    @classmethod
    def create_portal_user(cls, env, customer, login):
        user = new_test_user(
            env,
            login=login,
            password=login,
            name=login.replace("_", " ").title(),
            email=f"{login}@example.com",
            groups="base.group_portal",
        )
        user.partner_id.parent_id = customer
        return user

    @classmethod
    def create_subscription(cls, env, customer):
        subscription = env["sale.subscription"].create(
            {
                "partner_id": customer.id,
                "company_id": cls.company.id,
                "template_id": cls.monthly.id,
                "pricelist_id": cls.pricelist.id,
                "sale_subscription_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.plans["Pro"].id,
                            "price_unit": 890.0,
                            "product_uom_qty": 1,
                        }
                    )
                ],
            }
        )
        subscription.action_start_subscription()
        # the first month is invoiced: paid until the same day next month
        subscription.recurring_next_date = fields.Date.today() + relativedelta(months=1)
        env.flush_all()
        return subscription

    def requests(self, subscription):
        self.env.invalidate_all()
        return self.env["cs.retention.request"].search(
            [("subscription_id", "=", subscription.id)]
        )

    def csm_activities(self, record):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("user_id", "=", self.csm.id),
            ]
        )

    def run_cron(self, model, method, on):
        """Run ``method`` of ``model`` as ir.cron would, on day ``on``."""
        self.env.flush_all()
        with freeze_time(on):
            getattr(self.env[model].with_user(SUPERUSER_ID), method)()
            self.env.flush_all()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestRetentionPortalTours(RetentionPortalCommon):
    def test_decision_maker_takes_the_pause_offer(self):
        today = fields.Date.today()
        next_date = self.subscription.recurring_next_date
        self.start_tour(
            "/my/subscriptions",
            "customer_success_retention_pause",
            login="cs_retention_dm",
        )
        request = self.requests(self.subscription)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "saved")
        self.assertEqual(request.offer_id, self.offer_pause)
        self.assertEqual(request.offer_kind, "pause")
        self.assertEqual(request.pause_months, 2)
        self.assertEqual(request.reason_id, self.reason_price)
        self.assertEqual(request.contact_id, self.decision_maker.partner_id)
        subscription = self.subscription
        self.assertTrue(subscription.is_paused)
        self.assertEqual(subscription.paused_until, today + relativedelta(months=2))
        self.assertEqual(
            subscription.recurring_next_date, next_date + relativedelta(months=2)
        )
        # nothing is closed
        self.assertEqual(subscription.stage_id.type, "in_progress")
        self.assertFalse(subscription.cs_cancel_date)
        self.assertTrue(self.csm_activities(request))

    def test_decision_maker_declines_every_offer(self):
        other, _user, subscription = self.create_customer(
            self.env, "Estável Cloud", "cs_retention_leaver"
        )
        month = fields.Date.today().replace(day=1)
        cancel_date = subscription.recurring_next_date
        self.start_tour(
            "/my/subscriptions",
            "customer_success_retention_decline",
            login="cs_retention_leaver",
        )
        request = self.requests(subscription)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.reason_id, self.reason_competitor)
        self.assertEqual(request.competitor, "Concorrente Cloud")
        self.assertEqual(request.cancel_date, cancel_date)
        # active until the end of the period paid
        self.assertEqual(subscription.cs_cancel_date, cancel_date)
        self.assertEqual(subscription.stage_id.type, "in_progress")
        self.assertFalse(self.requests(self.subscription))
        # this month's revenue, as the monthly run records it
        self.run_cron("cs.mrr.movement", "_cron_cs_mrr", fields.Date.today())
        self.run_cron("cs.retention.request", "_cron_cs_retention", cancel_date)
        self.assertEqual(subscription.stage_id.type, "post")
        self.assertEqual(subscription.cs_close_date, cancel_date)
        self.assertEqual(subscription.cs_exit_reason, "We chose another provider")
        self.assertEqual(subscription.cs_exit_competitor, "Concorrente Cloud")
        self.assertEqual(subscription.cs_mrr, 0.0)
        self.run_cron("cs.mrr.movement", "_cron_cs_mrr", cancel_date)
        movements = self.env["cs.mrr.movement"].search(
            [("partner_id", "=", other.id), ("company_id", "=", self.company.id)]
        )
        churn_month = cancel_date.replace(day=1)
        # paid a month ahead: it churns the month after
        self.assertEqual(
            {(row.month, row.movement) for row in movements},
            {(month, "new"), (churn_month, "churn")},
        )
        churn = movements.filtered(lambda row: row.month == churn_month)
        self.assertEqual(churn.churned, 1)
        self.assertEqual(churn.churn_mrr, -890.0)
        # the customer that stayed did not churn
        self.assertFalse(
            self.env["cs.mrr.movement"].search(
                [("partner_id", "=", self.customer.id), ("movement", "=", "churn")]
            )
        )

    def test_high_touch_customer_is_called_first(self):
        self.customer.write(
            {
                "touch_model_locked": True,
                "touch_model_id": self.env.ref(
                    "customer_success.cs_touch_model_high"
                ).id,
            }
        )
        self.env.flush_all()
        self.assertTrue(self.customer.touch_model_id.cs_retention_csm_first)
        self.start_tour(
            "/my/subscriptions",
            "customer_success_retention_csm_first",
            login="cs_retention_dm",
        )
        request = self.requests(self.subscription)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "requested")
        self.assertTrue(request.csm_first)
        self.assertTrue(request.csm_deadline)
        self.assertFalse(request.offer_id)
        call = self.csm_activities(request)
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.date_deadline, request.csm_deadline)
        self.assertFalse(self.subscription.cs_cancel_date)
        self.assertFalse(self.subscription.is_paused)


@tagged("post_install", "-at_install")
class TestRetentionPortalSecurity(RetentionPortalCommon):
    """What the portal refuses: contacts without the role, other customers,
    forged and replayed forms, and terms the company does not offer."""

    BUTTONS = ("o_cs_pause", "o_cs_change_plan", "o_cs_cancel")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)
        cls.colleague = cls.create_portal_user(env, cls.customer, "cs_retention_user")
        # a contact of the customer in another role
        env["cs.stakeholder"].create(
            {
                "partner_id": cls.customer.id,
                "contact_id": cls.colleague.partner_id.id,
                "role": "champion",
            }
        )
        cls.stranger_customer, cls.stranger, cls.stranger_subscription = (
            cls.create_customer(env, "Outro Cliente", "cs_retention_stranger")
        )
        env.flush_all()

    def login(self, user):
        self.authenticate(user.login, user.login)

    def post(self, path, data, csrf=True):
        if csrf:
            data = dict(data, csrf_token=http.Request.csrf_token(self))
        return self.url_open(path, data=data, method="POST")

    def url(self, subscription, path=""):
        return f"/my/subscriptions/{subscription.id}{path}"

    def classes(self, response):
        """The CSS classes of the page's elements."""
        tree = html.fromstring(response.content)
        return {
            name
            for element in tree.xpath("//*[@class]")
            for name in element.get("class").split()
        }

    def assertUntouched(self, subscription):
        self.assertFalse(self.requests(subscription))
        self.assertFalse(subscription.is_paused)
        self.assertFalse(subscription.cs_cancel_date)
        self.assertFalse(subscription.cs_next_product_id)

    def test_decision_maker_sees_the_buttons(self):
        self.login(self.decision_maker)
        response = self.url_open(self.url(self.subscription))
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual(set(self.BUTTONS), self.classes(response))

    def test_contact_without_the_role_may_only_look(self):
        self.login(self.colleague)
        response = self.url_open(self.url(self.subscription))
        self.assertEqual(response.status_code, 200)
        # the subscription is shown
        self.assertIn("o_cs_next_invoice", self.classes(response))
        self.assertFalse(set(self.BUTTONS) & self.classes(response))
        for path, data in (
            ("/cancel", {"reason_id": self.reason_price.id, "competitor": "X"}),
            ("/pause", {"months": 1}),
            ("/plan", {"product_id": self.plans["Start"].id}),
        ):
            with self.subTest(path=path):
                response = self.post(self.url(self.subscription, path), data)
                self.assertEqual(response.status_code, 403)
                response = self.url_open(self.url(self.subscription, path))
                self.assertEqual(response.status_code, 403)
        self.assertUntouched(self.subscription)

    def test_another_customer_finds_nothing(self):
        self.login(self.stranger)
        # its own subscription is there
        response = self.url_open("/my/subscriptions")
        self.assertIn(self.url(self.stranger_subscription), response.text)
        self.assertNotIn(self.url(self.subscription), response.text)
        for path in ("", "/pause", "/plan", "/cancel", "/cancellation"):
            with self.subTest(method="GET", path=path):
                response = self.url_open(self.url(self.subscription, path))
                self.assertEqual(response.status_code, 404)
        for path, data in (
            ("/cancel", {"reason_id": self.reason_price.id}),
            ("/pause", {"months": 1}),
            ("/plan", {"product_id": self.plans["Start"].id}),
            ("/cancellation/accept", {"offer_id": self.offer_pause.id, "months": 1}),
            ("/cancellation/decline", {}),
        ):
            with self.subTest(method="POST", path=path):
                response = self.post(self.url(self.subscription, path), data)
                self.assertEqual(response.status_code, 404)
        self.assertUntouched(self.subscription)

    def test_a_form_without_the_csrf_token_is_refused(self):
        self.login(self.decision_maker)
        for path, data in (
            ("/cancel", {"reason_id": self.reason_price.id}),
            ("/pause", {"months": 1}),
            ("/plan", {"product_id": self.plans["Start"].id}),
        ):
            with self.subTest(path=path):
                response = self.post(
                    self.url(self.subscription, path), data, csrf=False
                )
                self.assertEqual(response.status_code, 400)
        self.assertUntouched(self.subscription)
        # nor is an offer taken or declined without it
        response = self.post(
            self.url(self.subscription, "/cancel"), {"reason_id": self.reason_price.id}
        )
        self.assertEqual(response.status_code, 200)
        request = self.requests(self.subscription)
        self.assertEqual(request.state, "offered")
        for path, data in (
            ("/cancellation/accept", {"offer_id": self.offer_pause.id, "months": 1}),
            ("/cancellation/decline", {}),
        ):
            with self.subTest(path=path):
                response = self.post(
                    self.url(self.subscription, path), data, csrf=False
                )
                self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(request.state, "offered")
        self.assertFalse(self.subscription.is_paused)
        self.assertFalse(self.subscription.cs_cancel_date)

    def test_cancelling_twice_makes_one_request(self):
        self.login(self.decision_maker)
        path = self.url(self.subscription, "/cancel")
        first = self.post(path, {"reason_id": self.reason_price.id})
        self.assertEqual(first.status_code, 200)
        self.assertTrue(
            first.url.endswith(self.url(self.subscription, "/cancellation"))
        )
        second = self.post(path, {"reason_id": self.reason_competitor.id})
        self.assertEqual(second.status_code, 200)
        self.assertTrue(
            second.url.endswith(self.url(self.subscription, "/cancellation"))
        )
        self.assertIn("o_cs_offer_pause", self.classes(second))
        request = self.requests(self.subscription)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.reason_id, self.reason_price)
        # the buttons give way to the request
        page = self.url_open(self.url(self.subscription))
        self.assertIn("o_cs_cancellation", self.classes(page))
        self.assertFalse(set(self.BUTTONS) & self.classes(page))
        # once cancelled, asking again shows the cancellation
        self.post(self.url(self.subscription, "/cancellation/decline"), {})
        self.assertEqual(self.requests(self.subscription).state, "cancelled")
        third = self.post(path, {"reason_id": self.reason_price.id})
        self.assertEqual(third.status_code, 200)
        self.assertIn("o_cs_cancelled", self.classes(third))
        self.assertEqual(len(self.requests(self.subscription)), 1)

    def test_a_longer_pause_than_offered_is_refused(self):
        self.login(self.decision_maker)
        self.post(
            self.url(self.subscription, "/cancel"), {"reason_id": self.reason_price.id}
        )
        response = self.post(
            self.url(self.subscription, "/cancellation/accept"),
            {"offer_id": self.offer_pause.id, "months": 12},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_cs_error", self.classes(response))
        request = self.requests(self.subscription)
        self.assertEqual(request.state, "offered")
        self.assertFalse(request.offer_id)
        self.assertFalse(self.subscription.is_paused)
        self.assertFalse(self.subscription.paused_until)

    def test_a_longer_pause_than_allowed_is_refused(self):
        self.login(self.decision_maker)
        next_date = self.subscription.recurring_next_date
        response = self.post(self.url(self.subscription, "/pause"), {"months": 12})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_cs_error", self.classes(response))
        self.assertIn("allows a pause of 1 to 3 months", response.text)
        self.env.invalidate_all()
        self.assertUntouched(self.subscription)
        self.assertEqual(self.subscription.recurring_next_date, next_date)
