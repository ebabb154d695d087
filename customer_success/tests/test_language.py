# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every text the addon makes is read in the reader's language: the user
looking at it, or the user an activity is for."""

import ast
import importlib.util
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CustomerSuccessOnboardingCommon, CustomerSuccessVoiceCommon

ADDON = Path(__file__).parent.parent


def _load(version, name):
    path = ADDON / "migrations" / version / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"cs_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ReaderMixin:
    @classmethod
    def _new_reader(cls):
        cls.env["res.lang"]._activate_lang("pt_BR")
        cls.env["ir.module.module"]._load_module_terms(["customer_success"], ["pt_BR"])
        return new_test_user(
            cls.env,
            login="cs_leitora",
            name="Lúcia Leitora",
            lang="pt_BR",
            groups="customer_success.customer_success_group_manager",
        )

    def as_reader(self, records, user=None):
        """``records`` as the web client of ``user`` reads them."""
        user = user or self.reader
        return records.with_user(user).with_context(lang=user.lang)


@tagged("post_install", "-at_install")
class TestReaderLanguageHealth(ReaderMixin, CustomerSuccessVoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = cls._new_reader()
        cls.user_cs.lang = "pt_BR"
        for code, weight in (
            ("usage", 0),
            ("nps", 100),
            ("payment", 0),
            ("engagement", 0),
            ("onboarding", 0),
        ):
            cls.factors[code].weight = weight

    def test_risk_reasons_follow_the_reader(self):
        self.subscribe()
        # sudo: responses come from answered surveys, created by the system
        self.env["cs.nps.response"].sudo().create(
            {"score": 2, "partner_id": self.customer.id, "date": self.START}
        )
        # the daily run scores in English
        self.run_health(self.START)
        customer = self.customer
        self.assertEqual(customer.health_band, "red")
        self.assertEqual(self.as_reader(customer).health_reasons, "detrator no NPS (2)")
        self.assertEqual(
            customer.with_context(lang="en_US").health_reasons, "NPS detractor (2)"
        )
        snapshot = customer.health_snapshot_ids[:1]
        self.assertEqual(self.as_reader(snapshot).reasons, "detrator no NPS (2)")
        # the at-risk list of the dashboard
        at_risk = self.as_reader(self.env["cs.dashboard"])._get_at_risk()
        self.assertIn(
            {"name": customer.name, "reasons": "detrator no NPS (2)"},
            [
                {"name": row["name"], "reasons": row["reasons"]}
                for row in at_risk["customers"]
            ],
        )
        # searched by the text the reader sees
        for model, field in (("res.partner", "health_reasons"),):
            found = self.as_reader(self.env[model]).search(
                [(field, "ilike", "detrator")]
            )
            self.assertIn(customer, found)
        found = self.as_reader(self.env["cs.health.snapshot"]).search(
            [("reasons", "ilike", "detrator")]
        )
        self.assertIn(snapshot, found)
        # the call to action and its follow-up are written for their user
        # (the CSM, in pt_BR)
        cta = self.env["cs.cta"].search(
            [
                (
                    "play_id",
                    "=",
                    self.env.ref("customer_success.cs_play_health_red").id,
                ),
                ("partner_id", "=", customer.id),
            ]
        )
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertEqual(
            self.as_reader(cta, self.user_cs).reason,
            "Saúde ficou vermelha: 20,0: detrator no NPS (2)",
        )
        activity = cta.activity_ids
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("customer_success.mail_activity_type_cs_health"),
        )
        self.assertEqual(activity.user_id, self.user_cs)
        self.assertEqual(activity.summary, "A saúde do cliente ficou vermelha")
        self.assertIn("detrator no NPS (2)", activity.note)

    def test_detractor_follow_up_in_its_users_language(self):
        # sudo: responses come from answered surveys, created by the system
        self.env["cs.nps.response"].sudo().create(
            {"score": 3, "partner_id": self.customer.id, "date": self.START}
        )._close_the_loop()
        cta = self.env["cs.cta"].search(
            [
                (
                    "play_id",
                    "=",
                    self.env.ref("customer_success.cs_play_nps_detractor").id,
                ),
                ("partner_id", "=", self.customer.id),
            ]
        )
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertEqual(
            self.as_reader(cta, self.user_cs).reason,
            f"Resposta de detrator: 3 de {self.customer.name}",
        )
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_cs)
        self.assertEqual(activity.summary, "Retornar a um detrator")

    def test_health_drop_follow_up_in_its_users_language(self):
        """The play *Health drops by 20 points in 30 days* tells its owner
        (the CSM, in pt_BR) both scores in their language."""
        self.subscribe()
        Response = self.env["cs.nps.response"].sudo()
        Response.create(
            {"score": 8, "partner_id": self.customer.id, "date": self.START}
        )
        self.run_health(self.START)
        later = self.START + timedelta(days=30)
        Response.create({"score": 5, "partner_id": self.customer.id, "date": later})
        self.run_health(later)
        cta = self.env["cs.cta"].search(
            [
                (
                    "play_id",
                    "=",
                    self.env.ref("customer_success.cs_play_health_drop").id,
                ),
                ("partner_id", "=", self.customer.id),
            ]
        )
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertEqual(cta.reason_note, "80,0 → 50,0 em 30 dias")
        self.assertEqual(
            self.as_reader(cta, self.user_cs).reason,
            "A saúde caiu 20 pontos ou mais: 80,0 → 50,0 em 30 dias",
        )
        self.assertEqual(
            self.as_reader(cta.play_id, self.user_cs).name,
            "A saúde cai 20 pontos em 30 dias",
        )
        self.assertIn("80,0 → 50,0 em 30 dias", cta.activity_ids.note)

    def test_dunning_activity_in_its_users_language(self):
        broken = self.env.ref("customer_success.mail_template_dunning_overdue_1").copy(
            {"body_html": "<p t-out='object.no_such_field'>x</p>"}
        )
        self.policy.step_ids.filtered(
            lambda step: step.offset_days == 3
        ).mail_template_id = broken
        invoice = self.create_invoice()
        self.run_dunning(self.day(3))
        self.assertEqual(invoice.activity_ids.user_id, self.user_cs)
        self.assertEqual(
            invoice.activity_ids.summary,
            "O e-mail de cobrança falhou: envie-o manualmente",
        )

    def test_billing_follow_ups_in_their_users_language(self):
        """The billing plays write their call to action and its call for
        their owner (the CSM, in pt_BR): why the payer was not reached, the
        amount and the due date formatted for them."""
        self.payer.email = False
        invoice = self.create_invoice(amount=1234.5)
        self.run_dunning(self.day(-5))
        unreached = self.billing_ctas("cs_play_billing_unreached")
        self.assertEqual(unreached.user_id, self.user_cs)
        self.assertIn("não chegou ao pagador", unreached.reason_note)
        self.assertIn("O pagador não tem endereço de e-mail.", unreached.reason_note)
        self.assertEqual(
            unreached.activity_ids.summary,
            "Confirmar que o cliente recebeu a fatura e atualizar o e-mail do pagador",
        )
        self.assertTrue(
            self.as_reader(unreached, self.user_cs).reason.startswith(
                "Os e-mails de cobrança não chegam ao cliente: "
            )
        )
        self.payer.email = "financeiro@nuvemalta.example.com"
        self.run_dunning(self.day(20))
        final = self.billing_ctas("cs_play_dunning_final")
        self.assertEqual(final.invoice_id, invoice)
        self.assertIn("1.234,50", final.reason_note)
        self.assertIn("vencida desde 10/03/2026", final.reason_note)
        self.assertEqual(
            final.activity_ids.summary, "Ligar para o cliente sobre o último aviso"
        )
        self.assertEqual(
            self.as_reader(final.play_id, self.user_cs).name,
            "A cobrança chegou à última etapa",
        )
        self.assertEqual(
            self.as_reader(final, self.user_cs).display_name,
            "A cobrança chegou à última etapa - Nuvem Alta Hospedagem",
        )
        launched = " ".join(final.message_ids.mapped("body"))
        self.assertIn("Plano Ligar depois do último aviso lançado:", launched)
        self.assertIn("Ligar para o cliente sobre o último aviso, para Carla", launched)

    def test_tracked_band_follows_the_reader(self):
        customer = self.customer.with_context(
            tracking_disable=False, mail_notrack=False
        )
        for band, score in (("green", 80.0), ("yellow", 60.0)):
            customer.write({"health_band": band, "health_score": score})
            # the tracking values are written at commit
            self.env.flush_all()
            self.env.cr.precommit.run()
        field = self.env["ir.model.fields"]._get("res.partner", "health_band")
        tracking = self.env["mail.tracking.value"].search(
            [
                ("field_id", "=", field.id),
                ("mail_message_id.res_id", "=", customer.id),
                ("mail_message_id.model", "=", "res.partner"),
            ],
            order="id desc",
            limit=1,
        )
        self.assertEqual(tracking.new_value_char, "Attention")
        # as the chatter formats it for the reader: as superuser, in their lang
        shown = tracking.with_context(lang="pt_BR")._tracking_value_format()[0]
        self.assertEqual(
            (shown["oldValue"], shown["newValue"]), ("Saudável", "Atenção")
        )
        shown = tracking.with_context(lang="en_US")._tracking_value_format()[0]
        self.assertEqual(shown["newValue"], "Attention")


@tagged("post_install", "-at_install")
class TestReaderLanguageOnboarding(ReaderMixin, CustomerSuccessOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = cls._new_reader()
        # started in English (by an English user, or a cron)
        cls.subscription = cls.create_subscription(cls.customer, 3500)
        cls.subscription.with_context(lang="en_US").action_start_subscription()
        cls.env.flush_all()
        cls.onboarding = cls.subscription.cs_onboarding_ids

    def test_onboarding_name_follows_the_reader(self):
        onboarding = self.onboarding
        self.assertEqual(
            self.as_reader(onboarding).name, "Onboarding de Nuvem Alta Hospedagem"
        )
        self.assertEqual(
            self.as_reader(onboarding).display_name,
            "Onboarding de Nuvem Alta Hospedagem",
        )
        self.assertEqual(
            onboarding.with_context(lang="en_US").name,
            "Onboarding of Nuvem Alta Hospedagem",
        )
        # and inside the reader's error messages
        with self.assertRaisesRegex(UserError, "Onboarding de Nuvem Alta Hospedagem"):
            self.as_reader(onboarding).action_reopen()
        # found by what the reader sees
        found = self.as_reader(self.env["cs.onboarding"]).name_search("Nuvem Alta")
        self.assertIn(onboarding.id, [row[0] for row in found])
        # a name given by hand stays as given, in every language
        self.as_reader(onboarding).name = "Implantação especial"
        self.assertEqual(onboarding.custom_name, "Implantação especial")
        onboarding.invalidate_recordset(["name"])
        self.assertEqual(
            onboarding.with_context(lang="en_US").name, "Implantação especial"
        )
        self.as_reader(onboarding).name = "Onboarding de Nuvem Alta Hospedagem"
        self.assertFalse(onboarding.custom_name)

    def test_handoff_name_follows_the_reader(self):
        handoff = self.env["cs.handoff"].create(
            {"onboarding_id": self.onboarding.id, "partner_id": self.customer.id}
        )
        self.assertEqual(
            self.as_reader(handoff).name,
            "Passagem de bastão de Nuvem Alta Hospedagem",
        )
        self.assertEqual(
            handoff.with_context(lang="en_US").display_name,
            "Hand-off of Nuvem Alta Hospedagem",
        )

    def test_names_found_as_the_reader_reads_them(self):
        """What the reader types in the search bar or a picker: the whole
        name, a part of it, or only its fixed words."""
        other = self.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True}
        )
        theirs = self.env["cs.onboarding"].create({"partner_id": other.id})
        handoff = self.env["cs.handoff"].create(
            {"onboarding_id": self.onboarding.id, "partner_id": self.customer.id}
        )
        Onboarding = self.as_reader(self.env["cs.onboarding"])
        both = self.onboarding | theirs
        for text, expected in (
            ("Onboarding de Nuvem Alta Hospedagem", self.onboarding),
            ("de Nuvem", self.onboarding),
            ("onboarding de ipê", theirs),
            ("Onboarding", both),
            ("Nuvem Alta", self.onboarding),
        ):
            with self.subTest(text=text):
                found = Onboarding.search(
                    [("id", "in", both.ids), ("name", "ilike", text)]
                )
                self.assertEqual(found, expected)
        self.assertEqual(
            Onboarding.search(
                [("name", "=", "Onboarding de Ipê Digital"), ("id", "in", both.ids)]
            ),
            theirs,
        )
        Handoff = self.as_reader(self.env["cs.handoff"])
        self.assertEqual(
            Handoff.search(
                [
                    ("id", "=", handoff.id),
                    ("name", "ilike", "Passagem de bastão de Nuvem"),
                ]
            ),
            handoff,
        )
        self.assertEqual(
            Handoff.with_context(lang="en_US").search(
                [("id", "=", handoff.id), ("name", "ilike", "Hand-off of Nuvem")]
            ),
            handoff,
        )

    def test_checklist_follows_the_reader(self):
        tasks = self.onboarding.task_ids
        self.assertIn("Map how the customer works today", tasks.mapped("name"))
        self.assertIn(
            "Mapear como o cliente trabalha hoje",
            self.as_reader(tasks).mapped("name"),
        )

    def test_automatic_milestone_follows_the_reader(self):
        self.onboarding.with_context(lang="en_US").activation_date = date(2026, 6, 1)
        milestone = self.env["cs.milestone"].search(
            [("origin_key", "=", f"activation:{self.onboarding.id}")]
        )
        self.assertEqual(milestone.with_context(lang="en_US").name, "Activation")
        self.assertEqual(self.as_reader(milestone).name, "Ativação")

    def test_handoff_objectives_in_the_documents_language(self):
        self.customer.lang = "pt_BR"
        self.env["cs.success.goal"].create(
            {
                "partner_id": self.customer.id,
                "onboarding_id": self.onboarding.id,
                "name": "Fechamento sem quedas",
                "metric": "Uptime (%)",
                "target": 99.9,
                "date_deadline": date(2027, 3, 2),
            }
        )
        action = self.onboarding.action_open_handoff_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.reader)
            .with_context(lang="pt_BR", **action["context"])
        )
        self.assertIn("Uptime (%) → 99,9 (02/03/2027)", wizard.objectives)
        self.assertNotIn("2027-03-02", wizard.objectives)

    def test_checkin_activity_in_the_csms_language(self):
        self.customer.write(
            {"csm_id": self.reader.id, "touch_model_id": self.tm_mid.id}
        )
        values = self.customer.with_context(
            lang="en_US"
        )._cs_prepare_checkin_activity_values(
            self.env.ref("customer_success.mail_activity_type_cs_checkin"),
            date(2026, 6, 1),
        )
        self.assertEqual(values["summary"], "Check-in Mid-touch")

    def test_dashboard_mrr_legend_follows_the_reader(self):
        trend = self.as_reader(self.env["cs.dashboard"])._get_mrr_trend(
            self.company, date(2026, 6, 1)
        )
        labels = {row["key"]: row["label"] for row in trend["movements"]}
        self.assertEqual(labels["expansion"], "Expansão")
        self.assertEqual(labels["contraction"], "Contração")


@tagged("post_install", "-at_install")
class TestReaderLanguageDemo(CustomerSuccessOnboardingCommon):
    def test_brazilian_demo_customers_speak_portuguese(self):
        """Every customer (company) of the demo data is Brazilian: pt_BR,
        activated by the first demo file."""
        manifest = ADDON / "__manifest__.py"
        demo_files = ast.literal_eval(manifest.read_text())["demo"]
        first = etree.parse(str(ADDON / demo_files[0]))
        self.assertTrue(
            first.xpath(
                "//function[@model='res.lang']"
                "[@name='_activate_and_install_lang'][contains(@eval, 'pt_BR')]"
            )
        )
        companies = []
        for name in demo_files:
            tree = etree.parse(str(ADDON / name))
            for record in tree.xpath("//record[@model='res.partner']"):
                if record.get("id").startswith("base."):
                    continue
                if record.xpath("field[@name='is_company'][@eval='True']"):
                    companies.append(record)
        self.assertGreater(len(companies), 20)
        for record in companies:
            with self.subTest(record=record.get("id")):
                self.assertEqual(record.findtext("field[@name='lang']"), "pt_BR")


@tagged("post_install", "-at_install")
class TestReaderLanguageMigration(CustomerSuccessOnboardingCommon):
    def test_stored_reasons_become_data(self):
        module = _load("19.0.1.3.0", "post-health_reasons")
        self.assertEqual(
            module.parse_reasons(
                "active users -70% in 30 days; NPS detractor (2); "
                "2 invoices paid late; 1 invoice overdue; check-in overdue; "
                "no touch in 75 days; e-mails bouncing; onboarding late; "
                "anything else"
            ),
            [
                {"code": "usage_drop", "metric": "active_users", "change": -70},
                {"code": "nps_detractor", "score": 2},
                {"code": "paid_late", "count": 2},
                {"code": "overdue", "count": 1},
                {"code": "checkin_overdue"},
                {"code": "no_touch", "days": 75},
                {"code": "bouncing"},
                {"code": "onboarding_late"},
                {"code": "text", "text": "anything else"},
            ],
        )
        cr = self.env.cr
        self.env.flush_all()
        # the former stored column, as 19.0.1.2.x left it
        cr.execute("ALTER TABLE res_partner ADD COLUMN health_reasons text")
        cr.execute(
            "UPDATE res_partner SET health_reasons = %s WHERE id = %s",
            ("NPS detractor (4); 1 invoice overdue", self.customer.id),
        )
        module.migrate(cr, "19.0.1.2.1")
        self.env.invalidate_all()
        customer = self.customer.with_context(lang="en_US")
        self.assertEqual(
            customer.health_reason_data,
            [{"code": "nps_detractor", "score": 4}, {"code": "overdue", "count": 1}],
        )
        self.assertEqual(
            customer.health_reasons, "NPS detractor (4); 1 invoice overdue"
        )
        self._activate_lang("pt_BR")
        self.assertEqual(
            customer.with_context(lang="pt_BR").health_reasons,
            "detrator no NPS (4); 1 fatura vencida",
        )

    def test_names_and_checklists_follow_the_reader_after_the_update(self):
        self._activate_lang("pt_BR")
        subscription = self.create_subscription(self.customer, 3500)
        subscription.action_start_subscription()
        renamed_subscription = self.create_subscription(
            self.env["res.partner"].create({"name": "Caju", "is_company": True}), 10
        )
        renamed_subscription.action_start_subscription()
        self.env.flush_all()
        onboarding = subscription.cs_onboarding_ids
        renamed = renamed_subscription.cs_onboarding_ids
        task = onboarding.task_ids.filtered(
            lambda task: task.name == "Map how the customer works today"
        )
        cr = self.env.cr
        # as 19.0.1.2.x left them: a stored name, checklist tasks in English
        cr.execute("ALTER TABLE cs_onboarding ADD COLUMN name varchar")
        cr.execute(
            "UPDATE cs_onboarding SET name = %s WHERE id = %s",
            ("Onboarding of Nuvem Alta Hospedagem", onboarding.id),
        )
        cr.execute(
            "UPDATE cs_onboarding SET name = %s WHERE id = %s",
            ("Implantação Caju", renamed.id),
        )
        cr.execute(
            "UPDATE cs_onboarding_task SET name = %s WHERE id = %s",
            ('{"en_US": "Map how the customer works today"}', task.id),
        )
        _load("19.0.1.3.0", "post-reader_language").migrate(cr, "19.0.1.2.1")
        self.env.invalidate_all()
        self.assertFalse(onboarding.custom_name)
        self.assertEqual(renamed.custom_name, "Implantação Caju")
        self.assertEqual(
            task.with_context(lang="pt_BR").name, "Mapear como o cliente trabalha hoje"
        )
