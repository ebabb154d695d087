# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures of the customer_success tests.

:class:`CustomerSuccessCommon` is the one base: Odoo's accounting test fixtures on
the main company (taxes, accounts, an administrator who sets the data up), the users
of the addon at their own rights, the customer every feature works on, and the
crons' commits turned into savepoints. Each feature adds its own fixtures and
helpers with a mixin: :class:`BillingMixin` (dunning), :class:`OnboardingMixin`
(onboardings, touch models, subscriptions), :class:`VoiceMixin` (NPS, usage and
health). The ``CustomerSuccess<Feature>Common`` classes put a mixin on the
base; other addons extending customer_success can inherit them.
"""

import hashlib
import hmac
import threading
import time
from contextlib import contextmanager, nullcontext
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import urlsplit

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, fields
from odoo.tests import new_test_user
from odoo.tests.common import _super_send

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..const import FACTOR_WEIGHTS


class CrashInjected(Exception):
    """The failure the crash tests inject into a cron run."""


def _commit_as_savepoint(self, processed=0, *, remaining=None, deactivate=False):
    self.env.flush_all()
    self.env.cr.execute("SAVEPOINT cs_cron_commit")
    return float("inf")


def tour_company_env(env):
    """The environment a tour's data is created in: the superuser's (the
    accounting test administrator may not create users), on the company set
    up as the install sets it up."""
    env.company._cs_setup_company()
    return env(su=True)


def new_tour_user(env, login, groups, name=None, company=None):
    """A user a browser tour logs in as: the password is the login, and the
    user works in ``company`` (the current one by default)."""
    company = company or env.company
    return new_test_user(
        env,
        login=login,
        password=login,
        name=name or login,
        groups=groups,
        company_id=company.id,
        company_ids=[company.id],
    )


class CustomerSuccessCommon(AccountTestInvoicingCommon):
    """The company, the users of every kind and the customer, built once per
    class.

    The class environment is the administrator of Odoo's accounting tests
    (settings, accounting, sales, customer success manager), who sets the data
    up; tests of what a user may do switch to that user (``with_user``,
    :func:`odoo.tests.users`).

    ``_commit_progress`` cannot commit inside a test: it sets a savepoint
    instead, so that a cron run can be rolled back to its last "commit", as a
    real crash would.
    """

    @classmethod
    def setup_independent_company(cls, **kwargs):
        # The main company, whose chart of accounts the install loaded: the
        # shipped touch models, stages and health factors are its own, the
        # crons run in it (as the superuser, whose company it is), and no
        # chart is loaded again for each class.
        return None

    @classmethod
    def setup_armageddon_tax(cls, tax_name, company_data, **kwargs):
        # Odoo's cash-basis sample tax: none of these tests uses it, and the
        # settings would warn of it
        return cls.env["account.tax"]

    @classmethod
    def get_default_groups(cls):
        # the administrator also configures customer success (teams, policies)
        # and keeps the subscription catalogue
        return (
            super().get_default_groups()
            | cls.quick_ref("customer_success.customer_success_group_manager")
            | cls.quick_ref("sales_team.group_sale_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(
            patch.object(
                type(cls.env["ir.cron"]), "_commit_progress", _commit_as_savepoint
            )
        )
        cls._isolate_health_factors()
        cls.user_cs = new_test_user(
            cls.env,
            login="cs_user",
            name="Carla Souza",
            email="carla@empresa.example.com",
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
                "member_ids": [Command.link(cls.user_cs.id)],
            }
        )
        cls.team_default = cls.env["cs.team"].create({"name": "Everyone Else"})
        cls.company.cs_default_team_id = cls.team_default
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Nuvem Alta Hospedagem",
                "is_company": True,
                "email": "contato@nuvemalta.example.com",
                "lang": "en_US",
            }
        )

    @classmethod
    def _isolate_health_factors(cls):
        """The tests of customer_success score on its own factors, with the
        weights it ships, whatever bridge is installed next to it: a factor
        another addon adds (the helpdesk bridge's support tickets) is
        archived, and the weights it made room with are put back. A bridge
        testing its factor overrides this."""
        Factor = cls.env["cs.health.factor"].with_context(active_test=False)
        for factor in Factor.search([]):
            if factor.code in FACTOR_WEIGHTS:
                factor.weight = FACTOR_WEIGHTS[factor.code]
            else:
                factor.active = False

    @classmethod
    def _activate_lang(cls, code):
        """Activate ``code`` and load this addon's translations into it (the
        shipped ones, over what an earlier test class loaded)."""
        lang = cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(
            ["customer_success"], [code], overwrite=True
        )
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

    def run_cron(self, model, method, on=None, **kwargs):
        """Run ``method`` of ``model`` as ir.cron runs it: as the superuser
        (the cron's user), on day ``on`` if given."""
        self.env.flush_all()
        with freeze_time(on) if on else nullcontext():
            getattr(self.env[model].with_user(SUPERUSER_ID), method)(**kwargs)
            self.env.flush_all()

    def run_cron_crashing(self, model, method, patched, crash, on=None, **kwargs):
        """Run the cron as :meth:`run_cron` with ``crash`` patched over the
        method ``patched`` of ``model``, then roll back to its last commit, as
        the crashed process would leave the database."""
        self.env.flush_all()
        self.env.cr.execute("SAVEPOINT cs_cron_commit")
        crashed = False
        # Not assertRaises: Odoo's rolls back to its own savepoint, which would
        # undo the committed batches too.
        with (
            freeze_time(on) if on else nullcontext(),
            patch.object(type(self.env[model]), patched, crash),
        ):
            try:
                getattr(self.env[model].with_user(SUPERUSER_ID), method)(**kwargs)
            except CrashInjected:
                crashed = True
        self.assertTrue(crashed, "the injected crash did not happen")
        self.env.cr.execute("ROLLBACK TO SAVEPOINT cs_cron_commit")
        self.env.invalidate_all()


class BillingMixin:
    """The standard dunning policy of the company, the customer's payer
    contact and their success manager, and helpers to invoice, pay and run
    the daily dunning on a given day."""

    DUE = date(2026, 3, 10)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "cobranca@empresa.example.com"
        cls.policy = cls._create_policy(cls.company)
        cls.company.cs_dunning_policy_id = cls.policy
        cls.customer.csm_id = cls.user_cs
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
        if crash:
            self.run_cron_crashing(
                "account.move",
                "_cron_cs_dunning",
                "_cs_run_step",
                crash,
                on,
                batch_size=batch_size,
            )
        else:
            self.run_cron("account.move", "_cron_cs_dunning", on)

    def billing_ctas(self, play, customer=None):
        """The calls to action of the shipped play ``play`` (its XML id in
        customer_success) for ``customer``."""
        return self.env["cs.cta"].search(
            [
                ("play_id", "=", self.env.ref(f"customer_success.{play}").id),
                ("partner_id", "=", (customer or self.customer).id),
            ]
        )

    def mails_to(self, partner):
        """The e-mails waiting in Odoo's mail queue for ``partner``."""
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids)], order="id"
        )

    def day(self, offset):
        return self.DUE + timedelta(days=offset)


class SubscriptionMixin:
    """A subscription catalogue: a pricelist, monthly and annual templates and
    a subscribable service. The catalogue is the sales manager's job: the
    administrator creates it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Planos", "currency_id": cls.company.currency_id.id}
        )
        cls.monthly = cls.env["sale.subscription.template"].create(
            {
                "name": "Mensal",
                "recurring_rule_type": "months",
                "recurring_interval": 1,
            }
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


class OnboardingMixin(SubscriptionMixin):
    """Subscriptions that start onboardings, the shipped touch models and
    onboarding stages of the company, an onboarding team and helpers to move
    onboardings and run the check-in cron."""

    STAGE_KEYS = (
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

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.tm_tech = ref("customer_success.cs_touch_model_tech")
        cls.tm_low = ref("customer_success.cs_touch_model_low")
        cls.tm_mid = ref("customer_success.cs_touch_model_mid")
        cls.tm_high = ref("customer_success.cs_touch_model_high")
        cls.tm_exclusive = ref("customer_success.cs_touch_model_exclusive")
        cls.stages = cls.env["cs.onboarding"]._get_stages(cls.company)
        cls.stage = {
            key: ref(f"customer_success.cs_onboarding_stage_{key}")
            for key in cls.STAGE_KEYS
        }
        cls.user_onboarder = new_test_user(
            cls.env,
            login="cs_onboarder",
            name="Olívia Braga",
            email="olivia@empresa.example.com",
            groups="customer_success.customer_success_group_user",
        )
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

    def start(self, subscription):
        subscription.action_start_subscription()
        self.env.flush_all()
        return subscription.cs_onboarding_ids

    def move(self, onboarding, key):
        onboarding.stage_id = self.stage[key]
        self.env.flush_all()

    def checkin_activities(self, customer):
        """Check-in activities of ``customer``, whoever may read them."""
        # sudo: the activities of every user, whatever the test's user reads
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
        self.run_cron("res.partner", "_cron_cs_checkin", on)


class VoiceMixin(SubscriptionMixin):
    """NPS campaigns of the test's own (the shipped ones are archived), the
    company's health factors, and helpers to subscribe, answer surveys, feed
    usage and run the NPS and health crons on a given day."""

    START = date(2026, 1, 5)

    def nps(self, score, customer=None, on=None):
        """An NPS answer of ``customer`` (the fixture's by default) on ``on``
        (the test class's ``START`` by default)."""
        # sudo: responses come from answered surveys, created by the system
        return (
            self.env["cs.nps.response"]
            .sudo()
            .create(
                {
                    "score": score,
                    "partner_id": (customer or self.customer).id,
                    "date": on or self.START,
                }
            )
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.env["cs.nps.campaign"].search([]).active = False
        cls.survey = ref("customer_success.survey_cs_nps")
        cls.exit_survey = ref("customer_success.survey_cs_nps_exit")
        cls.q_score = ref("customer_success.survey_cs_nps_q_score")
        cls.q_reason = ref("customer_success.survey_cs_nps_q_reason")
        cls.customer.ref = "NUVEM-1"
        cls.monthly.cs_included_users = 10
        cls.stage_closed = cls.env["sale.subscription.stage"].search(
            [("type", "=", "post")], limit=1
        )
        cls.factors = {
            factor.code: factor
            for factor in cls.env["cs.health.factor"].search(
                [("company_id", "=", cls.company.id)]
            )
        }

    @classmethod
    def campaign(cls, kind, days, **values):
        return cls.env["cs.nps.campaign"].create(
            {
                "name": f"{kind} {days}",
                "kind": kind,
                "delay_days": days,
                "survey_id": (cls.exit_survey if kind == "exit" else cls.survey).id,
                "company_id": cls.company.id,
                **values,
            }
        )

    @classmethod
    def subscribe(cls, customer=None, price=300.0, start=None, template=None):
        """A subscription of ``customer`` started on ``start``."""
        with freeze_time(start or cls.START):
            subscription = cls.env["sale.subscription"].create(
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
            subscription.action_start_subscription()
        cls.env.flush_all()
        return subscription

    def run_nps(self, on, crash=None, batch_size=200):
        """Run the daily NPS cron as ir.cron would, on day ``on``.

        ``crash`` (a callable) is patched over ``_invite`` to inject a
        failure; the run is then rolled back to its last commit.
        """
        if crash:
            self.run_cron_crashing(
                "cs.nps.campaign",
                "_cron_cs_nps",
                "_invite",
                crash,
                on,
                batch_size=batch_size,
            )
        else:
            self.run_cron("cs.nps.campaign", "_cron_cs_nps", on, batch_size=batch_size)

    def run_health(self, on):
        """Run the daily health cron as ir.cron would, on day ``on``."""
        self.run_cron("res.partner", "_cron_cs_health", on)

    def invitations(self, contact=None):
        # sudo: the survey answers of every campaign, whatever the test's
        # user reads
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
            # sudo: the public survey page answers as the system, for a
            # contact who has no user
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
        # sudo: the response whatever the test's user reads
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
        self.run_cron("cs.webhook.delivery", "_cron_cs_deliver")

    def assertSigned(self, webhook, headers, body):
        expected = hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
        self.assertEqual(headers["X-CS-Signature"], f"sha256={expected}")


class CustomerSuccessBillingCommon(BillingMixin, CustomerSuccessCommon):
    """The base and the dunning fixtures."""


class CustomerSuccessOnboardingCommon(OnboardingMixin, CustomerSuccessCommon):
    """The base and the onboarding fixtures."""


class CustomerSuccessVoiceCommon(
    WebhookReceiverMixin, VoiceMixin, BillingMixin, CustomerSuccessCommon
):
    """The base with the dunning and the voice of the customer fixtures:
    invoices, subscriptions, NPS campaigns and health."""
