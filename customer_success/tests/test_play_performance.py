# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CustomerSuccessVoiceCommon

_logger = logging.getLogger(__name__)

TODAY = date(2026, 3, 16)


@tagged("post_install", "-at_install")
class TestPlayPerformance(CustomerSuccessVoiceCommon):
    """A play run on many customers at once (an automation rule on a batch
    written by the daily health run) searches what it needs once for the
    batch: its queries do not grow with the customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.play = cls.env["cs.play"].create(
            {
                "name": "Bench risk",
                "cta_type": "risk",
                "priority": "2",
                "reason": "Something is wrong",
                "due_days": 3,
            }
        )
        cls.renewal_far = cls.env["cs.play"].create(
            {
                "name": "Renewal far",
                "cta_type": "renewal",
                "priority": "0",
                "reason": "Renewal coming",
                "due_days": 30,
            }
        )
        cls.renewal_near = cls.renewal_far.copy(
            {"name": "Renewal near", "priority": "2", "due_days": 10}
        )

    def _customers(self, count, tag):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"Cliente {tag} {index}",
                    "is_company": True,
                    "csm_id": self.user_cs.id,
                }
                for index in range(count)
            ]
        )

    def _subscriptions(self, count, tag):
        return self.env["sale.subscription"].union(
            *(self.subscribe(customer) for customer in self._customers(count, tag))
        )

    def _count_queries(self, play, records):
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(TODAY):
            before = self.env.cr.sql_log_count
            ctas = play._run_on(records)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before, ctas

    def _compare(self, play, make, label):
        """The queries of ``play`` on ``make(5)`` and on ``make(50)``
        records, after a warm-up run (registry caches)."""
        self._count_queries(play, make(1, f"{label} warm-up"))
        few, few_ctas = self._count_queries(play, make(5, f"{label} a"))
        many, many_ctas = self._count_queries(play, make(50, f"{label} b"))
        _logger.info("play %s: %s queries for 5 records, %s for 50", label, few, many)
        return few, many, few_ctas, many_ctas

    def test_open_queries_do_not_grow_with_customers(self):
        few, many, few_ctas, many_ctas = self._compare(
            self.play, self._subscriptions, "open"
        )
        self.assertEqual(len(few_ctas), 5)
        self.assertEqual(len(many_ctas), 50)
        self.assertEqual(set(many_ctas.mapped("user_id")), {self.user_cs})
        self.assertEqual(many_ctas.subscription_id.partner_id, many_ctas.partner_id)
        # 10x the customers, no more queries: none per customer
        self.assertLessEqual(many, few, (few, many))

    def test_open_on_customers_reads_their_main_subscriptions_at_once(self):
        # what a customer's note reads (its health, its touches) is the
        # customer's own hook: left out, to count what the play reads
        def customers_with_a_subscription(count, tag):
            # by ids, as a write hands them over (a many2one's prefetch
            # would read through the subscriptions' emptied cache)
            return self.env["res.partner"].browse(
                self._subscriptions(count, tag).partner_id.ids
            )

        with patch.object(
            type(self.env["res.partner"]), "_cs_get_cta_note", lambda self: False
        ):
            few, many, _few_ctas, many_ctas = self._compare(
                self.play, customers_with_a_subscription, "customers"
            )
        self.assertEqual(len(many_ctas), 50)
        self.assertEqual(many_ctas.subscription_id.partner_id, many_ctas.partner_id)
        self.assertLessEqual(many, few, (few, many))

    def test_update_queries_do_not_grow_with_customers(self):
        def open_first(count, tag):
            subscriptions = self._subscriptions(count, tag)
            with freeze_time(TODAY):
                self.play._run_on(subscriptions)
            return subscriptions

        few, many, _few_ctas, many_ctas = self._compare(self.play, open_first, "again")
        self.assertEqual(len(many_ctas), 50)
        # the same call to action, updated: one per customer and play
        self.assertEqual(
            self.env["cs.cta"].search_count(
                [
                    ("play_id", "=", self.play.id),
                    ("partner_id", "in", many_ctas.partner_id.ids),
                ]
            ),
            50,
        )
        self.assertLessEqual(many, few, (few, many))

    def test_renewal_queries_do_not_grow_with_subscriptions(self):
        def subscriptions_with_a_far_renewal(count, tag):
            subscriptions = self._subscriptions(count, tag)
            with freeze_time(TODAY):
                self.renewal_far._run_on(subscriptions)
            return subscriptions

        few, many, _few_ctas, many_ctas = self._compare(
            self.renewal_near, subscriptions_with_a_far_renewal, "renewal"
        )
        # the nearer play took each renewal over: one per subscription
        self.assertEqual(set(many_ctas.mapped("play_id")), {self.renewal_near})
        self.assertEqual(len(many_ctas), 50)
        self.assertEqual(
            self.env["cs.cta"].search_count(
                [("subscription_id", "in", many_ctas.subscription_id.ids)]
            ),
            50,
        )
        self.assertLessEqual(many, few, (few, many))

    def test_same_customer_twice_in_a_batch_opens_one(self):
        customer = self._customers(1, "twice")
        contacts = self.env["res.partner"].create(
            [
                {"name": f"Contato {index}", "parent_id": customer.id}
                for index in range(2)
            ]
        )
        with freeze_time(TODAY):
            ctas = self.play._run_on(contacts)
        self.env.flush_all()
        # one call to action per customer and play, whoever fired it
        self.assertEqual(len(ctas), 1)
        self.assertEqual(ctas.partner_id, customer)
        self.assertEqual(
            self.env["cs.cta"].search_count([("partner_id", "=", customer.id)]), 1
        )

    def test_main_subscriptions_of_a_batch(self):
        customers = self._customers(2, "main")
        small = self.subscribe(customers[0], price=100.0)
        big = self.subscribe(customers[0], price=500.0)
        with freeze_time(TODAY):
            ctas = self.play._run_on(customers)
        self.env.flush_all()
        by_customer = {cta.partner_id: cta for cta in ctas}
        self.assertEqual(by_customer[customers[0]].subscription_id, big)
        self.assertNotEqual(big, small)
        self.assertFalse(by_customer[customers[1]].subscription_id)

    def test_open_with_a_plan_queries_per_customer(self):
        """Opening launches the plan on each new call to action (its
        activities and its note, one chatter each): measured, and bounded."""
        self.play.activity_plan_id = self.env["mail.activity.plan"].create(
            {
                "name": "Bench plan",
                "res_model": "cs.cta",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_call"
                            ).id,
                            "summary": "Call",
                            "responsible_type": "on_demand",
                        }
                    )
                ],
            }
        )
        few, many, _few_ctas, many_ctas = self._compare(
            self.play, self._subscriptions, "plan"
        )
        self.assertEqual(len(many_ctas.activity_ids), 50)
        per_customer = (many - few) / 45
        _logger.info(
            "play with a plan: %.1f queries per new call to action", per_customer
        )
        self.assertLessEqual(per_customer, 30, (few, many))
