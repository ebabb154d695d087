# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..const import SENTIMENT_VALUES


class CsSentiment(models.Model):
    """The success manager's judgement of a customer on one day. It counts
    as the ``sentiment`` health factor while its company's validity lasts,
    then expires; every sentiment is kept."""

    _name = "cs.sentiment"
    _description = "Customer Sentiment"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        compute="_compute_company_id",
        store=True,
        precompute=True,
        help="The company whose health score the sentiment counts in: the "
        "customer's own, else the one it subscribes with.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    value = fields.Selection(SENTIMENT_VALUES, string="Sentiment", required=True)
    note = fields.Text(help="Why: what the success manager saw or heard.")
    csm_id = fields.Many2one(related="partner_id.csm_id", string="Success Manager")
    expiry_date = fields.Date(
        string="Valid Until",
        compute="_compute_expiry_date",
        help="The last day the sentiment counts in the health score (the "
        "company's validity).",
    )
    is_expired = fields.Boolean(
        string="Expired",
        compute="_compute_is_expired",
        search="_search_is_expired",
    )

    expiry_notice = fields.Char(compute="_compute_is_expired")

    @api.depends("partner_id")
    def _compute_company_id(self):
        company_of = self.env["cs.health.factor"]._get_company_by_partner(
            self.partner_id
        )
        for sentiment in self:
            sentiment.company_id = company_of.get(sentiment.partner_id) or (
                self.env.company
            )

    @api.depends("date", "company_id.cs_sentiment_validity_days")
    def _compute_expiry_date(self):
        for sentiment in self:
            sentiment.expiry_date = sentiment.date and sentiment._expiry_of(
                sentiment.date, sentiment.company_id
            )

    @api.depends("expiry_date")
    @api.depends_context("tz")
    def _compute_is_expired(self):
        today = fields.Date.context_today(self)
        for sentiment in self:
            sentiment.is_expired = bool(
                sentiment.expiry_date and sentiment.expiry_date < today
            )
            sentiment.expiry_notice = sentiment.is_expired and self.env._(
                "This sentiment expired on %(date)s: it no longer counts in the "
                "health score.",
                date=format_date(self.env, sentiment.expiry_date + timedelta(days=1)),
            )

    def _search_is_expired(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        # one condition per company: each has its own validity
        expired = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain(
                "date",
                "<=",
                today - timedelta(days=company.cs_sentiment_validity_days),
            )
            for company in self.env["res.company"].sudo().search([])
        )
        return expired if (operator == "=") == value else ~expired

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for sentiment in self:
            if sentiment.date > today:
                raise ValidationError(
                    self.env._(
                        "A sentiment is what the success manager judges today or "
                        "judged before: %(date)s is in the future.",
                        date=format_date(self.env, sentiment.date),
                    )
                )

    @api.constrains("partner_id")
    def _check_partner(self):
        for sentiment in self:
            if sentiment.partner_id.parent_id:
                raise ValidationError(
                    self.env._(
                        "A sentiment belongs to the customer, not to the contact "
                        "%(contact)s.",
                        contact=sentiment.partner_id.display_name,
                    )
                )

    @api.model
    def _expiry_of(self, day, company):
        """The last day a sentiment recorded on ``day`` counts in
        ``company``."""
        return day + timedelta(days=company.cs_sentiment_validity_days - 1)

    @api.model
    def _get_latest(self, partners, today, company=None):
        """The newest sentiment of each of ``partners`` recorded by ``today``
        (in ``company`` when given): {partner: sentiment}."""
        domain = Domain("partner_id", "in", partners.ids) & Domain("date", "<=", today)
        if company:
            domain &= Domain("company_id", "=", company.id)
        # one row per customer, whatever the length of its history: the
        # query of search() with the record rules, kept to the newest of each
        self.flush_model(["partner_id", "company_id", "date"])
        query = self._search(domain)
        table = query.table
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT ON (%s) %s FROM %s WHERE %s"
                " ORDER BY %s, %s DESC, %s DESC",
                SQL.identifier(table, "partner_id"),
                SQL.identifier(table, "id"),
                query.from_clause,
                query.where_clause or SQL("TRUE"),
                SQL.identifier(table, "partner_id"),
                SQL.identifier(table, "date"),
                SQL.identifier(table, "id"),
            )
        )
        sentiments = self.browse(row[0] for row in rows)
        return {sentiment.partner_id: sentiment for sentiment in sentiments}
