# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CustomerSuccessCommon

TODAY = date(2026, 12, 4)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestHealthValidation(CustomerSuccessCommon):
    """Health Validation on a history built by hand. Today is 4 December
    2026, the horizon 90 days: the month-ends of the last 12 months whose
    horizon has passed are 31 December 2025 to 31 August 2026 (31 August
    + 90 days = 29 November). Churn months (cs.mrr.movement, churned = 1)
    count when they start after the month-end and before it + 90 days.

    The lines (customer, month-end, band, churned):

    ====  ==========  ======  =======  ========================================
    who   month-end   band    churned  why
    ====  ==========  ======  =======  ========================================
    A     2026-01-31  red     1        churn in March (1 March < 1 May)
    B     2026-01-31  red     0        no churn
    C     2026-01-31  yellow  0        churn in May: 1 May is not < 1 May
    D     2026-01-31  green   1        churn in February
    E     2026-01-31  green   0
    F     2026-01-31  green   0
    A     2026-05-31  red     1        came back in April, churned again in July
    E     2026-05-31  green   0
    ====  ==========  ======  =======  ========================================

    Not lines: G red on 2026-10-31 (its horizon ends in January 2027), H on
    2026-01-15 (not a month-end), I on 2026-01-31 without data (no band).

    Per band: red 3 lines, 2 churned: 66.7%; yellow 1, 0: 0%; green 4
    (D, E, F, E), 1: 25%. Lift of red over green 66.67 / 25 = 2.67 ->
    "2.7 times". Recall: of the 3 churned lines, 2 were red and 0 yellow:
    66.7%. Precision: of the 3 red lines, 2 churned: 66.7%.

    Churns in the period (months after 2026-01-31 and before 2026-08-31 +
    90 days): A in March, D in February, C in May, A in July: 4, fewer than
    20: the notice says the figures are not reliable yet.

    Usage, who stayed: B 30, C 50, E 90, F 70, E 100: 68.0; who left: A 20,
    D 80, A 10: 36.7. NPS (no data for C and for E in May), stayed: B 50,
    E 100, F 50: 66.7; left: A 0, D 100, A 0: 33.3.

    Touch models: A, B, C are tech touch (red 3 lines 2 churned, yellow 1
    line none, no green: no lift), D, E, F high touch (green 4 lines, 1
    churned: 25%). Success managers: Carla looks after A and B (red 3
    lines, 2 churned), Marina after the others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech = cls.env.ref("customer_success.cs_touch_model_tech")
        cls.high = cls.env.ref("customer_success.cs_touch_model_high")
        Partner = cls.env["res.partner"]
        cls.customers = {
            name: Partner.create(
                {
                    "name": f"Cliente {name}",
                    "is_company": True,
                    "csm_id": (cls.user_cs if name in "AB" else cls.user_cs_manager).id,
                    "touch_model_id": (cls.tech if name in "ABC" else cls.high).id,
                }
            )
            for name in "ABCDEFGHI"
        }
        snapshots = [
            ("A", "2026-01-31", "red", 20, 0),
            ("B", "2026-01-31", "red", 30, 50),
            ("C", "2026-01-31", "yellow", 50, None),
            ("D", "2026-01-31", "green", 80, 100),
            ("E", "2026-01-31", "green", 90, 100),
            ("F", "2026-01-31", "green", 70, 50),
            ("A", "2026-05-31", "red", 10, 0),
            ("E", "2026-05-31", "green", 100, None),
            ("G", "2026-10-31", "red", 10, 0),
            ("H", "2026-01-15", "red", 10, 0),
            ("I", "2026-01-31", False, None, None),
        ]
        # sudo: snapshots and MRR movements are written by the daily runs
        cls.env["cs.health.snapshot"].sudo().create(
            [
                {
                    "partner_id": cls.customers[name].id,
                    "company_id": cls.company.id,
                    "date": day,
                    "band": band,
                    "score": usage,
                    "factor_scores": {
                        "usage": {"score": usage, "weight": 50.0},
                        "nps": {"score": nps, "weight": 50.0},
                    },
                    "csm_id": cls.customers[name].csm_id.id,
                    "touch_model_id": cls.customers[name].touch_model_id.id,
                }
                for name, day, band, usage, nps in snapshots
            ]
        )
        cls.env["cs.mrr.movement"].sudo().create(
            [
                {
                    "partner_id": cls.customers[name].id,
                    "company_id": cls.company.id,
                    "month": month,
                    "movement": "churn",
                    "churned": 1,
                }
                for name, month in (
                    ("A", "2026-03-01"),
                    ("C", "2026-05-01"),
                    ("D", "2026-02-01"),
                    ("A", "2026-07-01"),
                )
            ]
            + [
                {
                    "partner_id": cls.customers["A"].id,
                    "company_id": cls.company.id,
                    "month": "2026-04-01",
                    "movement": "reactivation",
                    "reactivated": 1,
                }
            ]
        )

    def open_report(self, user=None):
        env = self.env(user=user) if user else self.env
        action = env.ref("customer_success.cs_health_validation_report_action").run()
        return env[action["res_model"]].browse(action["res_id"])

    def line_keys(self, lines):
        names = {customer: name for name, customer in self.customers.items()}
        return sorted(
            (names[line.partner_id], str(line.month_end), line.band, line.churned)
            for line in lines
        )

    def test_lines_are_the_scored_month_ends_with_their_churn(self):
        lines = self.env["cs.health.validation"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            self.line_keys(lines),
            [
                ("A", "2026-01-31", "red", 1),
                ("A", "2026-05-31", "red", 1),
                ("B", "2026-01-31", "red", 0),
                ("C", "2026-01-31", "yellow", 0),
                ("D", "2026-01-31", "green", 1),
                ("E", "2026-01-31", "green", 0),
                ("E", "2026-05-31", "green", 0),
                ("F", "2026-01-31", "green", 0),
            ],
        )

    def test_figures_worked_out_by_hand(self):
        report = self.open_report(self.user_cs_manager)
        figures = report._get_figures()
        bands = figures["bands"]
        self.assertEqual(
            {band: (v["count"], v["churned"]) for band, v in bands.items()},
            {"red": (3, 2), "yellow": (1, 0), "green": (4, 1)},
        )
        self.assertAlmostEqual(bands["red"]["rate"], 200 / 3)
        self.assertAlmostEqual(bands["green"]["rate"], 25.0)
        self.assertAlmostEqual(figures["lift"], 8 / 3)
        self.assertAlmostEqual(figures["recall"], 200 / 3)
        self.assertAlmostEqual(figures["precision"], 200 / 3)
        self.assertEqual(figures["churn_count"], 4)
        self.assertEqual(
            (figures["date_from"], figures["date_to"]),
            (date(2026, 1, 31), date(2026, 5, 31)),
        )
        self.assertEqual(
            report.summary,
            "Customers in red churned 2.7 times as often as customers in green "
            "over the last 12 months.",
        )
        self.assertIn("Only 4 churns in the period", report.notice)
        factors = {name: (stayed, left) for name, stayed, left in figures["factors"]}
        usage = factors[self.env.ref("customer_success.cs_health_factor_usage").name]
        nps = factors[self.env.ref("customer_success.cs_health_factor_nps").name]
        self.assertAlmostEqual(usage[0], 68.0)
        self.assertAlmostEqual(usage[1], 110 / 3)
        self.assertAlmostEqual(nps[0], 200 / 3)
        self.assertAlmostEqual(nps[1], 100 / 3)
        touch = dict(figures["touch_models"])
        self.assertEqual(
            {
                b: (v["count"], v["churned"])
                for b, v in touch[self.tech]["bands"].items()
            },
            {"red": (3, 2), "yellow": (1, 0), "green": (0, 0)},
        )
        self.assertIsNone(touch[self.tech]["lift"])
        self.assertAlmostEqual(touch[self.high]["bands"]["green"]["rate"], 25.0)
        csms = dict(figures["csms"])
        self.assertEqual(csms[self.user_cs]["count"], 3)
        self.assertEqual(csms[self.user_cs_manager]["count"], 5)
        # the page says it, in the tables the manager reads
        self.assertIn("66.7", report.figures_html)
        self.assertIn("Per success manager", report.figures_html)

    def test_success_manager_sees_their_portfolio_only(self):
        """Carla looks after A and B: her figures are theirs, without the
        table per success manager."""
        report = self.open_report(self.user_cs)
        figures = report._get_figures()
        self.assertEqual(figures["count"], 3)
        self.assertEqual(figures["churned"], 2)
        self.assertEqual(figures["csms"], [])
        self.assertNotIn("Per success manager", report.figures_html)
        action = report.with_context(validation_band="red").action_open_lines()
        lines = (
            self.env["cs.health.validation"]
            .with_user(self.user_cs)
            .search(action["domain"])
        )
        self.assertEqual(
            self.line_keys(lines),
            [
                ("A", "2026-01-31", "red", 1),
                ("A", "2026-05-31", "red", 1),
                ("B", "2026-01-31", "red", 0),
            ],
        )

    def test_longer_horizon_counts_the_later_churn(self):
        """With 120 days, C's churn in May (before 31 January + 120 days =
        31 May) counts; only 31 December to 31 July 2026 have their horizon
        passed."""
        self.company.cs_health_horizon = 120
        line = self.env["cs.health.validation"].search(
            [("partner_id", "=", self.customers["C"].id)]
        )
        self.assertEqual(line.churned, 1)
        self.assertEqual(line.churn_month, date(2026, 5, 1))

    def test_month_end_waits_for_its_last_month_to_close(self):
        """G's snapshot of 30 September: with 60 days the last month counted
        is November (30 September + 59 days = 28 November), closed on 1
        December: the line shows. With 65 days it is December (3 December),
        still open on 4 December: whether G churns is not known, no line,
        although 30 September + 65 days is today."""
        self.env["cs.health.snapshot"].sudo().create(
            {
                "partner_id": self.customers["G"].id,
                "company_id": self.company.id,
                "date": "2026-09-30",
                "band": "red",
                "score": 10.0,
            }
        )
        Validation = self.env["cs.health.validation"]
        domain = [("partner_id", "=", self.customers["G"].id)]
        self.company.cs_health_horizon = 60
        self.assertEqual(Validation.search(domain).month_end, date(2026, 9, 30))
        self.company.cs_health_horizon = 65
        self.assertFalse(Validation.search(domain))

    def test_bad_horizon_is_refused_and_kept(self):
        for days in (0, -5, 366):
            with self.assertRaises(ValidationError):
                self.company.cs_health_horizon = days
        self.assertEqual(self.company.cs_health_horizon, 90)

    def test_no_history_says_so(self):
        other = self.env["res.company"].create({"name": "Empresa Nova"})
        self.env.user.company_ids |= other
        report = (
            self.env["cs.health.validation.report"]
            .with_company(other)
            .create({"company_id": other.id})
        )
        self.assertIn("No month-end of the last 12 months", report.summary)
        self.assertFalse(report.notice)
        self.assertEqual(report._get_figures()["churn_count"], 0)

    def count_queries(self, report):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        report._get_figures()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_customers(self):
        """One grouped query reads every figure: ten more customers with
        their touch model and success manager cost no query more."""
        report = self.open_report(self.user_cs_manager)
        # the first call reads what the registry caches after (the rules)
        self.count_queries(report)
        before = self.count_queries(report)
        Partner = self.env["res.partner"]
        extra = Partner.create(
            [
                {
                    "name": f"Cliente extra {index}",
                    "is_company": True,
                    "csm_id": self.user_cs_other.id,
                    "touch_model_id": self.tech.id,
                }
                for index in range(10)
            ]
        )
        self.env["cs.health.snapshot"].sudo().create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "date": "2026-03-31",
                    "band": "yellow",
                    "score": 50.0,
                    "factor_scores": {"usage": {"score": 50.0, "weight": 100.0}},
                    "csm_id": customer.csm_id.id,
                    "touch_model_id": customer.touch_model_id.id,
                }
                for customer in extra
            ]
        )
        figures = report._get_figures()
        self.assertEqual(figures["bands"]["yellow"]["count"], 11)
        self.assertEqual(self.count_queries(report), before)
        self.assertLessEqual(before, 12)
