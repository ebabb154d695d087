# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import api, fields, models


class ResPartner(models.Model):
    """The onboardings, stakeholders, success goals and hand-offs of a
    customer."""

    # one file per feature of the customer (see res_partner.py)
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    onboarding_ids = fields.One2many(
        "cs.onboarding", "partner_id", string="Customer Onboardings"
    )
    onboarding_count = fields.Integer(compute="_compute_onboarding_count")
    onboarding_state = fields.Selection(
        [
            ("none", "Not Started"),
            ("in_progress", "Onboarding"),
            ("done", "Handed Off"),
            ("cancelled", "Cancelled"),
        ],
        string="Onboarding Status",
        compute="_compute_onboarding_state",
        store=True,
    )
    stakeholder_ids = fields.One2many("cs.stakeholder", "partner_id")
    success_goal_ids = fields.One2many(
        "cs.success.goal", "partner_id", string="Success Goals"
    )
    handoff_ids = fields.One2many("cs.handoff", "partner_id", string="Hand-offs")

    @api.depends("onboarding_ids")
    def _compute_onboarding_count(self):
        for partner in self:
            partner.onboarding_count = len(partner.onboarding_ids)

    @api.depends("onboarding_ids.state")
    def _compute_onboarding_state(self):
        for partner in self:
            states = set(partner.onboarding_ids.mapped("state"))
            partner.onboarding_state = next(
                (
                    state
                    for state in ("in_progress", "done", "cancelled")
                    if state in states
                ),
                "none",
            )

    def action_view_onboardings(self):
        """Open the onboardings of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_onboarding_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
