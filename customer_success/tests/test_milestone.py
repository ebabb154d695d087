# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CustomerSuccessBillingCommon, CustomerSuccessOnboardingCommon


@tagged("post_install", "-at_install")
class TestMilestone(CustomerSuccessOnboardingCommon):
    def milestones(self, xmlid):
        return self.customer.milestone_ids.filtered(
            lambda milestone: (
                milestone.type_id
                == self.env.ref(f"customer_success.cs_milestone_type_{xmlid}")
            )
        )

    def test_activation_milestone_once_and_follows_the_date(self):
        with freeze_time("2026-01-05"):
            onboarding = self.start(self.create_subscription(self.customer, 3500))
        onboarding.activation_date = date(2026, 1, 25)
        onboarding.activation_date = date(2026, 1, 27)
        activation = self.milestones("activation")
        self.assertEqual(len(activation), 1)
        self.assertEqual(activation.date, date(2026, 1, 27))
        self.assertEqual(activation.onboarding_id, onboarding)
        self.assertTrue(activation.is_value)
        # Time to Value: from the subscription start to the first value
        self.assertEqual(self.customer.ttv_days, 22)
        self.assertEqual(self.customer.first_value_date, date(2026, 1, 27))

    def test_goal_achieved_milestone_once(self):
        goal = self.env["cs.success.goal"].create(
            {"partner_id": self.customer.id, "name": "NPS 60", "metric": "NPS"}
        )
        with freeze_time("2026-03-01"):
            goal.state = "achieved"
            goal.state = "on_track"
            goal.state = "achieved"
        achieved = self.milestones("goal")
        self.assertEqual(len(achieved), 1)
        self.assertEqual(achieved.goal_id, goal)
        self.assertEqual(achieved.date, date(2026, 3, 1))

    def test_value_perception_cycle(self):
        with freeze_time("2026-01-01"):
            self.start(self.create_subscription(self.customer, 3500))
        custom = self.env.ref("customer_success.cs_milestone_type_custom")
        renewal = self.env.ref("customer_success.cs_milestone_type_renewal")
        Milestone = self.env["cs.milestone"]
        for day, milestone_type in (
            (date(2026, 1, 21), custom),
            (date(2026, 2, 20), custom),
            (date(2026, 3, 1), renewal),  # not a value milestone
            (date(2026, 4, 21), custom),
        ):
            Milestone.create(
                {
                    "name": f"Marco {day}",
                    "partner_id": self.customer.id,
                    "type_id": milestone_type.id,
                    "date": day,
                }
            )
        self.assertEqual(self.customer.ttv_days, 20)
        self.assertEqual(self.customer.cpv_days, 45.0)
        # averaged per touch model with one grouped query
        other = self.env["res.partner"].create({"name": "Ipê", "is_company": True})
        with freeze_time("2026-01-01"):
            self.start(self.create_subscription(other, 3000))
        Milestone.create(
            {
                "name": "Primeiro valor",
                "partner_id": other.id,
                "type_id": custom.id,
                "date": date(2026, 1, 11),
            }
        )
        self.env.flush_all()
        [(model, ttv)] = self.env["res.partner"]._read_group(
            [("id", "in", (self.customer | other).ids)],
            groupby=["touch_model_id"],
            aggregates=["ttv_days:avg"],
        )
        self.assertEqual(model, self.tm_mid)
        self.assertEqual(ttv, 15)
        plans = dict(
            self.env["sale.subscription"]._read_group(
                [("cs_commercial_partner_id", "in", (self.customer | other).ids)],
                groupby=["template_id"],
                aggregates=["cs_ttv_days:avg"],
            )
        )
        self.assertEqual(plans[self.monthly], 15)

    @freeze_time("2026-01-15")
    def test_anniversaries_caught_up_once(self):
        subscription = self.create_subscription(self.customer, 3500)
        subscription.action_start_subscription()
        subscription.date_start = date(2024, 1, 10)
        Milestone = self.env["cs.milestone"]
        Milestone._cron_cs_anniversaries()
        Milestone._cron_cs_anniversaries()
        anniversaries = self.milestones("anniversary").sorted("date")
        self.assertEqual(
            anniversaries.mapped("date"), [date(2025, 1, 10), date(2026, 1, 10)]
        )
        self.assertFalse(anniversaries.type_id.is_value)

    def test_celebration_mails_the_stakeholders(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Rita",
                "parent_id": self.customer.id,
                "email": "rita@n.example.com",
            }
        )
        self.customer.stakeholder_ids = [
            Command.create({"contact_id": contact.id, "role": "champion"})
        ]
        milestone = self.env["cs.milestone"].create(
            {
                "name": "Primeiro fechamento sem quedas",
                "partner_id": self.customer.id,
                "type_id": self.env.ref("customer_success.cs_milestone_type_custom").id,
                "value_delivered": "Nenhuma ligação ao suporte",
            }
        )
        milestone.action_celebrate()
        self.assertTrue(milestone.celebrated)
        mail = self.env["mail.mail"].search([("recipient_ids", "in", contact.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn("Primeiro fechamento sem quedas", mail.subject)
        self.assertIn("Nenhuma ligação ao suporte", mail.body_html)
        self.assertIn(
            "Milestone celebrated with the customer",
            self.customer.message_ids[0].body,
        )

    def test_celebration_without_address_refused(self):
        self.customer.email = False
        milestone = self.env["cs.milestone"].create(
            {
                "name": "Marco",
                "partner_id": self.customer.id,
                "type_id": self.env.ref("customer_success.cs_milestone_type_custom").id,
            }
        )
        with self.assertRaisesText(UserError, "no e-mail address"):
            milestone.action_celebrate()
        self.assertFalse(milestone.celebrated)

    def test_milestone_of_a_contact_or_foreign_goal_refused(self):
        contact = self.env["res.partner"].create(
            {"name": "Rita", "parent_id": self.customer.id}
        )
        other = self.env["res.partner"].create({"name": "Ipê", "is_company": True})
        goal = self.env["cs.success.goal"].create(
            {"partner_id": other.id, "name": "Meta", "metric": "NPS"}
        )
        custom = self.env.ref("customer_success.cs_milestone_type_custom")
        with self.assertRaisesText(ValidationError, "not to the contact"):
            self.env["cs.milestone"].create(
                {"name": "X", "partner_id": contact.id, "type_id": custom.id}
            )
        with self.assertRaisesText(ValidationError, "belongs to another customer"):
            self.env["cs.milestone"].create(
                {
                    "name": "X",
                    "partner_id": self.customer.id,
                    "type_id": custom.id,
                    "goal_id": goal.id,
                }
            )
        self.assertFalse(self.customer.milestone_ids)


@tagged("post_install", "-at_install")
class TestMilestoneRenewal(CustomerSuccessBillingCommon):
    def test_paid_renewal_invoice_is_a_milestone_once(self):
        # the accountant running these tests does not configure subscriptions
        env = self.env(su=True)
        pricelist = env["product.pricelist"].create(
            {"name": "Planos", "currency_id": self.company.currency_id.id}
        )
        template = env["sale.subscription.template"].create({"name": "Mensal"})
        subscription = env["sale.subscription"].create(
            {
                "partner_id": self.customer.id,
                "template_id": template.id,
                "pricelist_id": pricelist.id,
            }
        )
        first = self.create_invoice(
            due=date(2026, 1, 10), subscription_id=subscription.id
        )
        second = self.create_invoice(
            due=date(2026, 2, 10), subscription_id=subscription.id
        )
        self.pay(first, date(2026, 1, 9))
        renewal = self.env.ref("customer_success.cs_milestone_type_renewal")
        renewals = self.customer.milestone_ids.filtered(lambda m: m.type_id == renewal)
        self.assertFalse(renewals, "the first invoice starts the subscription")
        self.pay(second, date(2026, 2, 9))
        renewals = self.customer.milestone_ids.filtered(lambda m: m.type_id == renewal)
        self.assertEqual(len(renewals), 1)
        self.assertEqual(renewals.invoice_id, second)
        self.assertEqual(renewals.date, date(2026, 2, 9))
        # the paid hook runs again (in payment, then paid): still one
        second._cs_on_paid()
        self.assertEqual(
            len(self.customer.milestone_ids.filtered(lambda m: m.type_id == renewal)),
            1,
        )
