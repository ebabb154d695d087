# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two cron workers at once, for real: two threads, each with its own
database cursor and transaction, run the same job at the same moment on
committed data. Afterwards every due step has exactly one log and one
e-mail, and nothing was left undone.

Usage: faults.py DB [odoo options]
"""

import sys
import threading
import traceback
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

CUSTOMERS = 40
INVOICES_PER_CUSTOMER = 2
BATCH = 7


def run_concurrently(registry, job, workers=2):
    """Run ``job(env)`` in ``workers`` threads started together, each in its
    own transaction; return the errors."""
    barrier = threading.Barrier(workers)
    errors = []

    def work():
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait()
                job(env)
        except Exception:  # noqa: BLE001 - reported below
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def setup_dunning(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        today = fields.Date.context_today(env["res.partner"])
        product = env["product.product"].create({"name": "Plano", "type": "service"})
        customers = env["res.partner"].create(
            [
                {
                    "name": f"Fault customer {n}",
                    "is_company": True,
                    "email": f"fault{n}@example.com",
                }
                for n in range(CUSTOMERS)
            ]
        )
        # due three days ago: the first overdue step of the shipped policy
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": today - timedelta(days=33),
                    "invoice_date_due": today - timedelta(days=3),
                    "invoice_line_ids": [
                        odoo.Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": 100.0 + index,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
                for customer in customers
                for index in range(INVOICES_PER_CUSTOMER)
            ]
        )
        moves.action_post()
        # only the dunning e-mails count below
        env["mail.mail"].search([]).unlink()
        cr.commit()
        return customers.ids, moves.ids


def check_dunning(registry, customer_ids, move_ids):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        failures = []
        logs = env["cs.dunning.log"].search([("move_id", "in", move_ids)])
        per_move = {}
        for log in logs:
            per_move.setdefault(log.move_id.id, []).append(log.step_id.id)
        missing = set(move_ids) - set(per_move)
        if missing:
            failures.append(f"{len(missing)} invoices without their dunning step")
        doubled = {move: steps for move, steps in per_move.items() if len(steps) > 1}
        if doubled:
            failures.append(f"{len(doubled)} invoices with more than one log")
        for customer in env["res.partner"].browse(customer_ids):
            mails = env["mail.mail"].search([("recipient_ids", "in", customer.ids)])
            if len(mails) != 1:
                failures.append(f"{customer.name}: {len(mails)} e-mails, expected 1")
        return failures


def setup_nps(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        today = fields.Date.context_today(env["res.partner"])
        template = env["sale.subscription.template"].create(
            {"name": "Mensal", "recurring_rule_type": "months", "recurring_interval": 1}
        )
        product = env["product.product"].create(
            {"name": "Hospedagem", "type": "service", "subscribable": True}
        )
        pricelist = env["product.pricelist"].create({"name": "Faults"})
        customers = env["res.partner"].create(
            [
                {
                    "name": f"NPS customer {n}",
                    "is_company": True,
                    "email": f"nps{n}@example.com",
                }
                for n in range(CUSTOMERS)
            ]
        )
        subscriptions = env["sale.subscription"].create(
            [
                {
                    "partner_id": customer.id,
                    "template_id": template.id,
                    "pricelist_id": pricelist.id,
                    "sale_subscription_line_ids": [
                        odoo.Command.create(
                            {"product_id": product.id, "price_unit": 99.0}
                        )
                    ],
                }
                for customer in customers
            ]
        )
        subscriptions.action_start_subscription()
        subscriptions.date_start = today - timedelta(days=14)
        env["cs.nps.campaign"].search([]).active = False
        env["cs.nps.campaign"].create(
            {
                "name": "Faults",
                "kind": "introductory",
                "delay_days": 14,
                "survey_id": env.ref("customer_success.survey_cs_nps").id,
            }
        )
        env["mail.mail"].search([]).unlink()
        cr.commit()
        return customers.ids


def check_nps(registry, customer_ids):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        failures = []
        for customer in env["res.partner"].browse(customer_ids):
            invitations = env["survey.user_input"].search(
                [("partner_id", "=", customer.id), ("cs_campaign_id", "!=", False)]
            )
            mails = env["mail.mail"].search([("recipient_ids", "in", customer.ids)])
            if len(invitations) != 1 or len(mails) != 1:
                failures.append(
                    f"{customer.name}: {len(invitations)} invitations, "
                    f"{len(mails)} e-mails, expected 1 and 1"
                )
        return failures


def main():
    db, options = sys.argv[1], sys.argv[2:]
    config.parse_config([*options, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    results = []

    customer_ids, move_ids = setup_dunning(registry)
    errors = run_concurrently(
        registry, lambda env: env["account.move"]._cron_cs_dunning(batch_size=BATCH)
    )
    failures = errors + check_dunning(registry, customer_ids, move_ids)
    results.append(("two dunning workers at once", failures))

    customer_ids = setup_nps(registry)
    errors = run_concurrently(
        registry, lambda env: env["cs.nps.campaign"]._cron_cs_nps(batch_size=BATCH)
    )
    failures = errors + check_nps(registry, customer_ids)
    results.append(("two NPS workers at once", failures))

    for name, failures in results:
        print(f"{'FAIL' if failures else 'ok  '} {name}")
        for failure in failures:
            print(f"     {failure}")
    failed = sum(1 for _name, failures in results if failures)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
