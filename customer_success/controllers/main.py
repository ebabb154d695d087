# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hmac
import json

from odoo import SUPERUSER_ID, http
from odoo.exceptions import ValidationError
from odoo.http import request

MAX_ROWS = 5000


class UsageFeedError(Exception):
    def __init__(self, status, message, details=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []


class CustomerSuccessUsageFeed(http.Controller):
    """The customer's SaaS product pushes daily usage per customer.

    ``POST /customer_success/usage`` with ``Authorization: Bearer <key>`` (the
    company's usage feed key, or an Odoo API key) and a JSON body::

        {"date": "2026-11-20",
         "metrics": [{"customer": "ACME-01", "metric": "active_users",
                      "value": 12, "date": "2026-11-20"}]}

    ``customer`` is the customer's reference (``res.partner.ref``); a row's
    ``date`` defaults to the top-level one. The whole post is checked first:
    one bad row stores nothing (4xx with a JSON error).
    """

    @http.route(
        "/customer_success/usage",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def usage_feed(self):
        try:
            company = self._authenticate()
            payload = self._parse_json()
            # the key identifies a company, not a user: the feed writes as the
            # superuser, in that company only
            env = request.env(user=SUPERUSER_ID, su=True)
            env = env(context=dict(env.context, allowed_company_ids=company.ids))
            metrics = env["cs.usage.metric"].with_company(company)
            rows, errors = metrics._validate_feed_rows(
                payload["metrics"], payload.get("date")
            )
            if errors:
                raise UsageFeedError(
                    400, "Invalid metrics: nothing was stored.", errors
                )
            stored = metrics._upsert(rows)
        except UsageFeedError as error:
            return request.make_json_response(
                {"error": error.message, "details": error.details},
                status=error.status,
            )
        except ValidationError as error:
            request.env.cr.rollback()
            return request.make_json_response({"error": str(error)}, status=422)
        return request.make_json_response({"stored": stored})

    def _authenticate(self):
        """The company whose key is presented, or the company of the user
        whose Odoo API key is presented."""
        header = request.httprequest.headers.get("Authorization", "")
        key = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not key:
            raise UsageFeedError(401, "Missing API key (Authorization: Bearer).")
        env = request.env(su=True)
        for company in env["res.company"].search([("cs_usage_api_key", "!=", False)]):
            if hmac.compare_digest(company.cs_usage_api_key, key):
                return company
        uid = env["res.users.apikeys"]._check_credentials(scope="rpc", key=key)
        if uid:
            user = env["res.users"].browse(uid)
            if user.has_group("customer_success.customer_success_group_manager"):
                return user.company_id
        raise UsageFeedError(401, "Invalid API key.")

    def _parse_json(self):
        try:
            payload = json.loads(request.httprequest.get_data() or b"null")
        except (ValueError, RecursionError):
            # RecursionError: nesting deeper than the parser goes
            raise UsageFeedError(400, "The body is not valid JSON.") from None
        if not isinstance(payload, dict) or not isinstance(
            payload.get("metrics"), list
        ):
            raise UsageFeedError(400, 'Expected an object with a "metrics" list.')
        if len(payload["metrics"]) > MAX_ROWS:
            raise UsageFeedError(413, f"At most {MAX_ROWS} metrics per post.")
        return payload
