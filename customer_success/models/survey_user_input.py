# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class SurveyUserInput(models.Model):
    _name = "survey.user_input"
    _inherit = ["survey.user_input", "cs.mail.mixin"]

    cs_campaign_id = fields.Many2one(
        "cs.nps.campaign",
        string="NPS Campaign",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    cs_customer_id = fields.Many2one(
        "res.partner", string="NPS Customer", readonly=True, index="btree_not_null"
    )
    cs_subscription_id = fields.Many2one(
        "sale.subscription",
        string="NPS Subscription",
        readonly=True,
        index="btree_not_null",
    )
    cs_invited_on = fields.Date(string="NPS Invited On", readonly=True)
    cs_dedup_key = fields.Char(string="NPS Invitation Key", readonly=True, copy=False)

    _cs_dedup_key_uniq = models.UniqueIndex(
        "(cs_dedup_key) WHERE cs_dedup_key IS NOT NULL",
        "This contact was already invited to this NPS survey.",
    )
    _cs_invited_index = models.Index(
        "(partner_id, cs_invited_on) WHERE cs_invited_on IS NOT NULL"
    )

    def _mark_done(self):
        res = super()._mark_done()
        self._cs_create_nps_responses()
        return res

    def _cs_create_nps_responses(self):
        """Turn the finished answers of NPS surveys into NPS responses, once
        per answer, and close the loop on them."""
        inputs = self.filtered(
            lambda answer: (
                answer.survey_id.cs_is_nps
                and answer.state == "done"
                and not answer.test_entry
            )
        )
        if not inputs:
            return self.env["cs.nps.response"]
        # The answer comes from a public survey page: the responses and what
        # follows them are the system's doing, not the visitor's.
        Response = self.env["cs.nps.response"].sudo()
        answered = Response.search([("user_input_id", "in", inputs.ids)]).user_input_id
        values = [
            vals
            for vals in (
                answer._cs_prepare_nps_response_values() for answer in inputs - answered
            )
            if vals
        ]
        responses = Response.create(values)
        responses._close_the_loop()
        return responses

    def _cs_prepare_nps_response_values(self):
        """Values of the NPS response of this answer; none without a score."""
        self.ensure_one()
        by_role = {}
        for line in self.user_input_line_ids.filtered(
            lambda line: line.question_id.cs_nps_role and not line.skipped
        ):
            by_role.setdefault(line.question_id.cs_nps_role, []).append(line)
        score_lines = by_role.get("score")
        if not score_lines:
            return {}
        customer = self.cs_customer_id or self.partner_id.commercial_partner_id
        campaign = self.cs_campaign_id
        subscription = self.cs_subscription_id
        if campaign.kind == "exit" and not subscription and customer:
            subscription = customer.cs_subscription_ids.filtered(
                lambda sub: sub.stage_id.type == "post"
            ).sorted("cs_close_date")[-1:]
        return {
            "user_input_id": self.id,
            "campaign_id": campaign.id,
            "kind": campaign.kind or "other",
            "company_id": (
                campaign.company_id or customer.company_id or self.env.company
            ).id,
            "partner_id": customer.id,
            "contact_id": self.partner_id.id,
            "subscription_id": subscription.id,
            "csm_id": customer.csm_id.id,
            "touch_model_id": customer.touch_model_id.id,
            "date": fields.Date.context_today(self),
            "score": score_lines[0].value_scale,
            "comment": self._cs_answer_text(by_role.get("reason")),
            "exit_reason": self._cs_answer_text(by_role.get("exit_reason")),
            "competitor": self._cs_answer_text(by_role.get("competitor")),
        }

    @staticmethod
    def _cs_answer_text(lines):
        texts = []
        for line in lines or []:
            if line.answer_type == "suggestion":
                texts.append(line.suggested_answer_id.value)
            elif line.answer_type in ("char_box", "text_box"):
                texts.append(line[f"value_{line.answer_type}"])
        return "\n".join(text for text in texts if text) or False
