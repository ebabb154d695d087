# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.tests import tagged

from .common import CustomerSuccessOnboardingCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestCheckinPerformance(CustomerSuccessOnboardingCommon):
    def _customers(self, count, tag):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"Cliente {tag} {index}",
                    "is_company": True,
                    "csm_id": self.user_cs.id,
                    "touch_model_id": self.tm_high.id,
                }
                for index in range(count)
            ]
        )

    def _count_cron_queries(self, day):
        self.env.flush_all()
        self.env.invalidate_all()
        Partner = self.env["res.partner"].with_user(SUPERUSER_ID)
        with freeze_time(day):
            before = self.env.cr.sql_log_count
            Partner._cron_cs_checkin()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

    def test_checkin_queries_do_not_grow_with_customers(self):
        # warm the registry caches (xmlids, ir.model) so both runs compare
        self._customers(1, "warm-up")
        self._count_cron_queries(date(2026, 3, 1))
        few = self._customers(3, "a")
        few_queries = self._count_cron_queries(date(2026, 3, 2))
        self.assertEqual(len(self.checkin_activities(few)), 3)
        many = self._customers(12, "b")
        many_queries = self._count_cron_queries(date(2026, 3, 3))
        self.assertEqual(len(self.checkin_activities(many)), 12)
        _logger.info(
            "check-in cron: %s queries for 3 customers, %s for 12",
            few_queries,
            many_queries,
        )
        # 4x the customers, no more queries: none per customer
        self.assertLessEqual(many_queries, few_queries, (few_queries, many_queries))
