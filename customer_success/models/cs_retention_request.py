# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from .cs_retention_offer import OFFER_KINDS

OPEN_STATES = ("requested", "offered")


class CsRetentionRequest(models.Model):
    """A customer's request to cancel a subscription, from the portal: why,
    what was offered, and how it ended."""

    _name = "cs.retention.request"
    _description = "Cancellation Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "cs.mail.mixin", "cs.cron.mixin"]
    _order = "date_requested desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    subscription_id = fields.Many2one(
        "sale.subscription", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="subscription_id.cs_commercial_partner_id",
        store=True,
        index=True,
    )
    contact_id = fields.Many2one(
        "res.partner", string="Requested By", required=True, readonly=True
    )
    company_id = fields.Many2one(
        related="subscription_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    csm_id = fields.Many2one(
        "res.users",
        string="Success Manager",
        readonly=True,
        help="Who followed the customer when it asked.",
    )
    touch_model_id = fields.Many2one("cs.touch.model", readonly=True)
    date_requested = fields.Date(
        string="Requested On",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
    )
    date_decided = fields.Date(string="Decided On", readonly=True, tracking=True)
    reason_id = fields.Many2one(
        "survey.question.answer",
        readonly=True,
        help="The exit survey's answer the customer chose; empty: other.",
    )
    reason_label = fields.Char(string="Why", compute="_compute_reason_label")
    reason_text = fields.Text(string="In Their Words", readonly=True)
    competitor = fields.Char(string="Leaving For", readonly=True)
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("offered", "Offered"),
            ("saved", "Saved"),
            ("cancelled", "Cancelled"),
            ("reverted", "Reverted"),
        ],
        required=True,
        default="requested",
        readonly=True,
        tracking=True,
    )
    csm_first = fields.Boolean(
        string="Success Manager First",
        readonly=True,
        help="The touch model asks the success manager to call before the "
        "cancellation goes through.",
    )
    csm_deadline = fields.Date(
        string="Call By",
        readonly=True,
        help="Without an answer from the success manager by this day, the "
        "cancellation goes through.",
    )
    offer_id = fields.Many2one(
        "cs.retention.offer",
        string="Offer Taken",
        readonly=True,
        tracking=True,
        index="btree_not_null",
    )
    offer_kind = fields.Selection(OFFER_KINDS, readonly=True)
    pause_months = fields.Integer(readonly=True)
    plan_product_id = fields.Many2one(
        "product.product", string="New Plan", readonly=True
    )
    cancel_date = fields.Date(
        string="Ends On",
        readonly=True,
        help="The first day not paid for: the subscription closes that day.",
    )
    mrr = fields.Monetary(string="MRR", readonly=True, help="When asked.")
    mrr_saved = fields.Monetary(string="MRR Saved", readonly=True)
    request_count = fields.Integer(string="Requests", default=1, readonly=True)
    saved_count = fields.Integer(string="Saved", compute="_compute_counts", store=True)
    cancelled_count = fields.Integer(
        string="Cancelled", compute="_compute_counts", store=True
    )

    # two workers (or two tabs) posting the same cancellation at once
    _one_open_per_subscription = models.UniqueIndex(
        "(subscription_id) WHERE state IN ('requested', 'offered')",
        "This subscription already has a cancellation request under way.",
    )

    @api.depends("subscription_id", "partner_id")
    def _compute_name(self):
        for request in self:
            request.name = " - ".join(
                filter(
                    None,
                    [request.partner_id.name, request.subscription_id.display_name],
                )
            )

    @api.depends("state")
    def _compute_counts(self):
        for request in self:
            request.saved_count = int(request.state == "saved")
            request.cancelled_count = int(request.state == "cancelled")

    @api.depends("reason_id", "reason_text")
    def _compute_reason_label(self):
        for request in self:
            # sudo: a success manager reads the exit survey's answer, not the
            # survey (no survey rights)
            request.reason_label = request.reason_id.sudo().value or request.env._(
                "Other"
            )

    # ------------------------------------------------------------------
    # Asking
    # ------------------------------------------------------------------

    @api.model
    def _cs_create_request(self, subscription, contact, reason, text="", competitor=""):
        """Record ``contact``'s request to cancel ``subscription`` for
        ``reason`` (an exit-survey answer, or empty for other). Nothing is
        created when the subscription already has a request under way or is
        already cancelling: that one is returned."""
        subscription.ensure_one()
        # two tabs, or a double submit: the second waits and finds the first
        subscription.lock_for_update()
        existing = subscription._cs_get_retention_request()
        if existing:
            return existing
        if subscription.stage_id.type != "in_progress":
            raise UserError(self.env._("This subscription is not running."))
        text = (text or "").strip()
        if not reason and not text:
            raise ValidationError(self.env._("Tell us why you are leaving."))
        if reason and reason not in subscription._cs_get_exit_reasons():
            raise ValidationError(self.env._("This reason is not one of ours."))
        customer = subscription.cs_commercial_partner_id
        csm_first = customer.touch_model_id.cs_retention_csm_first
        company = subscription.company_id
        today = fields.Date.context_today(self)
        request = self.sudo().create(
            {
                "subscription_id": subscription.id,
                "contact_id": contact.id,
                "csm_id": customer._cs_get_responsible_user(company).id,
                "touch_model_id": customer.touch_model_id.id,
                "reason_id": reason.id,
                "reason_text": text[:2000] or False,
                "competitor": (competitor or "").strip()[:200] or False,
                "state": "requested" if csm_first else "offered",
                "csm_first": csm_first,
                "csm_deadline": company._cs_next_business_day(today + timedelta(days=1))
                if csm_first
                else False,
                "mrr": subscription.cs_mrr,
            }
        )
        if csm_first:
            request._cs_book_call(
                lambda env: env._(
                    "%(customer)s asks to cancel: call before %(date)s",
                    customer=customer.name,
                    date=request._cs_format_date(request.csm_deadline, env),
                ),
                request.csm_deadline,
            )
            request._cs_confirm("csm_first")
        return request

    def _cs_get_offers(self):
        """The offers the company makes on this request, best first."""
        self.ensure_one()
        # sudo: the portal user asking reads the company's offers
        offers = (
            self.env["cs.retention.offer"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)])
        )
        return offers.filtered(
            lambda offer: offer._cs_matches(self.subscription_id, self.reason_id)
        )

    # ------------------------------------------------------------------
    # Deciding
    # ------------------------------------------------------------------

    def _cs_check_open(self):
        self.ensure_one()
        if self.state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "This request is already %(state)s.",
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.state
                    ],
                )
            )

    def _cs_take_offer(self, offer, months=0):
        """Apply ``offer`` (``months``: the pause's length) and close the
        request as saved."""
        self._cs_check_open()
        subscription = self.subscription_id.sudo()
        if offer not in self._cs_get_offers():
            raise ValidationError(self.env._("This offer is not available."))
        values = {"offer_id": offer.id, "offer_kind": offer.kind}
        mrr_saved = self.mrr
        if offer.kind == "pause":
            months = int(months or 0)
            if months not in offer._cs_get_pause_choices():
                raise ValidationError(
                    self.env._(
                        "This offer pauses for 1 to %(max)s months.",
                        max=offer.pause_months,
                    )
                )
            subscription._cs_retention_pause(months)
            values["pause_months"] = months
        elif offer.kind == "downgrade":
            plan = subscription._cs_get_cheaper_plan()
            subscription._cs_schedule_plan_change(plan)
            values["plan_product_id"] = plan.id
            mrr_saved = subscription._cs_get_plan_mrr(plan)
        elif offer.kind == "discount":
            subscription._cs_retention_discount(
                offer.discount_percent, offer.discount_invoices
            )
        values.update(
            state="saved",
            date_decided=fields.Date.context_today(self),
            mrr_saved=mrr_saved,
        )
        self.sudo().write(values)
        if offer.kind == "csm":
            self._cs_book_call(
                lambda env: env._(
                    "%(customer)s would rather talk than cancel",
                    customer=self.partner_id.name,
                ),
                self.company_id._cs_next_business_day(
                    fields.Date.context_today(self) + timedelta(days=1)
                ),
            )
        else:
            self._cs_tell_csm(
                lambda env: env._(
                    "%(customer)s stays: %(offer)s",
                    customer=self.partner_id.name,
                    offer=offer.with_context(lang=env.lang).name,
                )
            )
        self._cs_confirm("saved")

    def _cs_decline(self, automatic=False):
        """Cancel the subscription at the end of the period already paid."""
        self._cs_check_open()
        subscription = self.subscription_id.sudo()
        end = subscription._cs_get_paid_until()
        subscription._cs_schedule_cancellation(end, self)
        self.sudo().write(
            {
                "state": "cancelled",
                "date_decided": fields.Date.context_today(self),
                "cancel_date": end,
            }
        )
        if automatic:
            self.message_post(
                body=self.env._(
                    "Nobody called by %(date)s: the cancellation went through.",
                    date=self._cs_format_date(self.csm_deadline, self.env),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.activity_ids.sudo().action_feedback(
            feedback=self.env._("The customer cancelled.")
        )
        self._cs_tell_csm(
            lambda env: env._(
                "%(customer)s cancels on %(date)s",
                customer=self.partner_id.name,
                date=self._cs_format_date(end, env),
            )
        )
        self._cs_confirm("cancelled")

    def action_decline(self):
        """The success manager lets the cancellation go through."""
        for request in self:
            request._cs_decline()

    def action_open_offer_wizard(self):
        self.ensure_one()
        self._cs_check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Apply an Offer"),
            "res_model": "cs.retention.offer.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id},
        }

    def action_revert(self):
        """The customer changed their mind: the subscription goes on."""
        for request in self:
            if request.state in OPEN_STATES:
                pass
            elif request.state == "cancelled" and (
                request.subscription_id.stage_id.type == "in_progress"
            ):
                request.subscription_id.sudo()._cs_unschedule_cancellation()
            else:
                raise UserError(
                    self.env._(
                        "Only a request under way, or a cancellation before its "
                        "end date, can be reverted."
                    )
                )
            request.sudo().write(
                {"state": "reverted", "date_decided": fields.Date.context_today(self)}
            )
            request.activity_ids.sudo().action_feedback(
                feedback=self.env._("The customer stays.")
            )

    # ------------------------------------------------------------------
    # Telling
    # ------------------------------------------------------------------

    @api.model
    def _cs_format_date(self, date, env):
        """``date`` as the reader of ``env`` writes it."""
        return format_date(env, date)

    def _cs_book_call(self, summary, deadline):
        """A call activity for the success manager, in their language."""
        self.ensure_one()
        user = self.csm_id or self.company_id.cs_default_team_id.leader_id
        user = user or self.env.ref("base.user_admin", raise_if_not_found=False)
        env = self.with_context(lang=user.lang or self.env.lang).env
        self.sudo().activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=deadline,
            summary=summary(env),
            user_id=user.id,
        )

    def _cs_tell_csm(self, summary):
        """A to-do for the success manager, due today, in their language."""
        self.ensure_one()
        user = self.csm_id or self.company_id.cs_default_team_id.leader_id
        if not user:
            return
        env = self.with_context(lang=user.lang or self.env.lang).env
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            summary=summary(env),
            user_id=user.id,
        )

    def _cs_confirm(self, kind):
        """E-mail the contact what was decided (``kind``: csm_first, saved,
        cancelled), in their language."""
        self.ensure_one()
        template = self.env.ref(
            "customer_success.mail_template_cs_retention", raise_if_not_found=False
        )
        if not template or not self.contact_id.email:
            return
        self.sudo()._cs_post_template(
            template, self.contact_id, add_context={"cs_retention_kind": kind}
        )

    # ------------------------------------------------------------------
    # The daily run
    # ------------------------------------------------------------------

    def _cs_pass_deadline(self):
        """The call deadline passed. Nobody called (the call activity is still
        open): the cancellation goes through. The success manager called but
        decided nothing: the customer chooses among the offers in the portal."""
        for request in self:
            if request.activity_ids:
                request._cs_decline(automatic=True)
            else:
                request.sudo().state = "offered"
                request.message_post(
                    body=self.env._(
                        "The success manager called: the customer now sees the "
                        "offers in the portal."
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _cron_cs_retention(self):
        """Let through the cancellations nobody called about in time, close
        the subscriptions whose paid period is over, and start the plan
        changes of the new period. Each step finds only what is still to do:
        a re-run, or a second worker, does nothing twice."""
        today = fields.Date.context_today(self)
        self._cs_run_domain_in_batches(
            [("state", "=", "requested"), ("csm_deadline", "<", today)],
            lambda batch: batch.filtered(
                lambda request: request.state == "requested"
            )._cs_pass_deadline(),
            batch_size=100,
        )
        Subscription = self.env["sale.subscription"].sudo()
        Subscription._cs_run_domain_in_batches(
            [
                ("cs_cancel_date", "<=", today),
                ("stage_id.type", "!=", "post"),
            ],
            lambda batch: batch._cs_close_cancelled(),
            batch_size=100,
        )
        Subscription._cs_run_domain_in_batches(
            [
                ("cs_next_product_id", "!=", False),
                ("cs_next_product_date", "<=", today),
            ],
            lambda batch: batch._cs_apply_plan_change(),
            batch_size=100,
        )
