#!/usr/bin/env bash
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Every pre-commit hook on every tracked file, offline: the tools come pinned
# from requirements/lint.txt into .venv-lint, the hooks are `language: system`.
source "$(dirname "$0")/lib.sh"

ensure_lint_venv
export PATH="$LINT_VENV/bin:$PATH"
export PRE_COMMIT_HOME="$CACHE/pre-commit"
cd "$REPO"
pre-commit run --all-files --show-diff-on-failure --color=never
