# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Every target bootstraps what it needs (venv, Odoo source, PostgreSQL, Chromium).

.PHONY: run test faults bench lint wheel readme pot freeze clean

run:  ## Odoo with customer_success, customer_success_l10n_br and demo data on http://127.0.0.1:8069
	@bash scripts/run.sh

test:  ## fresh database, every test of both addons, install/uninstall cycle
	@bash scripts/test.sh

faults:  ## two cron workers at once on committed data, on a fresh database
	@bash scripts/faults.sh

bench:  ## the benchmark against OCA account_credit_control (BENCH_SIZES="2000 20000")
	@bash bench/run.sh

lint:  ## pre-commit hooks, offline
	@bash scripts/lint.sh

wheel:  ## build dist/odoo_addon_customer_success{,_l10n_br}-*.whl with whool
	@bash scripts/wheel.sh

readme:  ## regenerate each addon's README.rst from its readme/*.md
	@python3 scripts/gen_readme.py

pot:  ## export each addon's .pot and merge it into its pt_BR.po
	@bash scripts/i18n.sh

freeze:  ## rewrite the constraints files from the current venvs
	@bash -c 'source scripts/lib.sh; ensure_venv; ensure_lint_venv; \
	  { echo "# pip freeze of .venv, written by: make freeze"; \
	    "$$VENV/bin/pip" freeze --all --exclude-editable | grep -vE "^(pip|odoo)=="; } \
	    > requirements/constraints.txt; \
	  { echo "# pip freeze of .venv-lint, written by: make freeze"; \
	    "$$LINT_VENV/bin/pip" freeze --all | grep -v "^pip=="; } \
	    > requirements/lint-constraints.txt'

clean:  ## remove the venvs and caches (databases stay)
	rm -rf .venv .venv-lint .cache dist
