#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Export the .pot of each addon (customer_success and its bridges)
# from a database where they are up to date, then merge it into the addon's
# i18n/pt_BR.po (new entries arrive untranslated: translate them; `make lint`
# fails while any is left).
source "$(dirname "$0")/lib.sh"

ADDONS=("${CS_ADDONS[@]}")
MODULES="$CS_MODULES"

ensure_postgres
ensure_venv
DB="${CS_I18N_DB:-cs_i18n}"
conf="$CACHE/i18n.conf"
printf '[options]\ndb_user = %s\naddons_path = %s\ndata_dir = %s\n' \
    "$DB_USER" "$(addons_path)" "$CACHE/filestore" > "$conf"
mapfile -t OPTS < <(odoo_options)
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${OPTS[@]}" -d "$DB" -i "$MODULES" \
    -u "$MODULES" --stop-after-init --log-level=warn --without-demo
for addon in "${ADDONS[@]}"; do
    i18n="$REPO/$addon/i18n"
    mkdir -p "$i18n"
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" i18n export -c "$conf" -d "$DB" \
        -o "$i18n/$addon.pot" "$addon"
    if [ -f "$i18n/pt_BR.po" ]; then
        msgmerge --quiet --update --backup=none --no-fuzzy-matching \
            "$i18n/pt_BR.po" "$i18n/$addon.pot"
    else
        msginit --no-translator --locale=pt_BR --input="$i18n/$addon.pot" \
            --output-file="$i18n/pt_BR.po"
    fi
    say "Wrote $i18n/$addon.pot and merged pt_BR.po"
done
