# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import timedelta

from odoo import fields, models

_logger = logging.getLogger(__name__)

# failures of our side (server unreachable, refused our sender), not the
# payer's: the e-mail is tried again, and no communication problem is raised
SERVER_FAILURES = ("mail_smtp", "mail_from_invalid", "mail_from_missing")
RETRY_DAYS = 7


class MailMail(models.Model):
    _inherit = "mail.mail"

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        outgoing = self.filtered(lambda mail: mail.state == "outgoing")
        result = super().send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )
        outgoing.exists()._cs_requeue_server_failures()
        return result

    def _cs_requeue_server_failures(self):
        """Put back in the queue the dunning e-mails that failed because the
        mail server could not be reached: the payer did nothing wrong, and
        the queue sends them once the server is back (for a week)."""
        failed = self.filtered(
            lambda mail: (
                mail.state == "exception"
                and mail.create_date
                and mail.create_date
                > fields.Datetime.now() - timedelta(days=RETRY_DAYS)
            )
        )
        if not failed:
            return
        dunning = (
            self.env["cs.dunning.log"]
            .sudo()
            .search([("message_id", "in", failed.mail_message_id.ids)])
            .message_id
        )
        requeue = failed.filtered(
            lambda mail: (
                mail.mail_message_id in dunning
                and mail.notification_ids
                and all(
                    notification.failure_type in SERVER_FAILURES
                    for notification in mail.notification_ids
                )
            )
        )
        if not requeue:
            return
        _logger.info(
            "Mail server unreachable: %s dunning e-mails stay queued.", len(requeue)
        )
        requeue.notification_ids.write(
            {
                "notification_status": "ready",
                "failure_type": False,
                "failure_reason": False,
            }
        )
        requeue.write({"state": "outgoing", "failure_reason": False})
