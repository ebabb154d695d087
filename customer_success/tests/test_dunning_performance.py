# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.tests import tagged

from .common import CustomerSuccessBillingCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestDunningPerformance(CustomerSuccessBillingCommon):
    def _count_queries(self, invoices):
        Move = self.env["account.move"].with_user(SUPERUSER_ID)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time(self.day(3)):
            Move._cron_cs_dunning()
            self.env.flush_all()
        self.assertEqual(
            set(invoices.mapped("cs_dunning_step_id.offset_days")), {3}, "all processed"
        )
        return self.env.cr.sql_log_count - before

    def test_run_queries_do_not_grow_with_invoices_of_a_payer(self):
        """One payer's invoices cost the same queries, 4 invoices or 12:
        nothing is read or written invoice by invoice."""
        few = self.env["account.move"].browse(
            [self.create_invoice(amount=10.0 + n).id for n in range(4)]
        )
        queries_few = self._count_queries(few)
        many = self.env["account.move"].browse(
            [
                self.create_invoice(amount=10.0 + n, due=self.day(-1)).id
                for n in range(12)
            ]
        )
        queries_many = self._count_queries(many)
        _logger.info(
            "dunning run: %s queries for 4 invoices, %s for 12",
            queries_few,
            queries_many,
        )
        self.assertLessEqual(
            queries_many, queries_few, f"{queries_few} -> {queries_many} queries"
        )
