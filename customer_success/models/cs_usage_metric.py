# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

METRIC_NAME = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,63}$")
# the largest value the usage feed accepts
MAX_FEED_VALUE = 1e12


class CsUsageMetric(models.Model):
    """One usage figure of a customer on one day, pushed by the customer's
    own product (active users, logins, key feature events)."""

    _name = "cs.usage.metric"
    _description = "Usage Metric"
    _order = "date desc, partner_id, metric"
    _rec_name = "metric"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, index=True)
    metric = fields.Char(
        required=True,
        help="Lowercase name: active_users, logins, or a feature event such as "
        "event:report_exported.",
    )
    value = fields.Float(required=True, aggregator="sum")
    source = fields.Selection(
        [("push", "Usage feed"), ("manual", "Manual")], default="manual", required=True
    )
    csm_id = fields.Many2one(related="partner_id.csm_id", string="Success Manager")

    _customer_day_metric_uniq = models.Constraint(
        "UNIQUE(partner_id, date, metric)",
        "This customer already has a value for this metric on this day.",
    )

    @api.constrains("metric", "value", "partner_id")
    def _check_values(self):
        for record in self:
            if not METRIC_NAME.match(record.metric or ""):
                raise ValidationError(
                    self.env._(
                        "%(metric)s is not a valid metric name: use lowercase "
                        "letters, digits and _ . : - (up to 64).",
                        metric=record.metric,
                    )
                )
            if record.value < 0:
                raise ValidationError(
                    self.env._(
                        "A usage value cannot be negative (%(metric)s).",
                        metric=record.metric,
                    )
                )
            if record.partner_id.parent_id:
                raise ValidationError(
                    self.env._("Usage belongs to the customer, not to a contact.")
                )

    @api.model
    def _upsert(self, rows):
        """Store ``rows`` (dicts with partner_id, date, metric, value) in the
        current company: a row for an existing (customer, date, metric)
        replaces its value, so a re-post adds nothing. Returns the number of
        rows stored."""
        rows = [{**row, "date": fields.Date.to_date(row["date"])} for row in rows]
        existing = {
            (record.partner_id.id, record.date, record.metric): record
            for record in self.search(
                [
                    ("partner_id", "in", list({row["partner_id"] for row in rows})),
                    ("date", "in", list({row["date"] for row in rows})),
                    ("metric", "in", list({row["metric"] for row in rows})),
                ]
            )
        }
        to_create = {}
        for row in rows:
            key = (row["partner_id"], row["date"], row["metric"])
            if key in existing:
                existing[key].value = row["value"]
            else:
                # a row repeated in one post: the last value wins
                to_create[key] = {
                    **row,
                    "company_id": self.env.company.id,
                    "source": "push",
                }
        self.create(list(to_create.values()))
        return len(rows)

    @api.model
    def _validate_feed_rows(self, items, default_date=None):
        """Check the rows posted to the usage feed for the current company.

        ``items`` are the posted metrics (see the usage feed controller);
        ``default_date`` is the date of a row without one. Returns
        ``(rows, errors)``: the rows ready for :meth:`_upsert`, and one
        ``{"row": index, "error": text}`` per problem found. The rows are only
        meant to be stored when ``errors`` is empty."""
        errors, rows = [], []
        today = fields.Date.context_today(self)
        customers = self._get_feed_customers(items)
        for index, item in enumerate(items):
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
                or not 0 <= value <= MAX_FEED_VALUE
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
        return rows, errors

    @api.model
    def _get_feed_customers(self, items):
        """The ids of the customers of the current company (or of no company)
        by reference, for the references the posted ``items`` name: one
        search for the whole post."""
        refs = {
            str(item.get("customer"))
            for item in items
            if isinstance(item, dict) and item.get("customer") is not None
        }
        # PostgreSQL refuses NUL characters: such a reference is unknown
        refs = {ref for ref in refs if "\x00" not in ref}
        customers = {}
        for partner in self.env["res.partner"].search(
            [
                ("ref", "in", list(refs)),
                ("parent_id", "=", False),
                ("company_id", "in", [self.env.company.id, False]),
            ]
        ):
            customers.setdefault(partner.ref, []).append(partner.id)
        return customers
