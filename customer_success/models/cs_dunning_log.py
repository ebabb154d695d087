# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models

# mail.notification status of the payer -> state of the log
NOTIFICATION_STATES = {
    "ready": "queued",
    "process": "queued",
    "pending": "queued",
    "sent": "sent",
    "bounce": "bounced",
    "exception": "failed",
    "canceled": "failed",
}

# mail_tracking's state of an e-mail -> what the billing e-mail shows
TRACKING_STATES = {
    "sent": "sent",
    "deferred": "sent",
    "delivered": "delivered",
    "opened": "opened",
    "error": "bounced",
    "rejected": "bounced",
    "spam": "bounced",
    "bounced": "bounced",
    "soft-bounced": "bounced",
}
# the best news first: one recipient who opened it is enough
TRACKING_ORDER = ("opened", "delivered", "sent", "bounced")


class CsDunningLog(models.Model):
    """What was done for one step of one invoice: at most once."""

    _name = "cs.dunning.log"
    _description = "Dunning Log"
    _order = "date desc, id desc"
    _rec_name = "step_id"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True
    )
    step_id = fields.Many2one(
        "cs.dunning.step", required=True, ondelete="restrict", index=True
    )
    offset_days = fields.Integer(related="step_id.offset_days", string="Day")
    partner_id = fields.Many2one(
        "res.partner", string="Payer", index=True, ondelete="set null"
    )
    commercial_partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", store=True, string="Customer"
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    message_id = fields.Many2one("mail.message", string="E-mail", ondelete="set null")
    activity_id = fields.Many2one("mail.activity", ondelete="set null")
    send_after = fields.Date(
        help="With a human touch first: the e-mail goes out on this day if the "
        "invoice is still unpaid."
    )
    note = fields.Char(
        help="What the e-mail went out without, and why (the invoice PDF that "
        "could not be produced)."
    )
    blocked_reason = fields.Char(
        string="Reason",
        compute="_compute_state",
        store=True,
        readonly=False,
    )
    state = fields.Selection(
        [
            ("waiting", "Waiting (activity first)"),
            ("activity", "Activity only"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("bounced", "Bounced"),
            ("failed", "Failed"),
            ("blocked", "Not sent (communication problem)"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        readonly=False,
        index=True,
        required=True,
        default="queued",
    )

    tracking_state = fields.Selection(
        [
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("opened", "Opened"),
            ("bounced", "Bounced"),
        ],
        string="Reach",
        compute="_compute_tracking_state",
        store=True,
        help="What the e-mail tracking saw of this e-mail: sent by the mail "
        "server, delivered (with a provider that reports it), opened by a "
        "recipient, or bounced.",
    )
    opened_date = fields.Datetime(
        string="Opened On",
        readonly=True,
        help="When a recipient first opened the e-mail.",
    )

    _move_step_uniq = models.Constraint(
        "UNIQUE(move_id, step_id)",
        "A dunning step runs at most once per invoice.",
    )

    @api.depends(
        "message_id.notification_ids.notification_status",
        "message_id.notification_ids.failure_type",
        "message_id.notification_ids.failure_reason",
    )
    def _compute_state(self):
        for log in self:
            notification = log.message_id.notification_ids.filtered(
                lambda n, log=log: n.res_partner_id == log.partner_id
            )[:1]
            if not notification:
                log.state = log.state or "queued"
                log.blocked_reason = log.blocked_reason
                continue
            log.state = NOTIFICATION_STATES.get(
                notification.notification_status, "queued"
            )
            # why the mail server refused or bounced it, for the accounting team
            log.blocked_reason = (
                notification.failure_reason
                or dict(
                    notification._fields["failure_type"]._description_selection(
                        self.env
                    )
                ).get(notification.failure_type)
                if log.state in ("failed", "bounced")
                else False
            )

    @api.depends("message_id.mail_tracking_ids.state")
    def _compute_tracking_state(self):
        for log in self:
            # sudo: the delivery state of the log's own e-mail
            trackings = log.sudo().message_id.mail_tracking_ids
            states = {TRACKING_STATES.get(tracking.state) for tracking in trackings}
            payer = trackings.filtered(
                lambda tracking, log=log: tracking.partner_id == log.partner_id
            )
            if payer and TRACKING_STATES.get(payer[0].state) == "bounced":
                # the payer's address bounced, whoever else read the copy
                log.tracking_state = "bounced"
                continue
            log.tracking_state = next(
                (state for state in TRACKING_ORDER if state in states), False
            )

    @api.model
    def _send_waiting(self, today):
        """Send the e-mails held back for a human touch, once their day came.

        Invoices paid meanwhile get nothing: their log is cancelled.
        """
        logs = self.search(
            [("state", "=", "waiting"), ("send_after", "<=", today)]
        ).try_lock_for_update()
        if not logs:
            return
        open_logs = logs.filtered(lambda log: log.move_id._cs_is_dunnable())
        (logs - open_logs).state = "cancelled"
        groups = defaultdict(self.browse)
        for log in open_logs:
            groups[(log.step_id, log.move_id.cs_payer_id)] |= log
        problems = open_logs.move_id._cs_get_communication_problems()
        for (step, payer), group in groups.items():
            moves = group.move_id
            if problems.get(payer):
                # the log keeps the call it waited for
                values = moves._cs_get_blocked_values(problems[payer])
            else:
                values = moves._cs_try_send_step_email(step, payer)
            group.write(values)
