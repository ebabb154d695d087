# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pause fields of an invoice take the names they have on the customer
(one mixin for both): ``cs_dunning_paused`` becomes ``dunning_paused``, and
so on. Rename the columns, the fields and their external ids before the
module loads, so that the pauses and their tracked history are kept."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists, rename_column

RENAMED_FIELDS = {
    "cs_dunning_paused": "dunning_paused",
    "cs_dunning_pause_reason": "dunning_pause_reason",
    "cs_dunning_pause_until": "dunning_pause_until",
}


def migrate(cr, version):
    for old, new in RENAMED_FIELDS.items():
        if column_exists(cr, "account_move", old) and not column_exists(
            cr, "account_move", new
        ):
            rename_column(cr, "account_move", old, new)
        cr.execute(
            SQL(
                """
                UPDATE ir_model_fields SET name = %(new)s
                 WHERE model = 'account.move' AND name = %(old)s
                   AND NOT EXISTS (
                       SELECT 1 FROM ir_model_fields
                        WHERE model = 'account.move' AND name = %(new)s
                   )
                """,
                old=old,
                new=new,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE ir_model_data SET name = %(new)s
                 WHERE module = 'customer_success' AND model = 'ir.model.fields'
                   AND name = %(old)s
                   AND NOT EXISTS (
                       SELECT 1 FROM ir_model_data
                        WHERE module = 'customer_success' AND name = %(new)s
                   )
                """,
                old=f"field_account_move__{old}",
                new=f"field_account_move__{new}",
            )
        )
