# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CustomerSuccessVoiceCommon

TODAY = date(2026, 3, 16)  # a Monday
DAY = timedelta(days=1)


class TestCtaCommon(CustomerSuccessVoiceCommon):
    """The shipped play "A subscription is paused", a risk play of the test's
    own, the customer (followed by Carla) on a running monthly subscription of
    300, and a customer of Otávio."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Cta = cls.env["cs.cta"]
        cls.play_paused = cls.env.ref("customer_success.cs_play_paused")
        cls.play_risk = cls.env["cs.play"].create(
            {
                "name": "Risk spotted",
                "cta_type": "risk",
                "priority": "2",
                "reason": "Something is wrong",
                "due_days": 3,
            }
        )
        cls.subscription = cls.subscribe()
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Cliente do Otávio",
                "is_company": True,
                "csm_id": cls.user_cs_other.id,
            }
        )

    def ctas(self, customer, play=None):
        return self.Cta.search(
            [
                ("partner_id", "=", customer.id),
                ("play_id", "=", (play or self.play_paused).id),
            ]
        )

    def open_cta(self, record=None, play=None, on=TODAY):
        with freeze_time(on):
            cta = (play or self.play_risk)._run_on(record or self.customer)
        self.env.flush_all()
        return cta

    def pause(self, subscription, on=TODAY):
        with freeze_time(on):
            subscription.action_pause()
        self.env.flush_all()


@tagged("post_install", "-at_install")
class TestCtaShippedPlay(TestCtaCommon):
    def test_pausing_opens_one_cta_with_its_plan(self):
        self.assertFalse(self.ctas(self.customer))
        self.pause(self.subscription)
        cta = self.ctas(self.customer)
        self.assertEqual(len(cta), 1)
        self.assertEqual(cta.state, "open")
        self.assertEqual(cta.cta_type, "lifecycle")
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertEqual(cta.date_due, TODAY + 7 * DAY)
        self.assertEqual(cta.subscription_id, self.subscription)
        self.assertEqual(
            cta.reason,
            f"Subscription paused: plan the comeback: {self.subscription.display_name}",
        )
        activities = cta.activity_ids.sorted("date_deadline")
        self.assertEqual(len(activities), 2)
        call, todo = activities
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.user_cs)
        self.assertEqual(call.date_deadline, TODAY + 2 * DAY)
        self.assertEqual(todo.user_id, self.user_cs)
        self.assertEqual(todo.date_deadline, TODAY + 21 * DAY)

        # resumed, then paused again: the open one is updated, not doubled
        with freeze_time(TODAY + 3 * DAY):
            self.subscription.action_resume()
        cta.priority = "3"
        self.pause(self.subscription, TODAY + 4 * DAY)
        self.assertEqual(self.ctas(self.customer), cta)
        self.assertEqual(cta.priority, "1", "the play's priority, again")
        self.assertEqual(len(cta.activity_ids), 2, "the plan is not launched twice")
        self.assertEqual(cta.date_due, TODAY + 7 * DAY)

    def test_retention_pause_opens_it_too(self):
        with freeze_time(TODAY):
            self.subscription._cs_retention_pause(1)
        self.env.flush_all()
        cta = self.ctas(self.customer)
        self.assertEqual(len(cta), 1)
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertEqual(len(cta.activity_ids), 2)

    def test_archived_play_opens_nothing_and_keeps_the_open_ones(self):
        self.pause(self.subscription)
        cta = self.ctas(self.customer)
        self.assertEqual(len(cta), 1)
        self.play_paused.active = False
        other_subscription = self.subscribe(self.other)
        self.pause(other_subscription)
        self.assertFalse(self.ctas(self.other))
        self.assertEqual(cta.state, "open")
        # back on: it opens again
        self.play_paused.active = True
        with freeze_time(TODAY):
            other_subscription.action_resume()
        self.pause(other_subscription)
        self.assertEqual(len(self.ctas(self.other)), 1)

    def test_play_with_calls_to_action_is_archived_not_deleted(self):
        cta = self.open_cta()
        with self.assertRaisesText(UserError, "archive them instead"):
            self.play_risk.unlink()
        self.assertEqual(cta.play_id, self.play_risk)
        unused = self.play_risk.copy({"name": "Never fired"})
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_play_switched_off_for_the_company_opens_nothing(self):
        self.play_paused.disabled_company_ids = self.company
        self.pause(self.subscription)
        self.assertFalse(self.ctas(self.customer))
        self.assertTrue(self.subscription.is_paused)


@tagged("post_install", "-at_install")
class TestCtaCompanyRule(TestCtaCommon):
    def test_rule_made_in_the_automation_rules_screen_opens_a_cta(self):
        play = self.env["cs.play"].create(
            {
                "name": "Health turned red",
                "cta_type": "risk",
                "priority": "3",
                "reason": "The health is red",
                "due_days": 2,
            }
        )
        with Form(self.env["base.automation"]) as rule_form:
            rule_form.name = "Red health: a risk to act on"
            rule_form.model_id = self.env.ref("base.model_res_partner")
            rule_form.trigger = "on_create_or_write"
            rule_form.filter_domain = "[('health_band', '=', 'red')]"
            with rule_form.action_server_ids.new() as action:
                action.state = "cs_cta"
                action.cs_play_id = play
        rule = rule_form.record
        self.assertEqual(rule.trigger_field_ids.name, "health_band")
        self.assertEqual(rule.action_server_ids.cs_play_id, play)
        self.assertEqual(
            rule.action_server_ids.name, "Open a call to action: Health turned red"
        )
        self.assertFalse(rule.action_server_ids.warning)

        with freeze_time(TODAY):
            self.customer.health_band = "yellow"
            self.env.flush_all()
            self.assertFalse(self.ctas(self.customer, play))
            self.customer.health_band = "red"
            self.env.flush_all()
        cta = self.ctas(self.customer, play)
        self.assertEqual(len(cta), 1)
        self.assertEqual(cta.cta_type, "risk")
        self.assertEqual(cta.priority, "3")
        self.assertEqual(cta.user_id, self.user_cs)
        self.assertEqual(cta.date_due, TODAY + 2 * DAY)
        # the play's reason, then what the customer's record says of it
        self.assertRegex(cta.reason, r"^The health is red\b")
        # red again later: still one
        with freeze_time(TODAY + DAY):
            self.customer.health_band = "yellow"
            self.customer.health_band = "red"
            self.env.flush_all()
        self.assertEqual(self.ctas(self.customer, play), cta)

    def test_action_without_a_play_warns(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "No play",
                "model_id": self.env.ref("base.model_res_partner").id,
                "state": "cs_cta",
            }
        )
        self.assertIn("Choose the play to run.", action.warning)


@tagged("post_install", "-at_install")
class TestCtaEdgeCases(TestCtaCommon):
    def test_nobody_follows_the_customer(self):
        orphan = self.env["res.partner"].create(
            {"name": "Ninguém Cuida", "is_company": True}
        )
        self.assertFalse(self.company.cs_default_team_id.leader_id)
        cta = self.open_cta(orphan)
        self.assertEqual(len(cta), 1)
        self.assertFalse(cta.user_id)
        self.assertEqual(cta.team_id, self.team_default)
        notes = "".join(cta.message_ids.mapped("body"))
        self.assertIn("Nobody follows Ninguém Cuida", notes)
        self.assertIn(f"opened for the team {self.team_default.name}", notes)
        # and through the shipped play's signal too
        self.pause(self.subscribe(orphan))
        self.assertEqual(len(self.ctas(orphan)), 1)
        self.assertFalse(self.ctas(orphan).user_id)
        # paused by a person: the plan's steps are theirs, never a system
        # user's nobody sees
        self.assertEqual(self.ctas(orphan).activity_ids.user_id, self.env.user)
        self.assertTrue(self.env.user.active)

    def test_step_for_an_archived_user_goes_to_the_owner(self):
        gone = new_test_user(
            self.env,
            login="cs_gone",
            name="Gustavo Saiu",
            groups="customer_success.customer_success_group_user",
        )
        plan = self.env["mail.activity.plan"].create(
            {
                "name": "Escalate",
                "res_model": "cs.cta",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_call"
                            ).id,
                            "summary": "Gustavo calls",
                            "responsible_type": "other",
                            "responsible_id": gone.id,
                        }
                    ),
                    Command.create(
                        {
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_todo"
                            ).id,
                            "summary": "Owner writes",
                            "responsible_type": "on_demand",
                        }
                    ),
                ],
            }
        )
        self.play_risk.activity_plan_id = plan
        self.assertFalse(self.play_risk.warning)
        # still active: the step is theirs
        cta = self.open_cta(self.other)
        self.assertEqual(
            cta.activity_ids.filtered(lambda a: a.summary == "Gustavo calls").user_id,
            gone,
        )
        gone.active = False
        self.assertIn("Gustavo calls", self.play_risk.warning)
        cta = self.open_cta(self.customer)
        self.assertEqual(len(cta.activity_ids), 2)
        self.assertEqual(cta.activity_ids.user_id, self.user_cs)

    def test_due_days_out_of_range_are_refused(self):
        for days in (400, 366, -1):
            with (
                self.subTest(days=days),
                self.assertRaisesText(ValidationError, "within 0 to 365 days"),
            ):
                self.play_risk.due_days = days
        self.assertEqual(self.play_risk.due_days, 3)
        self.play_risk.due_days = 365
        self.assertEqual(self.play_risk.due_days, 365)

    def test_overdue_search(self):
        late = self.open_cta(on=TODAY - 10 * DAY)
        fresh = self.open_cta(self.other, on=TODAY)
        undated = self.open_cta(self.other, self.play_risk.copy(), on=TODAY)
        undated.date_due = False
        closed_late = self.open_cta(play=self.play_risk.copy(), on=TODAY - 10 * DAY)
        closed_late.action_done()
        fresh |= undated | closed_late
        with freeze_time(TODAY):
            self.assertTrue(late.is_overdue)
            self.assertEqual(fresh.mapped("is_overdue"), [False] * 3)
            mine = [("id", "in", (late | fresh).ids)]
            self.assertEqual(self.Cta.search([*mine, ("is_overdue", "=", True)]), late)
            self.assertEqual(
                self.Cta.search([*mine, ("is_overdue", "=", False)]), fresh
            )
            self.assertEqual(
                self.Cta.search([*mine, ("is_overdue", "!=", True)]), fresh
            )
            self.assertEqual(
                self.Cta.search([*mine, ("is_overdue", "in", [False])]), fresh
            )
            # Odoo 19 refuses other operators on a boolean before the search
            # method sees them; the method refuses them too
            for operator, value in (("like", "x"), (">", 1)):
                with (
                    self.subTest(operator=operator),
                    self.assertRaisesText(ValueError, "Cannot compare 'is_overdue'"),
                ):
                    self.Cta.search([("is_overdue", operator, value)])
                with (
                    self.subTest(operator=operator),
                    self.assertRaisesText(UserError, "by yes or no"),
                ):
                    self.Cta._search_is_overdue(operator, value)

    def test_two_workers_open_one_cta(self):
        first = self.open_cta()
        original = type(self.Cta)._get_open
        calls = []

        def racing(model, play, customer):
            # the other worker had not committed yet when this one looked
            calls.append(customer)
            if len(calls) == 1:
                return model.browse()
            return original(model, play, customer)

        with patch.object(type(self.Cta), "_get_open", racing):
            second = self.open_cta(on=TODAY + DAY)
        self.assertEqual(len(calls), 2, "looked again after the unique index")
        self.assertEqual(second, first)
        self.assertEqual(len(self.ctas(self.customer, self.play_risk)), 1)
        self.assertEqual(first.state, "open")

    def test_reopen_beside_a_new_open_one_is_refused(self):
        first = self.open_cta()
        first.action_done()
        second = self.open_cta()
        self.assertNotEqual(first, second)
        with self.assertRaisesText(UserError, "already has an open call to action"):
            first.action_reopen()
        self.assertEqual(first.state, "done")


@tagged("post_install", "-at_install")
class TestCtaCustomerEmail(TestCtaCommon):
    """A play may e-mail the customer when its call to action opens: once,
    in the customer's language, to the customer only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate_lang("pt_BR")
        cls.template = cls.env["mail.template"].create(
            {
                "name": "We are on it",
                "model_id": cls.env["ir.model"]._get_id("cs.cta"),
                "subject": "We are looking into it, {{ object.partner_id.name }}",
                "body_html": "<p>Your success manager will call you.</p>",
                "lang": "{{ object.partner_id.lang }}",
            }
        )
        cls.template.with_context(lang="pt_BR").write(
            {
                "subject": "Estamos cuidando disso, {{ object.partner_id.name }}",
                "body_html": "<p>Sua gerente de sucesso vai ligar.</p>",
            }
        )
        cls.play_risk.mail_template_id = cls.template
        cls.customer.lang = "pt_BR"

    def customer_mails(self, customer=None):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", (customer or self.customer).ids)]
        )

    def test_opening_emails_the_customer_once_in_their_language(self):
        cta = self.open_cta()
        mail = self.customer_mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "Estamos cuidando disso, Nuvem Alta Hospedagem")
        self.assertIn("Sua gerente de sucesso vai ligar.", mail.body_html)
        self.assertEqual(mail.model, "cs.cta")
        self.assertEqual(mail.res_id, cta.id)
        self.assertNotIn(
            self.other, mail.recipient_ids, "no other customer in the e-mail"
        )
        # the signal again updates the open one: no second e-mail
        self.assertEqual(self.open_cta(), cta)
        self.assertEqual(len(self.customer_mails()), 1)

    def test_customer_without_email_gets_nothing_and_the_cta_opens(self):
        self.customer.email = False
        cta = self.open_cta()
        self.assertEqual(len(cta), 1)
        self.assertFalse(self.customer_mails())


@tagged("post_install", "-at_install")
class TestCtaLifecycle(TestCtaCommon):
    def test_snooze_and_wake_up(self):
        cta = self.open_cta()
        with freeze_time(TODAY):
            cta.action_snooze()
        self.assertEqual(cta.state, "snoozed")
        self.assertEqual(cta.snooze_until, TODAY + 7 * DAY)
        self.run_cron("cs.cta", "_cron_cs_cta", TODAY + 6 * DAY)
        self.assertEqual(cta.state, "snoozed")
        self.run_cron("cs.cta", "_cron_cs_cta", TODAY + 7 * DAY)
        self.assertEqual(cta.state, "open")
        self.assertFalse(cta.snooze_until)
        # the shipped cron runs this method
        cron = self.env.ref("customer_success.ir_cron_cs_cta")
        self.assertEqual(cron.model_id.model, "cs.cta")
        self.assertIn("_cron_cs_cta", cron.code)

    def test_signal_while_snoozed_keeps_it_snoozed(self):
        cta = self.open_cta()
        with freeze_time(TODAY):
            cta.action_snooze()
        self.assertEqual(self.open_cta(on=TODAY + DAY), cta)
        self.assertEqual(cta.state, "snoozed")

    def test_close_saved_in_time_and_late(self):
        self.assertEqual(self.customer.recurring_revenue, 300.0)
        cta = self.open_cta()
        self.env.cr.execute(
            "UPDATE cs_cta SET create_date = %s WHERE id = %s", (TODAY, cta.id)
        )
        cta.invalidate_recordset()
        with freeze_time(TODAY + 3 * DAY):
            cta.action_close_saved()
        self.assertEqual(cta.state, "done")
        self.assertEqual(cta.outcome, "saved")
        self.assertEqual(cta.outcome_mrr, 300.0)
        self.assertEqual(cta.date_closed, TODAY + 3 * DAY)
        self.assertEqual(cta.days_to_close, 3)
        self.assertEqual(cta.closed_in_time, 1)

        with freeze_time(TODAY + 5 * DAY):
            cta.action_reopen()
        self.assertEqual(cta.state, "open")
        self.assertFalse(cta.outcome)
        self.assertFalse(cta.date_closed)
        self.assertEqual(cta.closed_in_time, 0)
        with freeze_time(TODAY + 5 * DAY):
            cta.action_close_saved()
        self.assertEqual(cta.date_closed, TODAY + 5 * DAY)
        self.assertEqual(cta.closed_in_time, 0, "after its due date")
        # closing a closed one changes nothing
        with freeze_time(TODAY + 6 * DAY):
            cta.action_close_lost()
        self.assertEqual(cta.outcome, "saved")
        self.assertEqual(cta.date_closed, TODAY + 5 * DAY)

    def test_start_lost_won_cancel(self):
        cta = self.open_cta()
        cta.action_start()
        self.assertEqual(cta.state, "in_progress")
        with freeze_time(TODAY):
            cta.action_close_lost()
        self.assertEqual((cta.state, cta.outcome), ("done", "lost"))
        cta.action_reopen()
        with freeze_time(TODAY):
            cta.action_cancel()
        self.assertEqual(cta.state, "cancelled")
        self.assertFalse(cta.outcome)
        cta.action_reopen()
        with freeze_time(TODAY):
            cta.action_close_won()
        self.assertEqual((cta.state, cta.outcome), ("done", "won"))

    def test_churn_closes_the_open_ctas(self):
        second = self.subscribe(price=100.0)
        risk = self.open_cta()
        renewal_play = self.play_risk.copy(
            {"name": "Renewal", "cta_type": "renewal", "reason": "Renew"}
        )
        renewal = self.open_cta(play=renewal_play)
        done = self.open_cta(play=self.play_risk.copy({"name": "Old"}))
        with freeze_time(TODAY):
            done.action_done()
        other = self.open_cta(self.other)
        # one subscription left running: nothing closes
        with freeze_time(TODAY + DAY):
            second.close_subscription()
        self.env.flush_all()
        self.assertEqual((risk | renewal).mapped("state"), ["open", "open"])
        with freeze_time(TODAY + 2 * DAY):
            self.subscription.close_subscription()
        self.env.flush_all()
        self.assertEqual((risk.state, risk.outcome), ("done", "lost"))
        self.assertEqual((renewal.state, renewal.outcome), ("done", "churned"))
        self.assertEqual(risk.date_closed, TODAY + 2 * DAY)
        self.assertIn("the customer churned", "".join(risk.message_ids.mapped("body")))
        self.assertEqual(done.outcome, "done")
        self.assertEqual(other.state, "open")

    def test_billing_cta_done_when_its_invoice_is_paid(self):
        invoice = self.create_invoice(due=TODAY)
        unpaid = self.create_invoice(due=TODAY)
        billing = self.env["cs.play"].create(
            {"name": "Dunning", "cta_type": "billing", "reason": "Unpaid"}
        )
        cta = self.open_cta(invoice, billing)
        self.assertEqual(cta.invoice_id, invoice)
        self.assertEqual(cta.partner_id, self.customer)
        risk = self.open_cta(invoice)
        self.assertEqual(risk.invoice_id, invoice)
        self.pay(unpaid, TODAY + DAY, amount=50.0)
        self.assertEqual(cta.state, "open", "another invoice, partly paid")
        self.pay(invoice, TODAY + DAY)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual((cta.state, cta.outcome), ("done", "done"))
        self.assertEqual(cta.date_closed, TODAY + DAY)
        self.assertEqual(risk.state, "open", "not a billing call to action")


@tagged("post_install", "-at_install")
class TestCtaDashboard(TestCtaCommon):
    DAY_OF = date(2026, 5, 20)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the figures of the test's own calls to action, not the demo's
        cls.env["cs.cta"].search([]).unlink()

    def cta(self, customer, cta_type="risk", due=None, outcome=None, mrr=0.0, on=None):
        cta = self.Cta.create(
            {
                "partner_id": customer.id,
                "cta_type": cta_type,
                "user_id": customer.csm_id.id,
                "date_due": due or self.DAY_OF,
            }
        )
        if outcome:
            with freeze_time(on or self.DAY_OF):
                cta._close(outcome)
            cta.outcome_mrr = mrr
        return cta

    def cards(self, user):
        self.env.flush_all()
        with freeze_time(self.DAY_OF):
            data = (
                self.env["cs.dashboard"]
                .with_user(user)
                .with_company(self.company)
                .get_data()
            )
        return {card["key"]: card["value"] for card in data["cards"]}

    def test_cards(self):
        may = date(2026, 5, 4)
        self.cta(self.customer, due=date(2026, 5, 10))  # overdue
        self.cta(self.customer, outcome="saved", on=may)
        self.cta(self.customer, "expansion", outcome="won", mrr=120.0, on=may)
        self.cta(self.customer, outcome="lost", on=date(2026, 4, 28))  # April
        self.cta(self.other, due=date(2026, 5, 25))
        self.cta(self.other, outcome="lost", on=may)
        self.cta(self.other, "renewal", outcome="churned", on=may)
        self.cta(self.other, "expansion", outcome="won", mrr=80.0, on=may)
        snoozed = self.cta(self.other, due=date(2026, 5, 1))
        with freeze_time(self.DAY_OF):
            snoozed.action_snooze()
        cards = self.cards(self.user_cs_manager)
        self.assertEqual(cards["cta_open"], 3)
        self.assertEqual(cards["cta_overdue"], 2)
        self.assertEqual(cards["cta_saved_rate"], 33.3)
        self.assertEqual(cards["cta_won_mrr"], 200.0)
        # Carla: her portfolio only
        cards = self.cards(self.user_cs)
        self.assertEqual(cards["cta_open"], 1)
        self.assertEqual(cards["cta_overdue"], 1)
        self.assertEqual(cards["cta_saved_rate"], 100.0)
        self.assertEqual(cards["cta_won_mrr"], 120.0)
        # Otávio
        cards = self.cards(self.user_cs_other)
        self.assertEqual(cards["cta_open"], 2)
        self.assertEqual(cards["cta_saved_rate"], 0.0)
        self.assertEqual(cards["cta_won_mrr"], 80.0)

    def test_open_by_type(self):
        """The dashboard's open calls to action by type, with the overdue
        ones, each row opening its own list, for the user's portfolio."""
        self.cta(self.customer, due=date(2026, 5, 10))  # overdue
        self.cta(self.customer, "billing")
        self.cta(self.customer, "expansion", outcome="won", on=date(2026, 5, 4))
        self.cta(self.other, "renewal", due=date(2026, 5, 1))
        self.env.flush_all()
        with freeze_time(self.DAY_OF):
            rows = (
                self.env["cs.dashboard"]
                .with_user(self.user_cs_manager)
                .with_company(self.company)
                .get_data()["cta_types"]
            )
        self.assertEqual(
            [(row["type"], row["count"], row["overdue"]) for row in rows],
            [("risk", 1, 1), ("renewal", 1, 1), ("billing", 1, 0)],
            "in the order of the types, closed ones left out",
        )
        billing = rows[2]["action"]
        self.assertEqual(billing["name"], "Billing")
        listed = self.Cta.with_user(self.user_cs_manager).search(billing["domain"])
        self.assertEqual(listed.mapped("cta_type"), ["billing"])
        with freeze_time(self.DAY_OF):
            mine = (
                self.env["cs.dashboard"]
                .with_user(self.user_cs)
                .with_company(self.company)
                .get_data()["cta_types"]
            )
        self.assertEqual([row["type"] for row in mine], ["risk", "billing"])

    def test_cards_without_ctas(self):
        cards = self.cards(self.user_cs)
        self.assertEqual(cards["cta_open"], 0)
        self.assertEqual(cards["cta_overdue"], 0)
        self.assertIsNone(cards["cta_saved_rate"])
        self.assertEqual(cards["cta_won_mrr"], 0.0)


@tagged("post_install", "-at_install")
class TestCtaRoles(TestCtaCommon):
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_csm_works_on_their_portfolio_only(self):
        mine = self.open_cta()
        theirs = self.open_cta(self.other)
        Cta = self.Cta.with_user(self.user_cs)
        self.assertEqual(Cta.search([("id", "in", (mine | theirs).ids)]), mine)
        mine_as_csm = mine.with_user(self.user_cs)
        self.assertEqual(mine_as_csm.reason, "Something is wrong")
        mine_as_csm.action_start()
        mine_as_csm.reason_note = "Called, they are unhappy with support"
        with freeze_time(TODAY):
            mine_as_csm.action_close_saved()
        self.assertEqual(mine.outcome, "saved")
        self.assertEqual(mine.outcome_mrr, 300.0)
        created = Cta.create({"partner_id": self.customer.id, "cta_type": "expansion"})
        self.assertEqual(created.user_id, self.user_cs)
        theirs_as_csm = theirs.with_user(self.user_cs)
        with self.assertRaises(AccessError):
            theirs_as_csm.read(["reason"])
        with self.assertRaises(AccessError):
            theirs_as_csm.write({"reason_note": "Not mine"})
        with self.assertRaises(AccessError):
            mine_as_csm.unlink()

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_plays_are_the_managers(self):
        as_csm = self.play_risk.with_user(self.user_cs)
        self.assertEqual(as_csm.name, "Risk spotted")
        with self.assertRaises(AccessError):
            as_csm.write({"priority": "3"})
        with self.assertRaises(AccessError):
            self.env["cs.play"].with_user(self.user_cs).create(
                {"name": "Mine", "reason": "Mine"}
            )
        self.play_risk.with_user(self.user_cs_manager).write({"priority": "3"})
        self.assertEqual(self.play_risk.priority, "3")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_users_without_customer_success_rights_read_no_cta(self):
        cta = self.open_cta()
        with self.assertRaises(AccessError):
            self.Cta.with_user(self.user_internal).search([])
        with self.assertRaises(AccessError):
            cta.with_user(self.user_internal).read(["name"])
