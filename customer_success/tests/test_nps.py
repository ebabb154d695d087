# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrashInjected, CustomerSuccessVoiceCommon


@tagged("post_install", "-at_install")
class TestNpsCampaigns(CustomerSuccessVoiceCommon):
    def day(self, offset):
        return self.START + timedelta(days=offset)

    def test_introductory_goes_out_after_its_days_once(self):
        self.campaign("introductory", 14)
        self.subscribe()
        self.run_nps(self.day(13))
        self.assertFalse(self.invitations())
        self.run_nps(self.day(14))
        self.run_nps(self.day(14))
        self.run_nps(self.day(15))
        invitation = self.invitations()
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.cs_subscription_id.partner_id, self.customer)
        self.assertEqual(invitation.cs_invited_on, self.day(14))
        self.assertEqual(invitation.state, "new")
        mail = self.mails_to(self.customer)
        self.assertEqual(len(mail), 1, "one invitation e-mail, in the mail queue")
        self.assertIn(invitation.access_token, mail.body_html)
        self.assertIn(f"/survey/start/{self.survey.access_token}", mail.body_html)

    def test_window_holds_back_every_other_campaign(self):
        self.campaign("introductory", 14)
        periodic = self.campaign("periodic", 30)
        self.subscribe()
        self.run_nps(self.day(14))
        self.assertEqual(len(self.invitations()), 1)
        self.assertEqual(self.invitations().cs_campaign_id.kind, "introductory")
        # periodic is due every day from now, but the contact was surveyed on
        # day 14: nothing until the 90-day window is over
        for offset in (15, 44, 60, 103):
            self.run_nps(self.day(offset))
        self.assertEqual(len(self.invitations()), 1)
        self.run_nps(self.day(104))
        self.run_nps(self.day(105))
        self.assertEqual(len(self.invitations()), 2)
        self.assertEqual(self.invitations()[-1].cs_campaign_id, periodic)

    def test_window_setting_is_per_company(self):
        self.company.cs_nps_window_days = 20
        self.campaign("periodic", 30)
        self.subscribe()
        self.run_nps(self.day(29))
        self.assertFalse(self.invitations(), "the first one period after the start")
        self.run_nps(self.day(30))
        self.run_nps(self.day(55))
        self.assertEqual(len(self.invitations()), 1, "periodic cadence: 30 days")
        self.run_nps(self.day(60))
        self.assertEqual(len(self.invitations()), 2)

    def test_stakeholders_are_surveyed_not_the_payer(self):
        champion, payer_contact = self.env["res.partner"].create(
            [
                {
                    "name": "Ana Champion",
                    "parent_id": self.customer.id,
                    "email": "ana@nuvemalta.example.com",
                },
                {
                    "name": "Bia Financeiro",
                    "parent_id": self.customer.id,
                    "email": "bia@nuvemalta.example.com",
                },
            ]
        )
        self.env["cs.stakeholder"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "contact_id": champion.id,
                    "role": "champion",
                },
                {
                    "partner_id": self.customer.id,
                    "contact_id": payer_contact.id,
                    "role": "payer",
                },
            ]
        )
        self.campaign("introductory", 14)
        self.subscribe()
        self.run_nps(self.day(14))
        self.assertEqual(len(self.invitations(champion)), 1)
        self.assertEqual(self.invitations(champion).cs_customer_id, self.customer)
        self.assertFalse(self.invitations(payer_contact))
        self.assertFalse(self.invitations(self.customer))

    def test_no_survey_in_overdue_dunning_unless_allowed(self):
        self.campaign("introductory", 14)
        self.subscribe()
        self.create_invoice(due=self.day(0))
        self.run_dunning(self.day(10))
        self.customer.invalidate_recordset()
        self.assertTrue(self.customer.cs_dunning_step_id.is_overdue)
        self.run_nps(self.day(14))
        self.assertFalse(self.invitations())
        lenient = self.campaign("periodic", 10, allow_overdue=True)
        self.run_nps(self.day(15))
        self.assertEqual(self.invitations().cs_campaign_id, lenient)

    def test_exit_survey_on_close_and_exit_reason_on_subscription(self):
        self.campaign("exit", 0)
        subscription = self.subscribe()
        reason = self.env["sale.subscription.close.reason"].create({"name": "Preço"})
        with freeze_time(self.day(40)):
            subscription.close_subscription(reason.id)
        self.assertEqual(subscription.cs_close_date, self.day(40))
        self.run_nps(self.day(40))
        invitation = self.invitations()
        self.assertEqual(invitation.cs_campaign_id.kind, "exit")
        self.assertEqual(invitation.cs_subscription_id, subscription)
        leaving = self.env.ref("customer_success.survey_cs_nps_exit_q_leaving")
        competitor = self.env.ref("customer_success.survey_cs_nps_exit_q_competitor")
        choice = self.env.ref("customer_success.survey_cs_nps_exit_a_competitor")
        response = self.answer(
            invitation,
            4,
            "Suporte lento",
            on=self.day(41),
            extra={leaving: (choice.id,), competitor: ("Nuvem Rival",)},
        )
        self.assertEqual(response.kind, "exit")
        self.assertEqual(subscription.cs_exit_reason, "We chose another provider")
        self.assertEqual(subscription.cs_exit_competitor, "Nuvem Rival")
        self.assertEqual(subscription.cs_exit_response_id, response)
        self.run_nps(self.day(42))
        self.assertEqual(len(self.invitations()), 1)

    def test_crash_mid_run_then_rerun_invites_each_contact_once(self):
        campaign = self.campaign("introductory", 14)
        customers = self.customer | self.env["res.partner"].create(
            [
                {
                    "name": f"Cliente {n}",
                    "is_company": True,
                    "email": f"c{n}@example.com",
                }
                for n in range(3)
            ]
        )
        for customer in customers:
            self.subscribe(customer)
        invite = type(campaign)._invite
        calls = []

        def crash_on_third_batch(self, today, batch):
            calls.append(batch)
            if len(calls) == 3:
                # the first two batches were committed
                raise CrashInjected()
            return invite(self, today, batch)

        self.run_nps(self.day(14), crash=crash_on_third_batch, batch_size=1)
        Input = self.env["survey.user_input"]
        self.assertEqual(Input.search_count([("cs_campaign_id", "=", campaign.id)]), 2)
        self.run_nps(self.day(14), batch_size=1)
        self.run_nps(self.day(15), batch_size=1)
        invitations = Input.search([("cs_campaign_id", "=", campaign.id)])
        self.assertEqual(invitations.partner_id, customers, "every contact, once")
        self.assertEqual(len(invitations), 4)
        for customer in customers:
            self.assertEqual(len(self.mails_to(customer)), 1)

    def test_campaign_needs_an_nps_survey(self):
        other = self.env["survey.survey"].create(
            {
                "title": "Satisfaction",
                "user_id": self.env.ref("base.user_admin").id,
                "question_and_page_ids": [
                    Command.create({"title": "Comments?", "question_type": "text_box"})
                ],
            }
        )
        with self.assertRaisesText(ValidationError, "no NPS score question"):
            self.campaign("periodic", 30, survey_id=other.id)
        with self.assertRaisesText(ValidationError, "at least one day"):
            self.campaign("periodic", 0)
        with self.assertRaisesText(ValidationError, "scale from 0 to 10"):
            self.q_score.scale_max = 5
        self.assertEqual(self.q_score.scale_max, 10)


@tagged("post_install", "-at_install")
class TestNpsResponses(CustomerSuccessVoiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.periodic = cls.campaign("periodic", 30)
        cls.play_detractor = cls.env.ref("customer_success.cs_play_nps_detractor")
        cls.detractor_type = cls.env.ref(
            "customer_success.mail_activity_type_cs_detractor"
        )
        cls.play_passive = cls.env.ref(
            "customer_success.cs_play_passive_after_promoter"
        )

    def detractor_ctas(self, customer=None):
        """The calls to action of the play *Detractor answer* of ``customer``
        (of any customer when none is given)."""
        domain = [("play_id", "=", self.play_detractor.id)]
        if customer:
            domain.append(("partner_id", "=", customer.id))
        return self.env["cs.cta"].search(domain)

    def invite(self, customer=None, on=None):
        customer = customer or self.customer
        return self.periodic._invite(on or self.START, customer)

    def test_categories_and_customer_last_score(self):
        self.subscribe()
        first = self.answer(self.invite(), 6, "Lento demais")
        self.assertEqual(first.category, "detractor")
        self.assertEqual(first.nps_value, -100)
        self.assertEqual(first.partner_id, self.customer)
        self.assertEqual(first.csm_id, self.user_cs)
        self.assertEqual(first.comment, "Lento demais")
        self.assertEqual(self.customer.nps_last_score, 6)
        self.assertEqual(self.customer.nps_last_category, "detractor")
        self.assertFalse(self.customer.nps_trend)
        self.company.cs_nps_window_days = 0
        second = self.answer(self.invite(on=self.START + timedelta(days=40)), 9)
        self.assertEqual(second.category, "promoter")
        self.assertEqual(self.customer.nps_last_score, 9)
        self.assertEqual(self.customer.nps_trend, "up")
        self.assertEqual(self.customer.nps_response_count, 2)
        for score, category in ((7, "passive"), (8, "passive"), (10, "promoter")):
            self.assertEqual(self.env["cs.nps.response"]._category_of(score), category)

    def test_score_outside_zero_to_ten_is_refused(self):
        for score in (11, -1):
            with self.assertRaisesText(ValidationError, "from 0 to 10"):
                # sudo: responses come from answered surveys, created by the system
                self.env["cs.nps.response"].sudo().create(
                    {"score": score, "partner_id": self.customer.id}
                )
        self.assertFalse(
            self.env["cs.nps.response"].search([("partner_id", "=", self.customer.id)])
        )

    def test_answer_without_partner_is_kept_out_of_customer_nps(self):
        anonymous = self.survey._create_answer(email="alguem@example.com")
        response = self.answer(anonymous, 2, "Sem contato")
        self.assertTrue(response, "the answer is stored")
        self.assertFalse(response.partner_id)
        self.assertEqual(response.nps_value, -100)
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.nps_response_count, 0)
        self.assertFalse(self.detractor_ctas(), "no customer to follow up")
        self.assertFalse(
            self.env["mail.activity"].search(
                [("activity_type_id", "=", self.detractor_type.id)]
            )
        )

    def test_answer_finished_twice_makes_one_response(self):
        self.subscribe()
        invitation = self.invite()
        response = self.answer(invitation, 8)
        invitation.sudo()._mark_done()
        invitation.sudo()._cs_create_nps_responses()
        self.assertEqual(
            self.env["cs.nps.response"].search_count(
                [("user_input_id", "=", invitation.id)]
            ),
            1,
        )
        self.assertEqual(response.score, 8)

    def test_detractor_opens_one_call_to_action_within_two_days(self):
        self.subscribe()
        day = self.START + timedelta(days=3)
        self.answer(self.invite(), 3, "O painel cai toda semana", on=day)
        cta = self.detractor_ctas(self.customer)
        self.assertEqual(len(cta), 1)
        self.assertEqual(
            (cta.state, cta.cta_type, cta.priority, cta.user_id),
            ("open", "risk", "2", self.user_cs),
        )
        self.assertEqual(cta.date_due, day + timedelta(days=2))
        self.assertEqual(
            cta.reason,
            f"Detractor answer: 3 from {self.customer.name}: O painel cai toda semana",
        )
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.detractor_type)
        self.assertEqual(activity.user_id, self.user_cs)
        self.assertEqual(activity.date_deadline, day + timedelta(days=2))
        self.assertEqual(activity.summary, "Call back a detractor")
        self.assertIn("O painel cai toda semana", activity.note)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.customer.id),
                    ("activity_type_id", "=", self.detractor_type.id),
                ]
            ),
            "the follow-up is on the call to action, not on the customer",
        )
        # another detractor answer while it is open: the same one, updated
        self.company.cs_nps_window_days = 0
        later = day + timedelta(days=40)
        self.answer(self.invite(on=later), 1, "Pior ainda", on=later)
        self.assertEqual(self.detractor_ctas(self.customer), cta)
        self.assertEqual(cta.reason_note, f"1 from {self.customer.name}: Pior ainda")
        self.assertEqual(len(cta.activity_ids), 1)
        # closed, a passive answer opens nothing
        cta.action_close_saved()
        self.nps(8, on=later + timedelta(days=1))
        self.assertEqual(self.detractor_ctas(self.customer), cta)

    def passive_ctas(self):
        return self.env["cs.cta"].search(
            [
                ("play_id", "=", self.play_passive.id),
                ("partner_id", "=", self.customer.id),
            ]
        )

    def test_passive_after_a_promoter_opens_one_call_to_action(self):
        """A promoter who answers 7 or 8 the next time: one call to action,
        with the answer, for the success manager; another fall from promoter
        to passive while it is open updates it."""
        self.subscribe()
        self.company.cs_nps_window_days = 0
        first = self.answer(self.invite(), 9, on=self.START)
        self.assertFalse(first.previous_category)
        day = self.START + timedelta(days=40)
        response = self.answer(self.invite(on=day), 8, "Ficou mais lento", on=day)
        self.assertEqual(
            (response.category, response.previous_category), ("passive", "promoter")
        )
        cta = self.passive_ctas()
        self.assertEqual(len(cta), 1)
        self.assertEqual(
            (cta.state, cta.cta_type, cta.priority, cta.user_id),
            ("open", "risk", "0", self.user_cs),
        )
        self.assertEqual(cta.date_due, day + timedelta(days=7))
        self.assertEqual(
            cta.reason,
            f"Passive answer after a promoter: 8 from {self.customer.name}: "
            "Ficou mais lento",
        )
        activity = cta.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(activity.user_id, self.user_cs)
        self.assertEqual(activity.date_deadline, day + timedelta(days=7))
        self.assertEqual(
            activity.summary, "Call: what changed since they recommended us"
        )
        self.assertIn("Ficou mais lento", activity.note)
        # promoter again, then passive again while it is open: the same one
        for offset, score in ((80, 10), (120, 7)):
            later = self.START + timedelta(days=offset)
            self.answer(self.invite(on=later), score, on=later)
        self.assertEqual(self.passive_ctas(), cta)
        self.assertEqual(cta.reason_note, f"7 from {self.customer.name}")
        self.assertEqual(len(cta.activity_ids), 1)

    def test_passive_after_a_passive_or_a_detractor_opens_nothing(self):
        self.subscribe()
        self.company.cs_nps_window_days = 0
        previous = []
        for offset, score in ((0, 8), (40, 7), (80, 3), (120, 8)):
            day = self.START + timedelta(days=offset)
            previous.append(
                self.answer(self.invite(on=day), score, on=day).previous_category
            )
        self.assertEqual(previous, [False, "passive", "passive", "detractor"])
        self.assertFalse(self.passive_ctas())

    def test_previous_category_is_the_contacts_else_the_customers(self):
        """Two contacts of one customer: each answer follows the contact's
        own last answer; a contact's first follows the customer's last."""
        maria, joao = self.env["res.partner"].create(
            [
                {"name": name, "parent_id": self.customer.id}
                for name in ("Maria", "João")
            ]
        )
        Response = self.env["cs.nps.response"].sudo()

        def respond(contact, score, offset):
            return Response.create(
                {
                    "partner_id": self.customer.id,
                    "contact_id": contact.id,
                    "score": score,
                    "date": self.START + timedelta(days=offset),
                }
            )

        respond(maria, 10, 0)
        respond(joao, 3, 1)
        self.assertEqual(respond(maria, 8, 2).previous_category, "promoter")
        self.assertEqual(respond(joao, 8, 3).previous_category, "detractor")
        other = self.env["res.partner"].create(
            {"name": "Ana", "parent_id": self.customer.id}
        )
        self.assertEqual(respond(other, 9, 4).previous_category, "passive")
        self.assertEqual(len(self.passive_ctas()), 1, "Maria's 8 after her 10")

    def test_detractor_without_success_manager_goes_to_the_campaign(self):
        """No success manager, no team leader: the campaign's responsible
        follows the detractor up, as before the play."""
        self.customer.write({"csm_id": False, "cs_team_id": False})
        self.periodic.user_id = self.user_cs_other
        self.subscribe()
        self.answer(self.invite(), 1)
        cta = self.detractor_ctas(self.customer)
        self.assertEqual(len(cta), 1)
        self.assertEqual(cta.user_id, self.user_cs_other)
        self.assertEqual(cta.activity_ids.user_id, self.user_cs_other)
        self.assertEqual(cta.reason_note, f"1 from {self.customer.name}")

    def test_promoter_gets_the_referral_request(self):
        self.periodic.referral_template_id = self.env.ref(
            "customer_success.mail_template_cs_nps_referral"
        )
        self.subscribe()
        invitation = self.invite()
        before = self.mails_to(self.customer)
        response = self.answer(invitation, 10, "Excelente")
        referral = self.mails_to(self.customer) - before
        self.assertEqual(len(referral), 1)
        self.assertIn("Would you tell others about us", referral.subject)
        self.assertTrue(response.referral_sent)
        self.assertFalse(
            self.periodic._invite(self.START, self.customer),
            "window: no second invitation the same day",
        )

    def test_nps_per_touch_model_csm_and_campaign_by_grouped_queries(self):
        # 3 promoters, 1 passive, 2 detractors: (3 - 2) / 6 = +16.7
        # sudo: responses come from answered surveys, created by the system
        Response = self.env["cs.nps.response"].sudo()
        other_csm = self.user_cs.copy({"login": "csm2"})
        Response.create(
            [
                {
                    "score": score,
                    "partner_id": self.customer.id,
                    "campaign_id": self.periodic.id,
                    "csm_id": (other_csm if score < 7 else self.user_cs).id,
                }
                for score in (10, 9, 9, 8, 3, 0)
            ]
        )
        ((nps,),) = Response._read_group(
            [("campaign_id", "=", self.periodic.id)], aggregates=["nps_value:avg"]
        )
        self.assertAlmostEqual(nps, 100 / 6, places=2)
        self.assertAlmostEqual(self.periodic.nps, 100 / 6, places=2)
        by_csm = dict(
            Response._read_group(
                [("campaign_id", "=", self.periodic.id)],
                groupby=["csm_id"],
                aggregates=["nps_value:avg"],
            )
        )
        self.assertAlmostEqual(by_csm[self.user_cs], 75.0)  # 3 promoters, 1 passive
        self.assertAlmostEqual(by_csm[other_csm], -100.0)
