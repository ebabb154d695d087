# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CustomerSuccessCommon

# model -> {login: (create, read, write, unlink)}
ACCESS_MATRIX = {
    "cs.team": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, True, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.dunning.policy": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, True, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.dunning.step": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, True, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.dunning.log": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, False, False),
        "cs_accountant": (True, True, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.dunning.pause.wizard": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, True),
        "cs_accountant": (True, True, True, True),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.touch.model": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, True, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.onboarding.stage": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, True, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.onboarding.stage.task": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, True, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.onboarding": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.onboarding.task": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, True),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.stakeholder": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, True),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.success.goal": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, True),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.handoff": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.handoff.wizard": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, True),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.milestone.type": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, True, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.milestone": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, True),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.usage.metric": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.webhook": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, False, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.webhook.delivery": {
        "cs_manager": (False, True, True, True),
        "cs_user": (False, False, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.portfolio.report": {
        "cs_manager": (False, True, False, False),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.nps.campaign": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.nps.response": {
        "cs_manager": (False, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.health.factor": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.mrr.movement": {
        "cs_manager": (False, True, False, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.health.snapshot": {
        "cs_manager": (False, True, False, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
}


@tagged("post_install", "-at_install")
class TestSecurity(CustomerSuccessCommon):
    def _users_by_login(self):
        return {
            user.login: user
            for user in (
                self.user_cs_manager,
                self.user_cs,
                self.user_accountant,
                self.user_internal,
                self.user_portal,
            )
        }

    def test_access_matrix(self):
        users = self._users_by_login()
        for model, rows in ACCESS_MATRIX.items():
            for login, expected in rows.items():
                with self.subTest(model=model, login=login):
                    records = self.env[model].with_user(users[login])
                    actual = tuple(
                        records.has_access(operation)
                        for operation in ("create", "read", "write", "unlink")
                    )
                    self.assertEqual(actual, expected)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_cs_user_cannot_create_team(self):
        with self.assertRaises(AccessError):
            self.env["cs.team"].with_user(self.user_cs).create({"name": "Rogue"})
        self.assertFalse(self.env["cs.team"].search([("name", "=", "Rogue")]))

    def test_manager_manages_teams(self):
        team = (
            self.env["cs.team"]
            .with_user(self.user_cs_manager)
            .create({"name": "Expansion", "member_ids": [(4, self.user_cs_other.id)]})
        )
        team.name = "Expansion & Renewals"
        self.assertEqual(team.member_ids, self.user_cs_other)
        team.unlink()
        self.assertFalse(team.exists())

    def test_accountant_reads_cs_fields_on_customer(self):
        self.customer.csm_id = self.user_cs
        customer = self.customer.with_user(self.user_accountant)
        values = customer.read(["csm_id", "cs_team_id"])[0]
        self.assertEqual(values["csm_id"][0], self.user_cs.id)
        self.assertEqual(values["cs_team_id"][0], self.team_ongoing.id)

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_team_of_other_company_is_invisible(self):
        other_company = self.env["res.company"].create({"name": "Outra Empresa"})
        foreign_team = self.env["cs.team"].create(
            {"name": "Outra Equipe", "company_id": other_company.id}
        )
        teams = self.env["cs.team"].with_user(self.user_cs_manager).search([])
        self.assertIn(self.team_ongoing, teams)
        self.assertNotIn(foreign_team, teams)
        with self.assertRaises(AccessError):
            foreign_team.with_user(self.user_cs_manager).read(["name"])

    def test_voice_of_the_customer_follows_the_portfolio(self):
        mine = self.customer
        mine.csm_id = self.user_cs
        other = self.env["res.partner"].create(
            {
                "name": "Outra Carteira",
                "is_company": True,
                "csm_id": self.user_cs_other.id,
            }
        )
        Response = self.env["cs.nps.response"]
        responses = Response.create(
            [{"partner_id": partner.id, "score": 3} for partner in (mine, other)]
        )
        snapshots = self.env["cs.health.snapshot"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "date": "2026-11-01",
                    "score": 30.0,
                    "band": "red",
                }
                for partner in (mine, other)
            ]
        )
        as_csm = self.env(user=self.user_cs)
        self.assertEqual(
            as_csm["cs.nps.response"].search([("id", "in", responses.ids)]).partner_id,
            mine,
        )
        self.assertEqual(
            as_csm["cs.health.snapshot"]
            .search([("id", "in", snapshots.ids)])
            .partner_id,
            mine,
        )
        as_manager = self.env(user=self.user_cs_manager)
        self.assertEqual(
            len(as_manager["cs.nps.response"].search([("id", "in", responses.ids)])), 2
        )

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_health_fields_stay_in_the_customer_success_team(self):
        self.customer.sudo().write(
            {
                "health_score": 25.0,
                "health_band": "red",
                "health_reasons": "NPS detractor (2)",
            }
        )
        self.assertEqual(
            self.customer.with_user(self.user_cs_manager).health_reasons,
            "NPS detractor (2)",
        )
        for user in (self.user_internal, self.user_accountant, self.user_portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).read(["health_reasons"])
