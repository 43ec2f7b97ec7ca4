"""`python -m bench [--quick]`: the platform's figures, printed, and kept in bench/results/.

Letters renders and stores a day-7 notice for 10,000 cases (2,000 with ``--quick``).
The pipeline runs ``BENCH_CASES`` cases (default 100,000; 20,000 with ``--quick``)
through the whole platform; intake alone runs 100,000 and 1,000,000 rows (100,000 with
``--quick``); each consumer's batch path runs alone on SQLite; contact's attempts and
contact-check run through its API in-process; reporting's rebuild and its heaviest reports
run alone over ``BENCH_REPORTING_CASES`` cases (200,000; 20,000 with ``--quick``);
the desk's first screen loads in headless Chromium on the platform with ``BENCH_CASES``.
``BENCH_DATABASE=postgres`` runs the pipeline, the consumers alone and reporting's rebuild
on a throw-away PostgreSQL server instead of SQLite files (the others stay on SQLite).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    assignment,
    consumers,
    contact,
    databases,
    desk,
    desk_screen,
    intake,
    letters,
    pipeline,
    reporting,
    summary,
)

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    parser.add_argument(
        "--only",
        choices=(
            "pipeline",
            "intake",
            "consumers",
            "assignment",
            "contact",
            "desk",
            "desk-screen",
            "letters",
            "reporting",
        ),
        help="run one part only",
    )
    args = parser.parse_args()
    cases = int(os.environ.get("BENCH_CASES") or (20_000 if args.quick else 100_000))
    record: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "quick": args.quick,
        "database": databases.kind(),
        "load_average": _load_average(),
    }
    if args.only in (None, "consumers"):
        alone = consumers.measure(20_000 if args.quick else 50_000)
        print(consumers.report(alone), flush=True)
        record["consumers_alone"] = alone
    if args.only in (None, "reporting"):
        size = int(os.environ.get("BENCH_REPORTING_CASES") or (20_000 if args.quick else 200_000))
        measured = reporting.measure(size)
        print(reporting.report(measured), flush=True)
        record["reporting_alone"] = measured
        exported = reporting.measure_exports(100_000 if args.quick else 1_000_000)
        print(f"reporting exports: {exported}", flush=True)
        record["reporting_exports"] = exported
    if args.only in (None, "pipeline"):
        figures = pipeline.measure(cases)
        print(pipeline.report(figures), flush=True)
        record["pipeline"] = figures.as_json()
    if args.only in (None, "letters"):
        drafted = letters.measure(2_000 if args.quick else 10_000)
        print(letters.report(drafted), flush=True)
        record["letters"] = {
            "cases": drafted.cases,
            "letters_per_second": round(drafted.rate),
            "bytes_per_letter": round(drafted.bytes_per_letter),
        }
    if args.only in (None, "intake"):
        runs = []
        for rows in [100_000] if args.quick else [100_000, 1_000_000]:
            measured = intake.measure(rows)
            print(intake.report(measured), flush=True)
            runs.append(
                {
                    "rows": rows,
                    "rows_per_second": round(measured.intake_rate),
                    "baseline_rows_per_second": round(measured.baseline_rate),
                    "peak_rss_mb": round(measured.intake_peak_rss_mb),
                }
            )
        record["intake_alone"] = runs
    if args.only in (None, "assignment"):
        record["assignment"] = assignment.main()
    if args.only in (None, "contact"):
        figures_contact = contact.measure(500 if args.quick else 2_000)
        print(contact.report(figures_contact), flush=True)
        record["contact_alone"] = figures_contact.as_json()
    if args.only in (None, "desk"):
        record["desk_reads"] = desk.main()
    if args.only in (None, "desk-screen"):
        screen = desk_screen.measure(cases)
        print(desk_screen.report(screen), flush=True)
        record["desk_first_screen"] = screen
    record["load_average"] = f"{record['load_average']} → {_load_average()}"
    print(summary.table(record), flush=True)
    RESULTS.mkdir(exist_ok=True)
    suffix = ("-quick" if args.quick else "") + (
        "-postgres" if databases.kind() == "postgres" else ""
    )
    out = RESULTS / f"{datetime.now(UTC):%Y-%m-%d-%H%M%S}{suffix}.json"
    out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(f"figures written to {out}")


def _load_average() -> str:
    """The 1-minute load average: the machine's business during the figures."""
    return f"{os.getloadavg()[0]:.1f}"


if __name__ == "__main__":
    main()
