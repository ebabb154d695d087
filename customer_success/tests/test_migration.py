# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import importlib.util
import json
from pathlib import Path

from odoo.tests import tagged
from odoo.tools import SQL

from .common import CustomerSuccessBillingCommon, CustomerSuccessCommon

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


@tagged("post_install", "-at_install")
class TestDunningPauseRenameMigration(CustomerSuccessBillingCommon):
    def test_invoice_pause_columns_take_the_customer_names(self):
        """19.0.1.4.0: the pause of an invoice, stored as ``cs_dunning_*``,
        is found under the names of the mixin, its fields kept."""
        cr = self.env.cr
        invoice = self.create_invoice()
        until = self.day(10)
        invoice.write(
            {
                "dunning_paused": True,
                "dunning_pause_reason": "Boleto reissued",
                "dunning_pause_until": until,
            }
        )
        Fields = self.env["ir.model.fields"]
        field_ids = {
            name: Fields.search(
                [("model", "=", "account.move"), ("name", "=", f"dunning_{name}")]
            ).id
            for name in ("paused", "pause_reason", "pause_until")
        }
        self.env.flush_all()
        # the layout of 19.0.1.3.0
        for name, field_id in field_ids.items():
            cr.execute(
                SQL(
                    "ALTER TABLE account_move RENAME COLUMN %s TO %s",
                    SQL.identifier(f"dunning_{name}"),
                    SQL.identifier(f"cs_dunning_{name}"),
                )
            )
            cr.execute(
                SQL(
                    "UPDATE ir_model_fields SET name = %s WHERE id = %s",
                    f"cs_dunning_{name}",
                    field_id,
                )
            )
            cr.execute(
                SQL(
                    "UPDATE ir_model_data SET name = %s "
                    "WHERE module = 'customer_success' AND name = %s",
                    f"field_account_move__cs_dunning_{name}",
                    f"field_account_move__dunning_{name}",
                )
            )
        _load("19.0.1.4.0", "pre-rename_dunning_pause").migrate(cr, "19.0.1.3.0")
        self.env.invalidate_all()
        self.assertTrue(invoice.dunning_paused)
        self.assertEqual(invoice.dunning_pause_reason, "Boleto reissued")
        self.assertEqual(invoice.dunning_pause_until, until)
        for name, field_id in field_ids.items():
            field = self.env.ref(f"customer_success.field_account_move__dunning_{name}")
            self.assertEqual(field.id, field_id, "the field keeps its history")
            self.assertEqual(field.name, f"dunning_{name}")
        cr.execute(
            SQL(
                "SELECT 1 FROM information_schema.columns WHERE table_name = "
                "'account_move' AND column_name IN %s",
                tuple(f"cs_dunning_{name}" for name in field_ids),
            )
        )
        self.assertFalse(cr.fetchone(), "no column keeps a former name")


@tagged("post_install", "-at_install")
class TestReminderBlocksMigration(CustomerSuccessCommon):
    def test_shipped_link_becomes_the_blocks_in_every_language(self):
        """A 19.0.1.4.0 reminder (link in English and in pt_BR) gets the pay
        block and the amount due today; one edited by hand is kept."""
        migration = _load("19.0.1.5.0", "post-migrate")
        overdue = self.env.ref("customer_success.mail_template_dunning_overdue_1")
        reminder = self.env.ref("customer_success.mail_template_dunning_reminder")
        link = (
            '<a t-att-href="invoice.get_base_url() + invoice.get_portal_url()"'
            ' style="color: #11826e;">%s</a>'
        )
        old = {
            "en_US": "<p>Due</p>" + link % "View and pay online",
            "pt_BR": "<p>Vencida</p>" + link % "Ver e pagar online",
        }
        edited = {"en_US": "<p>Pay at the counter</p>"}
        for template, body in ((overdue, old), (reminder, edited)):
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_template SET body_html = %s::jsonb WHERE id = %s",
                    json.dumps(body),
                    template.id,
                )
            )
        migration.migrate(self.env.cr, "19.0.1.4.0")
        self.env.cr.execute(
            SQL(
                "SELECT id, body_html FROM mail_template WHERE id IN %s",
                (overdue.id, reminder.id),
            )
        )
        bodies = dict(self.env.cr.fetchall())
        for lang in ("en_US", "pt_BR"):
            self.assertNotIn("get_portal_url", bodies[overdue.id][lang])
            self.assertIn(
                't-call="customer_success.dunning_mail_invoice_pay"',
                bodies[overdue.id][lang],
            )
            self.assertIn(
                't-call="customer_success.dunning_mail_invoice_amount"',
                bodies[overdue.id][lang],
            )
        self.assertTrue(bodies[overdue.id]["pt_BR"].startswith("<p>Vencida</p>"))
        self.assertEqual(bodies[reminder.id], edited)


@tagged("post_install", "-at_install")
class TestHealthExplanationsMigration(CustomerSuccessCommon):
    def test_old_snapshots_sentiment_and_stale_limits(self):
        """A 19.0.1.5.0 database: a snapshot with its factor scores in JSON
        only, a second company whose factors have no sentiment, the usage
        and NPS factors without a stale limit."""
        migration = _load("19.0.1.6.0", "post-migrate")
        Factor = self.env["cs.health.factor"].with_context(active_test=False)
        other = self.env["res.company"].create({"name": "Empresa Antiga"})
        Factor.search(
            [("company_id", "=", other.id), ("code", "=", "sentiment")]
        ).unlink()
        Factor.search([("code", "in", ("usage", "nps"))]).write({"stale_days": 0})
        snapshot = (
            self.env["cs.health.snapshot"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "date": "2026-05-31",
                    "band": "yellow",
                    "score": 55.0,
                    "factor_scores": {
                        "usage": {"score": 42.5, "weight": 50.0},
                        "nps": {"score": None, "weight": 50.0},
                    },
                }
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE cs_health_snapshot SET usage_score = NULL WHERE id = %s",
            [snapshot.id],
        )
        self.env.invalidate_all()
        migration.migrate(self.env.cr, "19.0.1.5.0")
        self.env.invalidate_all()
        self.assertEqual(snapshot.usage_score, 42.5)
        # no data stays empty, not 0 (the ORM reads both as 0.0)
        self.env.cr.execute(
            "SELECT nps_score IS NULL FROM cs_health_snapshot WHERE id = %s",
            [snapshot.id],
        )
        self.assertTrue(self.env.cr.fetchone()[0])
        sentiment = Factor.search(
            [("company_id", "=", other.id), ("code", "=", "sentiment")]
        )
        self.assertEqual(sentiment.weight, 15)
        self.assertEqual(
            Factor.search_count(
                [("company_id", "=", self.company.id), ("code", "=", "sentiment")]
            ),
            1,
            "the main company keeps its one sentiment factor",
        )
        usage = Factor.search([("company_id", "=", other.id), ("code", "=", "usage")])
        nps = Factor.search([("company_id", "=", other.id), ("code", "=", "nps")])
        self.assertEqual((usage.stale_days, nps.stale_days), (7, 180))


@tagged("post_install", "-at_install")
class TestBillingPlaysMigration(CustomerSuccessCommon):
    def test_shipped_final_step_leaves_its_call_to_the_play(self):
        """A 19.0.1.7.0 final notice as shipped stops scheduling its call
        (the play calls); one a company changed is kept; calls already on
        invoices stay."""
        migration = _load("19.0.1.8.0", "post-migrate")
        step = self.env.ref("customer_success.cs_dunning_step_final")
        call = self.env.ref("mail.mail_activity_data_call")
        shipped = {
            "action": "both",
            "activity_type_id": call.id,
            "activity_summary": "Call the customer about the final notice",
            "escalate_to_csm": True,
        }
        step.write(shipped)
        invoice_call = (
            self.env["account.move"]
            .create({"move_type": "out_invoice", "partner_id": self.customer.id})
            .activity_schedule(activity_type_id=call.id, user_id=self.user_cs.id)
        )
        migration.migrate(self.env.cr, "19.0.1.7.0")
        self.assertEqual(step.action, "email")
        self.assertFalse(step.activity_type_id)
        self.assertFalse(step.escalate_to_csm)
        self.assertTrue(invoice_call.exists())

        step.write({**shipped, "activity_summary": "Ligar e negociar"})
        migration.migrate(self.env.cr, "19.0.1.7.0")
        self.assertEqual(step.action, "both", "changed by the company: kept")
        self.assertEqual(step.activity_summary, "Ligar e negociar")
