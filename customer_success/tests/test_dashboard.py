# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CustomerSuccessVoiceCommon

TODAY = date(2026, 5, 20)
MAY = date(2026, 5, 1)


@tagged("post_install", "-at_install")
class TestDashboard(CustomerSuccessVoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.mine = Partner.create(
            {"name": "Minha Cliente", "is_company": True, "csm_id": cls.user_cs.id}
        )
        cls.theirs = Partner.create(
            {
                "name": "Cliente Deles",
                "is_company": True,
                "csm_id": cls.user_cs_other.id,
            }
        )

    def write_months(self, customers):
        Movement = self.env["cs.mrr.movement"]
        Movement._write_month(
            self.company,
            MAY - relativedelta(months=1),
            {c: (100.0, 0.0) for c in customers},
        )
        Movement._write_month(self.company, MAY, {c: (150.0, 0.0) for c in customers})
        self.env.flush_all()

    def data(self, user):
        with freeze_time(TODAY):
            return (
                self.env["cs.dashboard"]
                .with_user(user)
                .with_company(self.company)
                .get_data()
            )

    def test_cards_carry_figures_change_and_their_records(self):
        self.write_months(self.mine | self.theirs)
        data = self.data(self.user_cs_manager)
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(len(cards), 17)
        self.assertEqual(cards["mrr"]["value"], 300.0)
        self.assertEqual(cards["mrr"]["delta"], 100.0)
        self.assertTrue(cards["mrr"]["good"])
        self.assertEqual(cards["net_revenue_retention"]["value"], 150.0)
        for card in cards.values():
            with self.subTest(card=card["key"]):
                action = card["action"]
                self.assertEqual(action["type"], "ir.actions.act_window")
                # the list behind the card opens for this user
                self.env[action["res_model"]].with_user(self.user_cs_manager).search(
                    action["domain"], limit=1
                )
        may = data["mrr_trend"]["months"][-1]
        self.assertEqual(may["mrr"], 300.0)
        self.assertEqual(may["movements"], {"expansion": 100.0})
        self.assertEqual(len(data["mrr_trend"]["months"]), 12)
        self.assertEqual(data["cohorts"][0]["size"], 2)
        self.assertEqual(data["cohorts"][0]["cells"][0]["customers"], 100.0)
        self.assertEqual(data["cohorts"][0]["cells"][0]["mrr"], 150.0)

    def test_save_rate_of_the_requests_decided_this_month(self):
        Request = self.env["cs.retention.request"]
        contact = self.mine

        def decided(customer, state, on):
            subscription = self.subscribe(customer, start=date(2026, 1, 5))
            return Request.create(
                {
                    "subscription_id": subscription.id,
                    "contact_id": contact.id,
                    "csm_id": customer.csm_id.id,
                    "state": state,
                    "date_requested": on,
                    "date_decided": on,
                }
            )

        decided(self.mine, "saved", date(2026, 5, 4))
        decided(self.mine, "saved", date(2026, 5, 18))
        decided(self.theirs, "cancelled", date(2026, 5, 10))
        decided(self.theirs, "cancelled", date(2026, 4, 28))
        # under way, or decided after this month: not counted
        decided(self.mine, "offered", date(2026, 5, 19))
        decided(self.mine, "cancelled", date(2026, 6, 2))
        cards = {c["key"]: c for c in self.data(self.user_cs_manager)["cards"]}
        self.assertEqual(cards["save_rate"]["value"], 66.7)
        self.assertEqual(cards["save_rate"]["delta"], 66.7)
        self.assertTrue(cards["save_rate"]["good"])
        # a success manager: the requests of their portfolio only
        cards = {c["key"]: c for c in self.data(self.user_cs)["cards"]}
        self.assertEqual(cards["save_rate"]["value"], 100.0)
        self.assertIsNone(cards["save_rate"]["delta"])

    def test_csm_table_counts_calls_to_action_closed_in_time_and_saved(self):
        self.write_months(self.mine | self.theirs)
        Cta = self.env["cs.cta"]
        for due, closing in ((date(2026, 5, 25), "saved"), (date(2026, 5, 2), "lost")):
            cta = Cta.create(
                {
                    "partner_id": self.mine.id,
                    "company_id": self.company.id,
                    "user_id": self.user_cs.id,
                    "cta_type": "risk",
                    "date_due": due,
                }
            )
            with freeze_time(TODAY):
                getattr(cta, f"action_close_{closing}")()
        rows = {row["name"]: row for row in self.data(self.user_cs_manager)["csms"]}
        self.assertEqual(rows["Carla Souza"]["cta_in_time"], 50.0)
        self.assertEqual(rows["Carla Souza"]["cta_saved_rate"], 50.0)
        self.assertIsNone(rows["Otávio Lima"]["cta_in_time"])

    def test_a_csm_sees_the_figures_of_their_portfolio(self):
        self.write_months(self.mine | self.theirs)
        cards = {c["key"]: c for c in self.data(self.user_cs)["cards"]}
        self.assertEqual(cards["mrr"]["value"], 150.0)
        rows = {row["name"]: row for row in self.data(self.user_cs_manager)["csms"]}
        self.assertEqual(rows["Otávio Lima"]["mrr"], 150.0)
        self.assertEqual(rows["Carla Souza"]["mrr"], 150.0)

    def test_users_without_customer_success_rights_get_nothing(self):
        with self.assertRaises(AccessError):
            self.data(self.user_internal)

    def test_dashboard_queries_do_not_grow_with_customers(self):
        Partner = self.env["res.partner"]
        counts = []
        for size in (3, 12):
            customers = Partner.create(
                [
                    {
                        "name": f"C{size}-{n}",
                        "is_company": True,
                        "csm_id": self.user_cs.id,
                    }
                    for n in range(size)
                ]
            )
            self.write_months(customers)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.data(self.user_cs_manager)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertLessEqual(counts[1], counts[0] + 2, counts)

    def test_health_counts_customers_not_scored_yet_apart(self):
        Partner = self.env["res.partner"]
        self.subscribe(self.mine)  # rated by the cron, never scored
        red = Partner.create({"name": "Vermelha", "is_company": True})
        self.theirs.write({"health_band": "green", "health_score": 80.0})
        red.write({"health_band": "red", "health_score": 30.0})
        data = self.data(self.user_cs_manager)
        bands = {band["band"]: band for band in data["health"]}
        self.assertEqual(list(bands), ["green", "yellow", "red", "none"])
        self.assertEqual(bands["none"]["label"], "Not scored yet")
        self.assertEqual(bands["none"]["count"], 1)
        self.assertEqual(Partner.search(bands["none"]["action"]["domain"]), self.mine)
        self.assertEqual(bands["green"]["count"], 1)
        self.assertEqual(data["health_average"], 55.0, "(80 + 30) / 2")
