# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import CustomerSuccessVoiceCommon

TODAY = date(2026, 5, 20)
MAY = date(2026, 5, 1)
CUSTOMERS = 10
# the same for one success manager and for five: one grouped query per figure
DASHBOARD_QUERIES = 50
CSM_KPI_QUERIES = 12


@tagged("post_install", "-at_install")
class TestDashboardPerformance(CustomerSuccessVoiceCommon):
    """The dashboard's queries do not grow with the success managers: the
    same customers and subscriptions, spread over one manager or five."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="perf_manager",
            name="Marina Costa",
            groups="customer_success.customer_success_group_manager",
        )

    def spread_over(self, csm_count):
        """Customers with a monthly subscription since January, their rows
        of March to May, shared out between ``csm_count`` managers."""
        csms = [
            new_test_user(
                self.env,
                login=f"perf_csm_{n}",
                name=f"Gestora {n}",
                groups="customer_success.customer_success_group_user",
            )
            for n in range(csm_count)
        ]
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Cliente {n}",
                    "is_company": True,
                    "csm_id": csms[n % csm_count].id,
                }
                for n in range(CUSTOMERS)
            ]
        )
        for customer in customers:
            self.subscribe(customer, start=date(2026, 1, 1))
        Movement = self.env["cs.mrr.movement"]
        for back in (2, 1, 0):
            Movement._write_month(
                self.company,
                MAY - relativedelta(months=back),
                {customer: (300.0, 0.0) for customer in customers},
            )
        self.env.flush_all()

    def assertQueriesDoNotGrow(self, csm_count):
        self.spread_over(csm_count)
        dashboard = (
            self.env["cs.dashboard"].with_user(self.manager).with_company(self.company)
        )
        Movement = dashboard.env["cs.mrr.movement"]
        with freeze_time(TODAY):
            # warm the caches (access rules, references) first
            data = dashboard.get_data()
            self.assertEqual(len(data["csms"]), csm_count)
            self.assertTrue(all(row["renewal_rate"] == 100.0 for row in data["csms"]))
            self.env.invalidate_all()
            with self.assertQueryCount(DASHBOARD_QUERIES):
                dashboard.get_data()
            self.env.invalidate_all()
            with self.assertQueryCount(CSM_KPI_QUERIES):
                Movement._get_csm_kpis(self.company, MAY)

    def test_dashboard_queries_with_one_success_manager(self):
        self.assertQueriesDoNotGrow(1)

    def test_dashboard_queries_with_five_success_managers(self):
        self.assertQueriesDoNotGrow(5)
