# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

# the demo company's CNPJ (valid check digits), also its Pix key
DEMO_CNPJ = "45723174000110"
# (name, e-mail, plan, monthly price, payer's e-mail or None)
DEMO_CUSTOMERS = (
    (
        "Jabuticaba Software Ltda",
        "contato@jabuticaba.example.com",
        "monthly",
        189.9,
        None,
    ),
    (
        "Caju Commerce Ltda",
        "contato@cajucommerce.example.com",
        "quarterly",
        449.0,
        "financeiro@cajucommerce.example.com",
    ),
    ("Tucano Analytics", "ola@tucano.example.com", "semiannual", 1290.0, None),
    (
        "Araucária Educação",
        "ti@araucaria.example.com",
        "annual",
        9800.0,
        "contas@araucaria.example.com",
    ),
    ("Bem-te-vi Logística", "contato@bemtevi.example.com", "monthly", 349.0, None),
    ("Carnaúba Saúde", "ti@carnauba.example.com", "monthly", 2150.0, None),
)
# (customer index, days until the due date): one invoice at each step of
# the default policy (-5, 0, +3, +10, +20) and one not due yet
DEMO_INVOICES = ((0, 4), (1, 0), (2, -4), (3, -12), (4, -22), (5, 25))
# (customer index, days since the due date, days paid late): earlier
# invoices paid late, with their fine and interest
DEMO_LATE_INVOICES = ((0, 40, 12), (1, 70, 6), (5, 35, 9))
DEMO_PLANS = {
    "monthly": ("Mensal", "months", 1),
    "quarterly": ("Trimestral", "months", 3),
    "semiannual": ("Semestral", "months", 6),
    "annual": ("Anual", "years", 1),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _cs_load_br_demo(self):
        """The Brazilian demo company, as its users live it: BRL, Brazil's
        chart of accounts, a CNPJ and a bank account with a Pix key, customers
        on monthly to annual plans, an invoice at every dunning step and the
        day's reminders sent; the administrator works in it, in pt_BR.

        Run again (a second install), it finds the company by its CNPJ and
        only brings the administrator back to it: uninstalling the addon
        leaves the company, as Odoo leaves a loaded chart of accounts."""
        # the language of the company's customers and of its administrator,
        # set first: the activities the day's dunning gives the
        # administrator are written in the language they read
        self.env["res.lang"]._activate_lang("pt_BR")
        admin = self.env.ref("base.user_admin")
        admin.lang = "pt_BR"
        company = self.search([("vat", "=", DEMO_CNPJ)], limit=1)
        if not company:
            company = self._cs_create_br_demo_company()
        admin.write(
            {"company_ids": [Command.link(company.id)], "company_id": company.id}
        )
        return company

    @api.model
    def _cs_create_br_demo_company(self):
        company = self.create(
            {
                "name": "Mandacaru Cloud Hospedagem Ltda",
                "street": "Avenida Paulista, 1578",
                "city": "São Paulo",
                "state_id": self.env.ref("base.state_br_sp").id,
                "zip": "01310-200",
                "country_id": self.env.ref("base.br").id,
                "vat": DEMO_CNPJ,
                "currency_id": self.env.ref("base.BRL").id,
                "email": "cobranca@mandacaru.example.com",
                "phone": "+55 11 3090-1578",
                "website": "https://mandacaru.example.com",
            }
        )
        # the administrator works in it (the waiver of the demo is theirs)
        self.env.ref("base.user_admin").write(
            {"company_ids": [Command.link(company.id)]}
        )
        self.env["account.chart.template"].try_loading(
            "br", company, install_demo=False
        )
        company = company.with_company(company)
        bank = self.env["res.partner.bank"].create(
            {
                "acc_number": "0001 12345-6",
                "partner_id": company.partner_id.id,
                "bank_id": self.env["res.bank"]
                .create({"name": "Banco Demo S.A.", "bic": "DEMOBRSP"})
                .id,
                "proxy_type": "br_cpf_cnpj",
                "proxy_value": DEMO_CNPJ,
                "include_reference": True,
            }
        )
        journal = company.bank_journal_ids[:1]
        if journal and not journal.bank_account_id:
            journal.bank_account_id = bank
        policy = self.env.ref("customer_success.cs_dunning_policy_default").copy(
            {"company_id": company.id, "user_id": self.env.ref("base.user_admin").id}
        )
        company.cs_dunning_policy_id = policy
        subscriptions = self._cs_create_br_demo_subscriptions(company)
        invoices = self._cs_create_br_demo_invoices(company, subscriptions, policy)
        # the day's dunning of these invoices, as the demo of customer_success
        # runs it: reminders and notices with their Pix code
        invoices._cs_run_dunning(fields.Date.context_today(self))
        self._cs_run_br_demo_billing_plays(invoices)
        self._cs_create_br_demo_late_charges(company, subscriptions, policy)
        return company

    @api.model
    def _cs_run_br_demo_billing_plays(self, invoices):
        """The billing plays of the day's dunning of ``invoices``, as their
        automation rules run them (they start once the install is over; run
        again, they update the calls to action the rules opened)."""
        ref = self.env.ref
        final = ref("customer_success.cs_play_dunning_final", False)
        if final:
            final._run_on(invoices.filtered("cs_dunning_step_id.is_final"))
        unreached = ref("customer_success.cs_play_billing_unreached", False)
        if unreached:
            unreached._run_on(
                invoices.cs_dunning_log_ids.filtered(
                    lambda log: log.state in ("blocked", "bounced")
                )
            )
            unreached._run_on(invoices.filtered("cs_receipt_check_date"))

    @api.model
    def _cs_create_br_demo_subscriptions(self, company):
        """One subscription per demo customer, started months ago."""
        today = fields.Date.context_today(self)
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Planos Mandacaru",
                "currency_id": company.currency_id.id,
                "company_id": company.id,
            }
        )
        product = self.env["product.product"].create(
            {
                "name": "Hospedagem gerenciada",
                "type": "service",
                "subscribable": True,
                "company_id": company.id,
                "taxes_id": [Command.clear()],
            }
        )
        templates = {
            plan: self.env["sale.subscription.template"].create(
                {
                    "name": name,
                    "recurring_rule_type": rule,
                    "recurring_interval": interval,
                }
            )
            for plan, (name, rule, interval) in DEMO_PLANS.items()
        }
        subscriptions = self.env["sale.subscription"]
        for index, (name, email, plan, price, payer) in enumerate(DEMO_CUSTOMERS):
            customer = self.env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "email": email,
                    "lang": "pt_BR",
                    "company_id": company.id,
                    "country_id": company.country_id.id,
                    "city": "São Paulo",
                    "child_ids": [
                        Command.create(
                            {
                                "name": f"Financeiro {name}",
                                "type": "invoice",
                                "email": payer,
                            }
                        )
                    ]
                    if payer
                    else [],
                }
            )
            _label, rule, interval = DEMO_PLANS[plan]
            months = interval * (12 if rule == "years" else 1)
            subscription = self.env["sale.subscription"].create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "template_id": templates[plan].id,
                    "pricelist_id": pricelist.id,
                    "sale_subscription_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": round(price * months, 2),
                                "product_uom_qty": 1,
                            }
                        )
                    ],
                }
            )
            subscription.action_start_subscription()
            # started a period (plus a few weeks) ago; the next invoice falls
            # due as the demo invoice below does
            subscription.write(
                {
                    "date_start": today - relativedelta(months=months, days=20 + index),
                    "recurring_next_date": today + timedelta(days=10 + index),
                }
            )
            subscriptions |= subscription
        return subscriptions

    @api.model
    def _cs_create_br_demo_late_charges(self, company, subscriptions, policy):
        """Earlier invoices paid late, under a policy that charges fine and
        interest on the next invoice: one charge still due, one on the next
        invoice (drafted by subscription_oca, as its plans do), one waived by
        the administrator. Paid through the payment form, on their days."""
        today = fields.Date.context_today(self)
        product = self.env["product.product"].create(
            {
                "name": "Multa e juros por atraso",
                "type": "service",
                "company_id": company.id,
                "taxes_id": [Command.clear()],
            }
        )
        policy.write(
            {"charge_mode": "next_invoice", "late_charge_product_id": product.id}
        )
        invoices = self.env["account.move"]
        for index, days, days_late in DEMO_LATE_INVOICES:
            subscription = subscriptions[index]
            # due on a business day: one due on a closed day is late from the
            # next business day on, and its days late would depend on the day
            # the demo is loaded
            due = company._cs_previous_business_day(today - timedelta(days=days))
            plan = DEMO_PLANS[DEMO_CUSTOMERS[index][2]][0]
            invoice = (
                self.env["account.move"]
                .with_company(company)
                .create(
                    self._cs_prepare_br_demo_invoice(company, subscription, due, plan)
                )
            )
            invoice.action_post()
            paid_on = due + timedelta(days=days_late)
            self.env["account.payment.register"].with_company(company).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"payment_date": paid_on})._create_payments()
            invoices |= invoice
        # the next invoice of the first customer carries its charge
        subscriptions[DEMO_LATE_INVOICES[0][0]].with_company(company).generate_invoice()
        # the administrator waives the last one: a first delay, forgiven
        admin = self.env.ref("base.user_admin")
        invoices[-1].with_user(admin).with_company(company)._cs_waive_late_charges(
            "Primeiro atraso do cliente: multa e juros dispensados"
        )
        return invoices

    @api.model
    def _cs_prepare_br_demo_invoice(self, company, subscription, due, plan):
        """The values of a demo invoice of ``subscription`` due on ``due``,
        issued 15 days before, one line per subscription line."""
        return {
            "move_type": "out_invoice",
            "company_id": company.id,
            "partner_id": subscription.partner_id.id,
            "subscription_id": subscription.id,
            "invoice_date": due - timedelta(days=15),
            "invoice_date_due": due,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": f"Plano {plan.lower()} de hospedagem",
                        "quantity": 1,
                        "price_unit": line.price_unit,
                        "tax_ids": [Command.clear()],
                    }
                )
                for line in subscription.sale_subscription_line_ids
            ],
        }

    @api.model
    def _cs_get_br_demo_due_date(self, policy, days, today):
        """The due date of the demo invoice meant to be ``days`` from its due
        date today (negative: overdue) so that its step is due today or was
        due on the last business day: steps move off closed days (an overdue
        step to the next business day), and on a Sunday or a holiday the
        nominal date would leave the step for tomorrow and the demo without
        it."""
        due = today + timedelta(days=days)
        reached = policy.step_ids.filtered(lambda step: step.offset_days <= -days)
        step = reached.sorted("offset_days")[-1:]
        if not step or step.offset_days < 0:
            # a step before the due date moves to the business day before it
            return due
        for _attempt in range(10):
            if step._get_date(due) <= today:
                break
            due -= timedelta(days=1)
        return due

    @api.model
    def _cs_create_br_demo_invoices(self, company, subscriptions, policy):
        """A posted invoice at each dunning step, one per customer."""
        today = fields.Date.context_today(self)
        values = []
        for index, days in DEMO_INVOICES:
            subscription = subscriptions[index]
            due = self._cs_get_br_demo_due_date(policy, days, today)
            plan = DEMO_PLANS[DEMO_CUSTOMERS[index][2]][0]
            values.append(
                self._cs_prepare_br_demo_invoice(company, subscription, due, plan)
            )
        invoices = self.env["account.move"].with_company(company).create(values)
        invoices.action_post()
        return invoices
