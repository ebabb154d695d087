# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command
from odoo.tests import tagged

from .common import CustomerSuccessVoiceCommon

JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))


@tagged("post_install", "-at_install")
class TestRecurringMetrics(CustomerSuccessVoiceCommon):
    """A dozen subscriptions over four months, with an upgrade, a downgrade,
    a pause, churns and a reactivation; every KPI worked out by hand.

    MRR at each month's end (weekly plan: 10 x 52.1775 / 12 = 43.48):

    ======== ===== ===== ===== ===== =========================================
    customer  Jan   Feb   Mar   Apr  what happens
    ======== ===== ===== ===== ===== =========================================
    A          100   150   150   150 monthly, upgraded to 150 on Feb 10
    B          200   200   120   120 monthly, downgraded to 120 on Mar 15
    C          100   100   100   100 annual 1,200
    D          100   100     0     0 quarterly 300, closed Mar 10 (churn)
    E           50  (50)  (50)    50 monthly, paused Feb 15, resumed Apr 5
    F            -    80    80    80 monthly from Feb 3 (new)
    G           60     0     0    70 closed Feb 12; a new 70 on Apr 2
    H            -     -   100   100 semiannual 600 from Mar 1 (new)
    I        43.48 43.48 43.48 43.48 weekly 10
    K           90    90    90    90 monthly
    L           90    90    90     0 monthly, closed Apr 20 (churn)
    ======== ===== ===== ===== ===== =========================================
    MRR      833.48 853.48 773.48 803.48
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["sale.subscription.template"]
        cls.templates = {
            "monthly": cls.monthly,
            "annual": Template.create(
                {
                    "name": "Anual",
                    "recurring_rule_type": "years",
                    "recurring_interval": 1,
                }
            ),
            "quarterly": Template.create(
                {
                    "name": "Trimestral",
                    "recurring_rule_type": "months",
                    "recurring_interval": 3,
                }
            ),
            "semiannual": Template.create(
                {
                    "name": "Semestral",
                    "recurring_rule_type": "months",
                    "recurring_interval": 6,
                }
            ),
            "weekly": Template.create(
                {
                    "name": "Semanal",
                    "recurring_rule_type": "weeks",
                    "recurring_interval": 1,
                }
            ),
        }
        cls.c = {
            key: cls.env["res.partner"].create(
                {
                    "name": f"Cliente {key}",
                    "is_company": True,
                    "csm_id": cls.user_cs.id,
                }
            )
            for key in "ABCDEFGHIKL"
        }

    def sub(self, key, price, on, template="monthly"):
        return self.subscribe(self.c[key], price, on, self.templates[template])

    def at(self, day, function, *args):
        with freeze_time(day):
            function(*args)
        self.env.flush_all()

    def run_mrr(self, day):
        self.env.flush_all()
        with freeze_time(day):
            self.env["cs.mrr.movement"].with_user(SUPERUSER_ID)._cron_cs_mrr()
        self.env.flush_all()

    def kpis(self, month):
        return self.env["cs.mrr.movement"]._kpis(self.company, month)

    def build(self):
        subs = {}
        for key, price, day, template in (
            ("K", 90, date(2026, 1, 2), "monthly"),
            ("L", 90, date(2026, 1, 2), "monthly"),
            ("A", 100, date(2026, 1, 5), "monthly"),
            ("G", 60, date(2026, 1, 8), "monthly"),
            ("B", 200, date(2026, 1, 10), "monthly"),
            ("I", 10, date(2026, 1, 12), "weekly"),
            ("C", 1200, date(2026, 1, 15), "annual"),
            ("D", 300, date(2026, 1, 20), "quarterly"),
            ("E", 50, date(2026, 1, 25), "monthly"),
        ):
            subs[key] = self.sub(key, price, day, template)
        self.run_mrr(date(2026, 1, 31))
        subs["F"] = self.sub("F", 80, date(2026, 2, 3))
        self.at(date(2026, 2, 10), self.reprice, subs["A"], 150)
        self.at(date(2026, 2, 12), subs["G"].close_subscription)
        self.at(date(2026, 2, 15), subs["E"].write, {"is_paused": True})
        self.run_mrr(date(2026, 2, 28))
        subs["H"] = self.sub("H", 600, date(2026, 3, 1), "semiannual")
        self.at(date(2026, 3, 10), subs["D"].close_subscription)
        self.at(date(2026, 3, 15), self.reprice, subs["B"], 120)
        self.run_mrr(date(2026, 3, 31))
        subs["G2"] = self.sub("G", 70, date(2026, 4, 2))
        self.at(date(2026, 4, 5), subs["E"].write, {"is_paused": False})
        self.at(date(2026, 4, 20), subs["L"].close_subscription)
        self.run_mrr(date(2026, 4, 30))
        return subs

    def reprice(self, subscription, price):
        subscription.sale_subscription_line_ids.price_unit = price

    def test_mrr_arr_and_paused_per_subscription(self):
        subs = self.build()
        self.assertEqual(subs["C"].cs_mrr, 100.0)
        self.assertEqual(subs["C"].cs_arr, 1200.0)
        self.assertEqual(subs["D"].cs_mrr, 0.0, "closed")
        self.assertEqual(subs["H"].cs_mrr, 100.0)
        self.assertEqual(subs["I"].cs_mrr, 43.48)
        self.assertEqual(subs["A"].cs_mrr, 150.0)
        self.assertEqual(subs["E"].cs_mrr, 50.0)
        with freeze_time(date(2026, 5, 2)):
            subs["E"].is_paused = True
        self.assertEqual(subs["E"].cs_mrr, 0.0)
        self.assertEqual(subs["E"].cs_paused_mrr, 50.0)

    def test_churn_facts(self):
        subs = self.build()
        self.assertEqual(subs["D"].cs_close_date, date(2026, 3, 10))
        self.assertTrue(subs["G2"].cs_is_reactivation)
        self.assertFalse(subs["F"].cs_is_reactivation)
        self.assertFalse(subs["A"].cs_is_reactivation)

    def test_movements_classified_month_by_month(self):
        self.build()
        rows = {
            (row.partner_id.name[-1], row.month): row
            for row in self.env["cs.mrr.movement"].search(
                [("company_id", "=", self.company.id)]
            )
        }
        expected = {
            ("A", JAN): ("new", 100), ("A", FEB): ("expansion", 50),
            ("B", MAR): ("contraction", -80), ("D", MAR): ("churn", -100),
            ("E", FEB): ("pause", -50), ("E", MAR): ("flat", 0),
            ("E", APR): ("resume", 50), ("F", FEB): ("new", 80),
            ("G", FEB): ("churn", -60), ("G", APR): ("reactivation", 70),
            ("H", MAR): ("new", 100), ("L", APR): ("churn", -90),
            ("K", APR): ("flat", 0),
        }  # fmt: skip
        for key, (movement, change) in expected.items():
            with self.subTest(row=key):
                self.assertEqual(rows[key].movement, movement)
                self.assertAlmostEqual(rows[key].change, change)
        self.assertNotIn(("G", MAR), rows, "gone and still gone: no row")
        # the month's re-run replaces its rows
        self.run_mrr(date(2026, 4, 30))
        self.assertEqual(
            self.env["cs.mrr.movement"].search_count(
                [("company_id", "=", self.company.id), ("month", "=", APR)]
            ),
            10,
        )

    def test_kpis_by_hand(self):
        self.build()
        jan, feb, mar, apr = (self.kpis(month) for month in (JAN, FEB, MAR, APR))
        # January: 9 new customers, 833.48
        self.assertAlmostEqual(jan["mrr"], 833.48)
        self.assertAlmostEqual(jan["arr"], 10001.76)
        self.assertEqual(jan["new_customers"], 9)
        self.assertAlmostEqual(jan["arpu"], 833.48 / 9)
        self.assertEqual(jan["logo_churn_rate"], 0.0)
        # February: A +50, G -60 (churn), E paused (-50, not churn), F +80
        self.assertAlmostEqual(feb["mrr"], 853.48)
        self.assertAlmostEqual(feb["paused_mrr"], 50.0)
        self.assertEqual(feb["paying_customers"], 8)
        self.assertAlmostEqual(feb["arpu"], 853.48 / 8)
        self.assertAlmostEqual(feb["logo_churn_rate"], 100 / 9)  # 1 of 9
        self.assertAlmostEqual(feb["revenue_churn_rate"], 60 / 833.48 * 100)
        self.assertAlmostEqual(
            feb["net_revenue_retention"], (833.48 + 50 - 60) / 833.48 * 100
        )
        self.assertAlmostEqual(feb["cltv"], (853.48 / 8) / (1 / 9))
        # March: B -80, D -100 (churn), H +100
        self.assertAlmostEqual(mar["mrr"], 773.48)
        self.assertAlmostEqual(mar["logo_churn_rate"], 12.5)  # 1 of 8
        self.assertAlmostEqual(mar["revenue_churn_rate"], 180 / 853.48 * 100)
        self.assertAlmostEqual(
            mar["net_revenue_retention"], (853.48 - 180) / 853.48 * 100
        )
        # up for renewal in March: the monthly A, B, E, F, K, L and the
        # weekly I (D's quarter ends on Apr 20, C's year in 2027): 7 of 7
        self.assertEqual(mar["renewal_rate"], 100.0)
        # April: L -90 (churn), G back (+70), E resumed (+50)
        self.assertAlmostEqual(apr["mrr"], 803.48)
        self.assertEqual(apr["reactivated_customers"], 1)
        self.assertEqual(apr["paying_customers"], 9)
        self.assertAlmostEqual(apr["revenue_churn_rate"], 90 / 773.48 * 100)
        # up in April: A, B, E, F, I, K, L; L closed on Apr 20: 6 of 7
        self.assertAlmostEqual(apr["renewal_rate"], 6 / 7 * 100)

    def test_nps_ttv_and_paid_cltv_per_month(self):
        self.build()
        # sudo: responses come from answered surveys, created by the system
        Response = self.env["cs.nps.response"].sudo()
        Response.create(
            [
                {"partner_id": self.c[k].id, "score": s, "date": date(2026, 3, d)}
                for k, s, d in (("A", 10, 3), ("B", 9, 4), ("C", 3, 5), ("K", 8, 6))
            ]
        )
        # 2 promoters, 1 detractor of 4: +25
        self.assertEqual(self.kpis(MAR)["nps"], 25.0)
        # first value: A on Mar 6 (started Jan 5: 60 days), B on Mar 20
        # (started Jan 10: 69 days): 64.5 on average in March
        first_value = self.env.ref("customer_success.cs_milestone_type_first_value")
        self.env["cs.milestone"].create(
            [
                {
                    "name": "Primeiro valor",
                    "partner_id": self.c[k].id,
                    "type_id": first_value.id,
                    "date": day,
                }
                for k, day in (("A", date(2026, 3, 6)), ("B", date(2026, 3, 20)))
            ]
        )
        self.assertEqual(self.c["A"].ttv_days, 60)
        self.assertEqual(self.kpis(MAR)["avg_ttv"], 64.5)
        self.assertIsNone(self.kpis(APR)["avg_ttv"])
        self.assertIsNone(self.kpis(FEB)["nps"])
        invoice = self.create_invoice(
            amount=300.0, due=date(2026, 2, 5), partner=self.c["A"]
        )
        self.pay(invoice, date(2026, 2, 5))
        self.create_invoice(amount=500.0, due=date(2026, 3, 5), partner=self.c["B"])
        # A paid 300; B paid nothing yet: 300 per paying customer
        self.assertEqual(self.kpis(MAR)["cltv_paid"], 300.0)

    def test_foreign_currency_is_converted(self):
        eur = self.setup_other_currency(
            "EUR", rounding=0.01, rates=[("2026-01-01", 0.5)]
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Euro", "currency_id": eur.id}
        )
        with freeze_time(date(2026, 1, 10)):
            subscription = self.env["sale.subscription"].create(
                {
                    "partner_id": self.c["A"].id,
                    "company_id": self.company.id,
                    "template_id": self.monthly.id,
                    "pricelist_id": pricelist.id,
                    "date_start": date(2026, 1, 10),
                    "sale_subscription_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 100,
                                "product_uom_qty": 1,
                            }
                        )
                    ],
                }
            )
            subscription.action_start_subscription()
        self.assertEqual(subscription.currency_id, eur)
        # 100 EUR at 0.5 EUR per company unit: 200
        self.assertEqual(subscription.cs_mrr, 200.0)

    def test_companies_are_kept_apart(self):
        self.build()
        other = self.env["res.company"].create({"name": "Outra Empresa"})
        self.run_mrr(date(2026, 4, 30))
        self.assertEqual(self.env["cs.mrr.movement"]._kpis(other, APR)["mrr"], 0.0)
        self.assertAlmostEqual(self.kpis(APR)["mrr"], 803.48)
