# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Give the customers the touch model record of their former selection value,
locked, since a person chose it; companies get their own stages and models.

Written in SQL on purpose: the former value was copied onto contacts (only
customers get a model now), and 19.0.1.0.0 allowed several exclusive-touch
customers per success manager, which the ORM constraint would refuse in the
middle of the upgrade (the portfolio view shows them as over capacity).
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([])._cs_setup_company()
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns WHERE table_name = "
            "'res_partner' AND column_name = 'cs_legacy_touch_model'"
        )
    )
    if not cr.fetchone():
        return
    main = env.ref("base.main_company")
    cr.execute(
        SQL(
            """
            UPDATE res_partner p
               SET touch_model_id = t.id,
                   touch_model_locked = TRUE,
                   touch_model_reason = 'locked'
              FROM cs_touch_model t
             WHERE p.cs_legacy_touch_model IS NOT NULL
               AND p.parent_id IS NULL
               AND t.level = p.cs_legacy_touch_model
               AND t.company_id = COALESCE(p.company_id, %s)
               AND t.id = (
                   SELECT MIN(t2.id) FROM cs_touch_model t2
                    WHERE t2.level = t.level AND t2.company_id = t.company_id
                   )
         RETURNING p.id
            """,
            main.id,
        )
    )
    partners = env["res.partner"].browse(row[0] for row in cr.fetchall())
    partners.invalidate_recordset(
        ["touch_model_id", "touch_model_locked", "touch_model_reason"]
    )
    # the stored related level follows the new touch model
    env.add_to_compute(partners._fields["touch_model"], partners)
    partners.flush_recordset()
    cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN cs_legacy_touch_model"))
