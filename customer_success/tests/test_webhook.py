# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import json
import socket
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CustomerSuccessOnboardingCommon, WebhookReceiverMixin

LOGGER = "odoo.addons.customer_success.models.cs_webhook_delivery"


@tagged("post_install", "-at_install")
class TestWebhook(WebhookReceiverMixin, CustomerSuccessOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_receiver()
        cls.custom = cls.env.ref("customer_success.cs_milestone_type_custom")

    def setUp(self):
        super().setUp()
        self.server.received.clear()

    def webhook(self, path, **values):
        return self.env["cs.webhook"].create(
            {
                "name": f"Receiver {path}",
                "event": "milestone",
                "url": self.base + path,
                "retry_delay": 60,
                "max_attempts": 3,
                **values,
            }
        )

    def milestone(self):
        return self.env["cs.milestone"].create(
            {
                "name": "Primeiro valor",
                "partner_id": self.customer.id,
                "type_id": self.custom.id,
            }
        )

    def make_due(self, deliveries):
        deliveries.next_attempt = fields.Datetime.now() - timedelta(seconds=1)

    def test_milestone_delivered_signed_and_once(self):
        webhook = self.webhook("/ok")
        self.milestone()
        delivery = webhook.delivery_ids
        self.assertEqual(delivery.state, "pending")
        self.assertFalse(
            self.server.received, "nothing leaves the emitting transaction"
        )
        self.deliver()
        self.deliver()
        self.assertEqual(len(self.server.received), 1)
        _path, headers, body = self.server.received[0]
        expected = hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
        self.assertEqual(headers["X-CS-Signature"], f"sha256={expected}")
        self.assertEqual(headers["X-CS-Event"], "milestone")
        data = json.loads(body)
        self.assertEqual(data["data"]["customer"], self.customer.name)
        self.assertEqual(data["data"]["milestone"], "Primeiro valor")
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(delivery.attempts, 1)

    @mute_logger(LOGGER)
    def test_down_target_retried_with_backoff_then_failed(self):
        webhook = self.webhook("/fail")
        self.milestone()
        delivery = webhook.delivery_ids
        before = fields.Datetime.now()
        self.deliver()
        self.assertEqual((delivery.attempts, delivery.last_status), (1, 500))
        self.assertGreaterEqual(delivery.next_attempt, before + timedelta(seconds=59))
        self.deliver()  # not due yet
        self.assertEqual(len(self.server.received), 1)
        self.make_due(delivery)
        self.deliver()
        self.assertEqual(delivery.attempts, 2)
        self.assertGreaterEqual(delivery.next_attempt, before + timedelta(seconds=119))
        self.make_due(delivery)
        self.deliver()
        self.deliver()
        self.assertEqual(len(self.server.received), 3, "the retry budget is 3")
        self.assertEqual(delivery.state, "failed")
        self.assertFalse(delivery.next_attempt)
        delivery.action_retry()
        self.assertEqual((delivery.state, delivery.attempts), ("pending", 0))

    def test_failures_say_why_in_words(self):
        """A real server answering 500, a port nobody listens on, a server
        slower than the timeout, HTTPS to a plain HTTP server and a host that
        does not exist: each delivery says why in a sentence; the exception
        goes to the server log."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free_port = probe.getsockname()[1]
        urls = {
            "http": self.base + "/fail",
            "timeout": self.base + "/slow",
            "refused": f"http://127.0.0.1:{free_port}/nobody-listens",
            "tls": self.base.replace("http://", "https://") + "/ok",
            "dns": "http://cs-webhook-test.invalid/hook",
        }
        webhooks = {
            kind: self.webhook("/ok", url=url, timeout=0.3, max_attempts=1)
            for kind, url in urls.items()
        }
        self.milestone()
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.deliver()
        expected = {
            "http": "The endpoint answered HTTP 500 Internal Server Error.",
            "timeout": "No answer within 0.3 seconds.",
            "refused": "Connection refused: nothing listens at 127.0.0.1, port "
            f"{free_port}.",
            "tls": "The secure connection (TLS) to 127.0.0.1 failed",
            "dns": "The host name cs-webhook-test.invalid was not found (DNS)",
        }
        for kind, webhook in webhooks.items():
            with self.subTest(kind=kind):
                delivery = webhook.delivery_ids
                self.assertEqual(delivery.state, "failed")
                self.assertEqual(delivery.error_kind, kind)
                self.assertIn(expected[kind], delivery.last_error)
                self.assertNotIn("object at 0x", delivery.last_error)
                self.assertNotIn("Error(", delivery.last_error)
        self.assertEqual(len(logs.records), len(webhooks))
        log = "\n".join(logs.output)
        for technical in ("500", "Read timed out", "Connection refused", "SSL"):
            self.assertIn(technical, log)

    @mute_logger(LOGGER)
    def test_unreachable_target_is_retried(self):
        closed = self.webhook("/ok", max_attempts=2)
        closed.url = "http://127.0.0.1:9/nobody-listens"
        self.milestone()
        self.deliver()
        self.assertEqual(closed.delivery_ids.state, "pending")
        self.assertEqual(closed.delivery_ids.error_kind, "refused")
        self.make_due(closed.delivery_ids)
        self.deliver()
        self.assertEqual(closed.delivery_ids.state, "failed")
        self.assertEqual(closed.delivery_ids.attempts, 2)

    @mute_logger(LOGGER)
    def test_client_error_is_not_retried(self):
        webhook = self.webhook("/gone")
        self.milestone()
        self.deliver()
        self.assertEqual(webhook.delivery_ids.state, "failed")
        self.assertEqual(webhook.delivery_ids.last_status, 410)
        self.assertEqual(len(self.server.received), 1)

    def test_churned_subscription_is_emitted(self):
        webhook = self.webhook("/ok", event="churned")
        subscription = self.create_subscription(self.customer, 3500)
        self.start(subscription)
        subscription.close_subscription()
        self.assertEqual(len(webhook.delivery_ids), 1)
        self.assertEqual(webhook.delivery_ids.payload["recurring_total"], 3500)
        self.deliver()
        self.assertEqual(json.loads(self.server.received[0][2])["event"], "churned")

    def test_bad_settings_refused(self):
        with self.assertRaisesText(ValidationError, "http:// or https://"):
            self.webhook("/ok", url="ftp://example.com")
        with self.assertRaisesText(ValidationError, "must be positive"):
            self.webhook("/ok", max_attempts=0)
        self.assertFalse(self.env["cs.webhook"].search([("url", "like", "ftp")]))
