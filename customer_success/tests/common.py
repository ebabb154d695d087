# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import BaseCommon


class CustomerSuccessCommon(BaseCommon):
    """Users of every kind and a small portfolio, built once per class.

    Other addons extending customer_success can inherit this class to get the
    same fixtures.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.user_cs = new_test_user(
            cls.env,
            login="cs_user",
            name="Carla Souza",
            groups="customer_success.customer_success_group_user",
        )
        cls.user_cs_other = new_test_user(
            cls.env,
            login="cs_user_other",
            name="Otávio Lima",
            groups="customer_success.customer_success_group_user",
        )
        cls.user_cs_manager = new_test_user(
            cls.env,
            login="cs_manager",
            name="Marina Costa",
            groups="customer_success.customer_success_group_manager",
        )
        cls.user_accountant = new_test_user(
            cls.env,
            login="cs_accountant",
            name="Antônio Reis",
            groups="account.group_account_invoice",
        )
        cls.user_internal = new_test_user(
            cls.env, login="cs_internal", name="Ivo Prado", groups="base.group_user"
        )
        cls.user_portal = new_test_user(
            cls.env, login="cs_portal", name="Paula Dias", groups="base.group_portal"
        )
        cls.team_ongoing = cls.env["cs.team"].create(
            {
                "name": "Ongoing",
                "leader_id": cls.user_cs_manager.id,
                "member_ids": [(4, cls.user_cs.id)],
            }
        )
        cls.team_default = cls.env["cs.team"].create({"name": "Everyone Else"})
        cls.company.cs_default_team_id = cls.team_default
        cls.customer = cls.env["res.partner"].create(
            {"name": "Nuvem Alta Hospedagem", "is_company": True}
        )

    @classmethod
    def _activate_lang(cls, code):
        """Activate ``code`` and load this addon's translations into it."""
        lang = cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(["customer_success"], [code])
        return lang

    def flush_tracking(self):
        """Write the pending tracking values, as the commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @contextmanager
    def assertRaisesText(self, exception, text):
        """Odoo's ``assertRaises`` (which rolls the failed operation back, as
        the request would be) and a check of the message for the user."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), text)


class CustomerSuccessBillingCommon(AccountTestInvoicingCommon):
    """A company with the standard dunning policy, a customer with a payer
    contact and a success manager, and helpers to invoice, pay and run the
    daily dunning on a given day.

    ``_commit_progress`` cannot commit inside a test: it sets a savepoint
    instead, so that :meth:`run_dunning` can roll a crashed run back to the
    last "commit", as a real crash would.
    """

    DUE = date(2026, 3, 10)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.object(
                type(cls.env["ir.cron"]), "_commit_progress", _commit_as_savepoint
            )
        )
        cls.company = cls.env.company
        cls.company.email = "cobranca@empresa.example.com"
        cls.user_csm = new_test_user(
            cls.env,
            login="billing_csm",
            name="Carla Souza",
            email="carla@empresa.example.com",
            groups="customer_success.customer_success_group_user",
        )
        cls.policy = cls._create_policy(cls.company)
        cls.company.cs_dunning_policy_id = cls.policy
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Nuvem Alta Hospedagem",
                "is_company": True,
                "email": "contato@nuvemalta.example.com",
                "csm_id": cls.user_csm.id,
            }
        )
        cls.payer = cls.env["res.partner"].create(
            {
                "name": "Financeiro Nuvem Alta",
                "type": "invoice",
                "parent_id": cls.customer.id,
                "email": "financeiro@nuvemalta.example.com",
            }
        )

    @classmethod
    def _create_policy(cls, company, name="Standard"):
        ref = cls.env.ref
        return cls.env["cs.dunning.policy"].create(
            {
                "name": name,
                "company_id": company.id,
                "payment_template_id": ref(
                    "customer_success.mail_template_payment_received"
                ).id,
                "step_ids": [
                    Command.create(
                        {
                            "name": name,
                            "offset_days": offset,
                            "mail_template_id": ref(
                                f"customer_success.mail_template_dunning_{xmlid}"
                            ).id,
                            "attach_invoice": offset <= 0,
                            "action": "both" if offset == 20 else "email",
                            "escalate_to_csm": offset == 20,
                        }
                    )
                    for offset, name, xmlid in (
                        (-5, "Friendly reminder", "reminder"),
                        (0, "Due today", "due"),
                        (3, "First overdue notice", "overdue_1"),
                        (10, "Second notice", "overdue_2"),
                        (20, "Final notice", "final"),
                    )
                ],
            }
        )

    @classmethod
    def create_invoice(cls, amount=199.0, due=None, partner=None, post=True, **values):
        due = due or cls.DUE
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or cls.customer).id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Plano mensal",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [],
                        }
                    )
                ],
                **values,
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def pay(self, invoice, on, amount=None):
        """Register a real payment on day ``on`` and let Odoo reconcile it."""
        with freeze_time(on):
            wizard = (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"payment_date": on, **({"amount": amount} if amount else {})})
            )
            return wizard._create_payments()

    def run_dunning(self, on, crash=None):
        """Run the daily dunning as the cron would on day ``on``.

        ``crash`` (a callable) is patched over ``_cs_run_step`` to inject a
        failure; the run is then rolled back to its last commit.
        """
        self.env.flush_all()
        self.env.cr.execute("SAVEPOINT cs_cron_commit")
        # as ir.cron runs it: as the superuser
        Move = self.env["account.move"].with_user(SUPERUSER_ID)
        with freeze_time(on):
            if not crash:
                Move._cron_cs_dunning()
                self.env.flush_all()
                return
            # Not assertRaises: Odoo's rolls back to its own savepoint, which
            # would undo the committed batches too.
            crashed = False
            with patch.object(type(self.env["account.move"]), "_cs_run_step", crash):
                try:
                    Move._cron_cs_dunning(batch_size=1)
                except CrashInjected:
                    crashed = True
            self.assertTrue(crashed, "the injected crash did not happen")
        self.env.cr.execute("ROLLBACK TO SAVEPOINT cs_cron_commit")
        self.env.invalidate_all()

    def mails_to(self, partner):
        """The e-mails waiting in Odoo's mail queue for ``partner``."""
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id"
        )

    def day(self, offset):
        return self.DUE + timedelta(days=offset)


class CrashInjected(Exception):
    """The failure the crash tests inject into a dunning run."""


def _commit_as_savepoint(self, processed=0, *, remaining=None, deactivate=False):
    self.env.flush_all()
    self.env.cr.execute("SAVEPOINT cs_cron_commit")
    return float("inf")


class CustomerSuccessOnboardingCommon(CustomerSuccessCommon):
    """Subscriptions that start onboardings, the shipped touch models and
    stages of the company, an onboarding team and an ongoing CSM."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.object(
                type(cls.env["ir.cron"]), "_commit_progress", _commit_as_savepoint
            )
        )
        ref = cls.env.ref
        cls.tm_tech = ref("customer_success.cs_touch_model_tech")
        cls.tm_low = ref("customer_success.cs_touch_model_low")
        cls.tm_mid = ref("customer_success.cs_touch_model_mid")
        cls.tm_high = ref("customer_success.cs_touch_model_high")
        cls.tm_exclusive = ref("customer_success.cs_touch_model_exclusive")
        cls.stages = cls.env["cs.onboarding"]._get_stages(cls.company)
        cls.stage = {
            key: ref(f"customer_success.cs_onboarding_stage_{key}")
            for key in (
                "scenario",
                "team",
                "stakeholders",
                "service",
                "success",
                "setup",
                "planning",
                "activation",
                "handoff",
            )
        }
        cls.user_onboarder = new_test_user(
            cls.env,
            login="cs_onboarder",
            name="Olívia Braga",
            email="olivia@empresa.example.com",
            groups="customer_success.customer_success_group_user",
        )
        cls.user_cs.email = "carla@empresa.example.com"
        cls.team_onboarding = cls.env["cs.team"].create(
            {
                "name": "Onboarding",
                "leader_id": cls.user_onboarder.id,
                "member_ids": [Command.link(cls.user_onboarder.id)],
            }
        )
        (cls.tm_tech | cls.tm_low | cls.tm_mid | cls.tm_high | cls.tm_exclusive).write(
            {"onboarding_team_id": cls.team_onboarding.id}
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Planos", "currency_id": cls.company.currency_id.id}
        )
        cls.monthly = cls.env["sale.subscription.template"].create(
            {"name": "Mensal", "recurring_rule_type": "months", "recurring_interval": 1}
        )
        cls.annual = cls.env["sale.subscription.template"].create(
            {"name": "Anual", "recurring_rule_type": "years", "recurring_interval": 1}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Hospedagem gerenciada",
                "type": "service",
                "subscribable": True,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer.write({"email": "contato@nuvemalta.example.com", "lang": "en_US"})

    @classmethod
    def create_subscription(cls, customer, price, template=None, company=None):
        return cls.env["sale.subscription"].create(
            {
                "partner_id": customer.id,
                "company_id": (company or cls.company).id,
                "template_id": (template or cls.monthly).id,
                "pricelist_id": cls.pricelist.id,
                "sale_subscription_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": price,
                            "product_uom_qty": 1,
                        }
                    )
                ],
            }
        )

    def start(self, subscription):
        subscription.action_start_subscription()
        self.env.flush_all()
        return subscription.cs_onboarding_ids

    def move(self, onboarding, key):
        onboarding.stage_id = self.stage[key]
        self.env.flush_all()

    def checkin_activities(self, customer):
        """Check-in activities of ``customer``, whoever may read them."""
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", customer.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "customer_success.mail_activity_type_cs_checkin"
                        ).id,
                    ),
                ]
            )
        )

    def run_checkin(self, on):
        """Run the daily check-in cron as ir.cron would, on day ``on``."""
        self.env.flush_all()
        with freeze_time(on):
            self.env["res.partner"].with_user(SUPERUSER_ID)._cron_cs_checkin()
            self.env.flush_all()
