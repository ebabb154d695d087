# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
from datetime import date, datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

URL = "/customer_success/usage"


@tagged("post_install", "-at_install")
class TestUsageFeed(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.action_cs_generate_usage_key()
        cls.key = cls.company.cs_usage_api_key
        cls.customer = cls.env["res.partner"].create(
            {"name": "Nuvem Alta", "is_company": True, "ref": "NUVEM-ALTA"}
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "Ipê Digital", "is_company": True, "ref": "IPE"}
        )
        cls.yesterday = (date.today() - timedelta(days=1)).isoformat()
        cls.Metric = cls.env["cs.usage.metric"]

    def post(self, payload, key=None):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        headers = {"Content-Type": "application/json"}
        if key is not False:
            headers["Authorization"] = f"Bearer {key or self.key}"
        response = self.url_open(URL, data=body, headers=headers)
        return response.status_code, response.json()

    def stored(self):
        return self.Metric.search(
            [("partner_id", "in", (self.customer | self.other).ids)], order="metric"
        )

    def test_post_stores_and_repost_replaces(self):
        payload = {
            "date": self.yesterday,
            "metrics": [
                {"customer": "NUVEM-ALTA", "metric": "active_users", "value": 12},
                {"customer": "NUVEM-ALTA", "metric": "logins", "value": 40},
                {"customer": "IPE", "metric": "event:report_exported", "value": 3},
            ],
        }
        self.assertEqual(self.post(payload), (200, {"stored": 3}))
        payload["metrics"][0]["value"] = 15
        self.assertEqual(self.post(payload), (200, {"stored": 3}))
        records = self.stored()
        self.assertEqual(len(records), 3, "a re-post replaces, it adds nothing")
        active = records.filtered(lambda record: record.metric == "active_users")
        self.assertEqual(active.value, 15)
        self.assertEqual(active.date.isoformat(), self.yesterday)
        self.assertEqual(active.source, "push")
        self.assertEqual(active.company_id, self.company)

    @mute_logger("odoo.http")
    def test_bad_key_is_refused(self):
        payload = {
            "date": self.yesterday,
            "metrics": [{"customer": "IPE", "metric": "logins", "value": 1}],
        }
        status, body = self.post(payload, key="not-the-key")
        self.assertEqual(status, 401)
        self.assertIn("error", body)
        status, _body = self.post(payload, key=False)
        self.assertEqual(status, 401)
        self.assertFalse(self.stored())

    def test_odoo_api_key_of_a_manager_works(self):
        manager = new_test_user(
            self.env,
            login="usage_manager",
            groups="customer_success.customer_success_group_manager",
        )
        api_key = (
            self.env["res.users.apikeys"]
            .with_user(manager)
            ._generate("rpc", "usage feed", datetime.now() + timedelta(days=30))
        )
        payload = {
            "date": self.yesterday,
            "metrics": [{"customer": "IPE", "metric": "logins", "value": 7}],
        }
        self.assertEqual(self.post(payload, key=api_key), (200, {"stored": 1}))
        user = new_test_user(self.env, login="usage_internal", groups="base.group_user")
        user_key = (
            self.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "x", datetime.now() + timedelta(days=30))
        )
        self.assertEqual(self.post(payload, key=user_key)[0], 401)

    def test_bad_rows_store_nothing(self):
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        for bad_row, expected in (
            ({"customer": "NOPE", "metric": "logins", "value": 1}, "unknown customer"),
            ({"customer": "IPE", "metric": "logins", "value": -1}, "value must be"),
            ({"customer": "IPE", "metric": "logins", "value": "12"}, "value must be"),
            ({"customer": "IPE", "metric": "Logins!", "value": 1}, "metric must be"),
            (
                {"customer": "IPE", "metric": "logins", "value": 1, "date": tomorrow},
                "date must be",
            ),
            (
                {
                    "customer": "IPE",
                    "metric": "logins",
                    "value": 1,
                    "date": "2026-13-01",
                },
                "date must be",
            ),
        ):
            with self.subTest(row=bad_row):
                payload = {
                    "date": self.yesterday,
                    "metrics": [
                        {"customer": "NUVEM-ALTA", "metric": "logins", "value": 5},
                        bad_row,
                    ],
                }
                status, body = self.post(payload)
                self.assertEqual(status, 400)
                self.assertEqual(body["details"][0]["row"], 1)
                self.assertIn(expected, body["details"][0]["error"])
                self.assertFalse(self.stored(), "one bad row stores nothing")

    def test_malformed_body_is_refused(self):
        for body in (b"not json", json.dumps([1, 2]), json.dumps({"metrics": "x"})):
            with self.subTest(body=body):
                status, answer = self.post(body)
                self.assertEqual(status, 400)
                self.assertIn("error", answer)
        self.assertFalse(self.stored())

    def test_get_is_not_allowed(self):
        response = self.url_open(URL)
        self.assertEqual(response.status_code, 405)
