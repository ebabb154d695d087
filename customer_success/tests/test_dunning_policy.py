# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CustomerSuccessBillingCommon


@tagged("post_install", "-at_install")
class TestDunningPolicy(CustomerSuccessBillingCommon):
    def test_two_steps_on_the_same_day_refused(self):
        template = self.env.ref("customer_success.mail_template_dunning_due")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.policy.step_ids = [
                Command.create(
                    {"name": "Again", "offset_days": 0, "mail_template_id": template.id}
                )
            ]
        self.assertEqual(len(self.policy.step_ids), 5)

    def test_policy_without_steps_cannot_be_default(self):
        empty = self.env["cs.dunning.policy"].create({"name": "Empty"})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.company.cs_dunning_policy_id = empty
        self.assertEqual(self.company.cs_dunning_policy_id, self.policy)

    def test_default_policy_keeps_its_steps(self):
        with self.assertRaises(UserError), self.cr.savepoint():
            self.policy.step_ids.unlink()
        self.assertEqual(len(self.policy.step_ids), 5)

    def test_email_step_needs_a_template(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.policy.step_ids[0].mail_template_id = False

    def test_due_step_is_the_latest_one_due(self):
        steps = self.policy.step_ids
        self.assertEqual(
            self.policy._get_due_step(
                self.DUE, steps.browse(), self.day(12)
            ).offset_days,
            10,
        )
        self.assertEqual(
            self.policy._get_due_step(self.DUE, steps[0], self.day(-1)), steps.browse()
        )
        self.assertEqual(self.policy._get_next_step(steps[2]), steps[3])

    def test_final_notice_is_the_last_overdue_step(self):
        """The step that runs *Dunning reached its final step* follows the
        policy: a later step takes it over, removing it gives it back."""
        twenty = self.policy.step_ids.filtered(lambda step: step.offset_days == 20)
        self.assertEqual(self.policy.step_ids.filtered("is_final"), twenty)
        self.policy.step_ids = [
            Command.create(
                {
                    "name": "Suspension notice",
                    "offset_days": 30,
                    "mail_template_id": twenty.mail_template_id.id,
                }
            )
        ]
        thirty = self.policy.step_ids.filtered(lambda step: step.offset_days == 30)
        self.assertEqual(self.policy.step_ids.filtered("is_final"), thirty)
        thirty.unlink()
        self.assertEqual(self.policy.step_ids.filtered("is_final"), twenty)
        # a policy of reminders only has no final notice
        reminders = self.env["cs.dunning.policy"].create(
            {
                "name": "Reminders only",
                "company_id": self.company.id,
                "step_ids": [
                    Command.create(
                        {
                            "name": "Due today",
                            "offset_days": 0,
                            "mail_template_id": twenty.mail_template_id.id,
                        }
                    )
                ],
            }
        )
        self.assertFalse(reminders.step_ids.is_final)

    def test_customer_policy_overrides_company_default(self):
        gentle = self._create_policy(self.company, name="Gentle")
        self.customer.cs_dunning_policy_id = gentle
        invoice = self.create_invoice()
        self.assertEqual(invoice.cs_dunning_policy_id, gentle)
        self.customer.cs_dunning_policy_id = False
        self.assertEqual(invoice.cs_dunning_policy_id, self.policy)

    def test_each_company_uses_its_own_policy(self):
        other_company = self.setup_other_company(name="Outra Empresa")["company"]
        other_policy = self._create_policy(other_company, name="Outra")
        other_policy.step_ids.filtered(lambda s: s.offset_days < 0).offset_days = -2
        other_company.cs_dunning_policy_id = other_policy
        ours = self.create_invoice()
        theirs = self.create_invoice(
            company_id=other_company.id,
            journal_id=self.env["account.journal"]
            .search(
                [("company_id", "=", other_company.id), ("type", "=", "sale")], limit=1
            )
            .id,
        )
        self.assertEqual(ours.cs_dunning_policy_id, self.policy)
        self.assertEqual(theirs.cs_dunning_policy_id, other_policy)
        self.run_dunning(self.day(-5))
        self.assertTrue(ours.cs_dunning_log_ids)
        self.assertFalse(theirs.cs_dunning_log_ids, "their reminder comes on day -2")
        self.run_dunning(self.day(-2))
        self.assertEqual(theirs.cs_dunning_log_ids.step_id.offset_days, -2)
        self.assertEqual(len(ours.cs_dunning_log_ids), 1)
