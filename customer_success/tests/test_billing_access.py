# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import ast

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon

from .common import CustomerSuccessBillingCommon, new_tour_user, tour_company_env

CUSTOMER_INVOICES = [("move_type", "in", ("out_invoice", "out_refund"))]


class BillingScopeCommon(CustomerSuccessBillingCommon):
    """Two portfolios with an invoice each, and an accountant who also works
    in customer success."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant_cs = new_test_user(
            cls.env,
            login="billing_accountant_cs",
            name="Beatriz Nunes",
            groups="account.group_account_invoice,"
            "customer_success.customer_success_group_user",
        )
        cls.theirs = cls.env["res.partner"].create(
            {
                "name": "Cliente Deles",
                "is_company": True,
                "email": "contato@deles.example.com",
                "csm_id": cls.user_cs_other.id,
            }
        )
        cls.mine_invoice = cls.create_invoice(amount=300.0)
        cls.their_invoice = cls.create_invoice(amount=500.0, partner=cls.theirs)


@tagged("post_install", "-at_install")
class TestBillingAccess(BillingScopeCommon):
    """A customer success user reads the invoices, payments and orders of
    their portfolio, and changes none; a manager reads every customer's;
    accountants keep what Odoo gives them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bill = cls.init_invoice(
            "in_invoice", partner=cls.theirs, amounts=[80.0], post=True
        )

    def as_user(self, user, records):
        return records.with_user(user).with_company(self.company)

    def test_csm_reads_the_invoices_of_their_portfolio_only(self):
        Move = self.as_user(self.user_cs, self.env["account.move"])
        invoices = self.mine_invoice | self.their_invoice | self.bill
        self.assertEqual(Move.search([("id", "in", invoices.ids)]), self.mine_invoice)
        # the invoice opens as the web client opens it, lines included
        form = Form(self.as_user(self.user_cs, self.mine_invoice))
        self.assertEqual(form.partner_id, self.mine_invoice.partner_id)
        self.assertEqual(len(form.invoice_line_ids), 1)
        for other in (self.their_invoice, self.bill):
            with (
                self.subTest(move=other.display_name),
                self.assertRaises(AccessError),
                mute_logger("odoo.addons.base.models.ir_rule"),
            ):
                self.as_user(self.user_cs, other).read(["name"])
        # the other CSM the other way round
        Other = self.as_user(self.user_cs_other, self.env["account.move"])
        self.assertEqual(Other.search([("id", "in", invoices.ids)]), self.their_invoice)

    def test_csm_reads_the_reconciliations_of_their_portfolio_only(self):
        """The payments widget reads the invoice's reconciliations: a CSM
        reads those of their portfolio's invoices, an accountant all."""
        self.pay(self.mine_invoice, self.day(1))
        self.pay(self.their_invoice, self.day(1))
        Partial = self.env["account.partial.reconcile"]
        mine = self.mine_invoice.line_ids.matched_credit_ids
        theirs = self.their_invoice.line_ids.matched_credit_ids
        self.assertTrue(mine and theirs)
        visible = self.as_user(self.user_cs, Partial).search(
            [("id", "in", (mine | theirs).ids)]
        )
        self.assertEqual(visible, mine)
        for user in (self.accountant_cs, self.user_cs_manager):
            with self.subTest(user=user.name):
                self.assertEqual(
                    self.as_user(user, Partial).search(
                        [("id", "in", (mine | theirs).ids)]
                    ),
                    mine | theirs,
                )

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_csm_cannot_change_or_post_invoices(self):
        draft = self.create_invoice(amount=120.0, post=False)
        for invoice in (self.mine_invoice, draft):
            as_csm = self.as_user(self.user_cs, invoice)
            with self.subTest(state=invoice.state):
                with self.assertRaises(AccessError):
                    as_csm.write({"ref": "changed"})
                with self.assertRaises(AccessError):
                    as_csm.unlink()
        with self.assertRaises(AccessError):
            self.as_user(self.user_cs, draft).action_post()
        with self.assertRaises(AccessError):
            self.as_user(self.user_cs, self.mine_invoice).button_draft()
        with self.assertRaises(AccessError):
            self.as_user(self.user_cs, self.env["account.move"]).create(
                {"move_type": "out_invoice", "partner_id": self.customer.id}
            )
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.mine_invoice.state, "posted")
        self.assertFalse(self.mine_invoice.ref)

    def test_csm_pauses_and_resumes_the_reminders_of_their_invoices(self):
        """Pausing the dunning is the billing conversation: the buttons on
        the invoice work for the CSM, on their portfolio's invoices."""
        as_csm = self.as_user(self.user_cs, self.mine_invoice)
        action = as_csm.action_cs_pause_dunning()
        wizard = Form(
            self.as_user(self.user_cs, self.env[action["res_model"]]).with_context(
                **action["context"]
            )
        )
        wizard.reason = "Cliente negociando"
        wizard.save().action_pause()
        self.assertTrue(self.mine_invoice.dunning_paused)
        as_csm.action_cs_resume_dunning()
        self.assertFalse(self.mine_invoice.dunning_paused)
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            self.as_user(self.user_cs, self.their_invoice).action_cs_resume_dunning()

    def test_csm_sends_the_next_reminder_of_their_invoices(self):
        self.run_dunning(self.day(-5))
        self.assertEqual(self.mine_invoice.cs_dunning_step_id.offset_days, -5)
        with freeze_time(self.day(0)):
            self.as_user(self.user_cs, self.mine_invoice).action_cs_send_next_reminder()
        self.assertEqual(self.mine_invoice.cs_dunning_step_id.offset_days, 0)
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            self.as_user(
                self.user_cs, self.their_invoice
            ).action_cs_send_next_reminder()
        self.assertEqual(self.their_invoice.cs_dunning_step_id.offset_days, -5)

    def test_payments_and_orders_follow_the_portfolio(self):
        payments = self.pay(self.mine_invoice, self.day(1), amount=100.0) | self.pay(
            self.their_invoice, self.day(1), amount=100.0
        )
        mine = payments.filtered(lambda p: p.partner_id == self.customer)
        Payment = self.as_user(self.user_cs, self.env["account.payment"])
        self.assertEqual(Payment.search([("id", "in", payments.ids)]), mine)
        self.assertEqual(Payment.browse(mine.ids).amount, 100.0)
        # the invoice opens, partly paid
        Form(self.as_user(self.user_cs, self.mine_invoice))
        invoice = self.as_user(self.user_cs, self.mine_invoice)
        self.assertEqual(invoice.amount_residual, 200.0)
        self.assertEqual(invoice.payment_state, "partial")
        Manager = self.as_user(self.user_cs_manager, self.env["account.payment"])
        self.assertEqual(Manager.search([("id", "in", payments.ids)]), payments)
        Accountant = self.as_user(self.accountant_cs, self.env["account.payment"])
        self.assertEqual(Accountant.search([("id", "in", payments.ids)]), payments)
        with (
            mute_logger("odoo.addons.base.models.ir_model"),
            self.assertRaises(AccessError),
        ):
            Payment.browse(mine.ids).write({"memo": "changed"})
        orders = (
            self.env["sale.order"]
            .sudo()
            .create(
                [
                    {"partner_id": partner.id, "company_id": self.company.id}
                    for partner in (self.customer, self.theirs)
                ]
            )
        )
        Order = self.as_user(self.user_cs, self.env["sale.order"])
        self.assertEqual(
            Order.search([("id", "in", orders.ids)]).partner_id, self.customer
        )
        self.assertEqual(
            len(
                self.as_user(self.user_cs_manager, orders).search(
                    [("id", "in", orders.ids)]
                )
            ),
            2,
        )

    def test_manager_reads_every_customer_invoice_but_no_vendor_bill(self):
        Move = self.as_user(self.user_cs_manager, self.env["account.move"])
        invoices = self.mine_invoice | self.their_invoice | self.bill
        self.assertEqual(
            Move.search([("id", "in", invoices.ids)]),
            self.mine_invoice | self.their_invoice,
        )
        with (
            mute_logger("odoo.addons.base.models.ir_model"),
            self.assertRaises(AccessError),
        ):
            Move.browse(self.their_invoice.ids).write({"ref": "changed"})

    def test_accountants_keep_every_entry(self):
        invoices = self.mine_invoice | self.their_invoice | self.bill
        for user in (self.user_accountant, self.accountant_cs):
            with self.subTest(user=user.login):
                Move = self.as_user(user, self.env["account.move"])
                self.assertEqual(Move.search([("id", "in", invoices.ids)]), invoices)
                Move.browse(self.their_invoice.ids).write({"ref": user.login})
                Log = self.as_user(user, self.env["cs.dunning.log"])
                self.assertTrue(Log.has_access("read"))

    def test_dunning_log_opens_the_invoices_it_lists(self):
        self.run_dunning(self.day(3))
        logs = self.env["cs.dunning.log"].search(
            [("move_id", "in", (self.mine_invoice | self.their_invoice).ids)]
        )
        self.assertEqual(logs.move_id, self.mine_invoice | self.their_invoice)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_dunning_log_action"
        )
        for user, invoice in (
            (self.user_cs, self.mine_invoice),
            (self.user_cs_other, self.their_invoice),
        ):
            with self.subTest(user=user.login):
                Log = self.as_user(user, self.env["cs.dunning.log"])
                listed = Log.search(action.get("domain") or [])
                self.assertEqual(
                    listed.filtered(lambda log: log in logs).move_id, invoice
                )
                # the invoice link of every listed log opens
                for move in listed.move_id:
                    Form(move)

    def test_invoices_in_dunning_menu_lists_the_portfolio(self):
        self.run_dunning(self.day(3))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.account_move_action_dunning"
        )
        domain = ast.literal_eval(action["domain"])
        for user, expected in (
            (self.user_cs, self.mine_invoice),
            (self.user_cs_other, self.their_invoice),
            (self.user_cs_manager, self.mine_invoice | self.their_invoice),
        ):
            with self.subTest(user=user.login):
                Move = self.as_user(user, self.env["account.move"])
                found = Move.search(
                    [
                        *domain,
                        ("id", "in", (self.mine_invoice | self.their_invoice).ids),
                    ]
                )
                self.assertEqual(found, expected)
                # the list view of the menu loads for the user
                Move.web_search_read(
                    domain,
                    specification={"name": {}, "cs_dunning_step_id": {"fields": {}}},
                )


@tagged("post_install", "-at_install")
class TestDashboardScope(BillingScopeCommon):
    """Every figure of the dashboard counts the records its click opens, for
    whoever looks: a CSM, another CSM, a manager, an accountant in the
    team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        month = cls.DUE.replace(day=1)
        Movement = cls.env["cs.mrr.movement"]
        Movement._write_month(
            cls.company,
            month - relativedelta(months=1),
            {cls.customer: (100.0, 0.0), cls.theirs: (400.0, 0.0)},
        )
        Movement._write_month(
            cls.company, month, {cls.customer: (120.0, 0.0), cls.theirs: (400.0, 0.0)}
        )
        cls.env["cs.onboarding"].sudo().create(
            {
                "partner_id": cls.theirs.id,
                "user_id": cls.user_cs_other.id,
                "company_id": cls.company.id,
            }
        )

    def data(self, user):
        with freeze_time(self.day(3)):
            return (
                self.env["cs.dashboard"]
                .with_user(user)
                .with_company(self.company)
                .get_data()
            )

    def opened(self, user, action):
        """The records the action of a figure opens for ``user``."""
        return (
            self.env[action["res_model"]]
            .with_user(user)
            .with_company(self.company)
            .with_context(**action.get("context") or {})
            .search(action["domain"])
        )

    def test_each_block_counts_what_it_opens(self):
        self.run_dunning(self.day(3))
        scopes = {
            self.user_cs: (self.customer, 120.0, 300.0),
            self.user_cs_other: (self.theirs, 400.0, 500.0),
            self.user_cs_manager: (self.customer | self.theirs, 520.0, 800.0),
            self.accountant_cs: (self.customer | self.theirs, 520.0, 800.0),
        }
        for user, (customers, mrr, dunning) in scopes.items():
            with self.subTest(user=user.login), freeze_time(self.day(3)):
                data = self.data(user)
                cards = {card["key"]: card for card in data["cards"]}
                # MRR and dunning: the same customers
                rows = self.opened(user, cards["mrr"]["action"])
                self.assertEqual(cards["mrr"]["value"], mrr)
                self.assertEqual(sum(rows.mapped("mrr_end")), mrr)
                self.assertEqual(rows.partner_id, customers)
                self.assertEqual(sum(row["amount"] for row in data["dunning"]), dunning)
                opened = self.env["account.move"]
                for row in data["dunning"]:
                    invoices = self.opened(user, row["action"])
                    self.assertEqual(len(invoices), row["count"])
                    self.assertEqual(
                        sum(invoices.mapped("amount_residual_signed")), row["amount"]
                    )
                    opened |= invoices
                self.assertEqual(opened.commercial_partner_id, customers)
                self.assertEqual(
                    self.data_cltv_paid(user, cards["cltv_paid"]), 0.0, "none paid yet"
                )
                for band in data["health"]:
                    self.assertEqual(
                        len(self.opened(user, band["action"])), band["count"]
                    )
                for stage in data["onboardings"]:
                    self.assertEqual(
                        len(self.opened(user, stage["action"])), stage["count"]
                    )
                at_risk = self.opened(user, data["at_risk"]["action"])
                self.assertLessEqual(
                    {customer["id"] for customer in data["at_risk"]["customers"]},
                    set(at_risk.ids),
                )
                this_month = data["mrr_trend"]["months"][-1]
                self.assertEqual(
                    sum(self.opened(user, this_month["action"]).mapped("mrr_end")),
                    this_month["mrr"],
                )

    def data_cltv_paid(self, user, card):
        """The paid CLTV recomputed from the invoices the card opens."""
        invoices = self.opened(user, card["action"])
        payers = invoices.filtered(
            lambda move: move.payment_state in ("paid", "in_payment", "partial")
        ).commercial_partner_id
        paid = sum(invoices.mapped("amount_total_signed")) - sum(
            invoices.mapped("amount_residual_signed")
        )
        self.assertAlmostEqual(card["value"], paid / len(payers) if payers else 0.0)
        return card["value"]

    def test_paid_cltv_counts_the_invoices_the_card_opens(self):
        self.pay(self.mine_invoice, self.day(1))
        self.pay(self.their_invoice, self.day(1), amount=100.0)
        for user, expected in (
            (self.user_cs, 300.0),
            (self.user_cs_other, 100.0),
            (self.user_cs_manager, 200.0),
        ):
            with self.subTest(user=user.login):
                cards = {card["key"]: card for card in self.data(user)["cards"]}
                self.assertEqual(
                    self.data_cltv_paid(user, cards["cltv_paid"]), expected
                )


@tagged("post_install", "-at_install")
class TestBillingAccessUi(AccountTestInvoicingHttpCommon):
    """A customer success user without any accounting right opens the
    dunning of their customers from the dashboard and the Billing menu."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = tour_company_env(cls.env)
        company = env.company
        cls.user_cs = new_tour_user(
            env,
            "tour_cs_billing",
            "customer_success.customer_success_group_user",
            name="Carla Souza",
        )
        other = new_test_user(
            env,
            login="tour_cs_billing_other",
            groups="customer_success.customer_success_group_user",
        )
        Partner = env["res.partner"]
        mine = Partner.create(
            {
                "name": "Cobrança Minha Ltda",
                "is_company": True,
                "email": "financeiro@minha.example.com",
                "csm_id": cls.user_cs.id,
            }
        )
        theirs = Partner.create(
            {"name": "Cobrança Deles Ltda", "is_company": True, "csm_id": other.id}
        )
        policy = env["cs.dunning.policy"].create(
            {
                "name": "Tour billing",
                "company_id": company.id,
                "step_ids": [
                    Command.create(
                        {
                            "name": "Tour overdue notice",
                            "offset_days": 3,
                            "action": "activity",
                        }
                    )
                ],
            }
        )
        step = policy.step_ids
        for partner, amount in ((mine, 700.0), (theirs, 900.0)):
            invoice = cls.init_invoice(
                "out_invoice", partner=partner, amounts=[amount], post=True
            )
            invoice.sudo().cs_dunning_step_id = step
            env["cs.dunning.log"].create(
                {"move_id": invoice.id, "step_id": step.id, "state": "activity"}
            )
            if partner == mine:
                cls.invoice = invoice

    def test_cs_user_opens_the_dunning_of_their_customers(self):
        self.start_tour(
            "/odoo/action-customer_success.cs_dashboard_action",
            "customer_success_billing_access",
            login="tour_cs_billing",
        )
