# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from lxml import html
from stdnum.br import cnpj

from odoo.tests import TransactionCase, freeze_time, tagged

from .common import PIX_CODE, crc16_ccitt, decode_emv


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    """The Brazilian demo company, loaded as the demo data loads it (the
    tests' database has no demo data)."""

    def test_demo_company_and_admin_lands_on_it(self):
        company = self.env["res.company"]._cs_load_br_demo()
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.company_id, company)
        self.assertIn(company, admin.company_ids)
        self.assertEqual(admin.lang, "pt_BR")
        self.assertEqual(company.currency_id, self.env.ref("base.BRL"))
        self.assertEqual(company.chart_template, "br")
        self.assertEqual(company.country_id.code, "BR")
        self.assertTrue(cnpj.is_valid(company.vat))
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "=", "not_paid"),
                ("state", "=", "posted"),
            ]
        )
        self.assertEqual(len(invoices), 6)
        self.assertEqual(
            set(invoices.subscription_id.template_id.mapped("name")),
            {"Mensal", "Trimestral", "Semestral", "Anual"},
        )
        # the day's reminders went out, each with its Pix code
        logs = invoices.cs_dunning_log_ids
        self.assertEqual(len(logs), 5, "one step for each invoice but the future one")
        self.assertEqual(set(logs.mapped("state")), {"queued"})
        mails = self.env["mail.mail"].search(
            [("mail_message_id", "in", logs.message_id.ids)]
        )
        self.assertEqual(len(mails), 5)
        for mail in mails:
            text = html.fromstring(mail.body_html).text_content()
            code = PIX_CODE.search(text).group()
            self.assertEqual(int(code[-4:], 16), crc16_ccitt(code[:-4].encode()))
            self.assertEqual(decode_emv(code)["26"]["01"], company.vat)
        # earlier invoices paid late: a charge due, one on the next invoice
        # (subscription_oca's draft), one waived by the administrator
        charges = self.env["cs.late.charge"].search([("company_id", "=", company.id)])
        self.assertEqual(sorted(charges.mapped("state")), ["charged", "due", "waived"])
        for charge in charges:
            residual = charge.move_id.amount_total
            self.assertEqual(charge.currency_id, company.currency_id)
            self.assertAlmostEqual(charge.fee, round(residual * 0.02, 2))
            self.assertAlmostEqual(
                charge.interest, round(residual * 0.01 / 30 * charge.days_late, 2)
            )
            self.assertGreaterEqual(charge.days_late, 6)
        charged = charges.filtered(lambda charge: charge.state == "charged")
        line = charged.charge_line_ids
        self.assertEqual(line.move_id.state, "draft")
        self.assertEqual(line.move_id.subscription_id, charged.move_id.subscription_id)
        self.assertEqual(line.product_id.name, "Multa e juros por atraso")
        self.assertAlmostEqual(line.price_unit, charged.amount)
        waived = charges.filtered(lambda charge: charge.state == "waived")
        self.assertEqual(waived.waived_by_id, admin)
        self.assertTrue(waived.move_id.cs_late_charge_waived)
        # a second install finds the company again
        self.assertEqual(self.env["res.company"]._cs_load_br_demo(), company)
        self.assertEqual(
            self.env["res.company"].search_count([("vat", "=", company.vat)]), 1
        )

    @freeze_time("2026-12-06 12:00:00")
    def test_every_step_is_reached_on_a_sunday(self):
        # steps move off closed days: an invoice due 22 days ago on a Sunday
        # would leave its final notice for Monday. The demo dates its
        # invoices so that each one has reached its step on any day.
        # (pt_BR with the addons' terms, as an install with demo data has it)
        self.env["res.lang"]._activate_lang("pt_BR")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_success", "customer_success_l10n_br"], ["pt_BR"], overwrite=True
        )
        company = self.env["res.company"]._cs_load_br_demo()
        policy = company.cs_dunning_policy_id
        invoices = self.env["account.move"].search(
            [("company_id", "=", company.id), ("cs_dunning_log_ids", "!=", False)]
        )
        steps = invoices.cs_dunning_log_ids.step_id
        self.assertEqual(steps, policy.step_ids, "one invoice at every step")
        # the earlier invoices paid late count their days late exactly
        charges = self.env["cs.late.charge"].search([("company_id", "=", company.id)])
        self.assertEqual(sorted(charges.mapped("days_late")), [6, 9, 12])
        # the final notice's call (the play *Dunning reached its final
        # step*), for its owner, in pt_BR
        final = self.env["cs.cta"].search(
            [
                ("company_id", "=", company.id),
                (
                    "play_id",
                    "=",
                    self.env.ref("customer_success.cs_play_dunning_final").id,
                ),
            ]
        )
        self.assertEqual(len(final), 1)
        summaries = final.activity_ids.mapped("summary")
        self.assertEqual(summaries, ["Ligar para o cliente sobre o último aviso"])
