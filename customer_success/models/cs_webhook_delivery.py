# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import json
import logging
import socket
import ssl
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

import requests

from odoo import api, fields, models
from odoo.fields import Domain

from ..const import WEBHOOK_EVENTS

_logger = logging.getLogger(__name__)

RETRY_STATUS = {408, 429}

ERROR_KINDS = [
    ("http", "Error status"),
    ("timeout", "No answer in time"),
    ("refused", "Connection refused"),
    ("dns", "Host name not found"),
    ("tls", "Secure connection failed"),
    ("unreachable", "Endpoint unreachable"),
    ("other", "Request failed"),
]


def _exception_chain(exception):
    """The exception and every exception behind it: requests wraps urllib3's,
    which wraps the socket's or the TLS layer's (``reason``, ``__cause__``,
    ``__context__``, ``args``)."""
    seen, todo = [], [exception]
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or current in seen:
            continue
        seen.append(current)
        todo += [
            getattr(current, "reason", None),
            current.__cause__,
            current.__context__,
            *current.args,
        ]
    return seen


class CsWebhookDelivery(models.Model):
    """One event sent (or to send) to one endpoint, with its attempts."""

    _name = "cs.webhook.delivery"
    _inherit = ["cs.cron.mixin"]
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
    error_kind = fields.Selection(ERROR_KINDS, string="Last Error Kind", readonly=True)
    last_error = fields.Char(
        compute="_compute_last_error",
        help="Why the last attempt failed; the server log has the technical detail.",
    )

    @api.depends("error_kind", "last_status", "webhook_id.url", "webhook_id.timeout")
    def _compute_last_error(self):
        for delivery in self:
            delivery.last_error = delivery._get_error_message()

    def _get_error_message(self):
        """The reason of the last failed attempt, for a person to read."""
        self.ensure_one()
        kind = self.error_kind
        if not kind:
            return False
        url = urlsplit(self.webhook_id.url or "")
        host = url.hostname or ""
        try:
            port = url.port or (443 if url.scheme == "https" else 80)
        except ValueError:
            port = ""
        if kind == "http":
            try:
                phrase = HTTPStatus(self.last_status).phrase
            except ValueError:
                phrase = ""
            return self.env._(
                "The endpoint answered HTTP %(status)s.",
                status=f"{self.last_status} {phrase}".strip(),
            )
        if kind == "timeout":
            return self.env._(
                "No answer within %(timeout)s seconds.",
                timeout=f"{self.webhook_id.timeout:g}",
            )
        if kind == "refused":
            return self.env._(
                "Connection refused: nothing listens at %(host)s, port %(port)s.",
                host=host,
                port=port,
            )
        if kind == "dns":
            return self.env._(
                "The host name %(host)s was not found (DNS): check the URL.",
                host=host,
            )
        if kind == "tls":
            return self.env._(
                "The secure connection (TLS) to %(host)s failed: its certificate "
                "is not valid, or it does not speak HTTPS.",
                host=host,
            )
        if kind == "unreachable":
            return self.env._(
                "%(host)s could not be reached: the network or the endpoint is down.",
                host=host,
            )
        return self.env._("The request failed; the server log has the details.")

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
        domain = Domain("state", "=", "pending") & Domain(
            "next_attempt", "<=", fields.Datetime.now()
        )

        def attempt(deliveries):
            for delivery in deliveries:
                delivery._attempt()

        self._cs_run_domain_in_batches(
            domain, attempt, batch_size, order="next_attempt, id"
        )

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
        status, kind, detail = 0, False, ""
        try:
            response = requests.post(
                webhook.url, data=body, headers=headers, timeout=webhook.timeout
            )
        except requests.RequestException as exception:
            kind, detail = self._get_error_kind(exception), str(exception)
        else:
            status = response.status_code
            if not 200 <= status < 300:
                kind, detail = "http", f"{status} {response.reason}"
        attempts = self.attempts + 1
        vals = {"attempts": attempts, "last_status": status, "error_kind": kind}
        if not kind:
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
        if kind:
            # the technical detail is for the administrator, in the log
            _logger.log(
                logging.WARNING if vals.get("state") == "failed" else logging.INFO,
                "Webhook delivery %s to %s, attempt %s of %s%s: %s",
                self.id,
                webhook.url,
                attempts,
                webhook.max_attempts,
                ", giving up" if vals.get("state") == "failed" else "",
                detail,
            )
        self.write(vals)

    @api.model
    def _get_error_kind(self, exception):
        """What went wrong with a request that got no HTTP answer: one of
        ``ERROR_KINDS``, read from the exceptions behind ``exception``."""
        chain = _exception_chain(exception)

        def found(*classes):
            return any(isinstance(error, classes) for error in chain)

        if found(requests.Timeout, TimeoutError):
            return "timeout"
        if found(requests.exceptions.SSLError, ssl.SSLError):
            return "tls"
        if found(socket.gaierror):
            return "dns"
        if found(ConnectionRefusedError):
            return "refused"
        if found(requests.ConnectionError, OSError):
            return "unreachable"
        return "other"

    def action_retry(self):
        """Send these deliveries again, with a fresh attempt budget."""
        self.write(
            {"state": "pending", "attempts": 0, "next_attempt": fields.Datetime.now()}
        )
        self.env.ref("customer_success.ir_cron_cs_webhook")._trigger()
