# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import new_tour_user

STEPS = ("Call the sponsor", "Agree a recovery plan")


@tagged("post_install", "-at_install")
class TestCtaUi(HttpCase):
    """A success manager works a risk from the cockpit to the dashboard: the
    call to action a play opened for their customer, taken, its plan's
    activities done from the chatter, closed as saved.

    The company is a company of its own, so that the demo's calls to action
    do not move the dashboard's figure: before, no risk was closed this month
    ("-"); after, the one closed was saved (100%)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)
        company = env["res.company"].create({"name": "Chamados Cloud"})
        company._cs_setup_company()
        cls.csm = new_tour_user(
            env,
            "tour_cta_csm",
            "customer_success.customer_success_group_user",
            name="Carla Souza",
            company=company,
        )
        cls.other_csm = new_tour_user(
            env,
            "tour_cta_other",
            "customer_success.customer_success_group_user",
            name="Otávio Lima",
            company=company,
        )
        # both in one team: the other's call to action is one the success
        # manager may read, which only "My Calls to Action" leaves out
        team = env["cs.team"].create(
            {
                "name": "Chamados",
                "company_id": company.id,
                "leader_id": cls.other_csm.id,
                "member_ids": [Command.set((cls.csm | cls.other_csm).ids)],
            }
        )
        cls.customer, cls.other_customer = env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "company_id": company.id,
                    "csm_id": csm.id,
                    "cs_team_id": team.id,
                }
                for name, csm in (
                    ("Risco Hospedagem", cls.csm),
                    ("Outro Risco Ltda", cls.other_csm),
                )
            ]
        )
        todo = env.ref("mail.mail_activity_data_todo")
        plan = env["mail.activity.plan"].create(
            {
                "name": "Save the account",
                "res_model": "cs.cta",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": todo.id,
                            "summary": summary,
                            "delay_count": delay,
                            "delay_from": "after_plan_date",
                        }
                    )
                    for summary, delay in zip(STEPS, (1, 3), strict=True)
                ],
            }
        )
        cls.play = env["cs.play"].create(
            {
                "name": "Risk spotted in the tour",
                "cta_type": "risk",
                "priority": "2",
                "reason": "The sponsor went quiet",
                "activity_plan_id": plan.id,
            }
        )
        cls.cta = cls.play._run_on(cls.customer)
        cls.other_cta = cls.play._run_on(cls.other_customer)

    def test_csm_takes_a_risk_and_saves_it(self):
        # what the tour starts from: the play opened one call to action each,
        # with its plan's two steps for the owner
        self.assertEqual(len(self.cta), 1)
        self.assertEqual(self.cta.user_id, self.csm)
        self.assertEqual(self.other_cta.user_id, self.other_csm)
        self.assertEqual(self.cta.state, "open")
        self.assertEqual(sorted(self.cta.activity_ids.mapped("summary")), sorted(STEPS))
        self.assertEqual(self.cta.activity_ids.user_id, self.csm)
        # the other's is readable by the success manager (same team): the
        # tour checks the filter leaves it out, not the access rules
        self.assertEqual(
            self.env["cs.cta"].with_user(self.csm).search([]),
            self.cta | self.other_cta,
        )
        self.assertIsNone(self._saved_rate())

        self.start_tour("/odoo", "customer_success_cta_saved", login="tour_cta_csm")

        self.assertEqual(self.cta.state, "done")
        self.assertEqual(self.cta.outcome, "saved")
        self.assertTrue(self.cta.date_closed)
        self.assertFalse(self.cta.activity_ids)
        Activity = self.env["mail.activity"].with_context(active_test=False)
        done = Activity.search(
            [("res_model", "=", "cs.cta"), ("res_id", "=", self.cta.id)]
        )
        self.assertEqual(sorted(done.mapped("summary")), sorted(STEPS))
        self.assertFalse(any(done.mapped("active")))
        self.assertTrue(all(done.mapped("date_done")))
        done_messages = self.cta.message_ids.filtered(
            lambda message: (
                message.subtype_id == self.env.ref("mail.mt_activities")
                and message.mail_activity_type_id
                == self.env.ref("mail.mail_activity_data_todo")
            )
        )
        self.assertEqual(len(done_messages), 2)
        self.assertEqual(done_messages.author_id, self.csm.partner_id)
        # the other success manager's call to action was not touched
        self.assertEqual(self.other_cta.state, "open")
        self.assertEqual(len(self.other_cta.activity_ids), 2)
        self.assertEqual(self._saved_rate(), 100.0)

    def _saved_rate(self):
        """The "Risks Saved" figure of the success manager's dashboard."""
        data = self.env["cs.dashboard"].with_user(self.csm).get_data()
        cards = {card["key"]: card["value"] for card in data["cards"]}
        return cards["cta_saved_rate"]
