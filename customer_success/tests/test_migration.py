# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import importlib.util
from pathlib import Path

from odoo.tests import tagged
from odoo.tools import SQL

from .common import CustomerSuccessCommon

MIGRATIONS = Path(__file__).parent.parent / "migrations"


def _load(version, name):
    path = MIGRATIONS / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"cs_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration(CustomerSuccessCommon):
    def test_touch_model_selection_becomes_a_locked_record(self):
        """19.0.1.1.0: the former selection value becomes the matching
        touch model, locked (a person chose it)."""
        cr = self.env.cr
        other = self.env["res.partner"].create(
            {"name": "Sem modelo", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Rita", "parent_id": self.customer.id}
        )
        # 19.0.1.0.0 allowed two exclusive customers for one CSM
        first = self.env["res.partner"].create(
            {"name": "Ipê", "is_company": True, "csm_id": self.user_cs.id}
        )
        second = self.env["res.partner"].create(
            {"name": "Caju", "is_company": True, "csm_id": self.user_cs.id}
        )
        self.env.flush_all()
        cr.execute(
            SQL(
                "UPDATE res_partner SET touch_model = 'high' WHERE id IN %s",
                (self.customer.id, contact.id),
            )
        )
        cr.execute(
            SQL(
                "UPDATE res_partner SET touch_model = 'exclusive' WHERE id IN %s",
                (first.id, second.id),
            )
        )
        _load("19.0.1.1.0", "pre-migration").migrate(cr, "19.0.1.0.0")
        # the module update recreates the column of the (now related) field
        cr.execute(SQL("ALTER TABLE res_partner ADD COLUMN touch_model varchar"))
        _load("19.0.1.1.0", "post-migration").migrate(cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(
            self.customer.touch_model_id,
            self.env.ref("customer_success.cs_touch_model_high"),
        )
        self.assertTrue(self.customer.touch_model_locked)
        self.assertEqual(self.customer.touch_model, "high")
        self.assertEqual(self.customer.touch_model_reason, "locked")
        self.assertFalse(other.touch_model_id)
        self.assertFalse(contact.touch_model_id, "contacts get no touch model")
        exclusive = self.env.ref("customer_success.cs_touch_model_exclusive")
        self.assertEqual((first | second).touch_model_id, exclusive)
        cr.execute(
            SQL(
                "SELECT 1 FROM information_schema.columns WHERE table_name = "
                "'res_partner' AND column_name = 'cs_legacy_touch_model'"
            )
        )
        self.assertFalse(cr.fetchone(), "the legacy column is dropped")

    def test_scores_without_band_are_emptied(self):
        """19.0.1.2.1: customers and snapshots scored without data kept a 0
        that counted in the averages."""
        cr = self.env.cr
        scored = self.env["res.partner"].create(
            {"name": "Com Nota", "is_company": True}
        )
        scored.write({"health_band": "green", "health_score": 80.0})
        self.customer.write({"health_band": False, "health_score": 0.0})
        # sudo: snapshots are written by the health cron, as the system
        Snapshot = self.env["cs.health.snapshot"].sudo()
        snapshots = Snapshot.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "date": "2026-05-01",
                    "score": score,
                    "band": band,
                }
                for partner, score, band in (
                    (scored, 80.0, "green"),
                    (self.customer, 0.0, False),
                )
            ]
        )
        self.env.flush_all()
        _load("19.0.1.2.1", "post-migration").migrate(cr, "19.0.1.2.0")
        cr.execute(
            SQL(
                "SELECT id, health_score FROM res_partner WHERE id IN %s",
                (scored.id, self.customer.id),
            )
        )
        self.assertEqual(dict(cr.fetchall()), {scored.id: 80.0, self.customer.id: None})
        cr.execute(
            SQL(
                "SELECT partner_id, score FROM cs_health_snapshot WHERE id IN %s",
                tuple(snapshots.ids),
            )
        )
        self.assertEqual(dict(cr.fetchall()), {scored.id: 80.0, self.customer.id: None})
