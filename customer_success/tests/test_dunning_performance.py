# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo import SUPERUSER_ID
from odoo.tests import tagged

from .common import CustomerSuccessBillingCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestDunningPerformance(CustomerSuccessBillingCommon):
    def _count_queries(self, invoices):
        Move = self.env["account.move"].with_user(SUPERUSER_ID)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time(self.day(3)):
            Move._cron_cs_dunning()
            self.env.flush_all()
        self.assertEqual(
            set(invoices.mapped("cs_dunning_step_id.offset_days")), {3}, "all processed"
        )
        return self.env.cr.sql_log_count - before

    def test_run_queries_do_not_grow_with_invoices_of_a_payer(self):
        """One payer's invoices cost the same queries, 4 invoices or 12:
        nothing is read or written invoice by invoice."""
        few = self.env["account.move"].browse(
            [self.create_invoice(amount=10.0 + n).id for n in range(4)]
        )
        queries_few = self._count_queries(few)
        many = self.env["account.move"].browse(
            [
                self.create_invoice(amount=10.0 + n, due=self.day(-1)).id
                for n in range(12)
            ]
        )
        queries_many = self._count_queries(many)
        _logger.info(
            "dunning run: %s queries for 4 invoices, %s for 12",
            queries_few,
            queries_many,
        )
        self.assertLessEqual(
            queries_many, queries_few, f"{queries_few} -> {queries_many} queries"
        )

    def _customers(self, count, start=0):
        customers = self.env["res.partner"].create(
            [
                {"name": f"Cliente {n}", "is_company": True, "email": f"c{n}@x.example"}
                for n in range(start, start + count)
            ]
        )
        return self.env["account.move"].browse(
            [self.create_invoice(partner=customer).id for customer in customers]
        )

    def test_run_queries_do_not_grow_with_payers(self):
        """Each payer's e-mail is rendered and queued with the others of its
        step: a payer more costs one query, Odoo's look-up of the invoice's
        earlier messages to thread the e-mail."""
        self._count_queries(self._customers(1, start=100))  # warm the caches
        queries_few = self._count_queries(self._customers(3))
        queries_many = self._count_queries(self._customers(9, start=3))
        _logger.info(
            "dunning run: %s queries for 3 payers, %s for 9",
            queries_few,
            queries_many,
        )
        self.assertLessEqual(
            queries_many - queries_few, 6, f"{queries_few} -> {queries_many}"
        )

    def test_template_compiled_once_per_step_and_language(self):
        """Odoo compiles a mail template again for each record; a dunning
        run compiles each step's template once per language."""
        self.env["res.lang"]._activate_lang("pt_BR")
        invoices = self._customers(6)
        invoices[:2].partner_id.lang = "pt_BR"
        IrQweb = type(self.env["ir.qweb"])
        compiled = []
        real = IrQweb._generate_code_uncached

        def count(qweb, template):
            if isinstance(template, etree._Element):
                compiled.append(template)
            return real(qweb, template)

        with patch.object(IrQweb, "_generate_code_uncached", count):
            self._count_queries(invoices)
        self.assertEqual(len(compiled), 2, "English and Portuguese")
        for invoice in invoices:
            self.assertEqual(len(self.mails_to(invoice.partner_id)), 1)

    def test_template_failing_for_one_payer_fails_only_that_one(self):
        """A template that breaks on one invoice sends the batch one by one:
        that payer's step is logged as failed, with an activity; the others
        are queued."""
        customers = self.env["res.partner"].create(
            [
                {"name": f"Cliente {n}", "is_company": True, "email": f"c{n}@x.example"}
                for n in range(3)
            ]
        )
        invoices = self.env["account.move"].browse(
            [
                self.create_invoice(partner=customer, amount=amount).id
                for customer, amount in zip(
                    customers, (199.0, 199.5, 199.0), strict=True
                )
            ]
        )
        step = self.policy.step_ids.filtered(lambda step: step.offset_days == 3)
        step.mail_template_id = step.mail_template_id.copy(
            {
                "body_html": (
                    '<p>Hello <t t-out="object.partner_id.name"/>: '
                    '<t t-out="1 / (object.amount_total - 199.5)"/></p>'
                )
            }
        )
        self._count_queries(invoices)
        logs = [invoice.cs_dunning_log_ids for invoice in invoices]
        self.assertEqual([log.state for log in logs], ["queued", "failed", "queued"])
        self.assertIn("could not be prepared", logs[1].blocked_reason)
        self.assertTrue(logs[1].activity_id)
        self.assertFalse(logs[0].activity_id)
        for invoice in invoices[::2]:
            self.assertEqual(len(self.mails_to(invoice.partner_id)), 1)
        self.assertFalse(self.mails_to(invoices[1].partner_id))
