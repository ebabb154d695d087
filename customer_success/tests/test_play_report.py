# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import CustomerSuccessVoiceCommon

DAY = timedelta(days=1)


@tagged("post_install", "-at_install")
class TestPlayReport(CustomerSuccessVoiceCommon):
    """Calls to action of two plays, opened in March and April 2026, for
    the customer (Carla's) and another (Otávio's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["cs.cta"].search([]).unlink()
        cls.Report = cls.env["cs.play.report"]
        cls.customer.csm_id = cls.user_cs
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Cliente do Otávio",
                "is_company": True,
                "csm_id": cls.user_cs_other.id,
            }
        )
        cls.play_red, cls.play_renewal = cls.env["cs.play"].create(
            [
                {"name": "Red", "cta_type": "risk", "reason": "Red"},
                {"name": "Renew", "cta_type": "renewal", "reason": "Renew"},
            ]
        )

    def cta(self, play, customer, opened, due_days=3, closed=None, outcome=None):
        """A call to action of ``play`` opened on ``opened`` and, with
        ``outcome``, closed on ``closed``."""
        cta = self.env["cs.cta"].create(
            {
                "partner_id": customer.id,
                "play_id": play.id,
                "cta_type": play.cta_type,
                "user_id": customer.csm_id.id,
                "date_due": opened + due_days * DAY,
            }
        )
        self.env.flush_all()
        # the day it opened, as the ORM would have written it then
        self.env.cr.execute(
            "UPDATE cs_cta SET create_date = %s WHERE id = %s", (opened, cta.id)
        )
        self.env.invalidate_all()
        if outcome:
            with freeze_time(closed):
                if outcome == "cancelled":
                    cta.action_cancel()
                else:
                    cta._close(outcome)
        self.env.flush_all()
        return cta

    def figures(self, groupby, user=None, domain=()):
        """The figures of the report grouped by ``groupby``, as ``user`` reads
        them (the manager by default)."""
        aggregates = [
            "opened_count:sum",
            "done_count:sum",
            "in_time_count:sum",
            "saved_count:sum",
            "lost_count:sum",
            "won_count:sum",
            "churned_count:sum",
            "cancelled_count:sum",
            "outcome_mrr:sum",
            "days_to_close:median",
        ]
        rows = self.Report.with_user(user or self.user_cs_manager)._read_group(
            list(domain), groupby, aggregates
        )
        return {
            tuple(row[: len(groupby)]): dict(
                zip(aggregates, row[len(groupby) :], strict=True)
            )
            for row in rows
        }

    def build(self):
        march, april = date(2026, 3, 2), date(2026, 4, 6)
        self.cta(
            self.play_red, self.customer, march, closed=march + 2 * DAY, outcome="saved"
        ).outcome_mrr = 300.0
        self.cta(
            self.play_red, self.customer, march, closed=march + 4 * DAY, outcome="lost"
        )
        self.cta(
            self.play_red, self.other, march, closed=march + 10 * DAY, outcome="saved"
        ).outcome_mrr = 200.0
        self.cta(
            self.play_red, self.other, march, closed=march + DAY, outcome="cancelled"
        )
        self.cta(self.play_red, self.other, march)  # still open
        self.cta(
            self.play_red, self.customer, april, closed=april + DAY, outcome="won"
        ).outcome_mrr = 50.0
        self.cta(
            self.play_renewal,
            self.other,
            march,
            due_days=30,
            closed=march + 20 * DAY,
            outcome="churned",
        )
        self.env.flush_all()

    def test_figures_per_play_and_month(self):
        self.build()
        figures = self.figures(["play_id", "date_opened:month"])
        march = figures[self.play_red, date(2026, 3, 1)]
        self.assertEqual(
            march,
            {
                "opened_count:sum": 5,
                "done_count:sum": 3,
                "in_time_count:sum": 1,  # 2 days of 3; 4 and 10 are late
                "saved_count:sum": 2,
                "lost_count:sum": 1,
                "won_count:sum": 0,
                "churned_count:sum": 0,
                "cancelled_count:sum": 1,
                "outcome_mrr:sum": 500.0,
                # 2, 4 and 10 days: the median, not the mean (5.3); the
                # cancelled one is not counted
                "days_to_close:median": 4.0,
            },
        )
        april = figures[self.play_red, date(2026, 4, 1)]
        self.assertEqual((april["won_count:sum"], april["outcome_mrr:sum"]), (1, 50.0))
        self.assertEqual(april["days_to_close:median"], 1.0)
        renewal = figures[self.play_renewal, date(2026, 3, 1)]
        self.assertEqual(
            (renewal["churned_count:sum"], renewal["in_time_count:sum"]), (1, 1)
        )

    def test_median_of_a_total_is_taken_over_its_calls_to_action(self):
        """Over both months the red play closed in 2, 4, 10 and 1 days: a
        median of 3, not the median of the months' medians (2.5)."""
        self.build()
        figures = self.figures(["play_id"])
        self.assertEqual(figures[self.play_red,]["days_to_close:median"], 3.0)
        [(median,)] = self.Report._read_group([], [], ["days_to_close:median"])
        self.assertEqual(median, 4.0)  # 1, 2, 4, 10 and 20
        self.assertEqual(
            self.Report.fields_get(["days_to_close"], ["aggregator"])["days_to_close"][
                "aggregator"
            ],
            "median",
        )

    def test_web_read_group_as_the_pivot_asks(self):
        self.build()
        result = self.Report.with_user(self.user_cs_manager).formatted_read_group(
            [("play_id", "=", self.play_red.id)],
            ["date_opened:month"],
            ["opened_count:sum", "days_to_close:median"],
        )
        self.assertEqual(
            [(g["opened_count:sum"], g["days_to_close:median"]) for g in result],
            [(5, 4.0), (1, 1.0)],
        )

    def test_success_manager_counts_their_own(self):
        self.build()
        figures = self.figures(["play_id"], self.user_cs)
        red = figures[self.play_red,]
        self.assertEqual(red["opened_count:sum"], 3)
        self.assertEqual(red["days_to_close:median"], 2.0)  # 2, 4 and 1
        self.assertNotIn((self.play_renewal,), figures)

    def test_play_form_opens_its_analysis(self):
        view = self.env.ref("customer_success.cs_play_view_form_report")
        action = self.env.ref("customer_success.cs_play_report_action")
        arch = self.env["cs.play"].get_view(view.inherit_id.id)["arch"]
        self.assertIn(f'name="{action.id}"', arch)
