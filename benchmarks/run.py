"""Every benchmark in one command: figures against baselines measured in the same run, and the issue's targets.

    python -m benchmarks.run [--quick] [--output benchmarks/results.json] [--keep]

Builds a county's database (benchmarks.generate) in a temporary folder, then measures the reminder run, the
outbox's delivery, the main pages under load, the imports and the scheduler's memory, prints a table and
writes the figures as JSON. These machines are shared and noisy: ratios hold, absolute times drift.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import event, func, select, update
from werkzeug.security import generate_password_hash

from benchmarks import baseline, web
from benchmarks.generate import (
    FULL,
    LARGE,
    QUICK,
    REAL_PLAN,
    REAL_PLAN_AS_OF,
    Scale,
    generate,
    plan_workbook,
    scaled,
    upgrade_database,
)
from benchmarks.large import bench_large
from benchmarks.pages import bench_pages, first_view_addresses, large_lines, page_lines, page_targets
from benchmarks.targets import at_least, at_most
from config import PROJECT_ROOT
from scp_tracker import create_app
from scp_tracker.core.clock import utcnow
from scp_tracker.core.history import Actor
from scp_tracker.documents.services import import_plan
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.sender import OutgoingEmail
from scp_tracker.mail.services import deliver_due, enqueue
from scp_tracker.people.models import Contact, User
from scp_tracker.plans.models import KeyPriority, Objective, Plan
from scp_tracker.reminders.services import run_reminders
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


# --- helpers -------------------------------------------------------------------------------------

@contextmanager
def counting_queries():
    """with counting_queries() as statements: …; len(statements) is how many SQL statements were run."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def timed(function, *args, **kwargs) -> tuple[float, object]:
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def machine() -> dict:
    """What the figures were measured on."""
    cpu = "unknown CPU"
    memory_gib = 0.0
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name"))
        meminfo = Path("/proc/meminfo").read_text()
        memory_gib = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal"))) / 2**20
    except (OSError, StopIteration):
        pass
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_gib, 1),
        "system": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "load_average": [round(n, 2) for n in os.getloadavg()],
    }


def production_settings(database_url: str, secret: str, mail_port: int) -> dict[str, str]:
    """The environment of a production deployment on this machine (SCP_ENV=production refuses anything less)."""
    return {
        "SCP_ENV": "production", "SCP_SECRET_KEY": secret, "SCP_SQLALCHEMY_DATABASE_URI": database_url,
        "SCP_MAIL_SERVER": "127.0.0.1", "SCP_MAIL_PORT": str(mail_port), "SCP_SCHEDULER": "off",
        "SCP_BASE_URL": "https://scp-tracker.example.org",
    }


def app_for(settings: dict[str, str]):
    """The app with these SCP_ settings, as the processes of a deployment would build it."""
    overrides = {name.removeprefix("SCP_"): value for name, value in settings.items()}
    overrides["MAIL_PORT"] = int(overrides["MAIL_PORT"])
    return create_app(overrides)


def copy_database(source: Path, target: Path) -> None:
    """Copy a SQLite database with the backup API (a file copy can miss what is still in the WAL)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def open_objectives() -> int:
    """How many objectives the reminder run looks at."""
    return db.session.scalar(
        select(func.count(Objective.id)).join(KeyPriority).join(Plan)
        .where(Objective.status == "open", Plan.status != "archived"))


# --- the benchmarks ------------------------------------------------------------------------------

def bench_reminder_run(today: date, repeats: int) -> dict:
    """The day's digests computed in full without sending (a dry run), against one hand-written SQL query."""
    now = utcnow()
    run_times, baseline_times, cpu_times = [], [], []
    for _ in range(repeats):
        cpu = time.process_time()
        with counting_queries() as statements:
            seconds, report = timed(run_reminders, today, now=now, dry_run=True, force=True)
        cpu_times.append(time.process_time() - cpu)
        db.session.rollback()
        run_times.append(seconds)
        baseline_times.append(baseline.fetch_facts()[0])
    seconds, baseline_seconds = statistics.median(run_times), statistics.median(baseline_times)
    return {
        "objectives": open_objectives(), "seconds": round(seconds, 3), "queries": len(statements),
        "baseline_seconds": round(baseline_seconds, 3), "ratio": round(seconds / baseline_seconds, 2),
        "reminders": report.reminder_count, "digests": len(report.digests),
        "runs_seconds": [round(s, 3) for s in run_times],
        "baseline_runs_seconds": [round(s, 3) for s in baseline_times],
        # CPU time of this process: what an idle machine would show, whatever else runs here.
        "cpu_seconds": round(statistics.median(cpu_times), 3),
    }


def bench_reminder_write(today: date) -> dict:
    """The same run for real: records, update links, digests rendered and queued in the outbox, committed."""
    with counting_queries() as statements:
        seconds, report = timed(_run_and_commit, today)
    return {"seconds": round(seconds, 3), "queries": len(statements), "reminders": report.reminder_count,
            "digests": len(report.digests)}


def _run_and_commit(today: date):
    """The run as the daily job does it: run, then commit."""
    report = run_reminders(today, now=utcnow(), force=True)
    db.session.commit()
    return report


def bench_delivery(messages: int, mail_port: int) -> dict:
    """`messages` digests through the outbox to the sink, against plain smtplib sending the same over one connection.

    The digests are the ones the day's run rendered, queued again one per contact so there are `messages`.
    """
    templates = db.session.execute(
        select(OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body, OutboxMessage.reply_to)
        .where(OutboxMessage.kind == "reminder_digest").order_by(OutboxMessage.id)).all()
    if not templates:
        raise RuntimeError("the reminder run queued no digests to deliver")
    db.session.execute(update(OutboxMessage).where(OutboxMessage.status == "queued").values(status="cancelled"))
    addresses = db.session.scalars(
        select(Contact.email).where(Contact.email.is_not(None)).order_by(Contact.id)).all()
    now = utcnow()
    for n in range(messages):
        subject, text_body, html_body, reply_to = templates[n % len(templates)]
        enqueue(to=addresses[n % len(addresses)], subject=subject, text_body=text_body, html_body=html_body,
                key=f"benchmark-digest:{n}", kind="reminder_digest", reply_to=reply_to, now=now)
    db.session.commit()
    emails = [OutgoingEmail(row.to_address, row.subject, row.text_body, row.html_body, row.reply_to, row.message_id)
              for row in db.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("benchmark-digest:%"))
                                            .order_by(OutboxMessage.id))]
    db.session.commit()
    sender = current_app.config["MAIL_DEFAULT_SENDER"]

    def plain() -> float:
        return baseline.send_plainly(emails, host="127.0.0.1", port=mail_port, sender=sender)[0]

    before = plain()
    seconds, sent = timed(_deliver_all)
    after = plain()
    if sent != messages:
        raise RuntimeError(f"the outbox delivered {sent} of {messages} digests")
    baseline_seconds = (before + after) / 2
    rate, baseline_rate = messages / seconds, messages / baseline_seconds
    return {"messages": messages, "per_second": round(rate, 1), "baseline_per_second": round(baseline_rate, 1),
            "ratio": round(rate / baseline_rate, 2), "seconds": round(seconds, 2),
            "baseline_seconds": [round(before, 2), round(after, 2)]}


def _deliver_all() -> int:
    """Call deliver_due back to back (as the scheduler's job does once a minute) until nothing is due."""
    sent = 0
    while True:
        report = deliver_due(utcnow())
        sent += report.sent
        if report.stopped or report.failed or report.retrying:
            raise RuntimeError(f"delivery went wrong: {report.summary()} {report.stopped or ''}")
        if not report.remaining:
            return sent


def bench_scheduler(database: Path, settings: dict[str, str], timeout: float = 300.0) -> dict:
    """`scp-tracker scheduler` on the big database: its peak RSS while the start-up reminder run does its work."""
    command = [str(Path(sys.executable).with_name("scp-tracker")), "scheduler"]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **settings},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    status = Path(f"/proc/{process.pid}/status")
    peak_kib, samples, finished = 0, 0, None
    watcher = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        while time.monotonic() - started < timeout and process.poll() is None:
            peak_kib = max(peak_kib, _status_kib(status, "VmRSS"))
            samples += 1
            if samples % 5 == 0 and watcher.execute(
                    "SELECT count(*) FROM outbox_message WHERE kind = 'reminder_summary'").fetchone()[0]:
                finished = time.monotonic() - started
                break
            time.sleep(0.05)
        # The kernel's own high-water mark catches a peak between two samples.
        peak_kib = max(peak_kib, _status_kib(status, "VmHWM"))
    finally:
        watcher.close()
        web.stop(process)
    if finished is None:
        raise RuntimeError(f"the scheduler's reminder run did not finish in {timeout:.0f} s: "
                           f"{(process.stderr.read() if process.stderr else '')[-2000:]}")
    return {"peak_rss_mb": round(peak_kib / 1024, 1), "run_done_after_seconds": round(finished, 1),
            "samples": samples}


def _status_kib(status: Path, field: str) -> int:
    """A kibibyte figure from /proc/PID/status (0 once the process is gone)."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def bench_imports(folder: Path, secret: str, rows: int, repeats: int) -> dict:
    """The real plan, and a spreadsheet of `rows` objectives, each imported into a new, empty database."""
    empty = folder / "empty.db"
    upgrade_database(f"sqlite:///{empty}")
    workbook = plan_workbook(rows)
    actor = Actor(name="Benchmark import", source="import")

    def fresh(name: str):
        path = folder / f"{name}.db"
        copy_database(empty, path)
        return app_for(production_settings(f"sqlite:///{path}", secret, 1))

    def import_and_commit(source, filename: str):
        report = import_plan(source, filename, actor=actor, as_of=REAL_PLAN_AS_OF)
        db.session.commit()
        return report

    def median_import(source, filename: str, name: str) -> tuple[list[float], object]:
        """Import into `repeats` new databases; the seconds of each and the last report."""
        times = []
        for n in range(repeats):
            with fresh(f"{name}-{n}").app_context():
                seconds, report = timed(import_and_commit, source, filename)
                times.append(seconds)
                db.engine.dispose()
        return times, report

    real_times, _ = median_import(REAL_PLAN, REAL_PLAN.name, "real")
    spreadsheet_times, report = median_import(workbook, "county-plan-2017-18.xlsx", "spreadsheet")
    with fresh("spreadsheet-again").app_context():
        import_and_commit(workbook, "county-plan-2017-18.xlsx")
        again, second_report = timed(import_and_commit, workbook, "county-plan-2017-18.xlsx")
        db.engine.dispose()
    if len(report.created) != rows or len(second_report.unchanged) != rows:
        raise RuntimeError(f"the spreadsheet import read {len(report.created)} of {rows} rows")
    return {"real_plan_seconds": round(statistics.median(real_times), 3),
            f"xlsx_{rows}_rows_seconds": round(statistics.median(spreadsheet_times), 3),
            "xlsx_reimport_seconds": round(again, 3), "real_plan_runs_seconds": [round(s, 3) for s in real_times],
            "xlsx_runs_seconds": [round(s, 3) for s in spreadsheet_times]}


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
