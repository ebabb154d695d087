#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The benchmark: for each size in BENCH_SIZES (customers; ten invoices each),
# a fresh database with customer_success and OCA account_credit_control
# (the 19.0 release from PyPI, installed in these databases only), the
# generated portfolio, then both dunning runs, the health recompute and the
# reports, the shipped plays and the health recompute with them off and on
# (BENCH_ONLY=plays leaves the dunning runs out). Results: bench/results.json,
# and a table on stdout.
source "$(dirname "$0")/../scripts/lib.sh"

ensure_postgres
ensure_venv
# the peer, next to Odoo in the venv (its addon is installed in the bench
# databases only)
"$VENV/bin/pip" install --quiet --no-deps -r "$REPO/bench/requirements.txt"

SIZES="${BENCH_SIZES:-2000 20000}"
mapfile -t OPTS < <(odoo_options)
results=()
for size in $SIZES; do
    db="cs_bench_$size"
    say "Benchmark database $db ($size customers)"
    drop_db "$db"
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${OPTS[@]}" -d "$db" \
        -i customer_success,account_credit_control --without-demo \
        --stop-after-init --log-level=warn --http-port="${CS_BENCH_PORT:-8469}"
    out="$CACHE/bench-$size.json"
    (cd "$REPO/bench" && "$VENV/bin/python" bench.py "$db" "$size" "$out" "${OPTS[@]}")
    results+=("$out")
done
"$VENV/bin/python" "$REPO/bench/report.py" "$REPO/bench/results.json" "${results[@]}"
