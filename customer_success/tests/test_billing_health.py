# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerSuccessBillingCommon


@tagged("post_install", "-at_install")
class TestBillingHealth(CustomerSuccessBillingCommon):
    def test_billing_health_figures(self):
        on_time = self.create_invoice(amount=100.0, due=self.day(-40))
        late = self.create_invoice(amount=100.0, due=self.day(-30))
        later = self.create_invoice(amount=100.0, due=self.day(-20))
        open_overdue = self.create_invoice(amount=300.0, due=self.day(-5))
        self.create_invoice(amount=50.0, due=self.day(15))
        self.pay(on_time, self.day(-41))
        self.pay(late, self.day(-26))  # 4 days late
        self.pay(later, self.day(-12))  # 8 days late
        self.run_dunning(self.day(0))
        customer = self.customer
        self.assertEqual(customer.cs_invoice_count, 5)
        self.assertEqual(customer.cs_late_paid_count, 2)
        self.assertEqual(customer.cs_avg_days_late, 6.0)
        self.assertEqual(customer.cs_amount_overdue, 300.0)
        self.assertEqual(customer.cs_last_payment_date, self.day(-12))
        self.assertEqual(customer.cs_dunning_step_id.offset_days, 3)
        self.assertEqual(open_overdue.cs_dunning_step_id.offset_days, 3)

    def test_overdue_filters_of_the_accounting_team(self):
        buckets = {
            name: self.create_invoice(due=self.day(-days))
            for name, days in (
                ("cs_overdue_1_15", 5),
                ("cs_overdue_16_30", 20),
                ("cs_overdue_31_60", 45),
                ("cs_overdue_60", 90),
            )
        }
        not_due = self.create_invoice(due=self.day(2))
        arch = etree.fromstring(
            self.env["account.move"].get_views([(False, "search")])["views"]["search"][
                "arch"
            ]
        )
        eval_context = {
            "context_today": lambda: self.DUE,
            "relativedelta": relativedelta,
        }
        ours = self.env["account.move"].browse(
            [invoice.id for invoice in buckets.values()] + [not_due.id]
        )
        for name, invoice in buckets.items():
            with self.subTest(filter=name):
                [node] = arch.xpath(f"//filter[@name='{name}']")
                domain = safe_eval(node.get("domain"), eval_context)
                self.assertEqual(ours.filtered_domain(domain), invoice)
        self.assertTrue(arch.xpath("//filter[@name='group_cs_dunning_step']"))
        self.assertTrue(arch.xpath("//filter[@name='group_cs_payer']"))
        [pre_due] = arch.xpath("//filter[@name='cs_pre_due_sent']")
        self.assertFalse(ours.filtered_domain(safe_eval(pre_due.get("domain"))))
        self.run_dunning(self.day(0))  # not_due gets its reminder, the rest notices
        self.assertEqual(
            ours.filtered_domain(safe_eval(pre_due.get("domain"))), not_due
        )
