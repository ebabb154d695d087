# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import NPS_CATEGORIES


class CsNpsResponse(models.Model):
    """One answer to an NPS survey: a score from 0 to 10 and why."""

    _name = "cs.nps.response"
    _description = "NPS Response"
    _inherit = ["cs.mail.mixin", "mail.thread"]
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _mail_post_access = "read"

    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Answer",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        groups="survey.group_survey_user",
    )
    campaign_id = fields.Many2one("cs.nps.campaign", readonly=True, index=True)
    kind = fields.Selection(
        [
            ("introductory", "Introductory"),
            ("periodic", "Periodic"),
            ("exit", "Exit"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        readonly=True,
        help="Empty when the answer came without a known contact: it counts in "
        "the campaign's NPS, not in any customer's.",
    )
    contact_id = fields.Many2one("res.partner", readonly=True)
    subscription_id = fields.Many2one("sale.subscription", readonly=True)
    csm_id = fields.Many2one(
        "res.users",
        string="Success Manager",
        readonly=True,
        help="The customer's success manager when the answer came.",
    )
    touch_model_id = fields.Many2one("cs.touch.model", readonly=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    score = fields.Integer(required=True, aggregator="avg")
    category = fields.Selection(
        NPS_CATEGORIES,
        compute="_compute_category",
        store=True,
    )
    previous_category = fields.Selection(
        NPS_CATEGORIES,
        readonly=True,
        help="The category of the answer before this one: the contact's, else "
        "the customer's (the play Passive answer after a promoter fires on "
        "it).",
    )
    nps_value = fields.Integer(
        string="NPS",
        compute="_compute_category",
        store=True,
        aggregator="avg",
        help="+100 for a promoter, 0 for a passive, -100 for a detractor: their "
        "average over any group is the NPS of the group (% promoters - % "
        "detractors).",
    )
    comment = fields.Text()
    exit_reason = fields.Char()
    competitor = fields.Char()
    referral_sent = fields.Boolean(readonly=True)

    _user_input_uniq = models.UniqueIndex(
        "(user_input_id) WHERE user_input_id IS NOT NULL",
        "This survey answer already has its NPS response.",
    )

    @api.depends("score")
    def _compute_category(self):
        for response in self:
            category = response._category_of(response.score)
            response.category = category
            response.nps_value = {"promoter": 100, "passive": 0, "detractor": -100}[
                category
            ]

    @api.model
    def _category_of(self, score):
        if score >= 9:
            return "promoter"
        if score >= 7:
            return "passive"
        return "detractor"

    @api.constrains("score")
    def _check_score(self):
        for response in self:
            if not 0 <= response.score <= 10:
                raise ValidationError(
                    self.env._(
                        "An NPS score goes from 0 to 10, not %(score)s.",
                        score=response.score,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # the success manager and touch model of the customer when it answered
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        previous_of = self._get_previous_categories(partners, vals_list)
        for index, vals in enumerate(vals_list):
            partner = partners.browse(vals.get("partner_id"))
            if partner:
                vals.setdefault("csm_id", partner.csm_id.id)
                vals.setdefault("touch_model_id", partner.touch_model_id.id)
                vals.setdefault("previous_category", previous_of.get(index, False))
        return super().create(vals_list)

    @api.model
    def _get_previous_categories(self, partners, vals_list):
        """The category of the answer before each of ``vals_list`` (answers
        to create of ``partners``): the last of the same contact on or before
        its date, else the last of the customer. {index in vals_list:
        category}; one search for them all."""
        if not partners:
            return {}
        last_of_contact, last_of_customer = {}, {}
        # sudo: whoever records an answer compares it with all the others
        for response in (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("partner_id", "in", partners.ids)],
                ["partner_id", "contact_id", "date", "category"],
                order="date desc, id desc",
            )
        ):
            last_of_customer.setdefault(response.partner_id.id, []).append(
                (response.date, response.category)
            )
            if response.contact_id:
                last_of_contact.setdefault(
                    (response.partner_id.id, response.contact_id.id), []
                ).append((response.date, response.category))
        result = {}
        for index, vals in enumerate(vals_list):
            if not vals.get("partner_id"):
                continue
            day = fields.Date.to_date(vals.get("date")) or fields.Date.context_today(
                self
            )
            for answers in (
                last_of_contact.get((vals["partner_id"], vals.get("contact_id"))),
                last_of_customer.get(vals["partner_id"]),
            ):
                category = next(
                    (category for date, category in answers or () if date <= day),
                    None,
                )
                if category:
                    result[index] = category
                    break
        return result

    # ------------------------------------------------------------------
    # Closing the loop
    # ------------------------------------------------------------------

    def _close_the_loop(self):
        """What follows an answer: the detractor webhook, a referral request
        to a promoter, the exit reason on the closed subscription, and a note
        on the customer. A detractor's follow-up is the play *Detractor
        answer*, on an automation rule."""
        detractors = self.filtered(
            lambda response: response.category == "detractor" and response.partner_id
        )
        for response in detractors:
            self.env["cs.webhook"]._emit(
                "detractor", response._prepare_webhook_payload(), response.company_id
            )
        self.filtered(
            lambda response: (
                response.category == "promoter"
                and response.campaign_id.referral_template_id
                and response.contact_id.email
            )
        )._send_referral_request()
        for response in self.filtered(
            lambda response: response.subscription_id and response.kind == "exit"
        ):
            response.subscription_id.write(response._prepare_exit_values())
        for response in self.filtered("partner_id"):
            response.partner_id.message_post(
                body=response._note_body(), subtype_xmlid="mail.mt_note"
            )

    def _note_body(self):
        self.ensure_one()
        category = dict(self._fields["category"]._description_selection(self.env))[
            self.category
        ]
        body = Markup("<p>%s</p>") % self.env._(
            "NPS answer from %(contact)s: %(score)s (%(category)s).",
            contact=self.contact_id.name or self.partner_id.name,
            score=self.score,
            category=category,
        )
        if self.comment:
            body += Markup("<blockquote>%s</blockquote>") % self.comment
        return body

    def _cs_get_cta_fallback_user(self):
        """Who follows an answer up when the customer has neither a success
        manager nor a team leader: the campaign's responsible."""
        self.ensure_one()
        return self.campaign_id.user_id

    def _cs_get_cta_note(self):
        """What a call to action opened on this answer says of it: "3 from
        Maria: the comment", in the language of the context."""
        self.ensure_one()
        answer = self.env._(
            "%(score)s from %(contact)s",
            score=self.score,
            contact=self.contact_id.name or self.partner_id.name,
        )
        return ": ".join(filter(None, [answer, self.comment]))

    def _cs_on_cta_opened(self, ctas):
        """Each answer is kept on the call to action it opened or fired again
        (``ctas``, those of a play run on these answers): the one of its
        customer."""
        for response in self:
            cta = ctas.filtered(
                lambda cta, response=response: (
                    cta.partner_id == response.partner_id.commercial_partner_id
                )
            )
            cta.nps_response_id = response

    def _send_referral_request(self):
        for response in self:
            response._cs_post_template(
                response.campaign_id.referral_template_id, response.contact_id
            )
        self.referral_sent = True
        self._cs_note_referral_request()

    def _cs_note_referral_request(self):
        """The referral request of these promoters' answers, on the open
        expansion call to action of their customer: the one the answer
        opened (the play *A healthy promoter*), else another of the same
        play, else any open expansion. It keeps the answer, and says in its
        chatter that the request went out: the success manager records there
        the referrals given. One search for all the answers."""
        customers = self.partner_id.commercial_partner_id
        if not customers:
            return
        promoter_play = self.env.ref("customer_success.cs_play_promoter", False)
        # sudo: the answer comes from a public survey page; the system keeps
        # the call to action of its customer up to date
        ctas = (
            self.env["cs.cta"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", customers.ids),
                    ("cta_type", "=", "expansion"),
                    ("state", "in", ("open", "in_progress", "snoozed")),
                ],
                order="id desc",
            )
        )
        for response in self.filtered("partner_id"):
            mine = ctas.filtered(
                lambda cta, response=response: (
                    cta.partner_id == response.partner_id.commercial_partner_id
                )
            )
            cta = (
                mine.filtered(
                    lambda cta, response=response: cta.nps_response_id == response
                )
                or mine.filtered(lambda cta: cta.play_id == promoter_play)
                or mine
            )[:1]
            if not cta:
                continue
            cta.nps_response_id = response
            # in the language of its owner, who reads it
            env = cta.with_context(lang=cta.user_id.lang or self.env.lang).env
            cta.message_post(
                body=Markup("<p>%s</p>")
                % env._(
                    "Referral request sent to %(contact)s, who answered %(score)s: "
                    "record the referrals they give here.",
                    contact=response.contact_id.name,
                    score=response.score,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _prepare_exit_values(self):
        """What the exit answer tells the closed subscription."""
        self.ensure_one()
        return {
            "cs_exit_reason": self.exit_reason or self.comment or False,
            "cs_exit_competitor": self.competitor or False,
            "cs_exit_response_id": self.id,
        }

    def _prepare_webhook_payload(self):
        self.ensure_one()
        return {
            **self.partner_id._cs_get_webhook_values(),
            "contact": self.contact_id.name or None,
            "score": self.score,
            "category": self.category,
            "comment": self.comment or None,
            "campaign": self.campaign_id.name or None,
            "date": fields.Date.to_string(self.date),
        }
