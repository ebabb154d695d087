# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Time customer_success against OCA account_credit_control on one database.

Usage: bench.py DB CUSTOMERS OUTPUT.json [odoo options]

The database has customer_success and account_credit_control installed and
nothing else generated. Both run the same three overdue levels (3, 10 and
20 days after the due date, one e-mail each) on the same open invoices.
"""

import json
import os
import sys
import time

from generate import generate

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.tools import config

LEVELS = ((3, "overdue_1"), (10, "overdue_2"), (20, "final"))


def timed(registry, function):
    """Run ``function(env)`` in its own transaction (committed); return its
    result, the seconds it took and the queries it ran."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        queries = cr.sql_log_count
        start = time.perf_counter()
        result = function(env)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        cr.commit()
    return result, elapsed, queries


def best_of(registry, function, times=3):
    """The best of ``times`` runs of ``function``: its seconds, and the
    queries of a run."""
    best = None
    for _ in range(times):
        _result, elapsed, queries = timed(registry, function)
        best = elapsed if best is None else min(best, elapsed)
    return best, queries


def setup(env, customers):
    company = env.company
    ref = env.ref
    policy = env["cs.dunning.policy"].create(
        {
            "name": "Bench: three overdue levels",
            "company_id": company.id,
            "payment_template_id": ref(
                "customer_success.mail_template_payment_received"
            ).id,
            "step_ids": [
                Command.create(
                    {
                        "name": f"Overdue {days} days",
                        "offset_days": days,
                        "action": "email",
                        "attach_invoice": False,
                        "mail_template_id": ref(
                            f"customer_success.mail_template_dunning_{xmlid}"
                        ).id,
                    }
                )
                for days, xmlid in LEVELS
            ],
        }
    )
    company.cs_dunning_policy_id = policy
    template = env.ref("account_credit_control.email_template_credit_control_base")
    # no PDF on either side: the benchmark compares the dunning, not
    # wkhtmltopdf (customer_success's steps attach no invoice here either)
    template.report_template_ids = [Command.clear()]
    peer = env["credit.control.policy"].create(
        {
            "name": "Bench: three levels",
            "company_id": company.id,
            "level_ids": [
                Command.create(
                    {
                        "name": f"Level {level}",
                        "level": level,
                        "computation_mode": "net_days",
                        "delay_days": days,
                        "email_template_id": template.id,
                        "channel": "email",
                        "custom_text": f"Your invoice is {days} days overdue.",
                        "custom_mail_text": f"<p>Overdue for {days} days.</p>",
                    }
                )
                for level, (days, _xmlid) in enumerate(LEVELS, start=1)
            ],
        }
    )
    company.credit_policy_id = peer
    sizes = generate(env, customers)
    # the receivable account the invoices use
    peer.account_ids = (
        env["account.move.line"]
        .search(
            [("move_name", "=like", "BENCH/%"), ("display_type", "=", "payment_term")],
            limit=1,
        )
        .account_id
    )
    first = policy.step_ids.sorted("offset_days")[:1]
    env.cr.execute(
        """
        UPDATE account_move
           SET cs_dunning_policy_id = %s,
               cs_next_dunning_step_id = CASE WHEN payment_state = 'paid' THEN NULL
                                              ELSE %s END,
               cs_next_dunning_date = CASE WHEN payment_state = 'paid' THEN NULL
                                           ELSE invoice_date_due + %s END
         WHERE name LIKE 'BENCH/%%'
        """,
        (policy.id, first.id, first.offset_days),
    )
    env.cr.execute("DELETE FROM mail_mail")
    env.invalidate_all()
    return sizes, peer.id


def run_ours(env):
    env["account.move"]._cron_cs_dunning()
    env.flush_all()
    env.cr.execute("SELECT count(*) FROM cs_dunning_log")
    logs = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM mail_mail")
    return {"invoices": logs, "emails": env.cr.fetchone()[0]}


def run_peer(env, peer_id):
    # queue the e-mails, as customer_success does, instead of sending each
    # one while posting it
    env = env(context=dict(env.context, mail_notify_force_send=False))
    before = env["mail.mail"].search_count([])
    run = env["credit.control.run"].create(
        {
            "date": fields.Date.context_today(env["res.partner"]),
            "policy_ids": [Command.set([peer_id])],
        }
    )
    run.generate_credit_lines()
    run.set_to_ready_lines()
    run.run_channel_action()
    env.flush_all()
    return {
        "invoices": len(run.line_ids),
        "emails": env["mail.mail"].search_count([]) - before,
    }


def run_health(env):
    env["res.partner"]._cron_cs_health()
    env.flush_all()
    return env["cs.health.snapshot"].search_count(
        [("date", "=", fields.Date.context_today(env["res.partner"]))]
    )


def main():
    db, customers, output, options = (
        sys.argv[1],
        int(sys.argv[2]),
        sys.argv[3],
        sys.argv[4:],
    )
    config.parse_config([*options, "-d", db, "--log-level=warn"])
    registry = Registry(db)
    result = {"database": db, "customers": customers, "cores": os.cpu_count()}

    (sizes, peer_id), generation, _q = timed(
        registry, lambda env: setup(env, customers)
    )
    result.update(sizes, generation_seconds=round(generation, 1))
    print(f"generated {sizes} in {generation:.1f} s", flush=True)

    ours, seconds, queries = timed(registry, run_ours)
    result["ours"] = dict(ours, seconds=round(seconds, 2), queries=queries)
    print(f"customer_success dunning: {result['ours']}", flush=True)

    peer, seconds, queries = timed(registry, lambda env: run_peer(env, peer_id))
    result["peer"] = dict(peer, seconds=round(seconds, 2), queries=queries)
    print(f"account_credit_control: {result['peer']}", flush=True)

    scored, seconds, queries = timed(registry, run_health)
    result["health"] = {
        "customers": scored,
        "seconds": round(seconds, 2),
        "queries": queries,
    }
    print(f"health: {result['health']}", flush=True)

    company_month = fields.Date.context_today
    reports = {
        "nps_by_month_and_touch_model": lambda env: env["cs.nps.response"]._read_group(
            [], ["date:month", "touch_model_id"], ["nps_value:avg", "__count"]
        ),
        "nps_by_csm": lambda env: env["cs.nps.response"]._read_group(
            [], ["csm_id"], ["nps_value:avg"]
        ),
        "mrr_movements_graph": lambda env: env["cs.mrr.movement"]._read_group(
            [], ["month:month", "movement"], ["change:sum"]
        ),
        "mrr_movements_pivot": lambda env: env["cs.mrr.movement"]._read_group(
            [], ["month:month", "movement"], ["change:sum", "mrr_end:sum"]
        ),
        "kpis_of_the_month": lambda env: env["cs.mrr.movement"]._kpis(
            env.company, company_month(env["res.partner"]).replace(day=1)
        ),
        "dashboard_get_data": lambda env: env["cs.dashboard"].get_data(),
        "health_validation": lambda env: (
            env["cs.health.validation.report"].create({})._get_figures()
        ),
    }
    timings = {name: best_of(registry, function) for name, function in reports.items()}
    result["reports"] = {
        name: round(seconds, 3) for name, (seconds, _queries) in timings.items()
    }
    result["report_queries"] = {
        name: queries for name, (_seconds, queries) in timings.items()
    }
    print(f"reports (s): {result['reports']}", flush=True)
    print(f"reports (queries): {result['report_queries']}", flush=True)
    with open(output, "w") as file:
        json.dump(result, file, indent=2, default=str)


if __name__ == "__main__":
    main()
