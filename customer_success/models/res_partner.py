# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    csm_id = fields.Many2one(
        "res.users",
        string="Customer Success Manager",
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="The person who owns the relationship with this customer.",
    )
    cs_team_id = fields.Many2one(
        "cs.team",
        string="Customer Success Team",
        compute="_compute_cs_team_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
        help="By default the team of the success manager, else the company's "
        "default team.",
    )

    @api.depends("csm_id", "company_id")
    def _compute_cs_team_id(self):
        teams = self.env["cs.team"].search(
            [
                "|",
                ("member_ids", "in", self.csm_id.ids),
                ("leader_id", "in", self.csm_id.ids),
            ]
        )
        team_by_user = {}
        # Teams come in their display order: the first team of a user wins.
        for team in teams:
            for user in team.leader_id | team.member_ids:
                team_by_user.setdefault(user, team)
        for partner in self:
            company = partner.company_id or self.env.company
            partner.cs_team_id = (
                team_by_user.get(partner.csm_id) or company.cs_default_team_id
            )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["csm_id", "cs_team_id"]
