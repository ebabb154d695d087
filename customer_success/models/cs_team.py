# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.fields import Domain


class CsTeam(models.Model):
    """A group of people who serve customers: onboarding or ongoing."""

    _name = "cs.team"
    _description = "Customer Success Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    member_ids = fields.Many2many(
        "res.users",
        "cs_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    customer_ids = fields.One2many("res.partner", "cs_team_id", string="Customers")
    customer_count = fields.Integer(compute="_compute_customer_count")
    description = fields.Html(translate=True)

    _name_company_uniq = models.Constraint(
        "UNIQUE(name, company_id)",
        "A team with this name already exists in this company.",
    )

    @api.depends("customer_ids")
    def _compute_customer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("cs_team_id", "in", self.ids)],
                groupby=["cs_team_id"],
                aggregates=["__count"],
            )
        )
        for team in self:
            team.customer_count = counts.get(team, 0)

    @api.model
    def _get_team_by_user(self, users, company=None):
        """The team of each of ``users``, a member or the leader of it:
        {user: team}, among the teams of ``company`` if given. The first team
        in the display order wins; users of no team are left out."""
        team_by_user = {}
        domain = Domain("member_ids", "in", users.ids) | Domain(
            "leader_id", "in", users.ids
        )
        if company is not None:
            domain &= Domain("company_id", "=", company.id)
        for team in self.search(domain):
            for user in team.leader_id | team.member_ids:
                team_by_user.setdefault(user, team)
        return team_by_user

    def action_view_customers(self):
        """Open the customers served by this team."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.res_partner_action_customers"
        )
        action["domain"] = [("cs_team_id", "=", self.id)]
        action["context"] = {"default_cs_team_id": self.id}
        return action
