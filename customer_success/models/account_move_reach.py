# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import SUPERUSER_ID, api, fields, models
from odoo.fields import Domain
from odoo.tools import format_date, format_datetime, str2bool


class AccountMove(models.Model):
    """Did the invoice reach the customer? Its billing e-mails opened, its
    portal page viewed by the customer, the timeline of both on the Dunning
    tab, and the rule of an overdue invoice that never reached anyone."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    cs_first_viewed_date = fields.Datetime(
        string="First Viewed by the Customer",
        readonly=True,
        copy=False,
        help="When the customer first opened this invoice on the portal.",
    )
    cs_last_viewed_date = fields.Datetime(
        string="Last Viewed by the Customer", readonly=True, copy=False
    )
    cs_email_opened_date = fields.Datetime(
        string="Billing E-mail First Opened",
        readonly=True,
        copy=False,
        help="When a recipient first opened an e-mail about this invoice "
        "(reminder, notice, payment confirmation).",
    )
    cs_receipt_check_date = fields.Date(
        string="Receipt Check Asked On",
        readonly=True,
        copy=False,
        help="When a person was asked to confirm that the customer received "
        "this invoice, which was overdue and never opened nor viewed.",
    )
    cs_viewed_before_due = fields.Boolean(
        string="Viewed Before Due",
        compute="_compute_cs_view_figures",
        store=True,
    )
    cs_view_to_payment_days = fields.Integer(
        string="Days from First View to Payment",
        compute="_compute_cs_view_figures",
        store=True,
        help="Paid before the first view counts as 0.",
    )
    cs_reach_timeline = fields.Html(
        string="Reach Timeline", compute="_compute_cs_reach_timeline", sanitize=False
    )

    @api.depends("cs_first_viewed_date", "invoice_date_due", "cs_paid_date")
    def _compute_cs_view_figures(self):
        for move in self:
            viewed = move.cs_first_viewed_date and move.cs_first_viewed_date.date()
            move.cs_viewed_before_due = bool(
                viewed and move.invoice_date_due and viewed <= move.invoice_date_due
            )
            move.cs_view_to_payment_days = (
                max(0, (move.cs_paid_date - viewed).days)
                if viewed and move.cs_paid_date
                else 0
            )

    @api.depends(
        "cs_dunning_log_ids.tracking_state",
        "cs_first_viewed_date",
        "cs_last_viewed_date",
        "cs_paid_date",
    )
    def _compute_cs_reach_timeline(self):
        for move in self:
            events = move._cs_get_reach_events()
            move.cs_reach_timeline = (
                self.env["ir.qweb"]._render(
                    "customer_success.account_move_reach_timeline",
                    {"events": events},
                )
                if events
                else False
            )

    def _cs_get_reach_events(self):
        """The timeline of this invoice: its billing e-mails (sent, opened or
        bounced), its views on the portal and its payment, oldest first, as
        [{"date", "label", "detail", "state"}]."""
        self.ensure_one()
        env = self.env
        states = dict(
            env["cs.dunning.log"]._fields["tracking_state"]._description_selection(env)
        )
        events = []
        for log in self.cs_dunning_log_ids.filtered("message_id").sorted("id"):
            state = log.tracking_state or log.state
            events.append(
                {
                    "sort": fields.Datetime.to_datetime(log.date),
                    "date": format_date(env, log.date),
                    "label": env._("%(step)s sent", step=log.step_id.name),
                    "detail": log.partner_id.email or log.partner_id.display_name,
                    "state": states.get(state)
                    or dict(log._fields["state"]._description_selection(env)).get(
                        state
                    ),
                    "danger": state in ("bounced", "failed"),
                }
            )
            if log.opened_date:
                events.append(
                    {
                        "sort": log.opened_date,
                        "date": format_datetime(env, log.opened_date),
                        "label": env._("%(step)s opened", step=log.step_id.name),
                        "detail": "",
                        "state": states["opened"],
                        "danger": False,
                    }
                )
        if self.cs_first_viewed_date:
            events.append(
                {
                    "sort": self.cs_first_viewed_date,
                    "date": format_datetime(env, self.cs_first_viewed_date),
                    "label": env._("Viewed by the customer on the portal"),
                    "detail": env._(
                        "last viewed %(date)s",
                        date=format_datetime(env, self.cs_last_viewed_date),
                    )
                    if self.cs_last_viewed_date != self.cs_first_viewed_date
                    else "",
                    "state": env._("Viewed"),
                    "danger": False,
                }
            )
        if self.cs_paid_date:
            events.append(
                {
                    "sort": fields.Datetime.to_datetime(self.cs_paid_date),
                    "date": format_date(env, self.cs_paid_date),
                    "label": env._("Paid"),
                    "detail": "",
                    "state": env._("Paid"),
                    "danger": False,
                }
            )
        return sorted(events, key=lambda event: event["sort"])

    def _cs_record_portal_view(self, user):
        """``user`` opened these invoices on the portal. A customer's view
        (a portal or public user: with the invoice's link or as the
        customer's contact) is recorded, first and last; the first one is
        noted in the chatter, as Odoo's sale does for quotations. Internal
        users looking at the portal page are not the customer."""
        if not user.share:
            return
        invoices = self.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        if not invoices:
            return
        now = fields.Datetime.now()
        first = invoices.filtered(lambda move: not move.cs_first_viewed_date)
        # sudo: the customer only leaves the trace of the page they were
        # allowed to open; not an accounting change
        invoices = invoices.sudo().with_context(skip_invoice_sync=True)
        invoices.write({"cs_last_viewed_date": now})
        first.sudo().with_context(skip_invoice_sync=True).write(
            {"cs_first_viewed_date": now}
        )
        viewer = user.partner_id if not user._is_public() else None
        for move in first:
            # for the salesperson and the CSM, in their language, not the
            # customer's
            lang = move.invoice_user_id.lang or move.company_id.partner_id.lang
            env = move.with_context(lang=lang).env
            move.with_user(SUPERUSER_ID).message_post(
                body=env._(
                    "Invoice viewed by the customer %(name)s",
                    name=(viewer or move.partner_id).name,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _cs_opens_are_tracked(self):
        """Whether an unopened e-mail means something: opens are tracked by
        the image of the e-mail, unless it is switched off."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mail_tracking.tracking_img_disabled", False)
        )
        return not str2bool(value or "0", False)

    def _cs_is_not_received(self, today=None):
        """The invoices of ``self`` that, as far as anyone can tell, never
        reached the customer (seed 000: "validar primeiro com o cliente se
        ele recebeu a fatura"): open and overdue, billing e-mails sent, none
        of them opened, never viewed on the portal. In one query for the
        batch."""
        today = today or fields.Date.context_today(self)
        if not self or not self._cs_opens_are_tracked():
            return self.browse()
        candidates = self.filtered(
            lambda move: (
                move._cs_is_dunnable()
                and move.invoice_date_due < today
                and not move.cs_first_viewed_date
                and not move.cs_email_opened_date
            )
        )
        if not candidates:
            return candidates
        # sudo: whether e-mails went out, not what they said
        sent = {
            move
            for [move] in self.env["cs.dunning.log"]
            .sudo()
            ._read_group(
                Domain("move_id", "in", candidates.ids)
                & Domain("message_id", "!=", False)
                & Domain("state", "in", ("queued", "sent")),
                groupby=["move_id"],
            )
        }
        return candidates.filtered(lambda move: move in sent or move.is_move_sent)

    def _cs_ask_receipt_confirmation(self, groups, today, problems=None):
        """Before the overdue steps of ``groups`` ({(step, payer): invoices})
        go out: mark the invoices that did not reach the customer as checked
        today, once per invoice. That runs the play *A billing e-mail bounced
        or the invoice was never received*: a person (the success manager)
        confirms receipt, with the payer's contact data. Payers that e-mail
        cannot reach are already in that play (``problems``)."""
        problems = problems or {}
        overdue = self.browse(
            [
                move.id
                for (step, payer), moves in groups.items()
                if step.is_overdue and payer not in problems
                for move in moves
            ]
        )
        todo = overdue.filtered(lambda move: not move.cs_receipt_check_date)
        todo = todo._cs_is_not_received(today)
        # sudo: the day a person was asked, on invoices whose reminder the
        # user is sending; not an accounting change
        todo.sudo().with_context(skip_invoice_sync=True).write(
            {"cs_receipt_check_date": today}
        )

    def _cs_get_receipt_check_note(self):
        """What the receipt check says of this invoice, in the language of
        the context: why, and how to reach its payer."""
        self.ensure_one()
        payer = self.cs_payer_id or self.commercial_partner_id
        return " ".join(
            [
                self.env._(
                    "No billing e-mail about %(invoice)s was opened and the "
                    "customer never viewed it: confirm they received it. The "
                    "next reminder also goes to the customer's main contact.",
                    invoice=self.display_name,
                ),
                self.env._(
                    "Payer: %(name)s, %(email)s, %(phone)s.",
                    name=payer.display_name,
                    email=payer.email or "-",
                    phone=payer.phone or "-",
                ),
            ]
        )

    def _cs_get_dunning_recipients(self, payer, not_received):
        """Who receives the e-mail of these invoices of ``payer``: the billing
        recipients, and the customer's main contact when one of them did not
        reach the customer (``not_received``, from
        :meth:`_cs_is_not_received`)."""
        customer = self[0].commercial_partner_id
        recipients = customer._cs_get_billing_recipients(payer)
        if self & not_received and customer.email:
            recipients |= customer
        return recipients

    @api.model
    def _cs_record_billing_opens(self, messages, when):
        """E-mails of ``messages`` were opened at ``when``: the invoices they
        are about (the invoice they were posted on and those a reminder
        listed) keep their first open."""
        Log = self.env["cs.dunning.log"].sudo()
        invoices = Log.search([("message_id", "in", messages.ids)]).move_id
        invoices |= self.browse(
            messages.filtered(lambda message: message.model == self._name).mapped(
                "res_id"
            )
        )
        invoices = invoices.exists().filtered(
            lambda move: not move.cs_email_opened_date
        )
        invoices.sudo().with_context(skip_invoice_sync=True).write(
            {"cs_email_opened_date": when}
        )
