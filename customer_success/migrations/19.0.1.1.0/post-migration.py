# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Give the customers the touch model record of their former selection value,
locked, since a person chose it; companies get their own stages and models."""

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
    cr.execute(
        SQL(
            "SELECT id, cs_legacy_touch_model, company_id FROM res_partner "
            "WHERE cs_legacy_touch_model IS NOT NULL"
        )
    )
    rows = cr.fetchall()
    TouchModel = env["cs.touch.model"].with_context(active_test=False)
    models = {
        (model.company_id.id, model.level): model
        for model in TouchModel.search([], order="sequence desc")
    }
    main = env.ref("base.main_company")
    for partner_id, level, company_id in rows:
        model = models.get((company_id or main.id, level))
        if model:
            env["res.partner"].browse(partner_id).write(
                {"touch_model_id": model.id, "touch_model_locked": True}
            )
    cr.execute(SQL("ALTER TABLE res_partner DROP COLUMN cs_legacy_touch_model"))
