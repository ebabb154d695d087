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

    cs_usage_api_key = fields.Char(
        string="Usage Feed Key",
        copy=False,
        groups="base.group_system",
        help="Bearer key with which this company's product pushes usage to "
        "/customer_success/usage.",
    )

    @api.constrains("cs_dunning_policy_id")
    def _check_cs_dunning_policy_id(self):
        for company in self:
            policy = company.cs_dunning_policy_id
            if policy and not policy.step_ids:
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
