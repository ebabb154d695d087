#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Start Odoo on http://127.0.0.1:8069 with customer_success, its Brazilian
# bridge (customer_success_l10n_br, with l10n_br), its helpdesk bridge
# (customer_success_helpdesk, with OCA helpdesk_mgmt) and demo data.
source "$(dirname "$0")/lib.sh"

ensure_postgres
ensure_command wkhtmltopdf wkhtmltopdf
ensure_venv

DB="${CS_DB:-customer_success}"
PORT="${CS_PORT:-8069}"
mapfile -t OPTS < <(odoo_options)
ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${OPTS[@]}" -d "$DB" --http-port="$PORT")

MODULES="$CS_MODULES"
# Install on first run; update the addons when their files changed since the last run.
addon_stamp="$(find "${CS_ADDONS[@]/#/$REPO/}" -type f -not -name '*.pyc' -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
stamp_file="$CACHE/run-$DB.stamp"
if ! db_exists "$DB"; then
    say "Creating database $DB with $MODULES and demo data (a few minutes)"
    "${ODOO[@]}" -i "$MODULES" --with-demo --stop-after-init --log-level=warn
    echo "$addon_stamp" > "$stamp_file"
elif [ "$(cat "$stamp_file" 2>/dev/null)" != "$addon_stamp" ]; then
    say "Updating $MODULES in $DB"
    "${ODOO[@]}" -i "$MODULES" -u "$MODULES" --stop-after-init --log-level=warn
    echo "$addon_stamp" > "$stamp_file"
fi

say "Odoo is starting: http://127.0.0.1:$PORT  (login admin / password admin, database $DB)"
echo "http://127.0.0.1:$PORT"
exec "${ODOO[@]}" "$@"
