# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    cs_default_team_id = fields.Many2one(
        "cs.team",
        string="Default Customer Success Team",
        domain="[('company_id', '=', id)]",
        help="Team given to customers whose success manager belongs to no team.",
    )
    cs_dunning_policy_id = fields.Many2one(
        "cs.dunning.policy",
        string="Default Dunning Policy",
        domain="[('company_id', '=', id)]",
        help="Billing conversation of the customers that have no policy of their own.",
    )
    cs_billing_sender_id = fields.Many2one(
        "res.partner",
        string="Billing Sender",
        domain="[('email', '!=', False)]",
        help="Who signs the reminders, notices and payment confirmations of "
        "invoices without a salesperson, e.g. a Billing contact with the "
        "billing team's address. Empty: the company itself.",
    )

    cs_usage_api_key = fields.Char(
        string="Usage Feed Key",
        copy=False,
        groups="base.group_system",
        help="Bearer key with which this company's product pushes usage to "
        "/customer_success/usage.",
    )

    cs_nps_window_days = fields.Integer(
        string="NPS Survey Window (Days)",
        default=90,
        help="No contact gets more than one NPS survey within this many days, "
        "all campaigns together.",
    )
    cs_health_green_min = fields.Integer(
        string="Healthy From", default=70, help="Scores from this value are green."
    )
    cs_health_yellow_min = fields.Integer(
        string="Attention From",
        default=40,
        help="Scores from this value are yellow; below it they are red.",
    )
    cs_sentiment_validity_days = fields.Integer(
        string="Sentiment Valid For (Days)",
        default=30,
        help="A success manager's sentiment counts in the health score for this "
        "many days, then expires until a new one is recorded.",
    )

    cs_retention_pause_months = fields.Integer(
        string="Longest Pause (Months)",
        default=3,
        help="The longest pause a customer may choose from the portal.",
    )
    cs_retention_max_discount = fields.Float(
        string="Highest Retention Discount (%)",
        default=30.0,
        digits=(5, 2),
        help="No retention offer gives more off an invoice than this.",
    )
    cs_retention_discount_product_id = fields.Many2one(
        "product.product",
        string="Retention Discount Product",
        default=lambda self: self.env.ref(
            "customer_success.product_cs_retention_discount", raise_if_not_found=False
        ),
        help="The product of the discount line a retention offer adds to the "
        "next invoices (its income account).",
    )
    cs_health_horizon = fields.Integer(
        string="Churn Horizon (Days)",
        default=90,
        help="Health Validation counts a customer as churned after a month-end "
        "when it churns within this many days.",
    )

    @api.constrains(
        "cs_nps_window_days",
        "cs_health_green_min",
        "cs_health_yellow_min",
        "cs_health_horizon",
    )
    def _check_cs_thresholds(self):
        for company in self:
            if not 0 < company.cs_health_horizon <= 365:
                raise ValidationError(
                    self.env._(
                        "The churn horizon of Health Validation is from 1 to 365 days."
                    )
                )
            if company.cs_nps_window_days < 0:
                raise ValidationError(
                    self.env._("The NPS survey window cannot be negative.")
                )
            if not (
                0 < company.cs_health_yellow_min < company.cs_health_green_min <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "The health bands need 0 < attention threshold < healthy "
                        "threshold <= 100."
                    )
                )

    @api.constrains("cs_retention_pause_months", "cs_retention_max_discount")
    def _check_cs_retention(self):
        for company in self:
            if not 1 <= company.cs_retention_pause_months <= 12:
                raise ValidationError(
                    self.env._("The longest pause is from 1 to 12 months.")
                )
            if not 0 <= company.cs_retention_max_discount <= 100:
                raise ValidationError(
                    self.env._("The highest retention discount is from 0 to 100%.")
                )

    @api.constrains("cs_sentiment_validity_days")
    def _check_cs_sentiment_validity_days(self):
        for company in self:
            if company.cs_sentiment_validity_days <= 0:
                raise ValidationError(
                    self.env._("A sentiment must stay valid for at least one day.")
                )

    def _cs_health_band(self, score):
        """The band of ``score`` in this company: green, yellow or red."""
        self.ensure_one()
        if score is None:
            return False
        if score >= self.cs_health_green_min:
            return "green"
        if score >= self.cs_health_yellow_min:
            return "yellow"
        return "red"

    def _cs_get_billing_sender(self, salesperson=None):
        """Who signs this company's billing e-mails: ``salesperson`` (a user),
        else the company's billing sender, else the company itself; never
        OdooBot nor a contact without an e-mail address."""
        self.ensure_one()
        # the id, cached by Odoo: env.ref would query for each e-mail
        root_id = self.env["ir.model.data"]._xmlid_to_res_id("base.partner_root")
        candidates = (
            salesperson.partner_id if salesperson else self.env["res.partner"],
            self.cs_billing_sender_id,
        )
        for partner in candidates:
            if partner and partner.id != root_id and partner.email:
                return partner
        return self.partner_id

    @api.constrains("cs_dunning_policy_id")
    def _check_cs_dunning_policy_id(self):
        for company in self:
            policy = company.cs_dunning_policy_id
            if policy and not policy._keeps_steps():
                raise ValidationError(
                    self.env._(
                        "The policy %(policy)s has no step: add steps before making "
                        "it the default.",
                        policy=policy.display_name,
                    )
                )
            if policy and policy.company_id != company:
                raise ValidationError(
                    self.env._(
                        "The default dunning policy of %(company)s must belong to it.",
                        company=company.display_name,
                    )
                )

    def action_cs_generate_usage_key(self):
        """Give the company a new usage feed key (the old one stops working)."""
        for company in self:
            company.cs_usage_api_key = secrets.token_urlsafe(32)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._cs_setup_company()
        return companies

    def _cs_setup_company(self):
        """Give each company its own onboarding stages and touch models, copied
        from the main company's, to configure as it sees fit."""
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        if not main:
            return
        # Setting up a new company's configuration is not limited by the rights
        # of the user creating the company.
        Stage = self.env["cs.onboarding.stage"].sudo()
        TouchModel = self.env["cs.touch.model"].sudo()
        Factor = self.env["cs.health.factor"].sudo().with_context(active_test=False)
        factors = Factor.search([("company_id", "=", main.id)])
        stages = Stage.search([("company_id", "=", main.id)])
        models_ = TouchModel.search([("company_id", "=", main.id)])
        for company in self - main:
            if not Stage.search_count([("company_id", "=", company.id)]):
                stages.copy({"company_id": company.id})
            if not TouchModel.search_count([("company_id", "=", company.id)]):
                models_.copy(
                    {
                        "company_id": company.id,
                        "dunning_policy_id": False,
                        "onboarding_team_id": False,
                    }
                )
            if not Factor.search_count([("company_id", "=", company.id)]):
                factors.copy({"company_id": company.id})
        self._cs_setup_retention_offers()

    def _cs_setup_retention_offers(self):
        """Give each company a copy of the main company's retention offers,
        on its own touch models."""
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        if not main:
            return
        Offer = self.env["cs.retention.offer"].sudo()
        offers = Offer.search([("company_id", "=", main.id)])
        product = self.env.ref(
            "customer_success.product_cs_retention_discount", raise_if_not_found=False
        )
        self.filtered(
            lambda company: not company.cs_retention_discount_product_id
        ).sudo().cs_retention_discount_product_id = product
        for company in self - main:
            if Offer.with_context(active_test=False).search_count(
                [("company_id", "=", company.id)]
            ):
                continue
            for offer in offers:
                offer.copy({"company_id": company.id, "touch_model_ids": False})
