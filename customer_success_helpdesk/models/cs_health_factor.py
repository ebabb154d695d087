# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain

# the priorities of helpdesk_mgmt that count as urgent: High, Very High
URGENT_PRIORITIES = ("2", "3")
# the trend compares the tickets opened in the last days against the days
# before; a customer with an open ticket or one opened in both windows scores
TREND_DAYS = 30
# a ticket open longer than this weighs on the score
LONG_OPEN_DAYS = 14


class CsHealthFactor(models.Model):
    _inherit = "cs.health.factor"

    code = fields.Selection(
        selection_add=[("support", "Support Tickets")],
        ondelete={"support": "cascade"},
    )

    @api.model
    def _get_reason_samples(self):
        return [
            *super()._get_reason_samples(),
            {"code": "support_urgent", "count": 1},
            {"code": "support_urgent", "count": 2},
            {"code": "support_open", "count": ""},
            {"code": "support_rising", "count": "", "previous": ""},
            {"code": "support_long_open", "days": ""},
        ]

    @api.model
    def _format_reason(self, reason):
        code = reason.get("code")
        if code == "support_urgent":
            if reason.get("count", 1) > 1:
                return self.env._(
                    "%(count)s urgent tickets open", count=reason["count"]
                )
            return self.env._("1 urgent ticket open")
        if code == "support_open":
            return self.env._("%(count)s tickets open", count=reason.get("count"))
        if code == "support_rising":
            return self.env._(
                "%(count)s tickets in 30 days, against %(previous)s the 30 before",
                count=reason.get("count"),
                previous=reason.get("previous"),
            )
        if code == "support_long_open":
            return self.env._(
                "a ticket open for %(days)s days", days=reason.get("days")
            )
        return super()._format_reason(reason)

    @api.model
    def _score_support(self, partners, today):
        """The customer's tickets in OCA helpdesk, counted by the commercial
        partner of their contact: 100, less 10 per open ticket (at most 30),
        20 per urgent open ticket (High or Very High, at most 40), 15 when
        more tickets were opened in the last 30 days than in the 30 before
        (three at least) and 15 when a ticket has been open for more than 14
        days. A customer with no open ticket and none in the last 60 days has
        no data: quiet is not a score."""
        # sudo: the engine scores every customer, whoever may read the tickets
        Ticket = self.env["helpdesk.ticket"].sudo()
        end = datetime.combine(today + timedelta(days=1), time.min)
        middle = end - timedelta(days=TREND_DAYS)
        start = middle - timedelta(days=TREND_DAYS)
        customers = Domain("commercial_partner_id", "in", partners.ids)
        opened = Domain("create_date", "<", end)
        open_groups = Ticket._read_group(
            customers & opened & Domain("stage_id.closed", "=", False),
            groupby=["commercial_partner_id", "priority"],
            aggregates=["__count", "create_date:min"],
        )
        last, before = (
            dict(
                Ticket._read_group(
                    customers
                    & Domain("create_date", ">=", since)
                    & Domain("create_date", "<", until),
                    groupby=["commercial_partner_id"],
                    aggregates=["__count"],
                )
            )
            for since, until in ((middle, end), (start, middle))
        )
        open_count, urgent_count, oldest = {}, {}, {}
        for partner, priority, count, created in open_groups:
            open_count[partner] = open_count.get(partner, 0) + count
            if priority in URGENT_PRIORITIES:
                urgent_count[partner] = urgent_count.get(partner, 0) + count
            oldest[partner] = min(created, oldest.get(partner, created))
        result = {}
        for partner in partners:
            if partner not in open_count and partner not in last | before:
                result[partner] = (None, [])
                continue
            score, reasons = 100.0, []
            opened_now, opened_before = last.get(partner, 0), before.get(partner, 0)
            urgent = urgent_count.get(partner, 0)
            others = open_count.get(partner, 0) - urgent
            score -= min(10 * others, 30) + min(20 * urgent, 40)
            if urgent:
                reasons.append({"code": "support_urgent", "count": urgent})
            if others >= 2:
                reasons.append({"code": "support_open", "count": open_count[partner]})
            if opened_now >= 3 and opened_now > opened_before:
                score -= 15
                reasons.append(
                    {
                        "code": "support_rising",
                        "count": opened_now,
                        "previous": opened_before,
                    }
                )
            if partner in oldest:
                days = (today - oldest[partner].date()).days
                if days > LONG_OPEN_DAYS:
                    score -= 15
                    reasons.append({"code": "support_long_open", "days": days})
            result[partner] = (max(0.0, score), reasons)
        return result
