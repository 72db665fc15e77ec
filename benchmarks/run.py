"""Every benchmark in one command: figures against baselines measured in the same run, and the issue's targets.

    python -m benchmarks.run [--quick] [--output benchmarks/results.json] [--keep]

Builds a county's database (benchmarks.generate) in a temporary folder, then measures the reminder run, the
outbox's delivery, the main pages under load, the imports and the scheduler's memory, prints a table and
writes the figures as JSON. These machines are shared and noisy: ratios hold, absolute times drift.
"""

import argparse
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from benchmarks import web
from benchmarks.county import FULL, LARGE, QUICK, Scale, scaled
from benchmarks.generate import generate, upgrade_database
from benchmarks.harness import app_for, copy_database, machine, open_objectives, production_settings
from benchmarks.imports import bench_imports
from benchmarks.jobs import bench_delivery, bench_reminder_run, bench_reminder_write, bench_scheduler
from benchmarks.large import bench_large
from benchmarks.pages import bench_pages, first_view_addresses, large_lines, page_lines, page_targets
from benchmarks.targets import at_least, at_most
from config import PROJECT_ROOT
from scp_tracker.core.clock import utcnow
from scp_tracker.extensions import db
from scp_tracker.people.models import Contact, User
from scp_tracker.reminders.settings import load_settings, save_settings

RESULTS = PROJECT_ROOT / "benchmarks" / "results.json"
PASSWORD = "benchmark coordinator password"


@dataclass(frozen=True)
class RunSize:
    """How big and how long: the issue's figures, or a quick smoke check."""

    scale: Scale
    messages: int  # digests delivered through the outbox
    spreadsheet_rows: int
    wrk_seconds: int
    repeats: int  # timed runs of the reminder run, its baseline and the imports (the median is kept)


FULL_RUN = RunSize(scale=FULL, messages=2_000, spreadsheet_rows=1_000, wrk_seconds=10, repeats=3)
QUICK_RUN = RunSize(scale=QUICK, messages=200, spreadsheet_rows=1_000, wrk_seconds=3, repeats=1)


# --- targets -------------------------------------------------------------------------------------

def check_targets(results: dict) -> list[dict]:
    """The issue's targets for this 2-core machine, each met or missed by how much."""
    run, pages, imports = results["reminder_run"], results["pages"], results["import"]
    checks = [
        at_most("Reminder run: time", run["seconds"], 1.0, " s"),
        at_most("Reminder run: SQL queries", run["queries"], 12, ""),
        at_most("Reminder run: times its baseline", run["ratio"], 5.0, "×"),
        # 0.3, not 0.5, since issue 17: Flask-Mail's public Message re-parses every header as it writes.
        at_least("Delivery: share of plain smtplib's rate", results["delivery"]["ratio"], 0.3),
    ]
    checks += page_targets(pages, results.get("large"))
    checks += [
        at_most("Import: the real plan", imports["real_plan_seconds"], 0.5, " s"),
        at_most("Import: 1,000-row spreadsheet", imports.get("xlsx_1000_rows_seconds", 0.0), 5.0, " s"),
        at_most("Scheduler: peak RSS", results["scheduler_peak_rss_mb"], 200, " MB"),
    ]
    return checks


# --- the table -----------------------------------------------------------------------------------

def table(results: dict) -> str:
    """The figures and the targets, as plain text."""
    run, delivery, imports = results["reminder_run"], results["delivery"], results["import"]
    lines = [
        f"SCP Tracker benchmarks, {results['when']}, {results['machine']}",
        f"Data: {results['dataset']['objectives_open']:,} open objectives, "
        f"{results['dataset']['rows'].get('reminder_record', 0):,} reminder records, "
        f"made in {results['dataset']['seconds']:.0f} s"
        + (" (NOT the issue's scale)" if results["quick"] else ""),
        "",
        f"{'what':<34}{'figure':>16}{'baseline':>16}{'ratio':>9}",
        f"{'reminder run, dry (s)':<34}{run['seconds']:>16.3f}{run['baseline_seconds']:>16.3f}{run['ratio']:>9.2f}",
        f"{'  SQL queries':<34}{run['queries']:>16}",
        f"{'  reminders / digests':<34}{run['reminders']:>16,}{run['digests']:>16,}",
        f"{'reminder run, written (s)':<34}{run['write']['seconds']:>16.3f}",
        f"{'delivery (emails/s)':<34}{delivery['per_second']:>16.1f}{delivery['baseline_per_second']:>16.1f}"
        f"{delivery['ratio']:>9.2f}",
    ]
    lines += page_lines(results["pages"])
    lines += [
        f"{'import real plan (s)':<34}{imports['real_plan_seconds']:>16.3f}",
        f"{'import 1,000-row xlsx (s)':<34}{imports.get('xlsx_1000_rows_seconds', 0):>16.3f}",
        f"{'  the same file again (s)':<34}{imports['xlsx_reimport_seconds']:>16.3f}",
        f"{'scheduler peak RSS (MB)':<34}{results['scheduler_peak_rss_mb']:>16.1f}",
        "",
        *large_lines(results.get("large")),
        "Targets:",
    ]
    for check in results["targets"]:
        verdict = "met" if check["met"] else f"MISSED by {check['missed_by']}"
        lines.append(f"  {check['what']:<72} {check['target']:>9}  {check['value']!s:>9}  {verdict}")
    return "\n".join(lines)


# --- the whole run -------------------------------------------------------------------------------

def run(plan: RunSize, folder: Path, *, quick: bool, seed: int, large: Scale | None = None) -> dict:
    """Every benchmark, in an order where each finds the data it needs; with `large`, the pages on that county too."""
    secret = secrets.token_hex(32)
    database = folder / "county.db"
    upgrade_database(f"sqlite:///{database}")
    mail_port = web.free_port()
    sink = subprocess.Popen([sys.executable, "-m", "benchmarks.sink", str(mail_port)], cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        if sink.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP sink did not start")
        settings = production_settings(f"sqlite:///{database}", secret, mail_port)
        app = app_for(settings)
        details = machine()
        results = {
            "machine": f"{details['cpu']}, {details['cores']} cores, {details['memory_gib']} GiB, "
                       f"{details['system']}, Python {details['python']}, SQLite {details['sqlite']}",
            "machine_details": details,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": quick,
        }
        with app.app_context():
            made = generate(plan.scale, seed=seed)
            # Any hour, any day: the scheduler's start-up run must happen whenever the benchmark runs.
            save_settings(replace(load_settings(), run_hour=0, run_minute=0, skip_weekends=False,
                                  skip_bank_holidays=False), user_id=None, now=utcnow())
            coordinator = db.session.scalar(
                select(User).join(Contact).where(Contact.email == made.coordinator_emails[0]))
            coordinator.password_hash = generate_password_hash(PASSWORD)
            db.session.commit()
            results["dataset"] = {"seed": seed, "today": made.today.isoformat(), "seconds": round(made.seconds, 1),
                                  "objectives_open": open_objectives(), "rows": made.counts,
                                  "seconds_by_step": made.timings}
            addresses = first_view_addresses(made.plan_id, seed=seed)
            print(f"data made in {made.seconds:.0f} s; the reminder run…", file=sys.stderr, flush=True)
            results["reminder_run"] = bench_reminder_run(made.today, plan.repeats)
            db.session.commit()
            db.engine.dispose()
        pristine = folder / "scheduler.db"
        copy_database(database, pristine)
        print("the scheduler…", file=sys.stderr, flush=True)
        scheduler = bench_scheduler(pristine, {**settings, "SCP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{pristine}"})
        results["scheduler_peak_rss_mb"] = scheduler["peak_rss_mb"]
        results["scheduler"] = scheduler
        print("the written run and delivery…", file=sys.stderr, flush=True)
        with app.app_context():
            results["reminder_run"]["write"] = bench_reminder_write(made.today)
            results["delivery"] = bench_delivery(plan.messages, mail_port)
            db.engine.dispose()
        print("the pages…", file=sys.stderr, flush=True)
        results["pages"] = bench_pages(settings, made.coordinator_emails[0], PASSWORD, addresses, plan.wrk_seconds,
                                       folder)
        print("the imports…", file=sys.stderr, flush=True)
        results["import"] = bench_imports(folder, secret, plan.spreadsheet_rows, plan.repeats)
        if large:
            print(f"the pages of a county of {large.objectives:,} objectives (building it)…", file=sys.stderr,
                  flush=True)
            database = folder / "large.db"  # made, schema and all, by the generator's own process
            large_settings = production_settings(f"sqlite:///{database}", secret, mail_port)
            try:
                results["large"] = bench_large(
                    app_for(large_settings), large_settings, database, objectives=large.objectives, seed=seed,
                    seconds=plan.wrk_seconds, password=PASSWORD, usual_pages=results["pages"],
                    usual_objectives=made.counts["objective"], folder=folder)
            except Exception as error:  # noqa: BLE001 - the usual county's figures are kept, the failure said
                results["large"] = {"objectives": large.objectives, "error": f"{type(error).__name__}: {error}"}
    finally:
        web.stop(sink)
    results["targets"] = check_targets(results)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run, print the table, write the JSON; exit 0 even when a target is missed (the output says by how much)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data and short loads: a smoke check")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the figures (JSON)")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases and say where")
    parser.add_argument("--objectives", type=int,
                        help="a county of this many objectives, the rest in proportion (not the issue's scale)")
    parser.add_argument("--large", action="store_true",
                        help="also the pages on a county ten times bigger (100,000 objectives), against the usual one")
    args = parser.parse_args(argv)
    plan = QUICK_RUN if args.quick else FULL_RUN
    if args.objectives:
        plan = replace(plan, scale=scaled(args.objectives))
    large = None
    if args.large:
        large = LARGE if plan.scale == FULL else scaled(plan.scale.objectives * 10)
    folder = Path(tempfile.mkdtemp(prefix="scp-benchmarks-"))
    started = time.monotonic()
    try:
        results = run(plan, folder, quick=plan.scale != FULL, seed=args.seed, large=large)
    finally:
        if args.keep:
            print(f"databases kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    results["total_seconds"] = round(time.monotonic() - started, 1)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"\nWritten to {args.output} in {results['total_seconds']:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
