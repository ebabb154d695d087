# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

# Exit surveys go first, then introductory ones: within the throttling window a
# contact gets the survey of the most telling moment.
KIND_PRIORITY = {"exit": 0, "introductory": 1, "periodic": 2}
# A new campaign does not survey every old subscription: only the ones whose
# moment (start or close) is at most this many days late.
CATCH_UP_DAYS = 30


class CsNpsCampaign(models.Model):
    """When, and to whom, an NPS survey goes."""

    _name = "cs.nps.campaign"
    _description = "NPS Campaign"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("introductory", "Introductory"),
            ("periodic", "Periodic"),
            ("exit", "Exit"),
        ],
        required=True,
        default="periodic",
        tracking=True,
        help="Introductory: some days after a subscription starts. Periodic: "
        "every so many days to running customers. Exit: when a subscription "
        "is closed.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        required=True,
        domain="[('cs_is_nps', '=', True)]",
        tracking=True,
    )
    delay_days = fields.Integer(
        string="Days",
        default=90,
        tracking=True,
        help="Introductory: days after the subscription starts. Periodic: days "
        "between two surveys of this campaign to a contact, the first one that "
        "many days after the subscription starts. Exit: days after "
        "the subscription is closed (0: the next run).",
    )
    touch_model_ids = fields.Many2many(
        "cs.touch.model",
        string="Touch Models",
        help="Only customers of these touch models; all customers when empty.",
    )
    allow_overdue = fields.Boolean(
        string="Survey Customers in Overdue Dunning",
        help="By default a customer with an invoice in an overdue dunning step "
        "gets no survey.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Invitation E-mail",
        required=True,
        domain="[('model', '=', 'survey.user_input')]",
        default=lambda self: self.env.ref(
            "customer_success.mail_template_cs_nps_invite", raise_if_not_found=False
        ),
    )
    referral_template_id = fields.Many2one(
        "mail.template",
        string="Referral Request to Promoters",
        domain="[('model', '=', 'cs.nps.response')]",
        help="Sent to a contact who answers 9 or 10: a referral or testimonial "
        "request. None when empty.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        help="Follows up the detractors of customers who have no success manager.",
    )
    invitation_ids = fields.One2many(
        "survey.user_input", "cs_campaign_id", groups="survey.group_survey_user"
    )
    response_ids = fields.One2many("cs.nps.response", "campaign_id")
    invitation_count = fields.Integer(compute="_compute_statistics", string="Sent")
    response_count = fields.Integer(compute="_compute_statistics", string="Answers")
    response_rate = fields.Float(compute="_compute_statistics", string="Answer Rate")
    nps = fields.Float(compute="_compute_statistics", string="NPS")

    _delay_positive = models.Constraint(
        "CHECK(delay_days >= 0)", "The days of an NPS campaign cannot be negative."
    )

    def _compute_statistics(self):
        # counts only: a CS user sees how many were sent without reading the
        # survey answers themselves
        invitations = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("cs_campaign_id", "in", self.ids)],
                groupby=["cs_campaign_id"],
                aggregates=["__count"],
            )
        )
        responses = {
            campaign: (count, nps)
            for campaign, count, nps in self.env["cs.nps.response"]._read_group(
                [("campaign_id", "in", self.ids)],
                groupby=["campaign_id"],
                aggregates=["__count", "nps_value:avg"],
            )
        }
        for campaign in self:
            sent = invitations.get(campaign, 0)
            count, nps = responses.get(campaign, (0, 0.0))
            campaign.invitation_count = sent
            campaign.response_count = count
            campaign.response_rate = count / sent * 100 if sent else 0.0
            campaign.nps = nps or 0.0

    @api.constrains("kind", "delay_days", "survey_id")
    def _check_campaign(self):
        for campaign in self:
            if campaign.kind == "periodic" and campaign.delay_days < 1:
                raise ValidationError(
                    self.env._("A periodic NPS campaign needs at least one day.")
                )
            if not campaign.survey_id.question_ids.filtered(
                lambda question: question.cs_nps_role == "score"
            ):
                raise ValidationError(
                    self.env._(
                        "The survey %(survey)s has no NPS score question (a 0 to "
                        "10 scale tagged Score).",
                        survey=campaign.survey_id.title,
                    )
                )

    def action_view_responses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_nps_response_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        return action

    def action_view_invitations(self):
        self.ensure_one()
        # the domain comes first: Odoo's term extractor would read the tuple
        # after a translated string as one more term
        return {
            "domain": [("cs_campaign_id", "=", self.id)],
            "type": "ir.actions.act_window",
            "name": self.env._("Invitations"),
            "res_model": "survey.user_input",
            "view_mode": "list,form",
        }

    def action_run(self):
        """Send the surveys due today for these campaigns."""
        self._run_campaign(fields.Date.context_today(self))

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _cron_cs_nps(self, batch_size=200):
        """Send the NPS surveys due today, campaign by campaign.

        The customers of a batch are locked with ``try_lock_for_update`` and
        the batch committed with ``_commit_progress``. Each invitation carries
        a unique key (campaign, subscription or contact, period): re-running,
        or two workers at once, never invite a contact twice.
        """
        campaigns = self.search([("active", "=", True)]).sorted(
            lambda campaign: (KIND_PRIORITY[campaign.kind], campaign.sequence)
        )
        campaigns._run_campaign(fields.Date.context_today(self), batch_size=batch_size)

    def _run_campaign(self, today, batch_size=200):
        Partner = self.env["res.partner"]
        for campaign in self:

            def customers_left(done, campaign=campaign):
                return campaign._get_candidates(today, done).cs_commercial_partner_id

            def invite(customers, campaign=campaign):
                # another worker may have surveyed them before the lock
                customers.invalidate_recordset()
                campaign._invite(today, customers)

            Partner._cs_run_in_batches(
                lambda done, left=customers_left: left(done)[:batch_size],
                invite,
                lambda done, left=customers_left: len(left(done)),
            )

    def _get_candidates(self, today, exclude, customers=None):
        """The subscriptions this campaign may survey the customer of today,
        before throttling: started (introductory) or closed (exit) the right
        number of days ago, or running (periodic)."""
        self.ensure_one()
        domain = Domain("company_id", "=", self.company_id.id) & Domain(
            "cs_commercial_partner_id", "not in", exclude.ids
        )
        if customers is not None:
            domain &= Domain("cs_commercial_partner_id", "in", customers.ids)
        if self.touch_model_ids:
            domain &= Domain(
                "cs_commercial_partner_id.touch_model_id",
                "in",
                self.touch_model_ids.ids,
            )
        moment = today - timedelta(days=self.delay_days)
        since = moment - timedelta(days=CATCH_UP_DAYS)
        if self.kind == "introductory":
            domain &= Domain(
                [
                    ("stage_id.type", "=", "in_progress"),
                    ("date_start", "<=", moment),
                    ("date_start", ">", since),
                ]
            )
        elif self.kind == "exit":
            domain &= Domain(
                [
                    ("stage_id.type", "=", "post"),
                    ("cs_close_date", "<=", moment),
                    ("cs_close_date", ">", since),
                    # the reason was given when cancelling, from the portal
                    (
                        "cs_retention_request_ids",
                        "not any",
                        [("state", "=", "cancelled")],
                    ),
                ]
            )
        else:
            # a new customer waits one period before its first periodic survey
            domain &= Domain(
                [("stage_id.type", "=", "in_progress"), ("date_start", "<=", moment)]
            )
        if self.kind != "periodic":
            domain &= Domain(
                "cs_nps_invitation_ids", "not any", [("cs_campaign_id", "=", self.id)]
            )
        return self.env["sale.subscription"].search(domain, order="id")

    def _invite(self, today, customers):
        """Invite the contacts of ``customers`` due today, throttled: no
        contact surveyed within the company's window (all campaigns), and no
        customer in overdue dunning unless the campaign allows it."""
        self.ensure_one()
        Input = self.env["survey.user_input"].sudo()
        subscriptions = self._get_candidates(
            today, self.env["res.partner"], customers=customers
        )
        if not self.allow_overdue:
            customers = customers.filtered(
                lambda partner: not partner.cs_dunning_step_id.is_overdue
            )
        contacts_of = {
            customer: customer._cs_get_nps_contacts() for customer in customers
        }
        contacts = self.env["res.partner"].union(*contacts_of.values())
        window = self.company_id.cs_nps_window_days
        surveyed = Input.search(
            [
                ("partner_id", "in", contacts.ids),
                ("cs_invited_on", ">", today - timedelta(days=window)),
            ]
        ).partner_id
        if self.kind == "periodic":
            surveyed |= Input.search(
                [
                    ("partner_id", "in", contacts.ids),
                    ("cs_campaign_id", "=", self.id),
                    ("cs_invited_on", ">", today - timedelta(days=self.delay_days)),
                ]
            ).partner_id
        invitations = Input
        for customer in customers:
            subscription = subscriptions.filtered(
                lambda sub, customer=customer: sub.cs_commercial_partner_id == customer
            )[-1:]
            for contact in contacts_of[customer] - surveyed:
                surveyed |= contact
                invitations |= self.survey_id.sudo()._create_answer(
                    partner=contact,
                    check_attempts=False,
                    **self._prepare_invitation_values(
                        customer, contact, subscription, today
                    ),
                )
        for invitation in invitations:
            invitation._cs_post_template(self.mail_template_id, invitation.partner_id)
            invitation.cs_customer_id.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "NPS survey sent to %(contact)s (%(campaign)s).",
                    contact=invitation.partner_id.name,
                    campaign=self.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return invitations

    def _prepare_invitation_values(self, customer, contact, subscription, today):
        """Values of the survey answer (the invitation) of ``contact``.

        ``cs_dedup_key`` is unique: one invitation per campaign and
        subscription and contact (introductory, exit), or per campaign,
        contact and period (periodic), whatever runs at the same time.
        """
        self.ensure_one()
        if self.kind == "periodic":
            period = today.toordinal() // self.delay_days
            key = f"periodic:{self.id}:{contact.id}:{period}"
        else:
            key = f"{self.kind}:{self.id}:{subscription.id}:{contact.id}"
        return {
            "cs_campaign_id": self.id,
            "cs_customer_id": customer.id,
            "cs_subscription_id": subscription.id,
            "cs_invited_on": today,
            "cs_dedup_key": key,
            "invite_token": self.env["survey.user_input"]._generate_invite_token(),
        }
