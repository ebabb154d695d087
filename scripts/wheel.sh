#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Build the addons' wheels with whool (customer_success, its Brazilian bridge
# customer_success_l10n_br and its helpdesk bridge customer_success_helpdesk),
# then prove them: install them into a fresh venv next to Odoo and check that
# Odoo finds each addon installable.
source "$(dirname "$0")/lib.sh"

ADDONS=("${CS_ADDONS[@]}")

ensure_venv
ensure_lint_venv
cd "$REPO"
rm -rf dist
wheels=()
versions=()
for addon in "${ADDONS[@]}"; do
    # whool is pinned in the lint venv: build without isolation so nothing is fetched.
    "$LINT_VENV/bin/pip" wheel --quiet --no-deps --no-build-isolation \
        --wheel-dir dist "./$addon"
    # the version the wheel must carry: the manifest's
    version="$("$PYTHON" -c 'import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())["version"])' "$addon/__manifest__.py")"
    wheel="$(ls dist/odoo_addon_"$addon"-"$version"-*.whl)"
    say "Built $wheel"
    wheels+=("$wheel")
    versions+=("$addon=$version")
done

check_venv="$CACHE/wheel-check-venv"
rm -rf "$check_venv"
"$PYTHON" -m venv "$check_venv"
# A fresh venv "next to Odoo": the Odoo source on its path (what an editable
# install in compat mode writes), Odoo's requirements borrowed from .venv.
site_check="$("$check_venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
site_main="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$ODOO_SRC" > "$site_check/odoo-src.pth"
echo "$site_main" > "$site_check/zz-odoo-requirements.pth"
"$check_venv/bin/pip" install --quiet --no-deps "${wheels[@]}"
CS_VERSIONS="${versions[*]}" ODOO_ADDONS="$ODOO_SRC/addons" "$check_venv/bin/python" - <<'PY'
import importlib
import os

import odoo.addons

# as odoo-bin does from its addons path: Odoo's own addons (portal, account,
# l10n_br) next to the ones installed from wheels
odoo.addons.__path__.append(os.environ["ODOO_ADDONS"])
from odoo.modules.module import Manifest  # noqa: E402

for pair in os.environ["CS_VERSIONS"].split():
    name, version = pair.split("=")
    addon = importlib.import_module(f"odoo.addons.{name}")
    manifest = Manifest.for_addon(name)
    assert manifest and manifest["installable"], f"{name} is not installable"
    assert manifest["version"] == version, manifest["version"]
    # from the wheel, not from the repository
    assert "site-packages" in addon.__path__[0], addon.__path__
    print(f"{name} {manifest['version']} installable from {addon.__path__[0]}")
PY
