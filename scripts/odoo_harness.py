#!/usr/bin/env python3
# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run Odoo in-process and judge the result the way CI must.

Odoo prints no reliable total of the tests it ran, logs a skipped browser tour
as a mere INFO line, and an ERROR logged during install does not change its exit
code. This driver runs Odoo itself and reads the test report and the log
records directly:

    odoo_harness.py test   RESULT.json -- <odoo options>   install + tests
    odoo_harness.py cycle  RESULT.json -- <odoo options>   install, uninstall,
                                                            install again
    odoo_harness.py summary RESULT.json [RESULT.json ...]  print the verdict

Before the tests, `test` starts Chromium once the way the browser tours will,
without Odoo's 10 s wait, so that a new machine's slow first start does not
skip the first tour.

Every check of `cycle` and every Odoo test counts as one test in the summary.
A skipped HttpCase (a browser tour that could not start Chromium) counts as a
failure, and so does any ERROR or CRITICAL log record.
"""

import json
import logging
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date

MODULE = "customer_success"
# the Brazilian bridge, installed and tested with it (it brings l10n_br)
BRIDGE = "customer_success_l10n_br"
# the helpdesk bridge, installed and tested with it (it brings OCA helpdesk_mgmt)
HELPDESK = "customer_success_helpdesk"
MODULES = (MODULE, BRIDGE, HELPDESK)
# a record of the last demo file with records: the demo data loaded
LAST_DEMO_RECORD = "cs_demo_inga_subscription"
# Odoo's browser tests wait 10 s for Chromium's devtools port; the very first
# start on a new machine (cold disk cache, fontconfig cache to build) can take
# longer, so the warm-up start waits this long.
CHROME_WARM_UP_WAIT = 120


class _BadRecords(logging.Handler):
    """Keep every ERROR and CRITICAL record, whoever logs it."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(f"{record.name}: {record.getMessage()}"[:500])


def _start_odoo(odoo_args):
    import odoo
    from odoo.tools import config

    config.parse_config(odoo_args, setup_logging=True)
    handler = _BadRecords()
    logging.getLogger().addHandler(handler)
    return odoo, config, handler


def _watch_tour_skips():
    """Count the HttpCase tests that Odoo skipped (tours without a browser)."""
    from odoo.tests import HttpCase
    from odoo.tests.result import OdooTestResult

    skipped_tours = []
    original = OdooTestResult.addSkip

    def addSkip(self, test, reason):
        if isinstance(test, HttpCase):
            skipped_tours.append(f"{test.id()}: {reason}")
        return original(self, test, reason)

    OdooTestResult.addSkip = addSkip
    return skipped_tours


def _warm_up_chrome():
    """Start Chromium once, headless, exactly as Odoo's browser tests will
    (Odoo builds the command line: same switches, a fresh temporary profile),
    wait for its devtools port without Odoo's 10 s limit, and stop it.

    Without this the first tour of a new machine is skipped when Chromium's
    first start is slower than Odoo's wait. Returns the seconds it took, or
    None when Chromium did not start (the tours will then report it)."""
    from odoo.tests.common import ChromeBrowser

    class WarmUp(ChromeBrowser):
        def __init__(self):  # pylint: disable=super-init-not-called
            self._logger = logging.getLogger(__name__)
            self.user_data_dir = tempfile.mkdtemp(suffix="_chrome_warm_up")

        def _spawn_chrome(self, cmd):
            proc = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            port_file = pathlib.Path(self.user_data_dir, "DevToolsActivePort")
            deadline = time.monotonic() + CHROME_WARM_UP_WAIT
            while time.monotonic() < deadline and proc.poll() is None:
                if port_file.is_file() and port_file.stat().st_size > 5:
                    return proc, 0
                time.sleep(0.1)
            return proc, None

    start = time.monotonic()
    browser = WarmUp()
    proc = None
    try:
        proc, port = browser._chrome_start(browser.user_data_dir, touch_enabled=False)
    except Exception:  # noqa: BLE001 - Odoo raises SkipTest when it finds no Chromium
        port = None
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(browser.user_data_dir, ignore_errors=True)
    if port is None:
        logging.getLogger(__name__).warning("Chromium did not start for the warm-up")
        return None
    return time.monotonic() - start


def run_tests(result_path, odoo_args):
    odoo, config, handler = _start_odoo(odoo_args)
    skipped_tours = _watch_tour_skips()
    warm_up = _warm_up_chrome()
    logging.getLogger(__name__).info(
        "Chromium warm-up: %s",
        f"started in {warm_up:.1f} s" if warm_up is not None else "failed",
    )
    from odoo.modules.registry import Registry
    from odoo.service import (
        db,
        server,
    )

    dbname = config["db_name"][0]
    # As odoo-bin does: create the empty database and install base into it.
    db._create_empty_database(dbname)
    config["init"]["base"] = True
    # server.start() serves HTTP (browser tours need it) around the preload;
    # catch the registry's test report on the way out of the preload.
    reports = []
    preload = server.preload_registries

    def preload_and_keep_report(dbnames):
        rc = preload(dbnames)
        if rc != -1:
            reports.append(Registry(dbnames[0])._assertion_report)
        return rc

    server.preload_registries = preload_and_keep_report
    rc = server.start(preload=[dbname], stop=True)
    report = reports[0] if reports else None
    module_state = _module_state(odoo, dbname)
    result = {
        "name": "tests",
        "ran": report.testsRun if report else 0,
        "failures": report.failures_count if report else 0,
        "errors": report.errors_count if report else 0,
        "skipped": report.skipped if report else 0,
        "skipped_tours": skipped_tours,
        "error_logs": handler.records,
        "crashed": rc == -1,
        "chrome_warm_up_seconds": warm_up,
        "module_state": module_state,
    }
    odoo.sql_db.close_all()
    _write(result_path, result)


def _module_state(odoo, dbname):
    """The state of each of MODULES in ``dbname`` once the run is over: their
    own tests cannot tell that they failed to install, as they then do not
    run at all."""
    try:
        with odoo.sql_db.db_connect(dbname).cursor() as cr:
            cr.execute(
                "SELECT name, state FROM ir_module_module WHERE name IN %s",
                [MODULES],
            )
            states = dict(cr.fetchall())
    except Exception as exc:  # noqa: BLE001 - reported as the state
        return dict.fromkeys(MODULES, f"unreadable ({type(exc).__name__})")
    return {name: states.get(name, "unknown") for name in MODULES}


def run_cycle(result_path, odoo_args):
    """Install (with demo data), uninstall and install again, watching the log;
    then run subscription_oca's invoicing job on the demo data."""
    odoo, config, handler = _start_odoo(odoo_args)
    from odoo import api
    from odoo.modules.registry import Registry

    dbname = config["db_name"][0]
    checks = []

    def check(name, function):
        before = len(handler.records)
        try:
            problem = function()
        except Exception as exc:
            logging.getLogger(__name__).exception("check %s crashed", name)
            problem = f"{type(exc).__name__}: {exc}"
        errors = handler.records[before:]
        checks.append(
            {
                "name": name,
                "ok": not problem and not errors,
                "problem": problem,
                "error_logs": errors,
            }
        )

    def set_state(action, names, first_install=False):
        registry = Registry.new(dbname)
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            modules = env["ir.module.module"].search([("name", "in", names)])
            getattr(modules, action)()
        with Registry.new(dbname).cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            modules = env["ir.module.module"].search([("name", "in", MODULES)])
            states = {module.name: module.state for module in modules}
            menu = env.ref(f"{MODULE}.customer_success_menu_root", False)
            # Odoo installs without the demo data when it fails to load
            # (a warning, not an error): the demo's last record tells, and
            # the bridge's Brazilian company the administrator lands on
            demo = bool(env.ref(f"{MODULE}.{LAST_DEMO_RECORD}", False))
            # the helpdesk bridge's demo: its tickets count in the health of
            # their customer (the support column of today's snapshot)
            ticket = env.ref(f"{HELPDESK}.cs_demo_ticket_rio_cloud_down", False)
            demo = demo and bool(
                ticket
                and env["cs.health.snapshot"].search_count(
                    [
                        ("partner_id", "=", ticket.commercial_partner_id.id),
                        ("support_score", "!=", False),
                    ]
                )
            )
            admin = env.ref("base.user_admin")
            company = admin.company_id
            bridge_demo = (
                company.chart_template == "br"
                and company.currency_id.name == "BRL"
                and bool(company.partner_id.bank_ids)
            )
            if bridge_demo and first_install:
                # the day's reminders carry their Pix code (the EMV payload
                # names Brazil's Pix) and the calls of the billing plays
                # (the final notice's) read in pt_BR, as they were written
                # once installed
                invoices = env["account.move"].search(
                    [("company_id", "=", company.id), ("move_type", "=", "out_invoice")]
                )
                bodies = invoices.cs_dunning_log_ids.message_id.mapped("body")
                summaries = (
                    env["cs.cta"]
                    .search(
                        [("company_id", "=", company.id), ("cta_type", "=", "billing")]
                    )
                    .activity_ids.mapped("summary")
                )
                bridge_demo = (
                    len(bodies) == 5
                    and all("br.gov.bcb.pix" in str(body) for body in bodies)
                    and bool(summaries)
                    and "Call the customer about the final notice" not in summaries
                )
        return states, menu, demo, bridge_demo

    def install(first_install=False):
        # both, as make run does (the bridge alone would wait for l10n_br);
        # the second install finds the Brazilian company and its reminders
        # of the first one
        states, menu, demo, bridge_demo = set_state(
            "button_immediate_install", list(MODULES), first_install
        )
        if set(states.values()) != {"installed"} or not menu or not demo:
            return (
                f"after install: states {states}, menu {bool(menu)}, demo data {demo}"
            )
        if not bridge_demo:
            return (
                "after install: the administrator is not on the Brazilian "
                "company, or its reminders lack their Pix code, or its "
                "activities are not in pt_BR"
            )

    def uninstall():
        # the bridge goes with customer_success
        states, menu, _demo, _bridge = set_state("button_immediate_uninstall", [MODULE])
        if set(states.values()) != {"uninstalled"} or menu:
            return f"after uninstall: states {states}, menu {bool(menu)}"

    check("install with demo data", lambda: install(first_install=True))
    check("uninstall", uninstall)
    check("install again", install)
    check(
        "no PDF kept from the demo install (rendered without its styles)",
        lambda: check_no_install_pdf(dbname),
    )
    check(
        "subscription_oca's invoicing cron on the demo data",
        lambda: check_invoicing_cron(dbname),
    )
    odoo.sql_db.close_all()
    _write(result_path, {"name": "cycle", "checks": checks})


def check_no_install_pdf(dbname):
    """During an install no web server answers wkhtmltopdf's requests for
    the report styles: a PDF kept from then is a broken document."""
    from odoo import api
    from odoo.modules.registry import Registry

    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        pdfs = env["ir.attachment"].search(
            [
                ("mimetype", "=", "application/pdf"),
                ("res_model", "in", ("account.move", "cs.handoff")),
            ]
        )
        if pdfs:
            return f"{len(pdfs)} PDFs: {', '.join(pdfs.mapped('name')[:5])}"


def check_invoicing_cron(dbname):
    """Run subscription_oca's invoicing job on the demo data as the scheduler
    runs it (in its own transaction, committed); the problem found, if any."""
    from odoo import api
    from odoo.modules.registry import Registry

    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        due = env["sale.subscription"].search(
            [
                ("in_progress", "=", True),
                ("is_paused", "=", False),
                ("recurring_next_date", "<=", date.today()),
                ("sale_subscription_line_ids", "!=", False),
            ]
        )
        cron = env.ref("subscription_oca.ir_cron_subscription_management")
        result = cron.method_direct_trigger()
    if not due:
        return "no demo subscription is due: the job had nothing to invoice"
    if result is not True:
        return "the job failed"
    # a new transaction, to see what the job committed
    with Registry(dbname).cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        invoiced = (
            env["account.move"]
            .search([("subscription_id", "in", due.ids)])
            .subscription_id
        )
        missing = env["sale.subscription"].browse(due.ids) - invoiced
        if missing:
            return (
                f"{len(missing)} of {len(due)} due demo subscriptions "
                f"not invoiced: {', '.join(missing.mapped('display_name'))}"
            )


def _write(path, result):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)


def summary(paths):
    passed = failed = skipped = 0
    problems = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                result = json.load(handle)
        except (OSError, ValueError):
            failed += 1
            problems.append(f"{path}: no result (the run died before writing it)")
            continue
        if result["name"] == "tests":
            bad = result["failures"] + result["errors"]
            tours = len(result["skipped_tours"])
            failed += bad + tours
            skipped += result["skipped"] - tours
            passed += result["ran"] - bad - result["skipped"]
            problems += [f"skipped browser tour: {t}" for t in result["skipped_tours"]]
            if result["crashed"]:
                failed += 1
                problems.append("Odoo failed to load the database")
            states = result.get("module_state") or {}
            for name in MODULES:
                if states.get(name) != "installed":
                    failed += 1
                    problems.append(
                        f"{name} is not installed (state: {states.get(name)})"
                    )
            if result["ran"] == 0:
                failed += 1
                problems.append("no test ran")
            if result["error_logs"] and not bad:
                failed += 1
                problems += [f"ERROR logged: {e}" for e in result["error_logs"]]
        else:
            for check in result["checks"]:
                if check["ok"]:
                    passed += 1
                else:
                    failed += 1
                    problems.append(f"{check['name']}: {check['problem'] or ''}")
                    problems += [f"  ERROR logged: {e}" for e in check["error_logs"]]
    for problem in problems:
        print(problem)
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed or not passed else 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "summary":
        return summary(argv[1:])
    if len(argv) >= 3 and argv[0] in ("test", "cycle") and argv[2] == "--":
        {"test": run_tests, "cycle": run_cycle}[argv[0]](argv[1], argv[3:])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
