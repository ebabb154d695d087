# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Shared bootstrap for run.sh, test.sh, lint.sh and wheel.sh: source it.
# Every step is idempotent and cheap when there is nothing to do.

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo/19.0}"
ODOO_BRANCH="19.0"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
VENV="${CS_VENV:-$REPO/.venv}"
PYTHON="${PYTHON:-python3}"
DB_USER="${CS_DB_USER:-odoo}"
CACHE="$REPO/.cache"
# the addons of the repository: customer_success, its Brazilian bridge (with
# l10n_br) and its helpdesk bridge (with OCA helpdesk_mgmt)
CS_ADDONS=(customer_success customer_success_l10n_br customer_success_helpdesk)
CS_MODULES="$(IFS=,; echo "${CS_ADDONS[*]}")"
mkdir -p "$CACHE"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Odoo source: $ODOO_SRC, else /opt/odoo/19.0, else a shallow clone of 19.0.
ensure_odoo_src() {
    if [ -f "$ODOO_SRC/odoo/release.py" ]; then
        return
    fi
    say "No Odoo source at $ODOO_SRC: cloning the $ODOO_BRANCH branch (shallow)"
    command -v git >/dev/null || die "git is needed to fetch Odoo into $ODOO_SRC"
    mkdir -p "$(dirname "$ODOO_SRC")"
    git clone --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_SRC" \
        || die "could not clone Odoo $ODOO_BRANCH into $ODOO_SRC; put the source there or set ODOO_SRC"
    [ -f "$ODOO_SRC/odoo/release.py" ] || die "$ODOO_SRC does not hold an Odoo source tree"
}

_apt_updated=""
# ensure_command COMMAND DEBIAN_PACKAGE: install the package when the command is missing.
ensure_command() {
    local cmd="$1" pkg="$2"
    command -v "$cmd" >/dev/null && return
    command -v apt-get >/dev/null || die "$cmd is missing; install the $pkg package"
    [ "$(id -u)" = 0 ] || die "$cmd is missing; run: sudo apt-get install $pkg"
    say "Installing $pkg (Debian package)"
    if [ -z "$_apt_updated" ]; then
        apt-get update -qq >&2
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >&2 \
        || die "apt-get could not install $pkg"
}

# PostgreSQL: start it when installed but stopped; fail clearly when absent.
ensure_postgres() {
    if ! command -v pg_isready >/dev/null && ! command -v pg_lsclusters >/dev/null; then
        die "PostgreSQL is not installed. Install it (apt-get install postgresql) and run again."
    fi
    if ! pg_isready -q 2>/dev/null; then
        command -v pg_lsclusters >/dev/null \
            || die "PostgreSQL is installed but not running, and pg_ctlcluster is not there to start it."
        say "Starting PostgreSQL"
        local version name
        while read -r version name _; do
            pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start >&2 || true
        done < <(pg_lsclusters --no-header)
        for _ in $(seq 1 30); do
            pg_isready -q && break
            sleep 1
        done
        pg_isready -q || die "PostgreSQL did not start; see /var/log/postgresql/"
    fi
    _psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'" | grep -q 1 \
        || { say "Creating the PostgreSQL role $DB_USER"; \
             _psql_admin -qc "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB"; }
}

_psql_admin() {
    if psql -U postgres -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
        psql -U postgres -d postgres "$@"
    elif [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
        runuser -u postgres -- psql -d postgres "$@"
    else
        psql -d postgres "$@"
    fi
}

# A venv is rebuilt only when its inputs change: its pinned requirement files,
# the Python interpreter and, for Odoo's venv, the Odoo source tree in use.
# _build_venv DIR CONSTRAINTS WITH_ODOO REQUIREMENT...
_build_venv() {
    local dir="$1" constraints="$2" with_odoo="$3" stamp
    shift 3
    local inputs=("$REPO/requirements/pip.txt" "$REPO/requirements/build-constraints.txt"
                  "$constraints" "$@")
    stamp="$( (cat "${inputs[@]}"; "$PYTHON" --version; \
               if [ "$with_odoo" = 1 ]; then echo "$ODOO_SRC"; cat "$ODOO_SRC/odoo/release.py"; fi) \
             | sha256sum | cut -d' ' -f1)"
    if [ -f "$dir/.cs-stamp" ] && [ "$(cat "$dir/.cs-stamp")" = "$stamp" ]; then
        return
    fi
    say "Building the virtualenv $dir (first run, or its inputs changed)"
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$REPO/requirements/pip.txt"
    local pip=("$dir/bin/pip" install --quiet --disable-pip-version-check
               --build-constraint "$REPO/requirements/build-constraints.txt"
               --constraint "$constraints")
    if [ "$with_odoo" = 1 ]; then
        # Odoo first, editable in "compat" mode (a .pth file), so that the addons
        # installed from PyPI into site-packages/odoo/addons join the odoo
        # namespace. Its dependencies come pinned from requirements/odoo.txt.
        "${pip[@]}" --no-deps --config-settings editable_mode=compat -e "$ODOO_SRC"
    fi
    local req args=()
    for req in "$@"; do args+=(-r "$req"); done
    "${pip[@]}" "${args[@]}"
    echo "$stamp" > "$dir/.cs-stamp"
}

# Odoo, its pinned requirements, the OCA addons and the test tools.
ensure_venv() {
    ensure_odoo_src
    _build_venv "$VENV" "$REPO/requirements/constraints.txt" 1 \
        "$REPO/requirements/odoo.txt" "$REPO/requirements/oca.txt" \
        "$REPO/requirements/test.txt"
}

# The lint tools live apart: they want newer lxml than Odoo's pin.
LINT_VENV="${CS_LINT_VENV:-$REPO/.venv-lint}"
ensure_lint_venv() {
    _build_venv "$LINT_VENV" "$REPO/requirements/lint-constraints.txt" 0 \
        "$REPO/requirements/lint.txt"
}

addons_path() {
    echo "$ODOO_SRC/addons,$REPO"
}

# Common Odoo options: local database role, our addons path, loopback only.
odoo_options() {
    printf '%s\n' --db_user="$DB_USER" --addons-path="$(addons_path)" \
        --http-interface=127.0.0.1 --data-dir="$CACHE/filestore"
}

db_exists() {
    _psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

drop_db() {
    if db_exists "$1"; then
        _psql_admin -qc "DROP DATABASE \"$1\" WITH (FORCE)"
    fi
    rm -rf "$CACHE/filestore/filestore/$1"
}
