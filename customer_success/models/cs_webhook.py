# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import secrets
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import WEBHOOK_EVENTS

# the endpoints found per (event, company), while a batch runs (cursor cache)
LOOKUP_KEY = "cs_webhook_lookup"


class CsWebhook(models.Model):
    """An outbound endpoint told about customer-success events."""

    _name = "cs.webhook"
    _description = "Outbound Webhook"
    _inherit = ["mail.thread"]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    url = fields.Char(string="URL", required=True, tracking=True)
    event = fields.Selection(WEBHOOK_EVENTS, required=True, tracking=True)
    secret = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_hex(32),
        help="Signs each delivery: the X-CS-Signature header is "
        "sha256=HMAC-SHA256(secret, body).",
    )
    timeout = fields.Float(string="Timeout (Seconds)", default=5.0)
    max_attempts = fields.Integer(default=5, help="Attempts before giving up.")
    retry_delay = fields.Integer(
        string="First Retry After (Seconds)",
        default=60,
        help="Doubled after each failed attempt.",
    )
    delivery_ids = fields.One2many("cs.webhook.delivery", "webhook_id")

    @api.constrains("url", "timeout", "max_attempts", "retry_delay")
    def _check_settings(self):
        for webhook in self:
            if not (webhook.url or "").startswith(("http://", "https://")):
                raise ValidationError(
                    self.env._("The webhook URL must start with http:// or https://.")
                )
            if (
                webhook.timeout <= 0
                or webhook.max_attempts < 1
                or (webhook.retry_delay < 0)
            ):
                raise ValidationError(
                    self.env._(
                        "The timeout, the attempts and the retry delay of a "
                        "webhook must be positive."
                    )
                )

    @api.model
    @api.model
    @contextmanager
    def _lookup_once(self):
        """Within this block, the endpoints of an event are searched once: a
        dunning batch emits one event per customer."""
        cache = self.env.cr.cache
        owner = LOOKUP_KEY not in cache
        if owner:
            cache[LOOKUP_KEY] = {}
        try:
            yield
        finally:
            if owner:
                cache.pop(LOOKUP_KEY, None)

    def _emit(self, event, payload, company):
        """Queue ``payload`` for the endpoints of ``event`` in ``company``.

        Nothing leaves in this transaction: the deliveries are sent by the
        delivery cron, triggered for right after the commit.
        """
        memo = self.env.cr.cache.get(LOOKUP_KEY)
        key = (event, company.id)
        if memo is not None and key in memo:
            webhooks = self.sudo().browse(memo[key])
        else:
            webhooks = self.sudo().search(
                [("event", "=", event), ("company_id", "=", company.id)]
            )
            if memo is not None:
                memo[key] = webhooks.ids
        if not webhooks:
            return self.env["cs.webhook.delivery"]
        deliveries = (
            self.env["cs.webhook.delivery"]
            .sudo()
            .create([webhook._prepare_delivery_values(payload) for webhook in webhooks])
        )
        self.env.ref("customer_success.ir_cron_cs_webhook")._trigger()
        return deliveries

    def _prepare_delivery_values(self, payload):
        self.ensure_one()
        return {
            "webhook_id": self.id,
            "event": self.event,
            "payload": payload,
            "next_attempt": fields.Datetime.now(),
        }

    def action_send_test(self):
        """Queue a test delivery to these endpoints."""
        for webhook in self:
            self.env["cs.webhook.delivery"].sudo().create(
                webhook._prepare_delivery_values(
                    {"event": webhook.event, "test": True, "webhook": webhook.name}
                )
            )
        self.env.ref("customer_success.ir_cron_cs_webhook")._trigger()
