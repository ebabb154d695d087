# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures of the helpdesk bridge: a helpdesk agent, the customer's contact
who opens tickets, and tickets opened a number of days ago.

Odoo writes a ticket's ``create_date`` itself, from the transaction's clock
(``cr.now()``), which freezegun does not stop: the tests take that clock as
their "now", freeze the day to its date, and move a ticket's opening back
with ``open_ticket(days_ago=...)``."""

from contextlib import contextmanager
from datetime import timedelta

from odoo.tests import freeze_time, new_test_user

from odoo.addons.customer_success.tests.common import CustomerSuccessVoiceCommon


class SupportCommon(CustomerSuccessVoiceCommon):
    @classmethod
    def _isolate_health_factors(cls):
        """The factors and weights as installed: the support factor scores."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_agent = new_test_user(
            cls.env,
            login="cs_helpdesk_agent",
            name="Hugo Dantas",
            groups="helpdesk_mgmt.group_helpdesk_user",
        )
        cls.customer.csm_id = cls.user_cs
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Júlia Pires",
                "parent_id": cls.customer.id,
                "email": "julia@nuvemalta.example.com",
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.now = cls.env.cr.now()
        cls.today = cls.now.date()

    @contextmanager
    def on_today(self):
        """Frozen on the day of the transaction's clock."""
        with freeze_time(self.now):
            yield

    def open_ticket(self, partner=None, priority="1", days_ago=0, closed=False):
        """A ticket of ``partner`` (the customer's contact by default) opened
        ``days_ago`` days before now."""
        # sudo: tickets are opened by the helpdesk, whoever runs the test
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": f"Problem {priority} {days_ago}",
                    "description": "<p>It does not work.</p>",
                    "partner_id": (partner or self.contact).id,
                    "priority": priority,
                    "stage_id": (self.stage_done if closed else self.stage_new).id,
                }
            )
        )
        if days_ago:
            ticket._cs_demo_set_opened({ticket.id: days_ago})
        return ticket.with_env(self.env)

    def score(self, customer=None):
        """Run the health cron today; the customer's support factor data."""
        self.run_health(self.now)
        return (customer or self.customer).health_factor_scores.get("support")

    def weigh(self, **weights):
        for code, weight in weights.items():
            self.factors[code].weight = weight

    def only_support(self):
        """Support alone weighs: the score is the support factor's."""
        self.weigh(
            usage=0,
            nps=0,
            payment=0,
            engagement=0,
            onboarding=0,
            sentiment=0,
            support=10,
        )

    def day(self, offset):
        """The day ``offset`` days from today (negative: before)."""
        return self.today + timedelta(days=offset)
