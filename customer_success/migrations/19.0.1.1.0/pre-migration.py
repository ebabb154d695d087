# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The touch model was a selection on the customer; it becomes a record
(``cs.touch.model``). Keep the old values aside until the records exist."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'res_partner' AND column_name = 'touch_model'"
        )
    )
    if not cr.fetchone():
        return
    cr.execute(
        SQL(
            "ALTER TABLE res_partner RENAME COLUMN touch_model TO cs_legacy_touch_model"
        )
    )
