# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import CustomerSuccessBillingCommon, SubscriptionMixin


def _text(html):
    """A mail body as a reader sees it: no-break spaces are spaces."""
    return str(html).replace("\xa0", " ").replace("&nbsp;", " ")


@tagged("post_install", "-at_install")
class TestLateFee(CustomerSuccessBillingCommon):
    """The amount due today: 2% once and 1% a month pro rata, from the due
    date moved to the next business day (``DUE``, 10 March 2026, is a
    Tuesday)."""

    def charge(self, invoice, offset):
        return invoice._cs_get_late_charge_values(self.day(offset))

    def test_defaults_are_two_percent_and_one_percent_a_month(self):
        policy = self.env["cs.dunning.policy"].create({"name": "Nova"})
        self.assertEqual(
            (policy.late_fee_percent, policy.interest_percent, policy.grace_days),
            (2.0, 1.0, 0),
        )
        self.assertEqual(policy.charge_mode, "show")

    def test_paid_ten_days_late_owes_fee_and_interest(self):
        invoice = self.create_invoice(amount=1000.0)
        with freeze_time(self.day(10)):
            values = invoice._cs_get_late_charge_values()
        self.assertEqual(values["days_late"], 10)
        self.assertEqual(values["start_date"], self.DUE)
        self.assertAlmostEqual(values["fee"], 20.0)
        self.assertAlmostEqual(values["interest"], 3.33)
        self.assertAlmostEqual(values["total"], 1023.33)
        self.assertAlmostEqual(values["residual"], 1000.0)
        # on the due date and the day before it: nothing
        self.assertEqual(self.charge(invoice, 0)["total"], 1000.0)
        self.assertEqual(self.charge(invoice, -1)["fee"], 0.0)
        # paid on day 10: the charges of those 10 days, nothing left to pay
        self.pay(invoice, self.day(10))
        paid = self.charge(invoice, 10)
        self.assertEqual((paid["residual"], paid["fee"]), (0.0, 20.0))
        self.assertAlmostEqual(paid["interest"], 3.33)
        # interest stops the day it was paid
        self.assertAlmostEqual(self.charge(invoice, 40)["interest"], 3.33)

    def test_partial_payment_on_day_four(self):
        """R$ 1.000,00, R$ 500,00 paid on day 4, looked at on day 10.

        Fee: 2% of the 1.000,00 unpaid when the invoice became late = 20,00.
        Interest: 1.000,00 x 4 days + 500,00 x 6 days = 7.000,00 day-reais,
        x 1% / 30 = 2,33. Due on day 10: 500,00 + 20,00 + 2,33 = 522,33.
        """
        invoice = self.create_invoice(amount=1000.0)
        self.pay(invoice, self.day(4), amount=500.0)
        self.assertEqual(invoice.payment_state, "partial")
        values = self.charge(invoice, 10)
        self.assertAlmostEqual(values["residual"], 500.0)
        self.assertAlmostEqual(values["fee"], 20.0)
        self.assertAlmostEqual(values["interest"], 2.33)
        self.assertAlmostEqual(values["total"], 522.33)
        # seen on day 3, before the payment: all of it was still due
        before = self.charge(invoice, 3)
        self.assertAlmostEqual(before["residual"], 1000.0)
        self.assertAlmostEqual(before["total"], 1021.0)

    def test_payment_before_late_start_lowers_the_fee(self):
        invoice = self.create_invoice(amount=1000.0)
        self.pay(invoice, self.day(0), amount=400.0)
        values = self.charge(invoice, 10)
        self.assertAlmostEqual(values["fee"], 12.0)
        self.assertAlmostEqual(values["interest"], 2.0)

    def test_due_on_saturday_paid_on_monday_carries_nothing(self):
        saturday = date(2026, 3, 14)
        self.assertEqual(saturday.weekday(), 5)
        invoice = self.create_invoice(amount=1000.0, due=saturday)
        self.assertEqual(
            invoice._cs_get_late_charge_values(date(2026, 3, 16))["total"], 1000.0
        )
        tuesday = invoice._cs_get_late_charge_values(date(2026, 3, 17))
        self.assertEqual(tuesday["start_date"], date(2026, 3, 16))
        self.assertEqual(tuesday["days_late"], 1)
        self.pay(invoice, date(2026, 3, 16))
        values = invoice._cs_get_late_charge_values(date(2026, 3, 16))
        self.assertEqual((values["fee"], values["interest"]), (0.0, 0.0))

    def test_grace_days(self):
        self.policy.grace_days = 3
        invoice = self.create_invoice(amount=1000.0)
        within = self.charge(invoice, 3)
        self.assertEqual((within["fee"], within["interest"]), (0.0, 0.0))
        beyond = self.charge(invoice, 4)
        self.assertAlmostEqual(beyond["fee"], 20.0)
        self.assertAlmostEqual(beyond["interest"], 1.33, msg="from the late start")
        self.pay(invoice, self.day(2))
        self.assertEqual(self.charge(invoice, 30)["fee"], 0.0)

    def test_foreign_currency_in_its_own_currency(self):
        brl = self.setup_other_currency("BRL", rates=[("2026-01-01", 5.0)])
        invoice = self.create_invoice(amount=1000.0, currency_id=brl.id)
        values = self.charge(invoice, 10)
        self.assertEqual(values["currency"], brl)
        self.assertAlmostEqual(values["total"], 1023.33)
        self.assertAlmostEqual(invoice.amount_total_signed, 200.0)

    def test_bad_rates_are_refused_and_leave_the_policy_as_it_was(self):
        product = self.env["product.product"].create(
            {"name": "Multa", "type": "service"}
        )
        for values in (
            {"late_fee_percent": -1.0},
            {"interest_percent": -0.5},
            {"grace_days": -2},
            {"interest_percent": 10.5},
            {"late_fee_percent": 20.5},
            {"charge_mode": "next_invoice"},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.policy.write(values)
            self.assertEqual(self.policy.late_fee_percent, 2.0)
            self.assertEqual(self.policy.interest_percent, 1.0)
            self.assertEqual(self.policy.grace_days, 0)
            self.assertEqual(self.policy.charge_mode, "show")
        # the limits themselves are accepted
        self.policy.write(
            {
                "late_fee_percent": 20.0,
                "interest_percent": 10.0,
                "charge_mode": "next_invoice",
                "late_charge_product_id": product.id,
            }
        )
        with self.assertRaises(ValidationError):
            self.policy.late_charge_product_id = False

    def test_fee_above_two_percent_warns_but_is_saved(self):
        with Form(self.policy) as form:
            self.assertFalse(form.late_fee_above_cap)
            form.late_fee_percent = 5.0
            self.assertTrue(form.late_fee_above_cap, "the CDC warning shows")
        self.assertEqual(self.policy.late_fee_percent, 5.0)
        arch = self.env["cs.dunning.policy"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("CDC art. 52", arch)

    def test_batch_computation_costs_the_same_for_3_or_30_invoices(self):
        """The amounts due of a run's invoices are computed together: the
        queries do not grow with the invoices."""
        customers = self.env["res.partner"].create(
            [{"name": f"Cliente {n}", "is_company": True} for n in range(30)]
        )
        invoices = self.env["account.move"].browse(
            [self.create_invoice(partner=c, amount=100.0).id for c in customers]
        )
        self.pay(invoices[0], self.day(4), amount=50.0)

        def count(moves):
            self.env.flush_all()
            self.env.invalidate_all()
            moves = moves.browse(moves.ids)
            before = self.env.cr.sql_log_count
            moves._cs_prefetch_late_charges(self.day(10))
            for move in moves:
                move._cs_get_late_charge_values(self.day(10))
                move._cs_get_early_discount_values(self.day(10))
            return self.env.cr.sql_log_count - before

        count(invoices[:2])  # warm the business days of 2026
        few, many = count(invoices[:3]), count(invoices)
        self.assertEqual(few, many, f"{few} queries for 3, {many} for 30")
        self.env.invalidate_all()
        moves = invoices.browse(invoices.ids)
        with self.assertQueryCount(7):
            moves._cs_prefetch_late_charges(self.day(10))
        self.assertAlmostEqual(
            moves[0]._cs_get_late_charge_values(self.day(10))["total"], 50 + 2 + 0.23
        )


@tagged("post_install", "-at_install")
class TestLateFeeReminders(CustomerSuccessBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_lang("pt_BR")
        cls.brl = cls.setup_other_currency("BRL", rates=[("2026-01-01", 5.0)])

    def test_overdue_reminder_shows_the_breakdown(self):
        invoice = self.create_invoice(amount=1000.0)
        self.run_dunning(self.day(10))
        mail = self.mails_to(self.payer)
        self.assertEqual(len(mail), 1)
        body = _text(mail.body_html)
        self.assertIn(invoice.name, body)
        self.assertIn("Late fee (2%)", body)
        self.assertIn("Late interest (10 days)", body)
        self.assertIn("Updated amount due today", body)
        for amount in ("$ 1,000.00", "$ 20.00", "$ 3.33", "$ 1,023.33"):
            self.assertIn(amount, body)

    def test_overdue_reminder_in_portuguese_in_reais(self):
        """The payer reads the amounts in pt_BR and in the invoice's reais
        (the wording comes with the translations, filled in later)."""
        self.payer.lang = "pt_BR"
        # The pt_BR body of the template is a translation of the whole body
        # (mail.template's body_html), which the shipped .po holds without
        # the breakdown until the translations are updated: the English
        # structure stands in for it here, so that what is checked is what
        # does not depend on the wording, the amounts in pt_BR and in reais.
        template = self.env.ref("customer_success.mail_template_dunning_overdue_2")
        template.with_context(lang="pt_BR").body_html = template.with_context(
            lang="en_US"
        ).body_html
        self.create_invoice(amount=1000.0, currency_id=self.brl.id)
        self.run_dunning(self.day(10))
        body = _text(self.mails_to(self.payer).body_html)
        self.assertIn("R$ 1.023,33", body)
        self.assertIn("R$ 20,00", body)
        self.assertIn("R$ 3,33", body)

    def test_pre_due_reminder_shows_the_early_discount(self):
        terms = self.env["account.payment.term"].create(
            {
                "name": "30 dias, 3% até 27 dias",
                "early_discount": True,
                "discount_percentage": 3.0,
                "discount_days": 27,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 30}
                    )
                ],
            }
        )
        invoice = self.create_invoice(amount=1000.0, invoice_payment_term_id=terms.id)
        self.assertEqual(invoice.invoice_date_due, self.DUE)
        self.run_dunning(self.day(-5))
        body = _text(self.mails_to(self.payer).body_html)
        self.assertIn("Pay early and save", body)
        self.assertIn("$ 970.00", body)
        self.assertIn("03/07/2026", body)
        discount = invoice._cs_get_early_discount_values(self.day(-5))
        self.assertEqual(discount["date"], self.day(-3))
        # past the discount date, or with no discount in the terms: nothing
        self.assertFalse(invoice._cs_get_early_discount_values(self.day(-2)))
        other = self.create_invoice(amount=1000.0)
        self.assertFalse(other._cs_get_early_discount_values(self.day(-5)))


@tagged("post_install", "-at_install")
class TestLateFeePortal(AccountTestInvoicingHttpCommon):
    """The portal page of an overdue invoice shows the amount due today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)
        policy = env.ref("customer_success.cs_dunning_policy_default").copy(
            {"company_id": cls.env.company.id}
        )
        cls.env.company.cs_dunning_policy_id = policy
        customer = env["res.partner"].create(
            {"name": "Cliente do Portal", "is_company": True, "email": "c@p.example"}
        )
        cls.invoice = cls.init_invoice(
            "out_invoice",
            partner=customer,
            amounts=[1000.0],
            invoice_date=fields.Date.today() - timedelta(days=40),
        )
        cls.invoice.invoice_date_due = fields.Date.today() - timedelta(days=10)
        cls.invoice.action_post()

    def test_portal_page_shows_the_amount_due_today(self):
        values = self.invoice._cs_get_late_charge_values()
        self.assertTrue(values["fee"])
        self.invoice._portal_ensure_token()
        response = self.url_open(
            f"/my/invoices/{self.invoice.id}?access_token={self.invoice.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        html = _text(response.text)
        self.assertIn('id="cs_invoice_pay"', html)
        self.assertIn("Updated amount due today", html)
        total = f"{values['total']:,.2f}"
        self.assertIn(total, html)
        # waived: the page shows the invoice's amount only
        self.invoice.sudo().cs_late_charge_waived = True
        html = _text(self.url_open(self.invoice.get_portal_url()).text)
        self.assertNotIn("Updated amount due today", html)
        self.assertNotIn(total, html)


@tagged("post_install", "-at_install")
class TestLateFeeCharging(SubscriptionMixin, CustomerSuccessBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late_product = cls.env["product.product"].create(
            {"name": "Multa e juros", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls.policy.write(
            {
                "charge_mode": "next_invoice",
                "late_charge_product_id": cls.late_product.id,
            }
        )
        cls.subscription = cls.create_subscription(cls.customer, 199.0)
        cls.subscription.action_start_subscription()

    def test_charge_added_once_to_the_next_subscription_invoice(self):
        invoice = self.create_invoice(amount=1000.0)
        self.assertTrue(self.charge_values(invoice)["next_invoice"])
        self.pay(invoice, self.day(10))
        charge = self.env["cs.late.charge"].search([("move_id", "=", invoice.id)])
        self.assertEqual(charge.state, "due")
        self.assertAlmostEqual(charge.amount, 23.33)
        self.assertEqual(charge.partner_id, self.customer)
        with freeze_time(self.day(11)):
            self.subscription.generate_invoice()
            self.subscription.generate_invoice()
        first, second = self.subscription.invoice_ids.sorted("id")
        line = first.invoice_line_ids.filtered("cs_late_charge_id")
        self.assertEqual(line.product_id, self.late_product)
        self.assertAlmostEqual(line.price_unit, 23.33)
        self.assertIn(invoice.name, line.name)
        self.assertAlmostEqual(first.amount_untaxed, 199.0 + 23.33)
        self.assertFalse(second.invoice_line_ids.filtered("cs_late_charge_id"))
        self.assertEqual(charge.state, "charged")
        self.assertEqual(charge.charge_move_id, first)
        # paid again: still one charge for the invoice
        invoice._cs_record_late_charges()
        self.assertEqual(
            self.env["cs.late.charge"].search_count([("move_id", "=", invoice.id)]), 1
        )

    def charge_values(self, invoice):
        return invoice._cs_get_late_charge_values(self.day(10))

    def test_reminder_says_the_charges_go_on_the_next_invoice(self):
        self.create_invoice(amount=1000.0)
        self.run_dunning(self.day(10))
        body = _text(self.mails_to(self.payer).body_html)
        self.assertIn("will be added to your next invoice", body)
        self.assertNotIn("Updated amount due today", body)

    def test_without_running_subscription_to_invoice_by_hand(self):
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "email": "c@ipe.example"}
        )
        invoice = self.create_invoice(amount=1000.0, partner=other)
        self.assertFalse(self.charge_values(invoice)["next_invoice"])
        self.run_dunning(self.day(10))
        body = _text(self.mails_to(other).body_html)
        self.assertIn("Updated amount due today", body)
        self.assertNotIn("next invoice", body)
        self.pay(invoice, self.day(12))
        charge = self.env["cs.late.charge"].search([("move_id", "=", invoice.id)])
        self.assertEqual(charge.state, "manual")
        self.assertAlmostEqual(charge.amount, 20.0 + 4.0)

    def test_paid_on_time_no_charge(self):
        invoice = self.create_invoice(amount=1000.0)
        self.pay(invoice, self.day(0))
        self.assertFalse(
            self.env["cs.late.charge"].search([("move_id", "=", invoice.id)])
        )

    def test_manager_waives_with_reason_tracked(self):
        invoice = self.create_invoice(amount=1000.0)
        wizard = (
            self.env["cs.late.charge.waive.wizard"]
            .with_user(self.user_cs_manager)
            .with_context(tracking_disable=False, mail_notrack=False)
            .create(
                {"move_ids": [Command.set(invoice.ids)], "reason": "Boleto atrasou"}
            )
        )
        self.flush_tracking()
        with freeze_time(self.day(10)):
            wizard.action_waive()
        self.flush_tracking()
        self.assertTrue(invoice.cs_late_charge_waived)
        values = self.charge_values(invoice)
        self.assertEqual((values["fee"], values["interest"]), (0.0, 0.0))
        self.assertEqual(values["total"], 1000.0)
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "cs_late_charge_waive_reason"),
                ("mail_message_id.res_id", "=", invoice.id),
                ("mail_message_id.model", "=", "account.move"),
            ]
        )
        self.assertEqual(tracked.new_value_char, "Boleto atrasou")
        self.assertEqual(
            tracked.mail_message_id.author_id, self.user_cs_manager.partner_id
        )
        charge = self.env["cs.late.charge"].search([("move_id", "=", invoice.id)])
        self.assertEqual(charge.state, "waived")
        self.assertAlmostEqual(charge.amount, 23.33)
        # paid later: nothing charged, nothing in the reminder
        self.run_dunning(self.day(20))
        self.assertNotIn("Late fee", _text(self.mails_to(self.payer)[-1:].body_html))
        self.pay(invoice, self.day(21))
        self.assertEqual(charge.state, "waived")
        with freeze_time(self.day(22)):
            self.subscription.generate_invoice()
        self.assertFalse(
            self.subscription.invoice_ids.invoice_line_ids.cs_late_charge_id
        )

    def test_cs_user_cannot_waive(self):
        invoice = self.create_invoice(amount=1000.0)
        with self.assertRaises(AccessError):
            self.env["cs.late.charge.waive.wizard"].with_user(self.user_cs).create(
                {"move_ids": [Command.set(invoice.ids)], "reason": "Por favor"}
            )
        with self.assertRaises(UserError):
            invoice.with_user(self.user_cs)._cs_waive_late_charges("Por favor")
        self.assertFalse(invoice.cs_late_charge_waived)
        self.assertAlmostEqual(self.charge_values(invoice)["fee"], 20.0)

    def test_report_groups_by_customer_month_and_state(self):
        invoice = self.create_invoice(amount=1000.0)
        self.pay(invoice, self.day(10))
        groups = self.env["cs.late.charge"]._read_group(
            [("partner_id", "=", self.customer.id)],
            groupby=["partner_id", "date:month", "state"],
            aggregates=["amount_company:sum"],
        )
        self.assertEqual(len(groups), 1)
        partner, _month, state, amount = groups[0]
        self.assertEqual((partner, state), (self.customer, "due"))
        self.assertAlmostEqual(amount, 23.33)
        # CS users read the report
        self.assertTrue(
            self.env["cs.late.charge"].with_user(self.user_cs).search_count([])
        )
