# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged, users

from .common import CustomerSuccessOnboardingCommon


@tagged("post_install", "-at_install")
class TestHandoff(CustomerSuccessOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_lang("pt_BR")
        cls.decision_maker = cls.env["res.partner"].create(
            {
                "name": "Rita Lopes",
                "parent_id": cls.customer.id,
                "email": "rita@nuvemalta.example.com",
                "lang": "pt_BR",
            }
        )
        cls.customer.lang = "pt_BR"
        with freeze_time("2026-05-04"):
            cls.subscription = cls.create_subscription(cls.customer, 3500)
            cls.subscription.action_start_subscription()
        cls.onboarding = cls.subscription.cs_onboarding_ids
        cls.onboarding.write(
            {
                "stakeholder_ids": [
                    Command.create(
                        {
                            "partner_id": cls.customer.id,
                            "contact_id": cls.decision_maker.id,
                            "role": "decision_maker",
                            "expectations": "Nenhuma queda no fechamento do mês",
                        }
                    )
                ],
                "pains_needs": "<p>Quedas no fim do mês</p>",
                "integrations": "<p>ERP via API REST</p>",
                "activation_date": date(2026, 5, 25),
            }
        )
        cls.env["cs.success.goal"].create(
            {
                "partner_id": cls.customer.id,
                "onboarding_id": cls.onboarding.id,
                "name": "Fechamento sem quedas",
                "metric": "Uptime (%)",
                "target": 99.9,
            }
        )
        cls.onboarding.stage_id = cls.stage["activation"]
        cls.onboarding.message_post(
            body="Cliente pediu relatório semanal", message_type="comment"
        )

    def open_wizard(self, user=None):
        onboarding = self.onboarding.with_user(user) if user else self.onboarding
        action = onboarding.action_open_handoff_wizard()
        return Form(
            self.env[action["res_model"]]
            .with_user(user or self.env.user)
            .with_context(**action["context"])
        )

    @users("cs_onboarder")
    @freeze_time("2026-06-01")
    def test_handoff_hands_the_customer_over(self):
        wizard = self.open_wizard(self.env.user)
        wizard.csm_id = self.user_cs
        wizard.followup_actions = "<p>Revisar alertas após o primeiro fechamento</p>"
        self.assertIn("Fechamento sem quedas", wizard.objectives)
        self.assertIn("Nenhuma queda", wizard.stakeholder_expectations)
        self.assertIn("Cliente pediu relatório semanal", wizard.history)
        self.assertIn("Quedas no fim do mês", wizard.history)
        action = wizard.save().action_confirm()
        handoff = self.env["cs.handoff"].sudo().browse(action["res_id"])
        onboarding = self.onboarding.sudo()
        customer = self.customer.sudo()
        # the document
        self.assertRecordValues(
            handoff,
            [
                {
                    "partner_id": customer.id,
                    "from_user_id": self.user_onboarder.id,
                    "from_team_id": self.team_onboarding.id,
                    "csm_id": self.user_cs.id,
                    "team_id": self.team_ongoing.id,
                    "date": date(2026, 6, 1),
                    "intro_sent": True,
                }
            ],
        )
        self.assertIn("ERP via API REST", handoff.integrations)
        self.assertTrue(handoff.attachment_id.raw)
        self.assertIn(b"Fechamento sem quedas", handoff.attachment_id.raw)
        # the onboarding is closed at the hand-off stage
        self.assertEqual(onboarding.state, "done")
        self.assertEqual(onboarding.stage_id, self.stage["handoff"])
        self.assertEqual(onboarding.handoff_id, handoff)
        # the customer has its CSM, team, and a first check-in for the CSM
        self.assertEqual(customer.csm_id, self.user_cs)
        self.assertEqual(customer.cs_team_id, self.team_ongoing)
        self.assertEqual(customer.onboarding_state, "done")
        self.assertEqual(customer.last_touch_date, date(2026, 6, 1))
        self.assertIn(self.user_cs.partner_id, customer.message_partner_ids)
        # the onboarder no longer sees the customer: check as the superuser
        checkin = self.checkin_activities(customer).sudo()
        self.assertRecordValues(
            checkin, [{"user_id": self.user_cs.id, "date_deadline": date(2026, 6, 8)}]
        )
        # both chatters tell the story, with the document attached
        for record in (onboarding, customer):
            note = record.message_ids.filtered(
                lambda m: "Handed off to" in (m.body or "")
            )
            self.assertEqual(len(note), 1)
            self.assertTrue(note.attachment_ids)
        # the introduction waits in the mail queue, in the customer's language
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", self.decision_maker.ids)])
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("Carla Souza", mail.subject)
        self.assertIn("gerente de sucesso do cliente", mail.subject)
        self.assertEqual(mail.state, "outgoing")
        # the onboarder still opens the closed onboarding and prints the document
        closed = self.onboarding.with_user(self.env.user)
        closed.read(["name", "partner_id", "stakeholder_ids", "goal_ids"])
        closed.stakeholder_ids.read(["contact_id", "role", "expectations"])
        closed.goal_ids.read(["name", "metric", "target"])
        html, _report_type = (
            self.env["ir.actions.report"]
            .with_user(self.env.user)
            ._render_qweb_html("customer_success.action_report_cs_handoff", handoff.ids)
        )
        self.assertIn(b"Fechamento sem quedas", html)

    def test_team_member_hands_off(self):
        member = new_test_user(
            self.env,
            login="cs_onboarding_member",
            groups="customer_success.customer_success_group_user",
        )
        self.team_onboarding.member_ids |= member
        self.customer.csm_id = self.user_cs_other
        wizard = self.open_wizard(member)
        wizard.csm_id = self.user_cs
        wizard.send_intro = False
        action = wizard.save().action_confirm()
        handoff = self.env["cs.handoff"].with_user(member).browse(action["res_id"])
        self.assertEqual(handoff.csm_id, self.user_cs)
        self.assertEqual(self.onboarding.state, "done")

    def test_handoff_without_ongoing_csm_refused(self):
        # the form asks for the CSM too; the server refuses on its own
        wizard = self.env["cs.handoff.wizard"].create(
            {"onboarding_id": self.onboarding.id, "csm_id": False}
        )
        with self.assertRaisesText(UserError, "Choose the ongoing success manager"):
            wizard.action_confirm()
        self.assertEqual(self.onboarding.state, "in_progress")
        self.assertFalse(self.onboarding.handoff_id)
        self.assertFalse(
            self.env["cs.handoff"].search([("partner_id", "=", self.customer.id)])
        )
        self.assertFalse(self.customer.csm_id)

    def test_handoff_intro_without_address_refused(self):
        self.decision_maker.email = False
        self.customer.email = False
        wizard = self.open_wizard()
        wizard.csm_id = self.user_cs
        with self.assertRaisesText(UserError, "no e-mail address"):
            wizard.save().action_confirm()
        self.assertEqual(self.onboarding.state, "in_progress")
        self.assertFalse(self.customer.csm_id)

    def test_handoff_of_closed_onboarding_refused(self):
        self.onboarding.action_cancel()
        with self.assertRaisesText(UserError, "closed"):
            self.onboarding.action_open_handoff_wizard()

    def test_handoff_before_requirements_refused(self):
        self.onboarding.activation_date = False
        wizard = self.open_wizard()
        wizard.csm_id = self.user_cs
        with self.assertRaisesText(UserError, "activation date"):
            wizard.save().action_confirm()
        self.assertEqual(self.onboarding.stage_id, self.stage["activation"])
        self.assertEqual(self.onboarding.state, "in_progress")

    def test_tech_touch_handoff_needs_no_csm(self):
        self.customer.touch_model_id = self.tm_tech
        wizard = self.open_wizard()
        wizard.csm_id = self.env["res.users"]
        wizard.send_intro = False
        wizard.save().action_confirm()
        self.assertEqual(self.onboarding.state, "done")
        self.assertFalse(self.checkin_activities(self.customer))


@tagged("post_install", "-at_install")
class TestHandoffPdf(HttpCase):
    """wkhtmltopdf fetches the report assets from Odoo's HTTP server: only an
    HttpCase serves them from the test's own transaction."""

    def test_handoff_document_is_a_pdf(self):
        csm = new_test_user(
            self.env,
            login="pdf_csm",
            name="Carla Souza",
            groups="customer_success.customer_success_group_user",
        )
        customer = self.env["res.partner"].create(
            {"name": "Nuvem Alta Hospedagem", "is_company": True}
        )
        onboarding = self.env["cs.onboarding"].create(
            {
                "partner_id": customer.id,
                "stage_id": self.env.ref(
                    "customer_success.cs_onboarding_stage_handoff"
                ).id,
                "activation_date": date(2026, 5, 25),
            }
        )
        wizard = self.env["cs.handoff.wizard"].create(
            {"onboarding_id": onboarding.id, "csm_id": csm.id, "send_intro": False}
        )
        action = wizard.with_context(force_report_rendering=True).action_confirm()
        handoff = self.env["cs.handoff"].browse(action["res_id"])
        self.assertTrue(handoff.attachment_id.raw.startswith(b"%PDF"))
        self.assertEqual(handoff.attachment_id.mimetype, "application/pdf")
        self.assertFalse(handoff.intro_sent)
        self.assertEqual(onboarding.state, "done")
