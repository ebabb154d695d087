# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fill a fresh database with a benchmark portfolio.

CUSTOMERS customers, ten invoices each over 24 months (200,000 for 20,000
customers), a subscription each, a year of NPS answers, 30 days of usage,
milestones and 24 months of MRR rows. A handful of records are created with
the ORM and posted for real; the bulk is copied from them in SQL, because
creating and posting 200,000 invoices through the ORM takes hours on two
cores. Invoice states: paid on time, paid late, open (not due yet), and
overdue at every step of the dunning policy.
"""

import random

from odoo import Command, fields

INVOICES_PER_CUSTOMER = 10
MONTHS = 24
# days of health history per customer
SNAPSHOT_DAYS = 365


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, source_where, overrides, from_extra):
    """INSERT INTO table SELECT its columns, with ``overrides`` (column: SQL
    expression), from the source rows joined with ``from_extra``."""
    cols = columns(cr, table)
    exprs = [overrides.get(col, f"src.{col}") for col in cols]
    query = (
        f"INSERT INTO {table} ({', '.join(cols)}) "
        f"SELECT {', '.join(exprs)} FROM {table} src {from_extra} WHERE {source_where}"
    )
    # no parameters: the overrides' "%%" (shared with parameterised
    # queries) are plain modulo operators here
    cr.execute(query.replace("%%", "%"))
    return cr.rowcount


def generate(env, customers_count, seed=42):
    random.seed(seed)
    cr = env.cr
    today = fields.Date.context_today(env["res.partner"])
    company = env.company
    Partner = env["res.partner"]

    # --- templates, through the ORM -------------------------------------
    product = env["product.product"].create(
        {"name": "Bench plan", "type": "service", "subscribable": True, "taxes_id": []}
    )
    template_customer = Partner.create(
        {"name": "Bench template", "is_company": True, "email": "t@bench.example.com"}
    )
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": template_customer.id,
            "invoice_date": today,
            "invoice_date_due": today,
            "invoice_line_ids": [
                Command.create(
                    {"product_id": product.id, "price_unit": 100.0, "tax_ids": []}
                )
            ],
        }
    )
    invoice.action_post()
    plan = env["sale.subscription.template"].create(
        {
            "name": "Bench monthly",
            "recurring_rule_type": "months",
            "recurring_interval": 1,
        }
    )
    pricelist = env["product.pricelist"].create({"name": "Bench"})
    subscription = env["sale.subscription"].create(
        {
            "partner_id": template_customer.id,
            "template_id": plan.id,
            "pricelist_id": pricelist.id,
            "sale_subscription_line_ids": [
                Command.create({"product_id": product.id, "price_unit": 100.0})
            ],
        }
    )
    subscription.action_start_subscription()
    env.flush_all()

    # --- customers --------------------------------------------------------
    cr.execute(
        """
        CREATE TEMP TABLE bench_customer AS
        SELECT g AS n, 'Bench customer ' || g AS name,
               'b' || g || '@bench.example.com' AS email, 'BENCH-' || g AS ref
          FROM generate_series(1, %s) g
        """,
        (customers_count,),
    )
    clone(
        cr,
        "res_partner",
        f"src.id = {template_customer.id}",
        {
            "name": "c.name",
            "complete_name": "c.name",
            "email": "c.email",
            "ref": "c.ref",
            "commercial_partner_id": "NULL",
            "create_date": "now()",
            "write_date": "now()",
        },
        ", bench_customer c",
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id "
        "WHERE name LIKE 'Bench customer %%'"
    )
    cr.execute(
        """
        CREATE TEMP TABLE bench_partner AS
        SELECT p.id, c.n FROM res_partner p JOIN bench_customer c ON c.ref = p.ref
        """
    )

    # --- invoices: ten per customer over 24 months ------------------------
    # i = 0 is the newest; older ones are paid (some late), the newest ones
    # are open, due at every dunning step's day, or overdue and unpaid
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_invoice AS
        SELECT p.id AS partner_id, p.n, i,
               (DATE %(today)s - ((i * 73 + p.n %% 60) - 25) * INTERVAL '1 day')::date
                   AS due,
               CASE WHEN i >= 2 OR (i = 1 AND p.n %% 4 != 0) THEN 'paid'
                    ELSE 'open' END AS state,
               100 + (p.n %% 50) * 10 AS amount,
               ROW_NUMBER() OVER () AS seq
          FROM bench_partner p, generate_series(0, {INVOICES_PER_CUSTOMER - 1}) i
        """,
        {"today": today},
    )
    move_overrides = {
        "name": "'BENCH/' || b.seq",
        "partner_id": "b.partner_id",
        "commercial_partner_id": "b.partner_id",
        "partner_shipping_id": "b.partner_id",
        "cs_payer_id": "b.partner_id",
        "invoice_date": "b.due - 30",
        "date": "b.due - 30",
        "invoice_date_due": "b.due",
        "amount_untaxed": "b.amount",
        "amount_total": "b.amount",
        "amount_untaxed_signed": "b.amount",
        "amount_total_signed": "b.amount",
        "amount_total_in_currency_signed": "b.amount",
        "amount_residual": "CASE WHEN b.state = 'paid' THEN 0 ELSE b.amount END",
        "amount_residual_signed": "CASE WHEN b.state = 'paid' THEN 0 ELSE b.amount END",
        "payment_state": "CASE WHEN b.state = 'paid' THEN 'paid' ELSE 'not_paid' END",
        "cs_paid_date": "CASE WHEN b.state = 'paid' THEN b.due + (b.n %% 7) * "
        "(CASE WHEN b.n %% 5 = 0 THEN 3 ELSE 0 END) ELSE NULL END",
        "cs_days_late": "CASE WHEN b.state = 'paid' AND b.n %% 5 = 0 "
        "THEN (b.n %% 7) * 3 ELSE 0 END",
        "cs_dunning_step_id": "NULL",
        "cs_next_dunning_step_id": "NULL",
        "cs_next_dunning_date": "NULL",
        "access_token": "NULL",
        "inalterable_hash": "NULL",
        "secure_sequence_number": "NULL",
        "sequence_number": "b.seq",
        "sequence_prefix": "'BENCH/'",
        "payment_reference": "'BENCH/' || b.seq",
        "create_date": "now()",
        "write_date": "now()",
    }
    existing = set(columns(cr, "account_move"))
    move_overrides = {k: v for k, v in move_overrides.items() if k in existing}
    cr.execute("ALTER TABLE bench_invoice ADD COLUMN move_id integer")
    clone(
        cr,
        "account_move",
        f"src.id = {invoice.id}",
        move_overrides,
        ", bench_invoice b",
    )
    cr.execute(
        "UPDATE bench_invoice b SET move_id = m.id FROM account_move m "
        "WHERE m.name = 'BENCH/' || b.seq"
    )
    line_overrides = {
        "move_id": "b.move_id",
        "move_name": "'BENCH/' || b.seq",
        "partner_id": "b.partner_id",
        "date": "b.due - 30",
        "invoice_date": "b.due - 30",
        "date_maturity": "CASE WHEN src.display_type = 'payment_term' THEN b.due "
        "ELSE src.date_maturity END",
        "debit": "CASE WHEN src.debit > 0 THEN b.amount ELSE 0 END",
        "credit": "CASE WHEN src.credit > 0 THEN b.amount ELSE 0 END",
        "balance": "CASE WHEN src.balance > 0 THEN b.amount ELSE -b.amount END",
        "amount_currency": "CASE WHEN src.balance > 0 THEN b.amount ELSE -b.amount END",
        "price_unit": "CASE WHEN src.display_type = 'product' THEN b.amount "
        "ELSE src.price_unit END",
        "price_subtotal": "CASE WHEN src.display_type = 'product' THEN b.amount "
        "ELSE src.price_subtotal END",
        "price_total": "CASE WHEN src.display_type = 'product' THEN b.amount "
        "ELSE src.price_total END",
        "amount_residual": "CASE WHEN src.display_type = 'payment_term' AND "
        "b.state != 'paid' THEN b.amount ELSE 0 END",
        "amount_residual_currency": "CASE WHEN src.display_type = 'payment_term' AND "
        "b.state != 'paid' THEN b.amount ELSE 0 END",
        "reconciled": "CASE WHEN src.display_type = 'payment_term' THEN "
        "b.state = 'paid' ELSE src.reconciled END",
        "create_date": "now()",
        "write_date": "now()",
    }
    existing = set(columns(cr, "account_move_line"))
    line_overrides = {k: v for k, v in line_overrides.items() if k in existing}
    clone(
        cr,
        "account_move_line",
        f"src.move_id = {invoice.id}",
        line_overrides,
        ", bench_invoice b",
    )

    # --- subscriptions, touch models, MRR ---------------------------------
    clone(
        cr,
        "sale_subscription",
        f"src.id = {subscription.id}",
        {
            "partner_id": "p.id",
            "cs_commercial_partner_id": "p.id",
            "partner_invoice_id": "p.id",
            "partner_shipping_id": "p.id",
            "name": "'BENCH-SUB-' || p.n",
            "code": "'BENCH-SUB-' || p.n",
            "date_start": f"DATE '{today}' - (p.n %% 700)",
            "recurring_total": "100 + (p.n %% 50) * 10",
            "amount_total": "100 + (p.n %% 50) * 10",
            "cs_mrr": "100 + (p.n %% 50) * 10",
            "cs_arr": "(100 + (p.n %% 50) * 10) * 12",
            "create_date": "now()",
            "write_date": "now()",
        },
        ", bench_partner p",
    )
    tech = env.ref("customer_success.cs_touch_model_tech")
    low = env.ref("customer_success.cs_touch_model_low")
    cr.execute(
        """
        UPDATE res_partner p
           SET has_running_subscription = true,
               recurring_revenue = 100 + (b.n %% 50) * 10,
               touch_model_id = CASE WHEN b.n %% 50 >= 40 THEN %s ELSE %s END,
               csm_id = %s
          FROM bench_partner b WHERE b.id = p.id
        """,
        (low.id, tech.id, env.ref("base.user_admin").id),
    )

    # --- voice of the customer ------------------------------------------
    cr.execute(
        """
        INSERT INTO cs_nps_response (partner_id, company_id, kind, date, score,
               category, nps_value, comment, create_date, write_date)
        SELECT p.id, %(company)s, 'periodic', DATE %(today)s - k * 180 - p.n %% 90,
               (p.n + k) %% 11,
               CASE WHEN (p.n + k) %% 11 >= 9 THEN 'promoter'
                    WHEN (p.n + k) %% 11 >= 7 THEN 'passive' ELSE 'detractor' END,
               CASE WHEN (p.n + k) %% 11 >= 9 THEN 100
                    WHEN (p.n + k) %% 11 >= 7 THEN 0 ELSE -100 END,
               'Bench answer', now(), now()
          FROM bench_partner p, generate_series(0, 1) k
        """,
        {"company": company.id, "today": today},
    )
    cr.execute(
        """
        INSERT INTO cs_usage_metric (partner_id, company_id, date, metric, value,
               source, create_date, write_date)
        SELECT p.id, %(company)s, DATE %(today)s - d, m,
               CASE WHEN m = 'active_users' THEN 5 + p.n %% 20 - (d / 10) * (p.n %% 3)
                    ELSE 20 + p.n %% 40 END,
               'push', now(), now()
          FROM bench_partner p, generate_series(1, 30) d,
               unnest(ARRAY['active_users', 'logins']) m
        """,
        {"company": company.id, "today": today},
    )
    value_type = env.ref("customer_success.cs_milestone_type_first_value")
    cr.execute(
        """
        INSERT INTO cs_milestone (name, partner_id, company_id, type_id, date,
               origin_key, create_date, write_date)
        SELECT jsonb_build_object('en_US', 'First value'), p.id, %(company)s, %(type)s,
               DATE %(today)s - (p.n %% 700) + 20 + p.n %% 40,
               'bench:' || p.id, now(), now()
          FROM bench_partner p WHERE p.n %% 2 = 0
        """,
        {"company": company.id, "type": value_type.id, "today": today},
    )
    cr.execute(
        f"""
        INSERT INTO cs_mrr_movement (month, partner_id, company_id, movement,
               mrr_start, mrr_end, change, paused_mrr, new_mrr, expansion_mrr,
               contraction_mrr, churn_mrr, reactivation_mrr, pause_mrr,
               customer_start, customer_end, churned, is_new, reactivated,
               create_date, write_date)
        SELECT (date_trunc('month', DATE %(today)s) - m * INTERVAL '1 month')::date,
               p.id, %(company)s,
               (ARRAY['flat','flat','flat','expansion','contraction','new','churn'])
                   [1 + (p.n + m) %% 7],
               100, 110, 10, 0, 0, 10, 0, 0, 0, 0, 1, 1,
               ((p.n + m) %% 7 = 6)::int, 0, 0, now(), now()
          FROM bench_partner p, generate_series(0, {MONTHS - 1}) m
        """,
        {"company": company.id, "today": today},
    )
    # a year of daily health snapshots (Health Validation reads the
    # month-ends): the score drifts per customer, the band follows it
    cr.execute(
        f"""
        INSERT INTO cs_health_snapshot (partner_id, company_id, date, score, band,
               at_risk, factor_scores, usage_score, nps_score, payment_score,
               csm_id, touch_model_id, create_date, write_date)
        SELECT p.id, %(company)s, DATE %(today)s - d, s.score,
               CASE WHEN s.score >= 70 THEN 'green'
                    WHEN s.score >= 40 THEN 'yellow' ELSE 'red' END,
               s.score < 40,
               jsonb_build_object(
                   'usage', jsonb_build_object('score', s.score, 'weight', 30),
                   'nps', jsonb_build_object('score', 100 - s.score / 2, 'weight', 25),
                   'payment', jsonb_build_object('score', (p.n * 7 + d) %% 101,
                                                 'weight', 25)),
               s.score, 100 - s.score / 2, (p.n * 7 + d) %% 101,
               pp.csm_id, pp.touch_model_id, now(), now()
          FROM bench_partner p
          JOIN res_partner pp ON pp.id = p.id,
               generate_series(1, {SNAPSHOT_DAYS}) d,
               LATERAL (SELECT ((p.n * 37 + d / 30 * 11) %% 100)::float AS score) s
        """,
        {"company": company.id, "today": today},
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    # the billing-health figures the health score reads
    partners = Partner.browse(
        [row[0] for row in _fetch(cr, "SELECT id FROM bench_partner")]
    )
    for start in range(0, len(partners), 2000):
        batch = partners[start : start + 2000]
        env.add_to_compute(Partner._fields["cs_invoice_count"], batch)
        batch.flush_recordset()
        env.invalidate_all()
    cr.execute("SELECT count(*) FROM bench_invoice")
    invoices = cr.fetchone()[0]
    return {"customers": customers_count, "invoices": invoices}


def _fetch(cr, query):
    cr.execute(query)
    return cr.fetchall()
