#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Fault tests that need committed data and real concurrent transactions,
# which Odoo's test cases (one transaction, rolled back) cannot give: two
# cron workers at once on a fresh database. The last line is
# "N passed, N failed".
source "$(dirname "$0")/lib.sh"

ensure_postgres
ensure_venv

DB="${CS_FAULTS_DB:-cs_faults}"
mapfile -t OPTS < <(odoo_options)
say "Fault tests on a fresh database $DB"
drop_db "$DB"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${OPTS[@]}" -d "$DB" -i customer_success \
    --without-demo --stop-after-init --log-level=warn --http-port="${CS_TEST_PORT:-8169}"
"$VENV/bin/python" "$REPO/scripts/faults.py" "$DB" "${OPTS[@]}"
