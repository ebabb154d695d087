# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    cs_csm_id = fields.Many2one(
        "res.users",
        string="Success Manager",
        related="commercial_partner_id.csm_id",
        help="The success manager of the customer: they follow its tickets.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._cs_subscribe_success_managers()
        tickets._cs_check_support_surge()
        return tickets

    def write(self, vals):
        result = super().write(vals)
        if "partner_id" in vals:
            self._cs_subscribe_success_managers()
            self._cs_check_support_surge()
        return result

    def _cs_subscribe_success_managers(self):
        """The success manager of each ticket's customer follows it: one
        subscription call per success manager, whatever the tickets."""
        by_manager = defaultdict(lambda: self.browse())
        for ticket in self:
            manager = ticket.commercial_partner_id.csm_id
            if manager and manager.partner_id not in ticket.message_partner_ids:
                by_manager[manager.partner_id] |= ticket
        for partner, tickets in by_manager.items():
            # sudo: whoever opens the ticket (a portal contact, the mail
            # gateway) makes the success manager follow it
            tickets.sudo().message_subscribe(partner_ids=partner.ids)

    def _cs_check_support_surge(self):
        """An activity for the success manager of each customer who opened as
        many tickets as its company's surge within the surge days (three in
        seven by default). A customer has one such activity open at a time:
        a new ticket updates it."""
        customers = self.commercial_partner_id
        if not customers:
            return
        Ticket = self.env["helpdesk.ticket"].sudo()
        # the time the tickets were created at (cr.now() is their create_date)
        now = self.env.cr.now()
        companies = self.company_id
        longest = max(companies.mapped("cs_support_surge_days") or [7])
        recent = defaultdict(lambda: Ticket.browse())
        for ticket in Ticket.search(
            [
                ("commercial_partner_id", "in", customers.ids),
                ("create_date", ">=", now - timedelta(days=longest)),
            ],
            order="create_date, id",
        ):
            recent[ticket.commercial_partner_id] |= ticket
        # sudo: whoever opens the ticket (an agent, the mail gateway, a portal
        # contact) reads neither the customer's subscriptions nor its team
        customers = customers.sudo()
        company_of = (
            self.env["cs.health.factor"].sudo()._get_company_by_partner(customers)
        )
        surging = {}
        for customer, tickets in recent.items():
            company = company_of[customer]
            days = company.cs_support_surge_days
            counted = tickets.filtered(
                lambda ticket, d=days: ticket.create_date >= now - timedelta(days=d)
            )
            if len(counted) >= company.cs_support_surge_count:
                surging[customer] = (company, counted)
        if surging:
            self._cs_notify_support_surge(surging)

    def _cs_notify_support_surge(self, surging):
        """Open, or update, the surge activity of each customer of
        ``surging`` ({customer: (company, tickets counted)}), in the language
        of the user it is for."""
        activity_type = self.env.ref(
            "customer_success_helpdesk.mail_activity_type_cs_support_surge"
        )
        Activity = self.env["mail.activity"].sudo()
        customers = self.env["res.partner"].browse(partner.id for partner in surging)
        open_ones = {
            activity.res_id: activity
            for activity in Activity.search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", customers.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        }
        model = self.env["ir.model"]._get_id("res.partner")
        values = []
        for customer, (company, tickets) in surging.items():
            activity = open_ones.get(customer.id)
            user = (
                activity.user_id
                if activity
                else (
                    customer._cs_get_responsible_user(
                        company, fallback=tickets[-1:].user_id
                    )
                )
            )
            if not user:
                continue
            reader = tickets.with_context(lang=user.lang or self.env.lang)
            texts = {
                "summary": (
                    reader.env._("%(count)s tickets in 1 day", count=len(tickets))
                    if company.cs_support_surge_days == 1
                    else reader.env._(
                        "%(count)s tickets in %(days)s days",
                        count=len(tickets),
                        days=company.cs_support_surge_days,
                    )
                ),
                "note": Markup("<p>%s</p><ul>%s</ul>")
                % (
                    reader.env._(
                        "The customer opened these tickets: ask how it is going."
                    ),
                    Markup().join(
                        Markup("<li>%s</li>") % ticket.display_name for ticket in reader
                    ),
                ),
            }
            if activity:
                activity.write(texts)
                continue
            values.append(
                {
                    **texts,
                    "res_model_id": model,
                    "res_id": customer.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self)
                    + timedelta(days=1),
                }
            )
        if values:
            Activity.with_context(mail_activity_quick_update=True).create(values)

    @api.model
    def _cs_demo_set_opened(self, days_by_ticket):
        """Demo data: the tickets of ``days_by_ticket`` ({ticket id: days})
        opened that many days ago (Odoo writes create_date itself)."""
        now = self.env.cr.now()
        self.flush_model(["create_date"])
        for ticket_id, days in days_by_ticket.items():
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
                (now - timedelta(days=days), int(ticket_id)),
            )
        self.browse([int(key) for key in days_by_ticket]).invalidate_recordset(
            ["create_date"]
        )
