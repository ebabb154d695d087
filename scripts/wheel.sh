#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Build the addon's wheel with whool, then prove it: install it into a fresh
# venv next to Odoo and check that Odoo finds customer_success as installable.
source "$(dirname "$0")/lib.sh"

ensure_venv
ensure_lint_venv
cd "$REPO"
rm -rf dist
# whool is pinned in the lint venv: build without isolation so nothing is fetched.
"$LINT_VENV/bin/pip" wheel --quiet --no-deps --no-build-isolation \
    --wheel-dir dist ./customer_success
# the version the wheel must carry: the manifest's
version="$("$PYTHON" -c 'import ast, sys; print(ast.literal_eval(open(sys.argv[1]).read())["version"])' customer_success/__manifest__.py)"
wheel="$(ls dist/odoo_addon_customer_success-"$version"-*.whl)"
say "Built $wheel"

check_venv="$CACHE/wheel-check-venv"
rm -rf "$check_venv"
"$PYTHON" -m venv "$check_venv"
# A fresh venv "next to Odoo": the Odoo source on its path (what an editable
# install in compat mode writes), Odoo's requirements borrowed from .venv.
site_check="$("$check_venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
site_main="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$ODOO_SRC" > "$site_check/odoo-src.pth"
echo "$site_main" > "$site_check/zz-odoo-requirements.pth"
"$check_venv/bin/pip" install --quiet --no-deps "$wheel"
CS_VERSION="$version" ODOO_ADDONS="$ODOO_SRC/addons" "$check_venv/bin/python" - <<'PY'
import os

import odoo.addons

# as odoo-bin does from its addons path: Odoo's own addons (portal, account)
# next to the ones installed from wheels
odoo.addons.__path__.append(os.environ["ODOO_ADDONS"])
import odoo.addons.customer_success as addon  # noqa: E402
from odoo.modules.module import Manifest

manifest = Manifest.for_addon("customer_success")
assert manifest and manifest["installable"], "customer_success is not installable"
assert manifest["version"] == os.environ["CS_VERSION"], manifest["version"]
print(f"customer_success {manifest['version']} installable from {addon.__path__[0]}")
PY
