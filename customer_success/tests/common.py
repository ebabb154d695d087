# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import hmac
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, fields
from odoo.tests import new_test_user
from odoo.tests.common import _super_send

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.tests.common import BaseCommon


class CustomerSuccessLangMixin:
    """Languages for the tests of both fixture families."""

    @classmethod
    def _activate_lang(cls, code):
        """Activate ``code`` and load this addon's translations into it (the
        shipped ones, over what an earlier test class loaded)."""
        lang = cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["customer_success"], [code], overwrite=True
        )
        return lang


class CustomerSuccessCommon(CustomerSuccessLangMixin, BaseCommon):
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


class CustomerSuccessBillingCommon(
    CustomerSuccessLangMixin, AccountTestInvoicingCommon
):
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

    def run_dunning(self, on, crash=None, batch_size=1):
        """Run the daily dunning as the cron would on day ``on``.

        ``crash`` (a callable) is patched over ``_cs_run_step`` to inject a
        failure in batches of ``batch_size`` invoices; the run is then rolled
        back to its last commit.
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
                    Move._cron_cs_dunning(batch_size=batch_size)
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


class WebhookReceiver(BaseHTTPRequestHandler):
    """A real HTTP endpoint on 127.0.0.1: /ok answers 200, /fail 500,
    /gone 410, /slow answers after 1.5 s. What it receives is kept in
    ``server.received`` as (path, headers, body)."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, dict(self.headers), body))
        if self.path == "/slow":
            time.sleep(1.5)
        status = {"/ok": 200, "/fail": 500, "/gone": 410, "/slow": 200}[self.path]
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


class WebhookReceiverMixin:
    """Start a :class:`WebhookReceiver` for the test class, and let requests
    to it keep their real timeout."""

    @classmethod
    def start_receiver(cls):
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), WebhookReceiver)
        cls.server.received = []
        cls.server.daemon_threads = True
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def _request_handler(cls, session, request, /, **kwargs):
        # Odoo's tests raise every timeout to 10 s; the receiver is local and
        # the slow-target test needs the endpoint's real timeout. A host of
        # the reserved .invalid domain never resolves: only its DNS look-up
        # leaves the machine.
        hostname = urlsplit(request.url).hostname or ""
        if hostname == "127.0.0.1" or hostname.endswith(".invalid"):
            return _super_send(session, request, **kwargs)
        return super()._request_handler(session, request, **kwargs)

    def deliver(self):
        """Run the webhook delivery cron as ir.cron would."""
        self.env.flush_all()
        self.env["cs.webhook.delivery"].with_user(SUPERUSER_ID)._cron_cs_deliver()
        self.env.flush_all()

    def assertSigned(self, webhook, headers, body):
        expected = hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
        self.assertEqual(headers["X-CS-Signature"], f"sha256={expected}")


class CustomerSuccessVoiceCommon(WebhookReceiverMixin, CustomerSuccessBillingCommon):
    assertRaisesText = CustomerSuccessCommon.assertRaisesText

    """Invoices, subscriptions, NPS campaigns of the test's own (the shipped
    ones are archived) and helpers to answer surveys and run the NPS and
    health crons on a given day."""

    START = date(2026, 1, 5)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What these tests exercise runs as the system (crons, public survey
        # pages) or as a manager; rights have their own tests.
        cls.env = cls.env(su=True)
        for name in ("company", "customer", "payer", "policy", "user_csm"):
            setattr(cls, name, getattr(cls, name).with_env(cls.env))
        ref = cls.env.ref
        cls.company._cs_setup_company()
        cls.env["cs.nps.campaign"].search([]).active = False
        cls.survey = ref("customer_success.survey_cs_nps")
        cls.exit_survey = ref("customer_success.survey_cs_nps_exit")
        cls.q_score = ref("customer_success.survey_cs_nps_q_score")
        cls.q_reason = ref("customer_success.survey_cs_nps_q_reason")
        cls.customer.write({"lang": "en_US", "ref": "NUVEM-1"})
        # the subscription catalogue is the sales manager's job
        su = cls.env(su=True)
        cls.pricelist = su["product.pricelist"].create(
            {"name": "Planos", "currency_id": cls.company.currency_id.id}
        )
        cls.monthly = su["sale.subscription.template"].create(
            {
                "name": "Mensal",
                "recurring_rule_type": "months",
                "recurring_interval": 1,
                "cs_included_users": 10,
            }
        )
        cls.product = su["product.product"].create(
            {
                "name": "Hospedagem gerenciada",
                "type": "service",
                "subscribable": True,
                "taxes_id": [Command.clear()],
            }
        )
        cls.stage_closed = cls.env["sale.subscription.stage"].search(
            [("type", "=", "post")], limit=1
        )
        cls.factors = {
            factor.code: factor
            for factor in cls.env["cs.health.factor"]
            .sudo()
            .search([("company_id", "=", cls.company.id)])
        }

    @classmethod
    def campaign(cls, kind, days, **values):
        return (
            cls.env["cs.nps.campaign"]
            .sudo()
            .create(
                {
                    "name": f"{kind} {days}",
                    "kind": kind,
                    "delay_days": days,
                    "survey_id": (cls.exit_survey if kind == "exit" else cls.survey).id,
                    "company_id": cls.company.id,
                    **values,
                }
            )
        )

    @classmethod
    def subscribe(cls, customer=None, price=300.0, start=None, template=None):
        """A subscription of ``customer`` started on ``start``."""
        with freeze_time(start or cls.START):
            subscription = (
                cls.env["sale.subscription"]
                .sudo()
                .create(
                    {
                        "partner_id": (customer or cls.customer).id,
                        "company_id": cls.company.id,
                        "template_id": (template or cls.monthly).id,
                        "pricelist_id": cls.pricelist.id,
                        "date_start": start or cls.START,
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
            )
            subscription.action_start_subscription()
        cls.env.flush_all()
        return subscription

    def run_nps(self, on, crash=None, batch_size=200):
        """Run the daily NPS cron as ir.cron would, on day ``on``.

        ``crash`` (a callable) is patched over ``_cs_invite`` to inject a
        failure; the run is then rolled back to its last commit.
        """
        self.env.flush_all()
        Campaign = self.env["cs.nps.campaign"].with_user(SUPERUSER_ID)
        if not crash:
            with freeze_time(on):
                Campaign._cron_cs_nps(batch_size=batch_size)
                self.env.flush_all()
            return
        self.env.cr.execute("SAVEPOINT cs_cron_commit")
        crashed = False
        with (
            freeze_time(on),
            patch.object(type(self.env["cs.nps.campaign"]), "_cs_invite", crash),
        ):
            try:
                Campaign._cron_cs_nps(batch_size=batch_size)
            except CrashInjected:
                crashed = True
        self.assertTrue(crashed, "the injected crash did not happen")
        self.env.cr.execute("ROLLBACK TO SAVEPOINT cs_cron_commit")
        self.env.invalidate_all()

    def run_health(self, on):
        """Run the daily health cron as ir.cron would, on day ``on``."""
        self.env.flush_all()
        with freeze_time(on):
            self.env["res.partner"].with_user(SUPERUSER_ID)._cron_cs_health()
            self.env.flush_all()

    def invitations(self, contact=None):
        return (
            self.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("cs_campaign_id", "!=", False),
                    ("partner_id", "=", (contact or self.customer).id),
                ],
                order="id",
            )
        )

    def answer(self, invitation, score, comment=None, on=None, extra=None):
        """Answer ``invitation`` as its contact would, and finish it."""
        with freeze_time(on or fields.Date.today()):
            invitation = invitation.sudo()
            invitation._save_lines(self.q_score_of(invitation), score)
            if comment:
                invitation._save_lines(
                    invitation.survey_id.question_ids.filtered(
                        lambda q: q.cs_nps_role == "reason"
                    )[:1],
                    comment,
                )
            for question, value in (extra or {}).items():
                invitation._save_lines(question, *value)
            invitation._mark_done()
            self.env.flush_all()
        return (
            self.env["cs.nps.response"]
            .sudo()
            .search([("user_input_id", "=", invitation.id)])
        )

    def q_score_of(self, invitation):
        return invitation.survey_id.question_ids.filtered(
            lambda q: q.cs_nps_role == "score"
        )

    def usage(self, customer, start, days, active_users, logins=None):
        """Daily usage of ``customer`` for ``days`` days from ``start``."""
        rows = []
        for offset in range(days):
            day = start + timedelta(days=offset)
            rows.append((customer, day, "active_users", active_users))
            if logins is not None:
                rows.append((customer, day, "logins", logins))
        self.env["cs.usage.metric"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "date": day,
                    "metric": metric,
                    "value": value,
                    "source": "push",
                }
                for partner, day, metric, value in rows
            ]
        )
