# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_date

from ..const import SENTIMENT_VALUES


class ResPartner(models.Model):
    """The success manager's sentiment of a customer: the latest, whether it
    expired, and the way to record a new one. The sentiment is a health
    factor (``cs.health.factor._score_sentiment``)."""

    # one file per feature of the customer (see res_partner.py)
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    sentiment_ids = fields.One2many(
        "cs.sentiment",
        "partner_id",
        string="Sentiments",
        groups="customer_success.customer_success_group_user",
    )
    sentiment_value = fields.Selection(
        SENTIMENT_VALUES,
        string="Sentiment",
        compute="_compute_sentiment",
        groups="customer_success.customer_success_group_user",
        help="The latest sentiment recorded by a success manager.",
    )
    sentiment_date = fields.Date(
        string="Sentiment Recorded On",
        compute="_compute_sentiment",
        groups="customer_success.customer_success_group_user",
    )
    sentiment_user_id = fields.Many2one(
        "res.users",
        string="Sentiment Recorded By",
        compute="_compute_sentiment",
        groups="customer_success.customer_success_group_user",
    )
    sentiment_expiry_date = fields.Date(
        string="Sentiment Valid Until",
        compute="_compute_sentiment",
        groups="customer_success.customer_success_group_user",
    )
    sentiment_expired = fields.Boolean(
        compute="_compute_sentiment",
        groups="customer_success.customer_success_group_user",
        help="The latest sentiment is older than the company's validity: it no "
        "longer counts in the health score.",
    )

    sentiment_notice = fields.Char(
        compute="_compute_sentiment",
        groups="customer_success.customer_success_group_user",
    )

    @api.depends("sentiment_ids.date", "sentiment_ids.value")
    @api.depends_context("tz")
    def _compute_sentiment(self):
        today = fields.Date.context_today(self)
        latest = self.env["cs.sentiment"]._get_latest(self, today)
        for partner in self:
            sentiment = latest.get(partner)
            partner.sentiment_value = sentiment.value if sentiment else False
            partner.sentiment_date = sentiment.date if sentiment else False
            partner.sentiment_user_id = sentiment.user_id if sentiment else False
            partner.sentiment_expiry_date = (
                sentiment.expiry_date if sentiment else False
            )
            partner.sentiment_expired = bool(sentiment and sentiment.is_expired)
            partner.sentiment_notice = partner.sentiment_expired and self.env._(
                "Sentiment expired on %(date)s: it no longer counts in the "
                "health score. Record a new one.",
                date=format_date(self.env, sentiment.expiry_date + timedelta(days=1)),
            )

    def action_cs_record_sentiment(self):
        """Open the form of a new sentiment of this customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Sentiment"),
            "res_model": "cs.sentiment",
            "view_mode": "form",
            "views": [[False, "form"]],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_cs_view_sentiments(self):
        """Open every sentiment recorded for this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_sentiment_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
