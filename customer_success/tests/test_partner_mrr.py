# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import SUPERUSER_ID
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CustomerSuccessOnboardingCommon
from .test_migration import _load


class PartnerMrrCommon(CustomerSuccessOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.csm_id = cls.user_cs

    def paused_customer(self):
        """The customer with a running subscription of 12,500 a month, then
        paused."""
        subscription = self.create_subscription(self.customer, 12500)
        self.start(subscription)
        self.assertEqual(self.customer.touch_model_id, self.tm_high)
        subscription.action_pause()
        self.env.flush_all()
        return subscription


@tagged("post_install", "-at_install")
class TestPartnerMrr(PartnerMrrCommon):
    def test_a_paused_customer_has_no_mrr_anywhere(self):
        subscription = self.paused_customer()
        self.assertEqual(subscription.cs_mrr, 0.0)
        self.assertEqual(subscription.cs_paused_mrr, 12500)
        # the customer's MRR is its subscriptions' MRR
        self.assertEqual(self.customer.recurring_revenue, 0.0)
        self.assertTrue(self.customer.has_running_subscription)
        # a pause is no downgrade: the customer keeps its touch model
        self.assertEqual(self.customer.touch_model_id, self.tm_high)
        # and the dashboard counts the same: no MRR, the paused MRR apart
        self.env["cs.mrr.movement"].with_user(SUPERUSER_ID)._cron_cs_mrr()
        data = (
            self.env["cs.dashboard"]
            .with_user(self.user_cs)
            .with_company(self.company)
            .get_data()
        )
        [row] = [row for row in data["csms"] if row["id"] == self.user_cs.id]
        self.assertEqual(row["mrr"], self.customer.recurring_revenue)
        paused = {card["key"]: card for card in data["cards"]}["paused_mrr"]
        self.assertIn(
            subscription,
            self.env["sale.subscription"]
            .with_user(self.user_cs)
            .search(paused["action"]["domain"]),
        )

    def test_resuming_brings_the_mrr_back(self):
        subscription = self.paused_customer()
        subscription.action_resume()
        self.assertEqual(self.customer.recurring_revenue, 12500)
        self.assertEqual(self.customer.touch_model_id, self.tm_high)

    def test_a_customer_downgraded_gets_the_model_of_its_mrr(self):
        """Paused, it keeps its model; once it pays less, the rules apply."""
        subscription = self.paused_customer()
        subscription.action_resume()
        self.assertEqual(self.customer.touch_model_id, self.tm_high)
        self.start(self.create_subscription(self.customer, 100))
        subscription.action_pause()
        self.assertEqual(self.customer.recurring_revenue, 100)
        self.assertEqual(self.customer.touch_model_id, self.tm_tech)

    def test_mrr_of_several_subscriptions_and_plans_is_one_sum(self):
        self.start(self.create_subscription(self.customer, 3000))
        self.start(self.create_subscription(self.customer, 12000, self.annual))
        paused = self.create_subscription(self.customer, 700)
        self.start(paused)
        paused.action_pause()
        subscriptions = self.customer.cs_subscription_ids
        self.assertEqual(self.customer.recurring_revenue, 4000)
        self.assertEqual(
            self.customer.recurring_revenue, sum(subscriptions.mapped("cs_mrr"))
        )

    def test_mrr_of_many_customers_without_a_query_per_customer(self):
        counts = []
        for size in (1, 6):
            customers = self.env["res.partner"].create(
                [{"name": f"Cliente {n}", "is_company": True} for n in range(size)]
            )
            for customer in customers:
                self.start(self.create_subscription(customer, 100))
            self.env.invalidate_all()
            customers = customers.browse(customers.ids)
            customers = customers.sudo()
            field = customers._fields["recurring_revenue"]
            before = self.env.cr.sql_log_count
            # as the ORM recomputes a stored field (once for the batch, the
            # automation rules' hook included), as the superuser
            self.env.add_to_compute(field, customers)
            customers._recompute_recordset(["recurring_revenue"])
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(customers.mapped("recurring_revenue"), [100.0] * size)
        self.assertEqual(counts[0], counts[1], counts)


@tagged("post_install", "-at_install")
class TestPartnerMrrMigration(PartnerMrrCommon):
    def test_migration_recomputes_the_mrr_and_touch_model(self):
        """19.0.1.3.0: a paused customer's MRR (and touch model) counted its
        paused subscriptions."""
        self.paused_customer()
        # the figures the former definition stored
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET recurring_revenue = 12500, "
                "touch_model_id = %s WHERE id = %s",
                self.tm_high.id,
                self.customer.id,
            )
        )
        self.env.invalidate_all()
        self.assertEqual(self.customer.recurring_revenue, 12500)
        _load("19.0.1.3.0", "post-partner_mrr").migrate(self.env.cr, "19.0.1.2.1")
        self.env.invalidate_all()
        self.assertEqual(self.customer.recurring_revenue, 0.0)
        # paused, it keeps its model
        self.assertEqual(self.customer.touch_model_id, self.tm_high)
