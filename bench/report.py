# Copyright 2026 customer_success contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Merge the runs of bench.py into one JSON file and print the table, each
figure next to its target."""

import datetime
import json
import sys

TARGETS = {
    "ratio": 5.0,  # times faster than credit control per invoice
    "query_growth": 0.10,  # queries per invoice, 2,000 -> 20,000 customers
    "health_seconds": 20.0,  # for 20,000 customers (issue 14; it was 60)
    # issue 17: with a year of daily snapshots, at most 20% over the 14.9 s
    # of 20,000 customers before it (2026-12-03, no history)
    "health_seconds_before": 14.9,
    "health_growth": 0.20,
    "report_seconds": 1.0,
    # Health Validation over a year of daily snapshots (issue 17)
    "validation_seconds": 2.0,
    # issue 16: every shipped play evaluated for 20,000 customers
    "plays_seconds": 30.0,
    # issue 16: the daily health recompute with the plays' automation rules
    # active, at most 20% over its time with them archived
    "plays_health_growth": 0.20,
}
# the reports with a target of their own
OWN_TARGET = {"health_validation": "validation_seconds"}


def per_thousand(run):
    if not run or not run.get("invoices"):
        return None
    return run["seconds"] / run["invoices"] * 1000


def fmt(value, prefix=""):
    return "not measured" if value is None else f"{prefix}{value:.2f}"


def slowest_report(run):
    """The slowest of the reports held to the common target."""
    return max(
        (
            seconds
            for name, seconds in run.get("reports", {}).items()
            if name not in OWN_TARGET
        ),
        default=0.0,
    )


def validation(run):
    seconds = run.get("reports", {}).get("health_validation")
    if seconds is None:
        return "not measured"
    queries = run.get("report_queries", {}).get("health_validation")
    return f"{seconds:.3f}" + (f" ({queries})" if queries is not None else "")


def carry_dunning_over(output, runs):
    """Runs without the dunning (``BENCH_ONLY=plays``) keep the dunning
    figures of the same size from ``output``, with their date."""
    try:
        with open(output) as file:
            previous = json.load(file)
    except (OSError, ValueError):
        return
    by_size = {run["customers"]: run for run in previous.get("runs", [])}
    for run in runs:
        last = by_size.get(run["customers"])
        if "ours" in run or not last or "ours" not in last:
            continue
        run["ours"], run["peer"] = last["ours"], last["peer"]
        run["dunning_from"] = last.get("dunning_from") or previous.get("date")


def main():
    output, runs = sys.argv[1], []
    for path in sys.argv[2:]:
        with open(path) as file:
            runs.append(json.load(file))
    carry_dunning_over(output, runs)
    rows, checks = [], []
    for run in runs:
        ours, peer = per_thousand(run["ours"]), per_thousand(run["peer"])
        run["ours"]["seconds_per_1000"] = ours
        run.setdefault("peer", {"invoices": 0, "seconds": None, "queries": 0})
        run["peer"]["seconds_per_1000"] = peer
        run["ours"]["queries_per_invoice"] = run["ours"]["queries"] / max(
            run["ours"]["invoices"], 1
        )
        run["peer"]["queries_per_invoice"] = run["peer"]["queries"] / max(
            run["peer"]["invoices"], 1
        )
        run["ratio"] = peer / ours if ours and peer else None
        rows.append(run)
        if run["ratio"] is not None:
            checks.append(
                (
                    (
                        f"{run['customers']} customers: dunning "
                        f"x{run['ratio']:.2f} as fast as credit control per invoice"
                        + (
                            f" (run of {run['dunning_from']})"
                            if run.get("dunning_from")
                            else ""
                        )
                    ),
                    run["ratio"] >= TARGETS["ratio"],
                    f">= x{TARGETS['ratio']:.0f}",
                )
            )
        slowest = slowest_report(run)
        checks.append(
            (
                f"{run['customers']} customers: slowest report {slowest:.3f} s",
                slowest < TARGETS["report_seconds"],
                f"< {TARGETS['report_seconds']:.0f} s",
            )
        )
        for name, target in OWN_TARGET.items():
            if name in run.get("reports", {}):
                checks.append(
                    (
                        (
                            f"{run['customers']} customers: {name} "
                            f"{run['reports'][name]:.3f} s"
                        ),
                        run["reports"][name] < TARGETS[target],
                        f"< {TARGETS[target]:.0f} s",
                    )
                )
        if run["customers"] >= 20000:
            checks.append(
                (
                    (
                        f"{run['customers']} customers: health recompute "
                        f"{run['health']['seconds']:.1f} s"
                    ),
                    run["health"]["seconds"] < TARGETS["health_seconds"],
                    f"< {TARGETS['health_seconds']:.0f} s",
                )
            )
            before = TARGETS["health_seconds_before"]
            limit = before * (1 + TARGETS["health_growth"])
            checks.append(
                (
                    (
                        f"{run['customers']} customers: health recompute "
                        f"{run['health']['seconds'] / before - 1:+.0%} on the "
                        f"{before} s before issue 17"
                    ),
                    run["health"]["seconds"] <= limit,
                    f"<= {limit:.1f} s",
                )
            )
        plays = run.get("plays")
        if plays and run["customers"] >= 20000:
            checks.append(
                (
                    (
                        f"{run['customers']} customers: every play evaluated "
                        f"{plays['seconds']:.1f} s ({plays['queries']} queries)"
                    ),
                    plays["seconds"] < TARGETS["plays_seconds"],
                    f"< {TARGETS['plays_seconds']:.0f} s",
                )
            )
        elif run["customers"] >= 20000:
            checks.append(
                (
                    (
                        f"{run['customers']} customers: every play evaluated: "
                        "not measured (the run stopped before)"
                    ),
                    False,
                    f"< {TARGETS['plays_seconds']:.0f} s",
                )
            )
        off_on = run.get("health_plays")
        if off_on:
            growth = off_on["on"]["seconds"] / off_on["off"]["seconds"] - 1
            checks.append(
                (
                    (
                        f"{run['customers']} customers: daily health recompute "
                        f"with the plays {off_on['on']['seconds']:.2f} s, without "
                        f"{off_on['off']['seconds']:.2f} s ({growth:+.0%})"
                    ),
                    growth <= TARGETS["plays_health_growth"],
                    f"<= +{TARGETS['plays_health_growth']:.0%}",
                )
            )
    if len(rows) >= 2:
        small, large = rows[0], rows[-1]
        growth = (
            large["ours"]["queries_per_invoice"] / small["ours"]["queries_per_invoice"]
            - 1
        )
        checks.append(
            (
                (
                    f"queries per invoice {small['ours']['queries_per_invoice']:.1f} "
                    f"-> {large['ours']['queries_per_invoice']:.1f} ({growth:+.0%})"
                ),
                growth <= TARGETS["query_growth"],
                f"<= +{TARGETS['query_growth']:.0%}",
            )
        )
    summary = {
        "date": datetime.date.today().isoformat(),
        "cores": rows[0]["cores"] if rows else None,
        "targets": TARGETS,
        "runs": rows,
        "checks": [
            {"check": text, "met": met, "target": target}
            for text, met, target in checks
        ],
    }
    with open(output, "w") as file:
        json.dump(summary, file, indent=2, default=str)
        file.write("\n")
    print(f"\nBenchmark of {summary['date']} on {summary['cores']} cores\n")
    print(
        "| customers | invoices | dunned | ours s/1000 | credit_control s/1000 | ratio "
        "| queries/invoice (ours, peer) | health s (queries) | slowest report s "
        "| health_validation s (queries) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for run in rows:
        ours, peer = run["ours"], run["peer"]
        cells = [
            run["customers"],
            run["invoices"],
            ours["invoices"]
            # carried over from an earlier run (BENCH_ONLY=plays)
            if not run.get("dunning_from")
            else f"{ours['invoices']} (run of {run['dunning_from']})",
            f"{ours['seconds_per_1000']:.2f}",
            fmt(peer["seconds_per_1000"]),
            fmt(run["ratio"], "x"),
            (
                f"{ours['queries_per_invoice']:.1f}, "
                f"{fmt(peer['queries_per_invoice'] or None)}"
            ),
            f"{run['health']['seconds']:.1f} ({run['health']['queries']})",
            f"{slowest_report(run):.3f}",
            validation(run),
        ]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")
    print()
    print(
        "| customers | plays opening s (queries; records, opened) "
        "| plays again s (queries) | daily health without plays s (queries) "
        "| with plays s (queries) | opened by the day's run |"
    )
    print("|---|---|---|---|---|---|")
    for run in rows:
        opening, plays = run.get("plays_open"), run.get("plays")
        off_on = run.get("health_plays")
        off, on = (off_on["off"], off_on["on"]) if off_on else ({}, {})
        cells = [
            run["customers"],
            (
                f"{opening['seconds']:.2f} ({opening['queries']}; "
                f"{opening['records']}, {opening['opened']})"
                if opening
                else "not measured"
            ),
            f"{plays['seconds']:.2f} ({plays['queries']})" if plays else "not measured",
            f"{off['seconds']:.2f} ({off['queries']})" if off else "not measured",
            f"{on['seconds']:.2f} ({on['queries']})" if on else "not measured",
            on.get("opened", "-"),
        ]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")
    print()
    for text, met, target in checks:
        print(f"{'met ' if met else 'MISS'} {text} (target {target})")


if __name__ == "__main__":
    main()
