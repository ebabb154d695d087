# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hmac
import json
import math

from odoo import SUPERUSER_ID, fields, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.cs_usage_metric import METRIC_NAME

MAX_ROWS = 5000
MAX_VALUE = 1e12


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
            rows = self._validate(env, company, payload)
            stored = env["cs.usage.metric"].with_company(company)._cs_upsert(rows)
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

    def _validate(self, env, company, payload):
        """Rows ready to store, or UsageFeedError listing every bad row."""
        errors, rows = [], []
        default_date = payload.get("date")
        today = fields.Date.context_today(env["res.partner"])
        # PostgreSQL refuses NUL characters: such a reference is unknown
        refs = {
            str(item.get("customer"))
            for item in payload["metrics"]
            if isinstance(item, dict) and item.get("customer") is not None
        }
        refs = {ref for ref in refs if "\x00" not in ref}
        customers = {}
        for partner in env["res.partner"].search(
            [
                ("ref", "in", list(refs)),
                ("parent_id", "=", False),
                ("company_id", "in", [company.id, False]),
            ]
        ):
            customers.setdefault(partner.ref, []).append(partner.id)
        for index, item in enumerate(payload["metrics"]):
            if not isinstance(item, dict):
                errors.append({"row": index, "error": "not an object"})
                continue
            ref = item.get("customer")
            partner_ids = customers.get(str(ref)) if ref is not None else None
            if not partner_ids:
                errors.append({"row": index, "error": f"unknown customer {ref!r}"})
            elif len(partner_ids) > 1:
                errors.append({"row": index, "error": f"ambiguous customer {ref!r}"})
            metric = item.get("metric")
            if not isinstance(metric, str) or not METRIC_NAME.match(metric):
                errors.append(
                    {
                        "row": index,
                        "error": "metric must be lowercase letters, digits and "
                        "_ . : - (up to 64)",
                    }
                )
            value = item.get("value")
            # the range first: an int too large for a float is out of it
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not 0 <= value <= MAX_VALUE
                or not math.isfinite(value)
            ):
                errors.append({"row": index, "error": "value must be a number from 0"})
            raw_date = item.get("date", default_date)
            try:
                day = fields.Date.to_date(raw_date) if raw_date else None
            except (TypeError, ValueError, AttributeError, OverflowError):
                day = None
            if not day or day > today:
                errors.append(
                    {
                        "row": index,
                        "error": "date must be YYYY-MM-DD, not in the future",
                    }
                )
            if not errors or errors[-1]["row"] != index:
                rows.append(
                    {
                        "partner_id": partner_ids[0],
                        "metric": metric,
                        "value": float(value),
                        "date": day,
                    }
                )
        if errors:
            raise UsageFeedError(400, "Invalid metrics: nothing was stored.", errors)
        return rows
