# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
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
    "cs.late.charge": {
        "cs_manager": (False, True, True, False),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.late.charge.waive.wizard": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, False, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.holiday.wizard": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, False, False, False),
        "cs_accountant": (False, False, False, False),
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
    "cs.dunning.send.wizard": {
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
    "cs.health.validation": {
        "cs_manager": (False, True, False, False),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.health.validation.report": {
        "cs_manager": (True, True, True, False),
        "cs_user": (True, True, True, False),
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
    "cs.retention.request": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, True, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.retention.offer": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.retention.offer.wizard": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, True),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.sentiment": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.touch.model.weight": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, True, False, False),
        "cs_internal": (False, True, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.health.factor.report": {
        "cs_manager": (False, True, False, False),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
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
    "cs.cta": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.play": {
        "cs_manager": (True, True, True, True),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.play.report": {
        "cs_manager": (False, True, False, False),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.renewal.outcome": {
        "cs_manager": (False, True, False, False),
        "cs_user": (False, True, False, False),
        "cs_accountant": (False, False, False, False),
        "cs_internal": (False, False, False, False),
        "cs_portal": (False, False, False, False),
    },
    "cs.renewal.forecast.wizard": {
        "cs_manager": (True, True, True, True),
        "cs_user": (True, True, True, True),
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

    def test_access_matrix_covers_every_model(self):
        """A model missing from the matrix would have its rights untested."""
        ours = self.env["ir.model.data"].search(
            [("module", "=", "customer_success"), ("model", "=", "ir.model")]
        )
        names = self.env["ir.model"].browse(ours.mapped("res_id")).mapped("model")
        # the addon's own models; the others are Odoo's, extended
        concrete = {
            name
            for name in names
            if name.startswith("cs.") and not self.env[name]._abstract
        }
        self.assertIn("cs.team", concrete)
        self.assertEqual(concrete - set(ACCESS_MATRIX), set())

    def test_public_user_has_no_access_at_all(self):
        public = self.env.ref("base.public_user")
        for model in ACCESS_MATRIX:
            with self.subTest(model=model):
                records = self.env[model].with_user(public)
                self.assertFalse(
                    any(
                        records.has_access(operation)
                        for operation in ("create", "read", "write", "unlink")
                    )
                )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_other_company_sees_nothing_of_ours(self):
        """A customer success manager of company B sees no record of A."""
        company_a = self.company
        company_b = self.env["res.company"].create({"name": "Empresa B"})
        manager_b = new_test_user(
            self.env,
            login="cs_manager_b",
            groups="customer_success.customer_success_group_manager",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        customer = self.env["res.partner"].create(
            {"name": "Cliente A", "is_company": True, "company_id": company_a.id}
        )
        survey = self.env.ref("customer_success.survey_cs_nps")
        records = {
            "res.partner": customer,
            "cs.nps.campaign": self.env["cs.nps.campaign"].create(
                {
                    "name": "A",
                    "kind": "periodic",
                    "delay_days": 30,
                    "survey_id": survey.id,
                }
            ),
            # sudo: responses come from answered surveys, created by the system
            "cs.nps.response": self.env["cs.nps.response"]
            .sudo()
            .create({"partner_id": customer.id, "score": 2, "comment": "Segredo de A"}),
            # sudo: snapshots are written by the health cron, as the system
            "cs.health.snapshot": self.env["cs.health.snapshot"]
            .sudo()
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company_a.id,
                    "date": "2026-11-01",
                    "score": 20.0,
                }
            ),
            "cs.mrr.movement": self.env["cs.mrr.movement"]._write_month(
                company_a, date(2026, 11, 1), {customer: (500.0, 0.0)}
            ),
            "cs.usage.metric": self.env["cs.usage.metric"].create(
                {
                    "partner_id": customer.id,
                    "date": "2026-11-01",
                    "metric": "logins",
                    "value": 3,
                }
            ),
            "cs.milestone": self.env["cs.milestone"].create(
                {
                    "name": "Marco de A",
                    "partner_id": customer.id,
                    "type_id": self.env.ref(
                        "customer_success.cs_milestone_type_custom"
                    ).id,
                }
            ),
            "cs.webhook": self.env["cs.webhook"].create(
                {"name": "A", "event": "detractor", "url": "https://a.example.com"}
            ),
            "cs.health.factor": self.env["cs.health.factor"].search(
                [("company_id", "=", company_a.id)]
            ),
            "cs.touch.model": self.env["cs.touch.model"].search(
                [("company_id", "=", company_a.id)]
            ),
            "cs.touch.model.weight": self.env["cs.touch.model.weight"].create(
                {
                    "touch_model_id": self.env.ref(
                        "customer_success.cs_touch_model_tech"
                    ).id,
                    "factor_id": self.env.ref(
                        "customer_success.cs_health_factor_usage"
                    ).id,
                    "weight": 60,
                }
            ),
            "cs.sentiment": self.env["cs.sentiment"].create(
                {"partner_id": customer.id, "value": "at_risk", "note": "Segredo de A"}
            ),
            "cs.team": self.team_ongoing,
        }
        for model, recordset in records.items():
            with self.subTest(model=model):
                self.assertTrue(recordset)
                self.assertFalse(
                    self.env[model]
                    .with_user(manager_b)
                    .search([("id", "in", recordset.ids)])
                )
                with self.assertRaises(AccessError):
                    recordset.with_user(manager_b).read(["display_name"])

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
        # sudo: responses come from answered surveys, created by the system
        Response = self.env["cs.nps.response"].sudo()
        responses = Response.create(
            [{"partner_id": partner.id, "score": 3} for partner in (mine, other)]
        )
        # sudo: snapshots are written by the health cron, as the system
        snapshots = (
            self.env["cs.health.snapshot"]
            .sudo()
            .create(
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
                "health_reason_data": [{"code": "nps_detractor", "score": 2}],
            }
        )
        self.assertEqual(
            self.customer.with_user(self.user_cs_manager).health_reasons,
            "NPS detractor (2)",
        )
        for user in (self.user_internal, self.user_accountant, self.user_portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).read(["health_reasons"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).read(["health_reason_data"])
