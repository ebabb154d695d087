# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The risk reasons were stored as English text; they are data now, made
text when read, in the reader's language. Each reason of the former text
becomes its data; a text that no longer matches a reason is kept as it was
(a reason of code ``text``)."""

import json
import re

from odoo.tools import SQL

PATTERNS = [
    (
        re.compile(r"(?P<metric>active users|logins) (?P<change>-?\d+)% in 30 days"),
        "usage_drop",
    ),
    (re.compile(r"NPS detractor \((?P<score>\d+)\)"), "nps_detractor"),
    (re.compile(r"(?P<count>\d+) invoices? paid late"), "paid_late"),
    (re.compile(r"(?P<count>\d+) invoices? overdue"), "overdue"),
    (re.compile(r"check-in overdue"), "checkin_overdue"),
    (re.compile(r"no touch in (?P<days>\d+) days"), "no_touch"),
    (re.compile(r"e-mails bouncing"), "bouncing"),
    (re.compile(r"onboarding late"), "onboarding_late"),
]


def parse_reasons(text):
    """The reason data of a former reasons text."""
    reasons = []
    for part in (text or "").split("; "):
        part = part.strip()
        if not part:
            continue
        for pattern, code in PATTERNS:
            match = pattern.fullmatch(part)
            if match:
                reason = {"code": code}
                for key, value in match.groupdict().items():
                    if key == "metric":
                        reason[key] = value.replace(" ", "_")
                    else:
                        reason[key] = int(value)
                reasons.append(reason)
                break
        else:
            reasons.append({"code": "text", "text": part})
    return reasons or None


def _column_exists(cr, table, column):
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = %s AND column_name = %s",
            table,
            column,
        )
    )
    return bool(cr.fetchone())


def migrate(cr, version):
    for table, text_column, data_column in (
        ("res_partner", "health_reasons", "health_reason_data"),
        ("cs_health_snapshot", "reasons", "reason_data"),
    ):
        if not _column_exists(cr, table, text_column):
            continue
        # one update per distinct text, not per row: a year of daily
        # snapshots holds few different texts
        cr.execute(
            SQL(
                "SELECT DISTINCT %s FROM %s WHERE %s IS NOT NULL AND %s IS NULL",
                SQL.identifier(text_column),
                SQL.identifier(table),
                SQL.identifier(text_column),
                SQL.identifier(data_column),
            )
        )
        for (text,) in cr.fetchall():
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s::jsonb WHERE %s = %s AND %s IS NULL",
                    SQL.identifier(table),
                    SQL.identifier(data_column),
                    json.dumps(parse_reasons(text)),
                    SQL.identifier(text_column),
                    text,
                    SQL.identifier(data_column),
                )
            )
