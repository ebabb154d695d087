# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models

from ..const import NPS_CATEGORIES


class ResPartner(models.Model):
    """Value: milestones, Time to Value, Value Perception Cycle and the NPS
    summary of a customer."""

    # one file per feature of the customer (see res_partner.py)
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Value: milestones, Time to Value and Value Perception Cycle
    milestone_ids = fields.One2many("cs.milestone", "partner_id", string="Milestones")
    milestone_count = fields.Integer(compute="_compute_milestone_count")
    first_value_date = fields.Date(
        compute="_compute_value_cycle",
        store=True,
        help="Date of the first value milestone.",
    )
    ttv_days = fields.Integer(
        string="Time to Value (Days)",
        compute="_compute_value_cycle",
        store=True,
        aggregator="avg",
        help="Days from the start of the first subscription to the first value "
        "milestone.",
    )
    cpv_days = fields.Float(
        string="Value Perception Cycle (Days)",
        compute="_compute_value_cycle",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Average number of days between consecutive value milestones.",
    )
    # Voice of the customer
    nps_response_ids = fields.One2many(
        "cs.nps.response", "partner_id", string="NPS Responses"
    )
    nps_response_count = fields.Integer(
        string="NPS Answers", compute="_compute_nps", store=True
    )
    nps_last_score = fields.Integer(
        string="Last NPS Score", compute="_compute_nps", store=True, aggregator="avg"
    )
    nps_last_category = fields.Selection(
        NPS_CATEGORIES,
        string="Last NPS Category",
        compute="_compute_nps",
        store=True,
    )
    nps_last_date = fields.Date(
        string="Last NPS Answer", compute="_compute_nps", store=True
    )
    nps_trend = fields.Selection(
        [("up", "Rising"), ("down", "Falling"), ("stable", "Stable")],
        string="NPS Trend",
        compute="_compute_nps",
        store=True,
        help="The last score against the one before it.",
    )

    @api.depends("milestone_ids")
    def _compute_milestone_count(self):
        counts = dict(
            self.env["cs.milestone"]._read_group(
                [("partner_id", "in", self._origin.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.milestone_count = counts.get(partner._origin, 0)

    @api.depends(
        "milestone_ids.date",
        "milestone_ids.is_value",
        "cs_subscription_ids.date_start",
    )
    def _compute_value_cycle(self):
        ids = self._origin.ids
        values = {
            partner: (first, last, count)
            for partner, first, last, count in self.env["cs.milestone"]
            .sudo()
            ._read_group(
                [("partner_id", "in", ids), ("is_value", "=", True)],
                groupby=["partner_id"],
                aggregates=["date:min", "date:max", "__count"],
            )
        }
        starts = dict(
            self.env["sale.subscription"]
            .sudo()
            ._read_group(
                [("cs_commercial_partner_id", "in", ids), ("date_start", "!=", False)],
                groupby=["cs_commercial_partner_id"],
                aggregates=["date_start:min"],
            )
        )
        for partner in self:
            first, last, count = values.get(partner._origin, (False, False, 0))
            start = starts.get(partner._origin)
            partner.first_value_date = first
            partner.ttv_days = max((first - start).days, 0) if first and start else 0
            partner.cpv_days = (last - first).days / (count - 1) if count > 1 else 0.0

    def action_view_milestones(self):
        """Open the milestones of this customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success.cs_milestone_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.depends("nps_response_ids.score", "nps_response_ids.date")
    def _compute_nps(self):
        responses = (
            self.env["cs.nps.response"]
            .sudo()
            .search(
                [("partner_id", "in", self._origin.ids)], order="date desc, id desc"
            )
        )
        by_partner = defaultdict(list)
        for response in responses:
            by_partner[response.partner_id.id].append(response)
        for partner in self:
            answers = by_partner.get(partner._origin.id, [])
            last = answers[0] if answers else None
            partner.nps_response_count = len(answers)
            partner.nps_last_score = last.score if last else 0
            partner.nps_last_category = last.category if last else False
            partner.nps_last_date = last.date if last else False
            if len(answers) < 2:
                partner.nps_trend = False
            elif last.score > answers[1].score:
                partner.nps_trend = "up"
            elif last.score < answers[1].score:
                partner.nps_trend = "down"
            else:
                partner.nps_trend = "stable"

    def _cs_get_nps_contacts(self):
        """The contacts surveyed for this customer: its stakeholders other
        than the payer and the technical contact, else the customer itself."""
        self.ensure_one()
        contacts = self.stakeholder_ids.filtered(
            lambda stakeholder: (
                stakeholder.role in ("decision_maker", "champion", "end_user")
            )
        ).contact_id.filtered(lambda contact: contact.email and contact.active)
        return contacts or self.filtered("email")
