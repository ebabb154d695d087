# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.fields import Domain

from .cs_webhook import WEBHOOK_EVENTS

_logger = logging.getLogger(__name__)

RETRY_STATUS = {408, 429}


class CsWebhookDelivery(models.Model):
    """One event sent (or to send) to one endpoint, with its attempts."""

    _name = "cs.webhook.delivery"
    _description = "Webhook Delivery"
    _order = "id desc"

    webhook_id = fields.Many2one(
        "cs.webhook", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="webhook_id.company_id", store=True)
    event = fields.Selection(WEBHOOK_EVENTS, required=True)
    payload = fields.Json(required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
        default="pending",
        required=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(index=True)
    sent_date = fields.Datetime(readonly=True)
    last_status = fields.Integer(string="Last HTTP Status", readonly=True)
    last_error = fields.Char(readonly=True)

    def _get_body(self):
        """The exact bytes sent and signed."""
        self.ensure_one()
        envelope = {
            "id": self.id,
            "event": self.event,
            "created": fields.Datetime.to_string(self.create_date),
            "data": self.payload,
        }
        return json.dumps(envelope, sort_keys=True, default=str).encode()

    def _sign(self, body):
        self.ensure_one()
        digest = hmac.new(
            self.webhook_id.secret.encode(), body, hashlib.sha256
        ).hexdigest()
        return f"sha256={digest}"

    @api.model
    def _cron_cs_deliver(self, batch_size=50):
        """Send the pending deliveries whose time has come, and retry the
        failed attempts with exponential backoff, each within its endpoint's
        timeout and attempt budget. Batches are locked with
        ``try_lock_for_update`` and committed with ``_commit_progress``: a
        delivery is never sent by two workers at once."""
        Cron = self.env["ir.cron"]
        done = self.browse()
        while True:
            domain = (
                Domain("state", "=", "pending")
                & Domain("next_attempt", "<=", fields.Datetime.now())
                & Domain("id", "not in", done.ids)
            )
            deliveries = self.search(domain, order="next_attempt, id", limit=batch_size)
            deliveries = deliveries.try_lock_for_update()
            if not deliveries:
                break
            done |= deliveries
            deliveries.invalidate_recordset()
            for delivery in deliveries.filtered_domain(domain):
                delivery._attempt()
            remaining = self.search_count(domain & Domain("id", "not in", done.ids))
            if not Cron._commit_progress(len(deliveries), remaining=remaining) or (
                not remaining
            ):
                break

    def _attempt(self):
        """One HTTP attempt; the outcome is recorded on the delivery."""
        self.ensure_one()
        webhook = self.webhook_id
        body = self._get_body()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "odoo-customer-success",
            "X-CS-Event": self.event,
            "X-CS-Delivery": str(self.id),
            "X-CS-Signature": self._sign(body),
        }
        status, error = 0, False
        try:
            response = requests.post(
                webhook.url, data=body, headers=headers, timeout=webhook.timeout
            )
            status = response.status_code
        except requests.RequestException as exception:
            error = f"{type(exception).__name__}: {exception}"[:250]
        attempts = self.attempts + 1
        vals = {"attempts": attempts, "last_status": status, "last_error": error}
        if 200 <= status < 300:
            vals.update(
                state="sent", sent_date=fields.Datetime.now(), next_attempt=False
            )
        elif (
            status
            and status < 500
            and status not in RETRY_STATUS
            or attempts >= webhook.max_attempts
        ):
            vals.update(state="failed", next_attempt=False)
        else:
            delay = webhook.retry_delay * 2 ** (attempts - 1)
            vals["next_attempt"] = fields.Datetime.now() + timedelta(seconds=delay)
        if vals.get("state") == "failed":
            _logger.warning(
                "Webhook delivery %s to %s failed: %s",
                self.id,
                webhook.url,
                error or status,
            )
        self.write(vals)

    def action_retry(self):
        """Send these deliveries again, with a fresh attempt budget."""
        self.write(
            {"state": "pending", "attempts": 0, "next_attempt": fields.Datetime.now()}
        )
        self.env.ref("customer_success.ir_cron_cs_webhook")._trigger()
