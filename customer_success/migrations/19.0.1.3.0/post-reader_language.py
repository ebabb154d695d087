# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Texts shown in the reader's language.

- An onboarding keeps its name only when someone renamed it: the name
  "Onboarding of <customer>" (in any language) is now made when read.
- The checklist tasks copied from a checklist item, and not renamed since,
  get the item's name and description in every language."""

from odoo import api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    cr.execute(
        SQL(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'cs_onboarding' AND column_name = 'name'"
        )
    )
    if cr.fetchone():
        cr.execute(
            SQL(
                "SELECT id, name FROM cs_onboarding"
                " WHERE name IS NOT NULL AND custom_name IS NULL"
            )
        )
        rows = cr.fetchall()
        langs = [code for code, _name in env["res.lang"].get_installed()]
        Onboarding = env["cs.onboarding"]
        for onboarding_id, name in rows:
            onboarding = Onboarding.browse(onboarding_id)
            defaults = {
                onboarding.with_context(lang=lang)._get_default_name()
                for lang in [*langs, "en_US"]
            }
            if name not in defaults:
                cr.execute(
                    SQL(
                        "UPDATE cs_onboarding SET custom_name = %s WHERE id = %s",
                        name,
                        onboarding_id,
                    )
                )
        Onboarding.invalidate_model(["custom_name", "name"])
    cr.execute(
        SQL(
            "UPDATE cs_onboarding_task task"
            " SET name = item.name,"
            " description = CASE WHEN task.description->>'en_US' IN"
            " (SELECT value FROM jsonb_each_text(item.description))"
            " THEN item.description ELSE task.description END"
            " FROM cs_onboarding_stage_task item"
            " WHERE item.id = task.template_id"
            # copied in whichever language, and not renamed since
            " AND task.name->>'en_US' IN"
            " (SELECT value FROM jsonb_each_text(item.name))"
        )
    )
    env["cs.onboarding.task"].invalidate_model(["name", "description"])
