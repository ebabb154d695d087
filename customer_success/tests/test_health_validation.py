# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

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

    The lines (customer, month-end, band, churned; usage and NPS scores):

    ====  ==========  ======  =======  =====  ===  ============================
    who   month-end   band    churned  usage  NPS  why
    ====  ==========  ======  =======  =====  ===  ============================
    A     2026-01-31  red     1        20     0    churn in March (< 1 May)
    B     2026-01-31  red     0        30     50   no churn
    C     2026-01-31  yellow  0        50     -    churn in May: not < 1 May
    D     2026-01-31  green   1        80     100  churn in February
    E     2026-01-31  green   0        90     100
    F     2026-01-31  green   0        70     50
    A     2026-05-31  red     1        10     0    back in April, churn in July
    E     2026-05-31  green   0        100    -
    J     2026-01-31  red     1        10     90   churn in March
    K     2026-01-31  yellow  1        55     100  churn in April
    L     2026-01-31  green   0        90     20
    M     2026-01-31  green   0        80     80
    N     2026-01-31  red     0        20     20
    O     2026-01-31  green   1        90     50   churn in February
    ====  ==========  ======  =======  =====  ===  ============================

    Not lines: G red on 2026-10-31 (its horizon ends in January 2027), H on
    2026-01-15 (not a month-end), I on 2026-01-31 without data (no band).

    Per band: red 5 lines (A, B, A, J, N), 3 churned: 60%; yellow 2 (C,
    K), 1: 50%; green 7 (D, E, F, E, L, M, O), 2: 28.6%. Lift of red over
    green 60 / (200 / 7) = 2.1 -> "2.1 times". Recall: of the 6 churned
    lines, 3 were red and 1 yellow: 66.7%. Precision: of the 5 red lines, 3
    churned: 60%.

    Churns in the period (months after 2026-01-31 and before 2026-08-31 +
    90 days): A in March, D in February, C in May, A in July, J in March, K
    in April, O in February: 7, fewer than 20: the notice says the figures
    are not reliable yet.

    Usage, who stayed: B 30, C 50, E 90, F 70, E 100, L 90, M 80, N 20:
    530 / 8 = 66.25; who left: A 20, D 80, A 10, J 10, K 55, O 90: 265 / 6
    = 44.2. NPS (no data for C and for E in May), stayed: B 50, E 100, F
    50, L 20, M 80, N 20: 53.3; left: A 0, D 100, A 0, J 90, K 100, O 50:
    56.7.

    Touch models: A, B, C are tech touch (red 3 lines 2 churned, yellow 1
    line none, no green: no lift), D, E, F high touch (green 4 lines, 1
    churned: 25%), J to O self-service (red 2 lines 1 churned, yellow 1 of
    1, green 1 of 3). Success managers: Carla looks after A and B (red 3
    lines, 2 churned), Marina after the others.

    Weights of their own: tech touch usage 75, NPS 25; self-service usage
    80, NPS 20; high touch none (the company's). The company's weights are
    usage 25, NPS 15 (payment, engagement, onboarding and sentiment have no
    data on these lines: no weight), bands from 70 and from 40. Each line
    of a touch model of its own weights re-scored with the company's, (25 *
    usage + 15 * NPS) / 40, or usage alone without NPS:

    - tech touch: A 12.5 red, B 37.5 red, C 50 yellow, A 6.25 red: the
      bands its own weights gave (A 15, B 35, C 50, A 7.5). Both: no
      green, so no lift; recall 2 of 2: 100%. The same.
    - self-service: J 40 yellow (own 26 red), K 71.9 green (own 64 yellow),
      L 63.8 yellow (own 76 green), M 80 green, N 20 red, O 75 green (own
      82). Its own weights: red 1 of 2 (50%), green 1 of 3 (33.3%): lift
      1.5, recall (J red, K yellow, not O) 2 of 3: 66.7%. The company's:
      red N 0 of 1 (0%), yellow J and L 1 of 2, green K, M, O 2 of 3
      (66.7%): lift 0.0, recall (J) 1 of 3: 33.3%. Its own were better.

    Each has 3 churns in the period (tech touch: A twice, C; self-service:
    J, K, O), fewer than 20: too few to tell; from 3 churns on, the
    sentences say which weights were better."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech = cls.env.ref("customer_success.cs_touch_model_tech")
        cls.high = cls.env.ref("customer_success.cs_touch_model_high")
        cls.factors = {
            code: cls.env.ref(f"customer_success.cs_health_factor_{code}")
            for code in ("usage", "nps", "sentiment")
        }
        cls.tech.weight_ids = [cls.weight("usage", 75), cls.weight("nps", 25)]
        cls.self_service = cls.new_touch_model(
            "Autoatendimento", [cls.weight("usage", 80), cls.weight("nps", 20)]
        )
        touch_of = dict.fromkeys("ABC", cls.tech)
        touch_of.update(dict.fromkeys("JKLMNO", cls.self_service))
        Partner = cls.env["res.partner"]
        cls.customers = {
            name: Partner.create(
                {
                    "name": f"Cliente {name}",
                    "is_company": True,
                    "csm_id": (cls.user_cs if name in "AB" else cls.user_cs_manager).id,
                    "touch_model_id": touch_of.get(name, cls.high).id,
                }
            )
            for name in "ABCDEFGHIJKLMNO"
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
            ("J", "2026-01-31", "red", 10, 90),
            ("K", "2026-01-31", "yellow", 55, 100),
            ("L", "2026-01-31", "green", 90, 20),
            ("M", "2026-01-31", "green", 80, 80),
            ("N", "2026-01-31", "red", 20, 20),
            ("O", "2026-01-31", "green", 90, 50),
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
                    # the columns the daily run also fills; the ORM would
                    # write 0 for no data, the daily run leaves them empty
                    **{
                        column: value
                        for column, value in (
                            ("usage_score", usage),
                            ("nps_score", nps),
                        )
                        if value is not None
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
                    "touch_model_id": cls.customers[name].touch_model_id.id,
                    "month": month,
                    "movement": "churn",
                    "churned": 1,
                }
                for name, month in (
                    ("A", "2026-03-01"),
                    ("C", "2026-05-01"),
                    ("D", "2026-02-01"),
                    ("A", "2026-07-01"),
                    ("J", "2026-03-01"),
                    ("K", "2026-04-01"),
                    ("O", "2026-02-01"),
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

    @classmethod
    def weight(cls, code, weight):
        return Command.create({"factor_id": cls.factors[code].id, "weight": weight})

    @classmethod
    def new_touch_model(cls, name, weights):
        # a tag of its own: its rule overlaps none of the shipped models
        return cls.env["cs.touch.model"].create(
            {
                "name": name,
                "level": "tech",
                "company_id": cls.company.id,
                "tag_ids": [Command.create({"name": name})],
                "weight_ids": weights,
            }
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
                ("J", "2026-01-31", "red", 1),
                ("K", "2026-01-31", "yellow", 1),
                ("L", "2026-01-31", "green", 0),
                ("M", "2026-01-31", "green", 0),
                ("N", "2026-01-31", "red", 0),
                ("O", "2026-01-31", "green", 1),
            ],
        )

    def test_figures_worked_out_by_hand(self):
        report = self.open_report(self.user_cs_manager)
        figures = report._get_figures()
        bands = figures["bands"]
        self.assertEqual(
            {band: (v["count"], v["churned"]) for band, v in bands.items()},
            {"red": (5, 3), "yellow": (2, 1), "green": (7, 2)},
        )
        self.assertAlmostEqual(bands["red"]["rate"], 60.0)
        self.assertAlmostEqual(bands["green"]["rate"], 200 / 7)
        self.assertAlmostEqual(figures["lift"], 2.1)
        self.assertAlmostEqual(figures["recall"], 200 / 3)
        self.assertAlmostEqual(figures["precision"], 60.0)
        self.assertEqual(figures["churn_count"], 7)
        self.assertEqual(
            (figures["date_from"], figures["date_to"]),
            (date(2026, 1, 31), date(2026, 5, 31)),
        )
        self.assertEqual(
            report.summary,
            "Customers in red churned 2.1 times as often as customers in green "
            "over the last 12 months.",
        )
        self.assertIn("Only 7 churns in the period", report.notice)
        factors = {name: (stayed, left) for name, stayed, left in figures["factors"]}
        usage = factors[self.env.ref("customer_success.cs_health_factor_usage").name]
        nps = factors[self.env.ref("customer_success.cs_health_factor_nps").name]
        self.assertAlmostEqual(usage[0], 66.25)
        self.assertAlmostEqual(usage[1], 265 / 6)
        self.assertAlmostEqual(nps[0], 160 / 3)
        self.assertAlmostEqual(nps[1], 170 / 3)
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
        self.assertEqual(
            {
                b: (v["count"], v["churned"])
                for b, v in touch[self.self_service]["bands"].items()
            },
            {"red": (2, 1), "yellow": (1, 1), "green": (3, 1)},
        )
        csms = dict(figures["csms"])
        self.assertEqual(csms[self.user_cs]["count"], 3)
        self.assertEqual(csms[self.user_cs_manager]["count"], 11)
        # the page says it, in the tables the manager reads
        self.assertIn("66.7", report.figures_html)
        self.assertIn("Per success manager", report.figures_html)

    def weight_rows(self, figures):
        return {row["touch_model"]: row for row in figures["weights"]}

    def bands_of(self, figures):
        return {b: (v["count"], v["churned"]) for b, v in figures["bands"].items()}

    def test_touch_model_weights_against_the_company_worked_out_by_hand(self):
        report = self.open_report(self.user_cs_manager)
        figures = report._get_figures()
        rows = self.weight_rows(figures)
        # high touch has no weights of its own: no row
        self.assertEqual(list(rows), [self.self_service, self.tech])
        tech = rows[self.tech]
        self.assertEqual(self.bands_of(tech["own"]), self.bands_of(tech["company"]))
        for side in ("own", "company"):
            self.assertIsNone(tech[side]["lift"])
            self.assertAlmostEqual(tech[side]["recall"], 100.0)
        own, company = (
            rows[self.self_service]["own"],
            rows[self.self_service]["company"],
        )
        self.assertEqual(
            self.bands_of(own), {"red": (2, 1), "yellow": (1, 1), "green": (3, 1)}
        )
        self.assertEqual(
            self.bands_of(company), {"red": (1, 0), "yellow": (2, 1), "green": (3, 2)}
        )
        self.assertAlmostEqual(own["lift"], 1.5)
        self.assertAlmostEqual(own["recall"], 200 / 3)
        self.assertAlmostEqual(company["lift"], 0.0)
        self.assertAlmostEqual(company["recall"], 100 / 3)
        self.assertEqual(company["unscored"], 0)
        self.assertFalse(rows[self.self_service]["note"])
        for row in rows.values():
            self.assertEqual(row["churns"], 3)
            self.assertEqual(
                row["verdict"], "Too few churns to tell (3 in the period)."
            )
        html = report.figures_html
        self.assertIn("Touch-model weights against the company", html)
        self.assertIn("1.5x", html)
        self.assertIn("33.3%", html)
        self.assertIn("Too few churns to tell", html)
        # from 3 churns on, the sentences tell
        with patch.object(type(report), "_get_reliable_churn_count", lambda report: 3):
            rows = self.weight_rows(report._get_figures())
        self.assertEqual(
            rows[self.self_service]["verdict"],
            "Its own weights predicted churn better.",
        )
        self.assertEqual(
            rows[self.tech]["verdict"], "Both weights told churn equally well."
        )

    def test_company_band_is_the_engines(self):
        """The SQL re-score bands as the engine does
        (cs.health.snapshot._prepare_partner_values) with the company's
        weights: at the rounding edges (39.95 is yellow, 39.94 red), with a
        factor missing, and without data."""
        cases = [
            (39.8, 40.2, None),  # (25 * 39.8 + 15 * 40.2) / 40 = 39.95
            (39.8, 40.1, None),  # 39.9125
            (69.8, 70.2, None),  # 69.95
            (None, 55.0, None),
            (None, None, 100.0),
            (None, None, None),
        ]
        customers = self.env["res.partner"].create(
            [{"name": f"Borda {index}", "is_company": True} for index in range(6)]
        )
        Snapshot = self.env["cs.health.snapshot"].sudo()
        snapshots = Snapshot.create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "date": "2026-02-28",
                    "band": "red",
                    "touch_model_id": self.self_service.id,
                    **{
                        f"{code}_score": value
                        for code, value in zip(
                            ("usage", "nps", "sentiment"), case, strict=True
                        )
                        if value is not None
                    },
                }
                for customer, case in zip(customers, cases, strict=True)
            ]
        )
        report = self.open_report()
        factors = self.env["cs.health.factor"].search(
            [("company_id", "=", self.company.id)]
        )
        self.factors["sentiment"].weight = 0
        rows = dict(
            self.env.execute_query(
                SQL(
                    "SELECT lines.id, %s FROM cs_health_snapshot lines "
                    "WHERE lines.id IN %s",
                    report._get_company_band_sql(self.self_service, factors),
                    tuple(snapshots.ids),
                )
            )
        )
        weights = self.env["cs.health.factor"]._get_weights_by_touch_model(
            self.company, factors, self.env["cs.touch.model"]
        )[False]
        expected = {}
        for snapshot, case in zip(snapshots, cases, strict=True):
            data = dict(zip(("usage", "nps", "sentiment"), case, strict=True))
            values = Snapshot._prepare_partner_values(
                self.company,
                weights,
                {code: (data.get(code), []) for code in weights},
                None,
                TODAY,
            )
            expected[snapshot.id] = values["health_band"] or None
        self.assertEqual(rows, expected)
        self.assertEqual(
            [rows[snapshot.id] for snapshot in snapshots],
            ["yellow", "red", "green", "yellow", None, None],
        )

    def test_company_weights_without_data_leave_the_line_in_no_band(self):
        """A strategic touch model weighs the success manager's sentiment
        alone, which the company weighs 0: its lines have no data on any
        factor the company weighs. P red (sentiment 0) churned in April, Q
        green (100) stayed. Its own weights: red 1 of 1, green 0 of 1, no
        lift (no churn in green), recall 100%. The company's: both lines in
        no band, the churn not told: recall 0%, no lift, a note."""
        self.factors["sentiment"].weight = 0
        strategic = self.new_touch_model("Estratégico", [self.weight("sentiment", 100)])
        Partner = self.env["res.partner"]
        customers = Partner.create(
            [
                {"name": name, "is_company": True, "touch_model_id": strategic.id}
                for name in ("Cliente P", "Cliente Q")
            ]
        )
        self.env["cs.health.snapshot"].sudo().create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "date": "2026-03-31",
                    "band": band,
                    "score": sentiment,
                    "factor_scores": {"sentiment": {"score": sentiment}},
                    "sentiment_score": sentiment,
                    "touch_model_id": strategic.id,
                }
                for customer, band, sentiment in zip(
                    customers, ("red", "green"), (0.0, 100.0), strict=True
                )
            ]
        )
        self.env["cs.mrr.movement"].sudo().create(
            {
                "partner_id": customers[0].id,
                "company_id": self.company.id,
                "touch_model_id": strategic.id,
                "month": "2026-04-01",
                "movement": "churn",
                "churned": 1,
            }
        )
        report = self.open_report(self.user_cs_manager)
        with patch.object(type(report), "_get_reliable_churn_count", lambda report: 1):
            row = self.weight_rows(report._get_figures())[strategic]
        own, company = row["own"], row["company"]
        self.assertEqual(
            self.bands_of(own), {"red": (1, 1), "yellow": (0, 0), "green": (1, 0)}
        )
        self.assertIsNone(own["lift"])
        self.assertAlmostEqual(own["recall"], 100.0)
        self.assertEqual(
            self.bands_of(company),
            {"red": (0, 0), "yellow": (0, 0), "green": (0, 0)},
        )
        self.assertEqual((company["count"], company["churned"]), (2, 1))
        self.assertEqual(company["unscored"], 2)
        self.assertIsNone(company["lift"])
        self.assertEqual(company["recall"], 0.0)
        self.assertIn("2 of these month-ends have no score", row["note"])
        self.assertEqual(row["verdict"], "Its own weights predicted churn better.")
        # the figures of the whole company are those of its own bands
        self.assertEqual(report._get_figures()["bands"]["red"]["count"], 6)

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

    def test_each_company_counts_with_its_own_horizon(self):
        """Another company with 120 days: its customer X, red on 31 January
        and churned in May, churned within the horizon; C, with the same
        history in the main company (90 days), did not."""
        other = self.env["res.company"].create(
            {"name": "Empresa Paciente", "cs_health_horizon": 120}
        )
        customer = self.env["res.partner"].create(
            {"name": "Cliente X", "is_company": True, "company_id": other.id}
        )
        # sudo: written by the daily runs
        self.env["cs.health.snapshot"].sudo().create(
            {
                "partner_id": customer.id,
                "company_id": other.id,
                "date": "2026-01-31",
                "band": "red",
                "score": 20.0,
            }
        )
        self.env["cs.mrr.movement"].sudo().create(
            {
                "partner_id": customer.id,
                "company_id": other.id,
                "month": "2026-05-01",
                "movement": "churn",
                "churned": 1,
            }
        )
        lines = (
            self.env["cs.health.validation"]
            .sudo()
            .search([("partner_id", "in", (customer | self.customers["C"]).ids)])
        )
        self.assertEqual(
            sorted((line.partner_id.name, line.churned) for line in lines),
            [("Cliente C", 0), ("Cliente X", 1)],
        )
        self.assertEqual(lines.filtered("churned").churn_month, date(2026, 5, 1))

    def test_averages_from_the_columns_or_the_json(self):
        """The daily run writes each factor's score twice, in the snapshot's
        ``factor_scores`` and in its column (``usage_score``, ...). The
        averages of who stayed and who left read the columns, and the Json of
        a snapshot written without them: with either alone they are the ones
        worked out above."""
        snapshots = (
            self.env["cs.health.snapshot"]
            .sudo()
            .search([("partner_id", "in", [c.id for c in self.customers.values()])])
        )
        # plain SQL: the ORM would write 0 in an emptied column, not NULL
        for values in (
            {"usage_score": None, "nps_score": None},
            {"factor_scores": None},
        ):
            with (
                self.subTest(emptied=list(values)),
                self.env.cr.savepoint() as savepoint,
            ):
                snapshots.flush_recordset()
                self.env.cr.execute(
                    SQL(
                        "UPDATE cs_health_snapshot SET %s WHERE id IN %s",
                        SQL(", ").join(
                            SQL("%s = NULL", SQL.identifier(name)) for name in values
                        ),
                        tuple(snapshots.ids),
                    )
                )
                snapshots.invalidate_recordset(list(values))
                figures = self.open_report()._get_figures()
                factors = {
                    name: (stay, left) for name, stay, left in figures["factors"]
                }
                usage = factors[self.factors["usage"].name]
                nps = factors[self.factors["nps"].name]
                self.assertAlmostEqual(usage[0], 66.25)
                self.assertAlmostEqual(usage[1], 265 / 6)
                self.assertAlmostEqual(nps[0], 160 / 3)
                self.assertAlmostEqual(nps[1], 170 / 3)
                # the next emptying starts from both again
                savepoint.rollback()
            snapshots.invalidate_recordset(list(values))

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
        self.assertEqual(figures["bands"]["yellow"]["count"], 12)
        self.assertEqual(self.count_queries(report), before)
        # 12, and the touch models of weights of their own
        self.assertLessEqual(before, 13)
