# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from freezegun import freeze_time

from odoo.modules.module import get_manifest
from odoo.tests import tagged
from odoo.tools import convert_file

from .common import CustomerSuccessVoiceCommon


@tagged("post_install", "-at_install")
class TestHealthDemo(CustomerSuccessVoiceCommon):
    def test_demo_scores_every_customer_the_cron_rates(self):
        """The demo's last file scores today every customer with a running
        subscription or onboarding, whichever demo file created it."""
        demo = get_manifest("customer_success")["demo"]
        self.assertEqual(demo[-1], "demo/cs_health_demo.xml", "after every customer")
        Partner = self.env["res.partner"]
        subscribed, onboarding, idle = Partner.create(
            [
                {"name": "Assinante", "is_company": True},
                {"name": "Em Implantação", "is_company": True},
                {"name": "Sem Assinatura", "is_company": True},
            ]
        )
        contact = Partner.create({"name": "Rita", "parent_id": subscribed.id})
        self.subscribe(self.customer)
        self.subscribe(subscribed)
        self.env["cs.onboarding"].create(
            {"partner_id": onboarding.id, "company_id": self.company.id}
        )
        self.env.flush_all()
        today = self.START + timedelta(days=40)
        with freeze_time(today):
            # as the install loads the demo data: as the superuser
            convert_file(
                self.env(su=True),
                "customer_success",
                "demo/cs_health_demo.xml",
                {},
                mode="init",
            )
        self.env.invalidate_all()
        rated = Partner.search(Partner._cs_get_health_scope_domain())
        self.assertEqual(rated, self.customer | subscribed | onboarding)
        for customer in rated:
            with self.subTest(customer=customer.name):
                self.assertEqual(customer.health_date, today)
                self.assertEqual(customer.health_snapshot_ids.date, today)
        self.assertFalse((idle | contact).health_snapshot_ids)
        self.assertEqual(idle.health_status, "none")
