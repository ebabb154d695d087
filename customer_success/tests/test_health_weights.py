# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CustomerSuccessVoiceCommon


@tagged("post_install", "-at_install")
class TestTouchModelWeights(CustomerSuccessVoiceCommon):
    """A touch model's own factor weights score its customers; the others
    keep the company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech = cls.env.ref("customer_success.cs_touch_model_tech")
        cls.mid = cls.env.ref("customer_success.cs_touch_model_mid")
        # the company judges on NPS alone
        for code, factor in cls.factors.items():
            factor.weight = 100 if code == "nps" else 0
        cls.served = cls.env["res.partner"].create(
            {"name": "Sabiá Apps", "is_company": True}
        )

    def day(self, offset):
        return self.START + timedelta(days=offset)

    def line(self, code, weight):
        return Command.create({"factor_id": self.factors[code].id, "weight": weight})

    def test_touch_model_weights_score_its_customers(self):
        # both: NPS 5 (50), 8 active users of the plan's 10 (80)
        for customer in (self.customer, self.served):
            self.subscribe(customer)
            self.nps(5, customer=customer)
            self.usage(customer, self.START, 30, active_users=8)
        # locked: the revenue of the subscription would choose another
        self.customer.write({"touch_model_id": self.mid.id, "touch_model_locked": True})
        self.served.write({"touch_model_id": self.tech.id, "touch_model_locked": True})
        # tech-touch: usage 3, NPS 1 -> (3 * 80 + 1 * 50) / 4 = 72.5
        self.tech.weight_ids = [self.line("usage", 75), self.line("nps", 25)]
        self.run_health(self.day(30))
        self.assertEqual(self.customer.health_score, 50.0, "the company's: NPS")
        self.assertEqual(self.served.health_score, 72.5)
        self.assertAlmostEqual(
            self.served.health_factor_scores["usage"]["effective"], 75.0
        )
        self.assertNotIn("sentiment", self.served.health_factor_scores)
        snapshot = self.served.health_snapshot_ids
        self.assertEqual(snapshot.touch_model_id, self.tech)
        self.assertEqual(snapshot.usage_score, 80.0)
        # a factor without a line has no weight in the model: the engagement
        # the company weighs does not count for tech-touch
        self.factors["engagement"].weight = 50
        self.tech.weight_ids = [self.line("payment", 0)]
        self.run_health(self.day(31))
        self.assertEqual(self.served.health_score, 72.5)
        # without lines: the company's weights again
        self.tech.weight_ids = [Command.clear()]
        self.factors["engagement"].weight = 0
        self.run_health(self.day(32))
        self.assertEqual(self.served.health_score, 50.0)

    def test_all_zero_weights_are_refused(self):
        self.tech.weight_ids = [self.line("usage", 60), self.line("nps", 0)]
        with self.assertRaisesText(ValidationError, "are all zero"):
            self.tech.weight_ids = [self.line("payment", 0)] + [
                Command.update(line.id, {"weight": 0}) for line in self.tech.weight_ids
            ]
        with self.assertRaisesText(ValidationError, "are all zero"):
            self.tech.weight_ids.filtered(lambda line: line.weight).weight = 0
        with self.assertRaisesText(ValidationError, "are all zero"):
            self.env["cs.touch.model"].create(
                {
                    "name": "Sem pesos",
                    "level": "tech",
                    "mrr_min": 0,
                    "tag_ids": [Command.create({"name": "Parceiro"})],
                    "weight_ids": [self.line("usage", 0)],
                }
            )
        self.env.invalidate_all()
        self.assertEqual(
            sorted(self.tech.weight_ids.mapped("weight")), [0, 60], "left intact"
        )

    def test_bad_weight_lines_are_refused(self):
        with self.assertRaisesText(ValidationError, "between 0 and 100"):
            self.tech.weight_ids = [self.line("usage", 150)]
        other_company = self.env["res.company"].create({"name": "Outra Empresa"})
        foreign = self.env["cs.health.factor"].search(
            [("company_id", "=", other_company.id), ("code", "=", "usage")]
        )
        self.assertTrue(foreign, "a new company gets its own factors")
        with self.assertRaisesText(ValidationError, "another company"):
            self.tech.weight_ids = [
                Command.create({"factor_id": foreign.id, "weight": 50})
            ]
        self.env.invalidate_all()
        self.assertFalse(self.tech.weight_ids)
        self.assertFalse(
            self.env["cs.touch.model"]
            .search([("company_id", "=", other_company.id)])
            .weight_ids,
            "the copies of the touch models start with the company's weights",
        )
