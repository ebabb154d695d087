# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class CustomerSuccessPortal(CustomerPortal):
    """The NPS surveys waiting for the portal user's answer."""

    def _get_cs_survey_domain(self):
        return [
            ("partner_id", "=", request.env.user.partner_id.id),
            ("cs_campaign_id", "!=", False),
            ("state", "!=", "done"),
            ("test_entry", "=", False),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "cs_survey_count" in counters:
            # the user's own invitations only (domain on their partner);
            # portal users have no access to survey answers themselves
            values["cs_survey_count"] = (
                request.env["survey.user_input"]
                .sudo()
                .search_count(self._get_cs_survey_domain())
            )
        return values

    @http.route("/my/surveys", type="http", auth="user", website=True)
    def portal_my_cs_surveys(self, **kwargs):
        # same restriction as the counter: the user's own invitations
        invitations = (
            request.env["survey.user_input"]
            .sudo()
            .search(self._get_cs_survey_domain(), order="cs_invited_on desc, id desc")
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "cs_surveys",
                "invitations": invitations,
            }
        )
        return request.render("customer_success.portal_my_cs_surveys", values)
