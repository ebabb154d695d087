# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import CustomerSuccessVoiceCommon


@tagged("post_install", "-at_install")
class TestPlayAutomationBatch(CustomerSuccessVoiceCommon):
    """Through the automation rule itself, as the daily health run fires it:
    a write turning a batch of customers red runs the play *Health turns
    red* once on the batch (base_automation runs a server action per
    record), so its queries do not grow with the customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.play = cls.env.ref("customer_success.cs_play_health_red")
        # no plan: the activities and their e-mails are the plan's cost, not
        # the run's
        cls.play.activity_plan_id = False

    def _customers(self, count, tag):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Cliente {tag} {index}",
                    "is_company": True,
                    "csm_id": self.user_cs.id,
                    "health_band": "yellow",
                    "health_score": 55.0,
                }
                for index in range(count)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        return customers

    def _turn_red(self, customers):
        """The queries of the write that turns ``customers`` red, the play's
        run included."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        customers.write({"health_band": "red", "health_score": 30.0})
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def ctas(self, customers):
        return self.env["cs.cta"].search(
            [("partner_id", "in", customers.ids), ("play_id", "=", self.play.id)]
        )

    def test_the_rule_runs_the_play_once_per_batch(self):
        """What the rule adds to the write (the write's own per-record
        work, its tracking, measured with the rule off) is the same for 5
        customers as for 50."""
        rule = self.env.ref("customer_success.base_automation_cs_play_health_red")
        self._turn_red(self._customers(1, "warm-up"))  # the registry's caches
        with_rule = {
            size: self._turn_red(self._customers(size, f"on {size}"))
            for size in (5, 50)
        }
        rule.active = False
        self._turn_red(self._customers(1, "warm-up off"))
        without = {
            size: self._turn_red(self._customers(size, f"off {size}"))
            for size in (5, 50)
        }
        added = {size: with_rule[size] - without[size] for size in (5, 50)}
        self.assertGreater(added[5], 0, "the play ran")
        self.assertEqual(added[50], added[5], f"the play's queries: {added}")
        rule.active = True
        opened = self.env["cs.cta"].search(
            [("play_id", "=", self.play.id), ("partner_id.name", "like", "Cliente on")]
        )
        self.assertEqual(len(opened), 55)
        # the same signal again opens nothing new
        opened.partner_id.write({"health_band": "yellow"})
        self._turn_red(opened.partner_id)
        self.assertEqual(
            self.env["cs.cta"].search_count(
                [
                    ("play_id", "=", self.play.id),
                    ("partner_id", "in", opened.partner_id.ids),
                ]
            ),
            55,
        )

    def test_a_rule_run_outside_a_batch_still_opens_its_call_to_action(self):
        """The action run by hand on one record (not from a rule's run)."""
        customer = self._customers(1, "C")
        action = self.env.ref("customer_success.ir_actions_server_cs_play_health_red")
        action.with_context(
            active_model="res.partner", active_id=customer.id, active_ids=customer.ids
        ).run()
        self.assertEqual(len(self.ctas(customer)), 1)
