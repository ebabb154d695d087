# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import HttpCase, tagged

URL = "/customer_success/usage"
KNOWN = "NUVEM-ALTA"

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
# a row that can never be stored: its customer is unknown, whatever the rest
BAD_ROW = st.fixed_dictionaries(
    {
        "customer": st.text(min_size=0, max_size=40).filter(lambda ref: ref != KNOWN)
        | JSON.filter(lambda value: not isinstance(value, str)),
        "metric": st.text(max_size=80) | JSON,
        "value": JSON,
        "date": st.text(max_size=12) | JSON,
    }
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@tagged("post_install", "-at_install")
class TestUsageFeedFuzz(HttpCase):
    """Whatever arrives, a malformed post gets a 4xx with a JSON error and
    nothing is stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.action_cs_generate_usage_key()
        cls.key = cls.env.company.cs_usage_api_key
        cls.env["res.partner"].create(
            {"name": "Nuvem Alta", "is_company": True, "ref": KNOWN}
        )

    def post(self, body, key=None):
        response = self.url_open(
            URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {key or self.key}",
            },
        )
        return response

    def assertRefused(self, response):
        self.assertGreaterEqual(response.status_code, 400, response.text[:200])
        self.assertLess(response.status_code, 500, response.text[:200])
        self.assertIn("error", response.json())
        self.assertEqual(self.env["cs.usage.metric"].search_count([]), 0)

    @FUZZ
    @given(st.binary(max_size=300))
    def test_random_bytes(self, body):
        self.assertRefused(self.post(body))

    @FUZZ
    @given(JSON)
    def test_any_json_that_is_not_a_feed(self, payload):
        self.assertRefused(self.post(json.dumps(payload)))

    @FUZZ
    @given(st.lists(BAD_ROW, min_size=1, max_size=5), JSON)
    def test_rows_of_wrong_types_and_unicode(self, rows, date):
        self.assertRefused(self.post(json.dumps({"date": date, "metrics": rows})))

    @FUZZ
    @given(
        st.text(
            alphabet=st.characters(min_codepoint=33, max_codepoint=126),
            min_size=1,
            max_size=60,
        )
    )
    def test_wrong_keys(self, key):
        response = self.post(
            json.dumps(
                {"metrics": [{"customer": KNOWN, "metric": "logins", "value": 1}]}
            ),
            key=key if key.strip() != self.key else key + "x",
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.env["cs.usage.metric"].search_count([]), 0)

    def test_huge_payloads(self):
        rows = [{"customer": KNOWN, "metric": "logins", "value": 1}] * 5001
        response = self.post(json.dumps({"metrics": rows}))
        self.assertEqual(response.status_code, 413)
        self.assertRefused(self.post("[" * 100000))
        self.assertRefused(self.post(json.dumps({"metrics": "x" * 2_000_000})))
