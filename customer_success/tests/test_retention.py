# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CustomerSuccessVoiceCommon

START = date(2026, 3, 2)  # a Monday: subscribed and first invoiced
ASK = date(2026, 3, 13)  # a Friday: the customer asks to cancel
PAID_UNTIL = date(2026, 4, 2)  # the next invoice's date, the first not paid


class TestRetentionCommon(CustomerSuccessVoiceCommon):
    """Three plans of one product line on a monthly template, a customer on
    Pro (890) followed by its success manager, and its decision maker, who
    reads Portuguese, asking to cancel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls._activate_lang("pt_BR")
        category = cls.env["product.category"].create({"name": "Planos"})
        cls.plan_start, cls.plan_pro, cls.plan_business = cls.env[
            "product.product"
        ].create(
            [
                {
                    "name": name,
                    "type": "service",
                    "subscribable": True,
                    "sale_ok": True,
                    "categ_id": category.id,
                    "list_price": price,
                    "taxes_id": [Command.clear()],
                }
                for name, price in (
                    ("Start", 390.0),
                    ("Pro", 890.0),
                    ("Business", 1490.0),
                )
            ]
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ana Souza",
                "parent_id": cls.customer.id,
                "email": "ana@nuvemalta.example.com",
                "lang": "pt_BR",
            }
        )
        cls.env["cs.stakeholder"].create(
            {
                "partner_id": cls.customer.id,
                "contact_id": cls.contact.id,
                "role": "decision_maker",
            }
        )
        cls.tm_low = ref("customer_success.cs_touch_model_low")
        cls.tm_high = ref("customer_success.cs_touch_model_high")
        cls.offer_pause = ref("customer_success.cs_retention_offer_pause")
        cls.offer_downgrade = ref("customer_success.cs_retention_offer_downgrade")
        cls.offer_discount = ref("customer_success.cs_retention_offer_discount")
        cls.offer_csm = ref("customer_success.cs_retention_offer_csm")
        cls.r_price = ref("customer_success.survey_cs_nps_exit_a_price")
        cls.r_support = ref("customer_success.survey_cs_nps_exit_a_support")
        cls.r_competitor = ref("customer_success.survey_cs_nps_exit_a_competitor")
        cls.Request = cls.env["cs.retention.request"]
        cls.subscription = cls.plan_subscription()
        cls.set_touch_model(cls.tm_low)

    @classmethod
    def plan_subscription(cls, customer=None, plan=None):
        """A running subscription of ``customer`` on ``plan`` (Pro), started
        and first invoiced on START: paid until PAID_UNTIL."""
        customer = customer or cls.customer
        plan = plan or cls.plan_pro
        with freeze_time(START):
            subscription = cls.env["sale.subscription"].create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "template_id": cls.monthly.id,
                    "pricelist_id": cls.pricelist.id,
                    "date_start": START,
                    "sale_subscription_line_ids": [
                        Command.create(
                            {
                                "product_id": plan.id,
                                "price_unit": plan.list_price,
                                "product_uom_qty": 1,
                            }
                        )
                    ],
                }
            )
            subscription.action_start_subscription()
            subscription.generate_invoice()
        cls.env.flush_all()
        return subscription

    @classmethod
    def set_touch_model(cls, touch_model, customer=None):
        # a manager's choice: locked, whatever the revenue
        (customer or cls.customer).write(
            {"touch_model_id": touch_model.id, "touch_model_locked": True}
        )

    def ask(
        self, subscription, reason=None, text="", competitor="", on=ASK, contact=None
    ):
        with freeze_time(on):
            request = self.Request._cs_create_request(
                subscription,
                contact or self.contact,
                reason or self.env["survey.question.answer"],
                text,
                competitor,
            )
        self.env.flush_all()
        return request

    def run_retention(self, on):
        self.run_cron("cs.retention.request", "_cron_cs_retention", on)

    def run_mrr(self, on):
        self.run_cron("cs.mrr.movement", "_cron_cs_mrr", on)

    def activities(self, request, xmlid):
        # sudo: every user's activities, whatever the test's user reads
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "cs.retention.request"),
                    ("res_id", "=", request.id),
                    ("activity_type_id", "=", self.env.ref(xmlid).id),
                ]
            )
        )

    def invoices(self, subscription):
        return self.env["account.move"].search(
            [("subscription_id", "=", subscription.id)], order="invoice_date, id"
        )

    def assertConfirmed(self, request, *texts):
        """One e-mail queued to the contact, rendered for them (their pt_BR
        date format), naming ``texts``."""
        mails = self.mails_to(self.contact)
        self.assertTrue(mails, "an e-mail to the contact, in the mail queue")
        body = mails[-1].body_html
        self.assertIn(request.subscription_id.display_name, body)
        self.assertIn("Ana Souza", body)
        for text in texts:
            self.assertIn(text, body)
        return mails[-1]


@tagged("post_install", "-at_install")
class TestRetentionOffers(TestRetentionCommon):
    def test_pause_longer_than_the_company_allows_is_refused(self):
        self.assertEqual(self.company.cs_retention_pause_months, 3)
        with self.assertRaisesText(ValidationError, "allows from 1 to 3"):
            self.offer_pause.pause_months = 4
        self.assertEqual(self.offer_pause.pause_months, 3)
        with self.assertRaises(ValidationError):
            self.offer_pause.pause_months = 0
        with self.assertRaises(ValidationError):
            self.env["cs.retention.offer"].create(
                {"name": "Longa pausa", "kind": "pause", "pause_months": 6}
            )
        self.assertFalse(
            self.env["cs.retention.offer"].search([("name", "=", "Longa pausa")])
        )
        # the company allowing more: the longer offer is accepted
        self.company.cs_retention_pause_months = 6
        self.offer_pause.pause_months = 6
        self.assertEqual(self.offer_pause.pause_months, 6)

    def test_discount_above_the_company_max_or_zero_is_refused(self):
        self.assertEqual(self.company.cs_retention_max_discount, 30.0)
        for percent in (31.0, 0.0, -5.0):
            with (
                self.subTest(percent=percent),
                self.assertRaisesText(ValidationError, "up to 30"),
            ):
                self.offer_discount.discount_percent = percent
        self.assertEqual(self.offer_discount.discount_percent, 20.0)
        with self.assertRaisesText(ValidationError, "at least one invoice"):
            self.offer_discount.discount_invoices = 0
        self.assertEqual(self.offer_discount.discount_invoices, 3)
        self.offer_discount.discount_percent = 30.0
        self.assertEqual(self.offer_discount.discount_percent, 30.0)
        # the other kinds keep no discount terms
        self.offer_csm.discount_percent = 0.0

    def test_company_settings_out_of_range_are_refused(self):
        for field, value in (
            ("cs_retention_pause_months", 0),
            ("cs_retention_pause_months", 13),
            ("cs_retention_max_discount", -1.0),
            ("cs_retention_max_discount", 101.0),
        ):
            with (
                self.subTest(field=field, value=value),
                self.assertRaises(ValidationError),
            ):
                self.company.write({field: value})
        self.assertEqual(self.company.cs_retention_pause_months, 3)
        self.assertEqual(self.company.cs_retention_max_discount, 30.0)
        self.company.cs_retention_pause_months = 12
        self.assertEqual(self.company.cs_retention_pause_months, 12)


@tagged("post_install", "-at_install")
class TestRetentionRequest(TestRetentionCommon):
    def test_low_touch_request_is_offered_what_fits_its_reason(self):
        self.assertEqual(self.subscription.recurring_next_date, PAID_UNTIL)
        self.assertEqual(len(self.invoices(self.subscription)), 1)
        request = self.ask(self.subscription, self.r_price, "Caro demais")
        self.assertEqual(request.state, "offered")
        self.assertFalse(request.csm_first)
        self.assertFalse(request.csm_deadline)
        self.assertEqual(request.csm_id, self.user_cs)
        self.assertEqual(request.touch_model_id, self.tm_low)
        self.assertEqual(request.contact_id, self.contact)
        self.assertEqual(request.date_requested, ASK)
        self.assertEqual(request.mrr, 890.0)
        self.assertEqual(self.subscription._cs_get_cheaper_plan(), self.plan_start)
        self.assertEqual(
            request._cs_get_offers(),
            self.offer_pause
            | self.offer_downgrade
            | self.offer_discount
            | self.offer_csm,
        )
        # support: no pause, plan or discount offered for it
        other = self.plan_subscription()
        support = self.ask(other, self.r_support)
        self.assertEqual(support._cs_get_offers(), self.offer_csm)
        # competitor: the discount and the call
        third = self.plan_subscription()
        competitor = self.ask(third, self.r_competitor)
        self.assertEqual(
            competitor._cs_get_offers(), self.offer_discount | self.offer_csm
        )

    def test_no_downgrade_on_the_cheapest_plan(self):
        cheapest = self.plan_subscription(plan=self.plan_start)
        request = self.ask(cheapest, self.r_price)
        self.assertFalse(cheapest._cs_get_cheaper_plan())
        self.assertEqual(
            request._cs_get_offers(),
            self.offer_pause | self.offer_discount | self.offer_csm,
        )
        options = [plan for plan, _price in cheapest._cs_get_plan_options()]
        self.assertEqual(options, [self.plan_pro, self.plan_business])

    def test_asking_twice_returns_the_same_request(self):
        request = self.ask(self.subscription, self.r_price)
        again = self.ask(self.subscription, self.r_support, "De novo")
        self.assertEqual(again, request)
        self.assertEqual(
            self.Request.search_count([("subscription_id", "=", self.subscription.id)]),
            1,
        )
        self.assertEqual(request.reason_id, self.r_price)
        # once cancelled, asking again still returns the cancellation
        request._cs_decline()
        self.assertEqual(self.ask(self.subscription, self.r_price), request)

    def test_second_open_request_is_refused_by_the_database(self):
        self.ask(self.subscription, self.r_price)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            # sudo: a second worker writing as the portal does
            self.Request.sudo().create(
                {
                    "subscription_id": self.subscription.id,
                    "contact_id": self.contact.id,
                    "state": "requested",
                }
            )
            self.env.flush_all()

    def test_bad_input_is_refused(self):
        with self.assertRaisesText(ValidationError, "Tell us why"):
            self.ask(self.subscription, text="   ")
        # the answer of another question (the NPS survey's) is not a reason
        not_a_reason = self.env["survey.question.answer"].create(
            {"question_id": self.q_score.id, "value": "Outra"}
        )
        with self.assertRaisesText(ValidationError, "not one of ours"):
            self.ask(self.subscription, not_a_reason)
        self.assertFalse(self.subscription.cs_retention_request_ids)
        # "other", in the customer's words, is a reason
        request = self.ask(self.subscription, text="Vamos fechar a empresa")
        self.assertFalse(request.reason_id)
        self.assertEqual(request.reason_label, "Other")
        self.assertEqual(request._cs_get_offers(), self.offer_csm)

    def test_closed_subscription_cannot_be_cancelled(self):
        with freeze_time(ASK):
            self.subscription.close_subscription()
        with self.assertRaisesText(UserError, "not running"):
            self.ask(self.subscription, self.r_price)
        self.assertFalse(self.subscription.cs_retention_request_ids)

    def test_portal_actors_are_the_signer_and_decision_makers(self):
        other = self.env["res.partner"].create(
            {"name": "Bia Técnica", "parent_id": self.customer.id}
        )
        self.env["cs.stakeholder"].create(
            {"partner_id": self.customer.id, "contact_id": other.id, "role": "champion"}
        )
        self.assertEqual(
            self.subscription._cs_get_portal_actors(), self.customer | self.contact
        )


@tagged("post_install", "-at_install")
class TestRetentionTakeOffer(TestRetentionCommon):
    def take(self, request, offer, months=0, on=ASK):
        with freeze_time(on):
            request._cs_take_offer(offer, months)
        self.env.flush_all()

    def assertSaved(self, request, offer, mrr_saved):
        self.assertEqual(request.state, "saved")
        self.assertEqual(request.offer_id, offer)
        self.assertEqual(request.offer_kind, offer.kind)
        self.assertEqual(request.date_decided, ASK)
        self.assertEqual(request.mrr_saved, mrr_saved)
        self.assertEqual(request.saved_count, 1)
        self.assertEqual(request.cancelled_count, 0)
        self.assertFalse(self.subscription.cs_cancel_date)
        self.assertEqual(self.subscription.stage_id.type, "in_progress")

    def test_pause(self):
        request = self.ask(self.subscription, self.r_price)
        for months in (4, 0, -1):
            with (
                self.subTest(months=months),
                self.assertRaisesText(ValidationError, "1 to 3 months"),
            ):
                self.take(request, self.offer_pause, months)
        self.assertEqual(request.state, "offered")
        self.assertFalse(self.subscription.is_paused)
        self.take(request, self.offer_pause, 2)
        self.assertSaved(request, self.offer_pause, 890.0)
        self.assertEqual(request.pause_months, 2)
        self.assertTrue(self.subscription.is_paused)
        self.assertEqual(self.subscription.paused_until, date(2026, 5, 13))
        self.assertEqual(self.subscription.recurring_next_date, date(2026, 6, 2))
        self.assertEqual(self.subscription.cs_mrr, 0.0)
        self.assertEqual(self.subscription.cs_paused_mrr, 890.0)
        todo = self.activities(request, "mail.mail_activity_data_todo")
        self.assertEqual(todo.user_id, self.user_cs)
        self.assertEqual(todo.date_deadline, ASK)
        self.assertIn("Nuvem Alta Hospedagem stays", todo.summary)
        # the contact's date format (pt_BR): the pause's end and next invoice
        mail = self.assertConfirmed(request, "13/05/2026", "02/06/2026")
        self.assertIn("Obrigado por continuar com a gente", mail.body_html)
        self.assertIn("está pausada até", mail.body_html)
        # a second pause is not offered while paused
        self.assertNotIn(self.offer_pause, request._cs_get_offers())

    def test_paused_subscription_is_invoiced_after_the_pause(self):
        request = self.ask(self.subscription, self.r_price)
        self.take(request, self.offer_pause, 2)
        cron = "cron_subscription_management"
        self.run_cron("sale.subscription", cron, PAID_UNTIL)
        self.assertEqual(len(self.invoices(self.subscription)), 1, "paused")
        self.run_cron("sale.subscription", cron, date(2026, 5, 13))
        self.assertFalse(self.subscription.is_paused, "resumed on its day")
        self.assertEqual(self.subscription.cs_mrr, 890.0)
        self.assertEqual(len(self.invoices(self.subscription)), 1)
        self.run_cron("sale.subscription", cron, date(2026, 6, 2))
        invoice = self.invoices(self.subscription)[-1]
        self.assertEqual(invoice.invoice_date, date(2026, 6, 2))
        self.assertEqual(invoice.amount_untaxed, 890.0)
        self.assertEqual(self.subscription.recurring_next_date, date(2026, 7, 2))

    def test_downgrade_then_invoiced_on_the_cheaper_plan(self):
        request = self.ask(self.subscription, self.r_price)
        self.take(request, self.offer_downgrade)
        self.assertSaved(request, self.offer_downgrade, 390.0)
        self.assertEqual(request.plan_product_id, self.plan_start)
        self.assertEqual(self.subscription.cs_next_product_id, self.plan_start)
        self.assertEqual(self.subscription.cs_next_product_date, PAID_UNTIL)
        self.assertEqual(self.subscription.cs_mrr, 890.0, "until the next period")
        todo = self.activities(request, "mail.mail_activity_data_todo")
        self.assertEqual(todo.user_id, self.user_cs)
        self.assertConfirmed(request, "02/04/2026", "Start")
        # subscription_oca invoices the next period on the new plan
        with freeze_time(PAID_UNTIL):
            self.subscription.generate_invoice()
        self.env.flush_all()
        invoice = self.invoices(self.subscription)[-1]
        self.assertEqual(invoice.invoice_date, PAID_UNTIL)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.plan_start)
        self.assertEqual(invoice.amount_untaxed, 390.0)
        self.assertFalse(self.subscription.cs_next_product_id)
        self.assertEqual(
            self.subscription.sale_subscription_line_ids.product_id, self.plan_start
        )
        self.assertEqual(self.subscription.cs_mrr, 390.0)

    def test_downgrade_applied_by_the_cron_on_its_date(self):
        request = self.ask(self.subscription, self.r_price)
        self.take(request, self.offer_downgrade)
        self.run_retention(date(2026, 4, 1))
        self.assertEqual(
            self.subscription.sale_subscription_line_ids.product_id, self.plan_pro
        )
        self.assertEqual(self.subscription.cs_next_product_id, self.plan_start)
        self.run_retention(PAID_UNTIL)
        self.run_retention(PAID_UNTIL)
        line = self.subscription.sale_subscription_line_ids
        self.assertEqual(line.product_id, self.plan_start)
        self.assertEqual(line.price_unit, 390.0)
        self.assertFalse(self.subscription.cs_next_product_id)
        self.assertEqual(self.subscription.cs_mrr, 390.0)
        self.run_cron("sale.subscription", "cron_subscription_management", PAID_UNTIL)
        invoice = self.invoices(self.subscription)[-1]
        self.assertEqual(invoice.invoice_date, PAID_UNTIL)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.plan_start)

    def test_discount_on_the_next_invoices(self):
        product = self.env.ref("customer_success.product_cs_retention_discount")
        request = self.ask(self.subscription, self.r_price)
        self.take(request, self.offer_discount)
        self.assertSaved(request, self.offer_discount, 890.0)
        self.assertEqual(self.subscription.cs_discount_percent, 20.0)
        self.assertEqual(self.subscription.cs_discount_invoices_left, 3)
        self.assertEqual(
            self.activities(request, "mail.mail_activity_data_todo").user_id,
            self.user_cs,
        )
        self.assertConfirmed(request, "20%")
        for period in range(4):
            day = PAID_UNTIL + relativedelta(months=period)
            with self.subTest(day=day):
                with freeze_time(day):
                    self.subscription.generate_invoice()
                self.env.flush_all()
                invoice = self.invoices(self.subscription)[-1]
                self.assertEqual(invoice.invoice_date, day)
                discount = invoice.invoice_line_ids.filtered(
                    lambda line, product=product: line.product_id == product
                )
                if period < 3:
                    self.assertEqual(discount.price_unit, -178.0)
                    self.assertFalse(discount.tax_ids)
                    self.assertEqual(invoice.amount_untaxed, 712.0)
                    self.assertEqual(
                        self.subscription.cs_discount_invoices_left, 2 - period
                    )
                else:
                    self.assertFalse(discount, "three discounted invoices only")
                    self.assertEqual(invoice.amount_untaxed, 890.0)
                    self.assertEqual(self.subscription.cs_discount_invoices_left, 0)

    def test_talk_to_the_csm(self):
        request = self.ask(self.subscription, self.r_support)
        self.take(request, self.offer_csm)
        self.assertSaved(request, self.offer_csm, 890.0)
        call = self.activities(request, "mail.mail_activity_data_call")
        self.assertEqual(call.user_id, self.user_cs)
        # asked on a Friday: the call is due on Monday
        monday = self.company._cs_next_business_day(date(2026, 3, 14))
        self.assertEqual(monday, date(2026, 3, 16))
        self.assertEqual(call.date_deadline, monday)
        self.assertFalse(self.subscription.is_paused)
        self.assertFalse(self.subscription.cs_next_product_id)
        self.assertFalse(self.subscription.cs_discount_invoices_left)
        self.assertConfirmed(request, "Carla Souza")

    def test_a_paused_subscription_is_not_paused_again(self):
        with freeze_time(ASK):
            self.subscription._cs_retention_pause(1)
        self.assertEqual(self.subscription.recurring_next_date, date(2026, 5, 2))
        with (
            freeze_time(ASK),
            self.assertRaisesText(UserError, "already paused"),
        ):
            self.subscription._cs_retention_pause(1)
        # the next invoice did not move a second time
        self.assertEqual(self.subscription.recurring_next_date, date(2026, 5, 2))

    def test_direct_pause_or_plan_change_waits_for_the_request(self):
        self.ask(self.subscription, self.r_price)
        with self.assertRaisesText(UserError, "cancellation request is under way"):
            self.subscription._cs_check_no_request()

    def test_an_offer_saves_a_subscription_once_a_year(self):
        request = self.ask(self.subscription, self.r_price)
        self.take(request, self.offer_discount)
        for period in range(3):
            with freeze_time(PAID_UNTIL + relativedelta(months=period)):
                self.subscription.generate_invoice()
        self.assertEqual(self.subscription.cs_discount_invoices_left, 0)
        again = self.ask(self.subscription, self.r_price, on=date(2026, 6, 10))
        self.assertNotEqual(again, request)
        with freeze_time(date(2026, 6, 10)):
            offers = again._cs_get_offers()
        self.assertNotIn(self.offer_discount, offers, "once a year")
        self.assertIn(self.offer_pause, offers)
        with freeze_time(date(2027, 3, 14)):
            self.assertIn(self.offer_discount, again._cs_get_offers())

    def test_the_discount_line_carries_the_plans_taxes(self):
        tax = self.company_data["default_tax_sale"]
        self.subscription.sale_subscription_line_ids.tax_ids = tax
        request = self.ask(self.subscription, self.r_price)
        self.take(request, self.offer_discount)
        with freeze_time(PAID_UNTIL):
            self.subscription.generate_invoice()
        invoice = self.invoices(self.subscription)[-1]
        product = self.env.ref("customer_success.product_cs_retention_discount")
        discount = invoice.invoice_line_ids.filtered(
            lambda line: line.product_id == product
        )
        self.assertEqual(discount.tax_ids, tax)
        self.assertEqual(invoice.amount_untaxed, 712.0)
        self.assertAlmostEqual(invoice.amount_tax, 712.0 * tax.amount / 100, places=2)

    def test_offer_not_made_or_already_decided_is_refused(self):
        request = self.ask(self.subscription, self.r_support)
        with self.assertRaisesText(ValidationError, "not available"):
            self.take(request, self.offer_downgrade)
        self.assertEqual(request.state, "offered")
        self.assertEqual(
            self.subscription.sale_subscription_line_ids.product_id, self.plan_pro
        )
        self.take(request, self.offer_csm)
        with self.assertRaisesText(UserError, "already Saved"):
            self.take(request, self.offer_csm)
        with self.assertRaisesText(UserError, "already Saved"):
            request._cs_decline()


@tagged("post_install", "-at_install")
class TestRetentionCancel(TestRetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_other = cls.env["res.partner"].create(
            {
                "name": "Rocha Sistemas",
                "is_company": True,
                "csm_id": cls.user_cs_other.id,
                "email": "contato@rocha.example.com",
            }
        )
        cls.contact_other = cls.env["res.partner"].create(
            {
                "name": "Rui Rocha",
                "parent_id": cls.customer_other.id,
                "email": "rui@rocha.example.com",
            }
        )
        cls.subscription_other = cls.plan_subscription(cls.customer_other)
        cls.set_touch_model(cls.tm_low, cls.customer_other)

    def decline(self, request, on=ASK):
        with freeze_time(on):
            request._cs_decline()
        self.env.flush_all()

    def test_decline_closes_at_the_end_of_the_paid_period_and_churns_then(self):
        request = self.ask(
            self.subscription, self.r_competitor, "Mais barato lá", "Nuvem Rival"
        )
        self.decline(request)
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.cancelled_count, 1)
        self.assertEqual(request.date_decided, ASK)
        self.assertEqual(request.cancel_date, PAID_UNTIL)
        subscription = self.subscription
        self.assertEqual(subscription.cs_cancel_date, PAID_UNTIL)
        self.assertEqual(subscription.stage_id.type, "in_progress")
        self.assertEqual(subscription.cs_mrr, 890.0)
        self.assertIn("We chose another provider", subscription.cs_exit_reason)
        self.assertIn("Mais barato lá", subscription.cs_exit_reason)
        self.assertEqual(subscription.cs_exit_competitor, "Nuvem Rival")
        todo = self.activities(request, "mail.mail_activity_data_todo")
        self.assertEqual(todo.user_id, self.user_cs)
        self.assertIn("cancels on", todo.summary)
        self.assertConfirmed(request, "02/04/2026")
        # March: the customer is still paying (new this month, no churn)
        self.run_mrr(date(2026, 3, 31))
        self.run_retention(date(2026, 4, 1))
        self.assertEqual(subscription.stage_id.type, "in_progress")
        self.assertFalse(subscription.cs_close_date)
        self.run_retention(PAID_UNTIL)
        self.run_retention(PAID_UNTIL)
        self.assertEqual(subscription.stage_id.type, "post")
        self.assertEqual(subscription.cs_close_date, PAID_UNTIL)
        self.assertEqual(subscription.cs_mrr, 0.0)
        self.run_mrr(date(2026, 4, 30))
        rows = {
            row.month: row
            for row in self.env["cs.mrr.movement"].search(
                [("partner_id", "=", self.customer.id)]
            )
        }
        self.assertEqual(rows[date(2026, 3, 1)].movement, "new")
        self.assertEqual(rows[date(2026, 4, 1)].movement, "churn")
        self.assertEqual(rows[date(2026, 4, 1)].change, -890.0)
        # the exit survey: the reason was given, the portal's churn is not
        # surveyed; a subscription closed otherwise is
        with freeze_time(PAID_UNTIL):
            self.subscription_other.close_subscription()
        self.env.flush_all()
        campaign = self.env.ref("customer_success.cs_nps_campaign_exit")
        candidates = campaign._get_candidates(PAID_UNTIL, self.env["res.partner"])
        self.assertIn(self.subscription_other, candidates)
        self.assertNotIn(subscription, candidates)

    def test_invoicing_on_the_end_date_closes_instead(self):
        request = self.ask(self.subscription, self.r_price)
        self.decline(request)
        self.run_cron("sale.subscription", "cron_subscription_management", PAID_UNTIL)
        self.assertEqual(len(self.invoices(self.subscription)), 1, "no new period")
        self.assertEqual(self.subscription.stage_id.type, "post")
        self.assertEqual(self.subscription.cs_close_date, PAID_UNTIL)

    def test_overdue_invoice_stays_due_after_the_cancellation(self):
        invoice = self.create_invoice(
            amount=890.0,
            due=date(2026, 3, 5),
            subscription_id=self.subscription.id,
        )
        request = self.ask(self.subscription, self.r_price)
        self.decline(request)
        self.run_retention(PAID_UNTIL)
        self.assertEqual(self.subscription.stage_id.type, "post")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(invoice.amount_residual, 890.0)
        self.assertFalse(invoice.reversal_move_ids)
        self.run_dunning(date(2026, 4, 6))
        invoice.invalidate_recordset()
        self.assertTrue(invoice.cs_dunning_step_id.is_overdue)

    def test_revert_before_the_end_date(self):
        request = self.ask(self.subscription, self.r_price)
        self.decline(request)
        with freeze_time(date(2026, 3, 20)):
            request.action_revert()
        self.env.flush_all()
        self.assertEqual(request.state, "reverted")
        self.assertEqual(request.date_decided, date(2026, 3, 20))
        self.assertFalse(self.subscription.cs_cancel_date)
        self.assertFalse(self.subscription.cs_exit_reason)
        self.assertFalse(self.subscription.cs_exit_competitor)
        self.assertFalse(self.activities(request, "mail.mail_activity_data_todo"))
        for day in (PAID_UNTIL, date(2026, 4, 3)):
            self.run_retention(day)
        self.assertEqual(self.subscription.stage_id.type, "in_progress")
        self.assertFalse(self.subscription.cs_close_date)
        # a new request may be made afterwards
        again = self.ask(self.subscription, self.r_price, on=date(2026, 3, 25))
        self.assertNotEqual(again, request)
        self.assertEqual(again.state, "offered")

    def test_revert_of_a_request_under_way(self):
        request = self.ask(self.subscription, self.r_price)
        request.action_revert()
        self.assertEqual(request.state, "reverted")
        self.assertFalse(self.subscription.cs_cancel_date)
        self.assertEqual(self.subscription.stage_id.type, "in_progress")
        with self.assertRaisesText(UserError, "already Reverted"):
            request._cs_decline()

    def test_late_cron_closes_on_the_cancellation_day(self):
        request = self.ask(self.subscription, self.r_price)
        self.decline(request)
        self.run_retention(date(2026, 4, 6))
        self.assertEqual(self.subscription.stage_id.type, "post")
        self.assertEqual(self.subscription.cs_close_date, PAID_UNTIL)

    def test_revert_after_the_close_is_refused(self):
        request = self.ask(self.subscription, self.r_price)
        self.decline(request)
        self.run_retention(PAID_UNTIL)
        with self.assertRaisesText(UserError, "can be reverted"):
            request.action_revert()
        self.assertEqual(request.state, "cancelled")

    def test_cs_user_acts_on_their_portfolio_only(self):
        own = self.ask(self.subscription, self.r_price)
        other = self.ask(
            self.subscription_other, self.r_price, contact=self.contact_other
        )
        self.assertEqual(other.csm_id, self.user_cs_other)
        ours = [
            ("subscription_id", "in", (self.subscription | self.subscription_other).ids)
        ]
        Request = self.Request.with_user(self.user_cs)
        self.assertEqual(Request.search(ours), own)
        self.assertEqual(own.with_user(self.user_cs).reason_label, self.r_price.value)
        with self.assertRaises(AccessError):
            other.with_user(self.user_cs).read(["state"])
        with self.assertRaises(AccessError), freeze_time(ASK):
            other.with_user(self.user_cs).action_decline()
        self.assertEqual(other.state, "offered")
        with freeze_time(ASK):
            own.with_user(self.user_cs)._cs_take_offer(self.offer_csm)
        self.assertEqual(own.state, "saved")
        third = self.plan_subscription()
        mine = self.ask(third, self.r_support)
        with freeze_time(ASK):
            mine.with_user(self.user_cs).action_decline()
        self.assertEqual(mine.state, "cancelled")
        self.assertEqual(third.cs_cancel_date, PAID_UNTIL)
        # offers are read, not written, by a success manager
        offers = self.env["cs.retention.offer"].with_user(self.user_cs).search([])
        self.assertIn(self.offer_pause, offers)
        with self.assertRaises(AccessError):
            self.offer_pause.with_user(self.user_cs).pause_months = 1
        self.assertEqual(
            self.Request.with_user(self.user_cs_manager).search(ours), own | other
        )


@tagged("post_install", "-at_install")
class TestRetentionHighTouch(TestRetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_touch_model(cls.tm_high)

    def test_csm_calls_first_and_the_cancellation_goes_through_after(self):
        self.assertTrue(self.tm_high.cs_retention_csm_first)
        request = self.ask(self.subscription, self.r_price)
        self.assertEqual(request.state, "requested")
        self.assertTrue(request.csm_first)
        monday = self.company._cs_next_business_day(date(2026, 3, 14))
        self.assertEqual(monday, date(2026, 3, 16))
        self.assertEqual(request.csm_deadline, monday)
        call = self.activities(request, "mail.mail_activity_data_call")
        self.assertEqual(call.user_id, self.user_cs)
        self.assertEqual(call.date_deadline, monday)
        self.assertConfirmed(request, "16/03/2026", "Carla Souza")
        self.run_retention(ASK)
        self.run_retention(monday)
        self.assertEqual(request.state, "requested")
        self.assertFalse(self.subscription.cs_cancel_date)
        self.run_retention(date(2026, 3, 17))
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.cancel_date, PAID_UNTIL)
        self.assertEqual(request.date_decided, date(2026, 3, 17))
        self.assertEqual(self.subscription.cs_cancel_date, PAID_UNTIL)
        self.assertTrue(
            request.message_ids.filtered(
                lambda message: "Nobody called by" in (message.body or "")
            )
        )
        self.assertFalse(
            self.activities(request, "mail.mail_activity_data_call"),
            "the call is done",
        )
        # the next run does nothing more
        self.run_retention(date(2026, 3, 18))
        self.assertEqual(request.date_decided, date(2026, 3, 17))

    def test_a_call_made_without_a_decision_shows_the_offers(self):
        request = self.ask(self.subscription, self.r_price)
        call = self.activities(request, "mail.mail_activity_data_call")
        with freeze_time(date(2026, 3, 16)):
            call.with_user(self.user_cs).action_feedback(feedback="Ligação feita")
        self.run_retention(date(2026, 3, 17))
        self.assertEqual(request.state, "offered", "not cancelled: someone called")
        self.assertFalse(self.subscription.cs_cancel_date)
        self.assertIn(self.offer_pause, request._cs_get_offers())
        self.assertTrue(
            request.message_ids.filtered(
                lambda message: "success manager called" in (message.body or "")
            )
        )

    def test_csm_lets_the_cancellation_go_before_the_deadline(self):
        request = self.ask(self.subscription, self.r_price)
        with freeze_time(date(2026, 3, 16)):
            request.with_user(self.user_cs).action_decline()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.cancel_date, PAID_UNTIL)
        self.assertFalse(
            request.message_ids.filtered(
                lambda message: "Nobody called by" in (message.body or "")
            ),
            "not automatic",
        )
        self.assertFalse(self.activities(request, "mail.mail_activity_data_call"))

    def test_wizard_refuses_a_pause_the_offer_does_not_make(self):
        request = self.ask(self.subscription, self.r_price)
        wizard = (
            self.env["cs.retention.offer.wizard"]
            .with_user(self.user_cs)
            .create(
                {
                    "request_id": request.id,
                    "offer_id": self.offer_pause.id,
                    "pause_months": 5,
                }
            )
        )
        with self.assertRaisesText(ValidationError, "1 to 3 months"):
            wizard.action_apply()
        self.assertEqual(request.state, "requested")
        self.assertFalse(self.subscription.is_paused)

    def test_csm_applies_an_offer_with_the_wizard(self):
        request = self.ask(self.subscription, self.r_price)
        monday = date(2026, 3, 16)
        with freeze_time(monday):
            action = request.with_user(self.user_cs).action_open_offer_wizard()
            wizard_form = Form(
                self.env[action["res_model"]]
                .with_user(self.user_cs)
                .with_context(**action["context"])
            )
            wizard_form.offer_id = self.offer_pause
            wizard_form.pause_months = 2
            wizard = wizard_form.save()
            self.assertEqual(
                wizard.available_offer_ids,
                self.offer_pause
                | self.offer_downgrade
                | self.offer_discount
                | self.offer_csm,
            )
            wizard.action_apply()
        self.env.flush_all()
        self.assertEqual(request.state, "saved")
        self.assertEqual(request.offer_id, self.offer_pause)
        self.assertEqual(request.mrr_saved, 890.0)
        self.assertTrue(self.subscription.is_paused)
        self.assertEqual(self.subscription.paused_until, date(2026, 5, 16))
        self.run_retention(date(2026, 3, 17))
        self.assertEqual(request.state, "saved")
        self.assertFalse(self.subscription.cs_cancel_date)
        with self.assertRaisesText(UserError, "already Saved"):
            request.action_open_offer_wizard()


@tagged("post_install", "-at_install")
class TestRetentionCompanies(TestRetentionCommon):
    def test_a_new_company_gets_the_offers_in_both_languages(self):
        company = self.env["res.company"].create({"name": "Outra Nuvem"})
        offers = self.env["cs.retention.offer"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(
            sorted(offers.mapped("kind")), ["csm", "discount", "downgrade", "pause"]
        )
        pause = offers.filtered(lambda offer: offer.kind == "pause")
        self.assertEqual(pause.with_context(lang="pt_BR").name, "Dê uma pausa")
        self.assertEqual(pause.with_context(lang="en_US").name, "Take a break")
        self.assertEqual(
            company.cs_retention_discount_product_id,
            self.env.ref("customer_success.product_cs_retention_discount"),
        )
        # the offers of one company are not made on another's subscriptions
        request = self.ask(self.subscription, self.r_price)
        self.assertFalse(request._cs_get_offers() & offers)
