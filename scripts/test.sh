#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Fresh database, customer_success and its bridges (customer_success_l10n_br,
# customer_success_helpdesk) installed with their at_install and post_install
# tests, then an install/uninstall/install cycle with demo data.
# Fails on a failed test, an ERROR/CRITICAL log line or a skipped browser tour.
# The last line is "N passed, N failed" (", N skipped" when some were).
source "$(dirname "$0")/lib.sh"

ensure_postgres
# what the tests use: Chromium for the browser tours, wkhtmltopdf for the
# PDF reports (the hand-off document)
ensure_command chromium chromium
ensure_command wkhtmltopdf wkhtmltopdf
ensure_venv

DB="${CS_TEST_DB:-cs_test}"
CYCLE_DB="${DB}_cycle"
TEST_TAGS="${TEST_TAGS:-/customer_success,/customer_success_l10n_br,/customer_success_helpdesk}"
mapfile -t OPTS < <(odoo_options)
HARNESS=("$VENV/bin/python" "$REPO/scripts/odoo_harness.py")
rm -f "$CACHE/result-tests.json" "$CACHE/result-cycle.json"

say "Tests on a fresh database $DB (tags: $TEST_TAGS)"
drop_db "$DB"
"${HARNESS[@]}" test "$CACHE/result-tests.json" -- "${OPTS[@]}" -d "$DB" \
    -i "$CS_MODULES" --test-enable --test-tags "$TEST_TAGS" \
    --stop-after-init --http-port="${CS_TEST_PORT:-8169}" --workers=0 \
    --max-cron-threads=0 --log-level=info --without-demo \
    || true

if [ -z "${CS_SKIP_CYCLE:-}" ]; then
    say "Install with demo data, uninstall, install again on $CYCLE_DB"
    drop_db "$CYCLE_DB"
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${OPTS[@]}" -d "$CYCLE_DB" -i base \
        --with-demo --stop-after-init --log-level=warn --http-port="${CS_TEST_PORT:-8169}"
    "${HARNESS[@]}" cycle "$CACHE/result-cycle.json" -- "${OPTS[@]}" -d "$CYCLE_DB" \
        --with-demo --log-level=warn --http-port="${CS_TEST_PORT:-8169}" --max-cron-threads=0 \
        || true
    RESULTS=("$CACHE/result-tests.json" "$CACHE/result-cycle.json")
else
    RESULTS=("$CACHE/result-tests.json")
fi

"${HARNESS[@]}" summary "${RESULTS[@]}"
