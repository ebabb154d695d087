# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from .cs_health_factor import URGENT_PRIORITIES


class ResPartner(models.Model):
    _inherit = "res.partner"

    cs_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "commercial_partner_id",
        string="Support Tickets",
        help="The tickets of the customer and of its contacts.",
    )
    cs_open_ticket_count = fields.Integer(
        string="Open Tickets",
        compute="_compute_cs_ticket_counts",
        help="The tickets of the customer whose stage does not close them.",
    )
    cs_urgent_ticket_count = fields.Integer(
        string="Urgent Open Tickets",
        compute="_compute_cs_ticket_counts",
        help="Open tickets of high or very high priority.",
    )

    cs_show_ticket_button = fields.Boolean(
        string="Show the Tickets Button",
        compute="_compute_cs_show_ticket_button",
        help="The tickets button of customer success, for the success managers "
        "who do not see the helpdesk's own.",
    )

    @api.depends_context("uid")
    def _compute_cs_show_ticket_button(self):
        show = self.env.user.has_group(
            "customer_success.customer_success_group_user"
        ) and not self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user_own")
        for partner in self:
            partner.cs_show_ticket_button = show

    @api.depends("cs_ticket_ids.stage_id", "cs_ticket_ids.priority")
    def _compute_cs_ticket_counts(self):
        groups = self.env["helpdesk.ticket"]._read_group(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("stage_id.closed", "=", False),
            ],
            groupby=["commercial_partner_id", "priority"],
            aggregates=["__count"],
        )
        open_count, urgent_count = {}, {}
        for customer, priority, count in groups:
            open_count[customer] = open_count.get(customer, 0) + count
            if priority in URGENT_PRIORITIES:
                urgent_count[customer] = urgent_count.get(customer, 0) + count
        for partner in self:
            customer = partner.commercial_partner_id
            partner.cs_open_ticket_count = open_count.get(customer, 0)
            partner.cs_urgent_ticket_count = urgent_count.get(customer, 0)

    def action_cs_view_tickets(self):
        """The customer's tickets, the open ones first."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_success_helpdesk.helpdesk_ticket_action_cs_customer"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_open": 1,
        }
        return action

    def write(self, vals):
        if "csm_id" not in vals:
            return super().write(vals)
        before = {partner: partner.csm_id for partner in self}
        result = super().write(vals)
        self._cs_hand_over_tickets(before)
        return result

    def _cs_hand_over_tickets(self, before):
        """The new success manager follows the open tickets of their
        customers; the one before stops following them (they still see
        them if they may)."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        tickets = Ticket.search(
            [
                ("commercial_partner_id", "in", self.ids),
                ("stage_id.closed", "=", False),
            ]
        )
        left = {}
        for customer, manager in before.items():
            if manager and manager != customer.csm_id:
                left.setdefault(manager, set()).add(customer.id)
        # one call per success manager who left, whatever their customers
        for manager, customer_ids in left.items():
            tickets.filtered(
                lambda ticket, ids=customer_ids: ticket.commercial_partner_id.id in ids
            ).message_unsubscribe(partner_ids=manager.partner_id.ids)
        tickets._cs_subscribe_success_managers()
