#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Export customer_success.pot from a database where the addon is up to date,
# then merge it into i18n/pt_BR.po (new entries arrive untranslated: translate
# them; `make lint` fails while any is left).
source "$(dirname "$0")/lib.sh"

ensure_postgres
ensure_venv
DB="${CS_I18N_DB:-cs_i18n}"
conf="$CACHE/i18n.conf"
printf '[options]\ndb_user = %s\naddons_path = %s\ndata_dir = %s\n' \
    "$DB_USER" "$(addons_path)" "$CACHE/filestore" > "$conf"
mapfile -t OPTS < <(odoo_options)
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${OPTS[@]}" -d "$DB" -i customer_success \
    -u customer_success --stop-after-init --log-level=warn --without-demo
i18n="$REPO/customer_success/i18n"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" i18n export -c "$conf" -d "$DB" \
    -o "$i18n/customer_success.pot" customer_success
if [ -f "$i18n/pt_BR.po" ]; then
    msgmerge --quiet --update --backup=none --no-fuzzy-matching \
        "$i18n/pt_BR.po" "$i18n/customer_success.pot"
else
    msginit --no-translator --locale=pt_BR --input="$i18n/customer_success.pot" \
        --output-file="$i18n/pt_BR.po"
fi
say "Wrote $i18n/customer_success.pot and merged pt_BR.po"
