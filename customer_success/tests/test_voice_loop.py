# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
from datetime import timedelta

from odoo.tests import tagged

from .common import CustomerSuccessVoiceCommon


@tagged("post_install", "-at_install")
class TestVoiceOfTheCustomerLoop(CustomerSuccessVoiceCommon):
    """The whole loop, day by day with frozen time: a subscription starts, the
    introductory NPS goes out, a detractor answers, the health score turns
    red, usage recovers and the score with it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_receiver()
        cls.intro = cls.campaign("introductory", 14)
        cls.periodic = cls.campaign("periodic", 30)
        cls.hooks = {
            event: cls.env["cs.webhook"].create(
                {
                    "name": event,
                    "event": event,
                    "url": cls.base + "/ok",
                    "company_id": cls.company.id,
                }
            )
            for event in ("detractor", "health_red")
        }

    def day(self, offset):
        return self.START + timedelta(days=offset)

    def ctas(self, play_xmlid):
        """The customer's calls to action of a shipped play."""
        return self.env["cs.cta"].search(
            [
                ("play_id", "=", self.env.ref(play_xmlid).id),
                ("partner_id", "=", self.customer.id),
            ]
        )

    def received(self, event):
        return [
            (headers, body)
            for _path, headers, body in self.server.received
            if headers["X-CS-Event"] == event
        ]

    def test_full_loop(self):
        # 1. the subscription starts on day 0; the customer uses 10 of the
        # 10 users of the plan for a month, and pays its first invoice late
        subscription = self.subscribe()
        self.assertEqual(subscription.stage_id.type, "in_progress")
        self.usage(self.customer, self.day(0), 30, active_users=10)
        invoice = self.create_invoice(due=self.day(5))
        self.pay(invoice, self.day(20))

        # 2. the introductory NPS on day 14; the periodic campaign, due too,
        # sends nothing inside the 90-day window
        for offset in range(45):
            self.run_nps(self.day(offset))
        invitation = self.invitations()
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.cs_campaign_id, self.intro)
        self.assertEqual(invitation.cs_invited_on, self.day(14))
        self.assertEqual(
            len(
                self.mails_to(self.customer).filtered(
                    lambda mail: invitation.access_token in mail.body_html
                )
            ),
            1,
        )

        # 3. a detractor answers on day 16: a call to action with its
        # follow-up due on day 18, and a signed webhook received by the
        # local server
        response = self.answer(
            invitation, 2, "Caiu duas vezes no fechamento", on=self.day(16)
        )
        self.assertEqual(response.category, "detractor")
        detractor_cta = self.ctas("customer_success.cs_play_nps_detractor")
        self.assertEqual(len(detractor_cta), 1)
        followup = detractor_cta.activity_ids
        self.assertEqual(
            followup.activity_type_id,
            self.env.ref("customer_success.mail_activity_type_cs_detractor"),
        )
        self.assertEqual(followup.date_deadline, self.day(18))
        self.assertIn("Caiu duas vezes", followup.note)
        self.deliver()
        ((headers, body),) = self.received("detractor")
        self.assertSigned(self.hooks["detractor"], headers, body)
        payload = json.loads(body)["data"]
        self.assertEqual(payload["score"], 2)
        self.assertEqual(payload["customer_ref"], "NUVEM-1")

        # 4. usage falls to 3 users from day 30; on day 60 the score is red,
        # with a snapshot, an activity and the health_red webhook
        self.usage(self.customer, self.day(30), 30, active_users=3)
        self.run_health(self.day(30))
        self.assertNotEqual(self.customer.health_band, "red")
        before = self.customer.health_score
        self.run_health(self.day(60))
        self.assertEqual(self.customer.health_band, "red")
        self.assertLess(self.customer.health_score, before)
        red = self.customer.health_snapshot_ids.filtered(
            lambda snapshot: snapshot.date == self.day(60)
        )
        self.assertEqual(red.band, "red")
        self.assertIn("NPS detractor (2)", red.reasons)
        # days 31-59: 3 users; days 1-30: 29 days of 10 and day 30 of 3
        # (9.77 on average): -69%
        self.assertIn("active users -69% in 30 days", red.reasons)
        self.assertAlmostEqual(self.customer.health_trend, red.score - before)
        red_cta = self.ctas("customer_success.cs_play_health_red")
        self.assertEqual(len(red_cta), 1)
        self.assertEqual(
            red_cta.activity_ids.activity_type_id,
            self.env.ref("customer_success.mail_activity_type_cs_health"),
        )
        self.assertEqual(red_cta.activity_ids.date_deadline, self.day(62))
        self.deliver()
        ((headers, body),) = self.received("health_red")
        self.assertSigned(self.hooks["health_red"], headers, body)
        self.assertEqual(json.loads(body)["data"]["score"], red.score)

        # 5. usage recovers: back to 10 users from day 60; on day 90 the
        # score is out of the red, and the trend shows it
        self.usage(self.customer, self.day(60), 30, active_users=10)
        self.run_health(self.day(90))
        self.assertNotEqual(self.customer.health_band, "red")
        self.assertGreater(self.customer.health_score, red.score)
        self.assertGreater(self.customer.health_trend, 0)
        self.assertEqual(
            self.env["cs.health.snapshot"]
            .search([("partner_id", "=", self.customer.id)])
            .mapped("date"),
            [self.day(90), self.day(60), self.day(30)],
        )
        self.assertEqual(len(self.received("health_red")), 1, "red once, told once")
