"""A county's worth of data, reproducible from a seed: a big plan, agencies, people, progress, events, reminders sent.

Everything goes into the database of the current app context with bulk inserts (one statement per table,
batched by the driver). Every value comes from the seed and the date given, so the same seed and date give
the same rows. The real 2016-17 plan is then imported through the documents area, as a coordinator would.

    python -m benchmarks.generate --database /tmp/county.db [--quick] [--seed 2016]

creates the database with `scp-tracker db upgrade` and fills it.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time as timer
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, inspect, select

from benchmarks.county import DEFAULT_SEED, FULL, QUICK, Scale, scaled
from benchmarks.county_history import County
from config import PROJECT_ROOT
from scp_tracker import create_app
from scp_tracker.core.clock import today_in_london
from scp_tracker.core.history import Actor
from scp_tracker.documents.services import import_plan
from scp_tracker.extensions import db
from scp_tracker.plans.models import (
    Plan,
)
from scp_tracker.reminders.rules import ReminderSettings
from scp_tracker.reminders.settings import save_settings
from scp_tracker.rounds.windows import plan_windows

REAL_PLAN = PROJECT_ROOT / "tests" / "fixtures" / "plans" / "scp-annual-plan-2016-17-draft.txt"
# The date the real plan's progress notes were written (its last column of dates is autumn 2016).
REAL_PLAN_AS_OF = date(2016, 10, 1)


@dataclass
class Generated:
    """What was made, and what the benchmarks need to find their way around it."""

    seed: int
    today: date
    plan_id: int
    plan_year: str
    counts: dict[str, int]
    coordinator_emails: list[str]
    showcase_objective_id: int  # an objective with every part its page shows
    real_plan_seconds: float
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def generate(scale: Scale = FULL, *, seed: int = DEFAULT_SEED, today: date | None = None,
             real_plan: bool = True, batch: int = 20_000) -> Generated:
    """Fill the (empty, migrated) database of the current app context, commit, and say what was made.

    Rows are written `batch` at a time, which bounds the memory the generator needs whatever the scale.
    """
    started = timer.perf_counter()
    today = today or today_in_london()
    maker = County(scale, seed, today, batch)
    timings = {}
    for step in (maker.agencies, maker.contacts, maker.users, maker.plan, maker.objectives, maker.progress,
                 maker.events, maker.reminders_sent, maker.advance_sequences):
        begun = timer.perf_counter()
        step()
        timings[step.__name__] = round(timer.perf_counter() - begun, 3)
    db.session.commit()
    _measure_a_call_day(maker.plan_id, today)

    real_plan_seconds = 0.0
    if real_plan:
        begun = timer.perf_counter()
        import_plan(REAL_PLAN, REAL_PLAN.name, actor=Actor(name=f"Import of {REAL_PLAN.name}", source="import"),
                    as_of=REAL_PLAN_AS_OF)
        db.session.commit()
        real_plan_seconds = timer.perf_counter() - begun
        timings["real_plan"] = round(real_plan_seconds, 3)
    return Generated(
        seed=seed, today=today, plan_id=maker.plan_id, plan_year=maker.year, counts=table_counts(),
        coordinator_emails=maker.coordinator_emails, showcase_objective_id=maker.showcase_objective(),
        real_plan_seconds=real_plan_seconds, seconds=timer.perf_counter() - started, timings=timings,
    )


def _measure_a_call_day(plan_id: int, today: date) -> None:
    """Make the day measured a round's call for updates, whatever the date the benchmark runs on: the run that
    sends the most (every lead with open objectives, everything else due merged), as it does four times a year.
    On other days the reminders are quiet (one email a week at most), which would measure little."""
    defaults = ReminderSettings()
    deadline = next(window.deadline for window in plan_windows(db.session.get_one(Plan, plan_id))
                    if (window.deadline - today).days > defaults.round_reminder_days)
    save_settings(replace(defaults, round_call_days=(deadline - today).days, weekly_day=today.weekday(),
                          skip_weekends=False, skip_bank_holidays=False), user_id=None, now=datetime.now(UTC))
    db.session.commit()


def table_counts() -> dict[str, int]:
    """Rows in every table (one query each)."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


# --- command line ------------------------------------------------------------------------------------

def upgrade_database(url: str) -> list[str]:
    """Create the schema the way a deployment does: `scp-tracker db upgrade` in a child process.

    While the migration lags behind the models (another area added a table and the migration is not yet
    regenerated), the missing tables are created from the models, here only, and named on stderr.
    """
    env = {**os.environ, "SCP_ENV": "testing", "SCP_SQLALCHEMY_DATABASE_URI": url}
    command = [str(Path(sys.executable).with_name("scp-tracker")), "db", "upgrade"]
    subprocess.run(command, env=env, check=True, cwd=PROJECT_ROOT, capture_output=True)
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        inspector = inspect(db.engine)
        present = set(inspector.get_table_names())
        missing = sorted(set(db.metadata.tables) - present)
        changed = sorted(name for name, table in db.metadata.tables.items() if name in present
                         and set(table.columns.keys()) - {c["name"] for c in inspector.get_columns(name)})
        if changed:
            # Columns cannot be added by create_all: build the whole schema from the models instead.
            db.drop_all()
            missing = sorted(db.metadata.tables)
        if missing:
            print(f"The migration is behind the models ({', '.join(changed or missing)}): the schema is completed "
                  f"from the models, for this benchmark only", file=sys.stderr)
            db.create_all()
        db.engine.dispose()
    return missing


def main(argv: list[str] | None = None) -> None:
    """Create a database file and fill it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, type=Path, help="SQLite file to create (must not exist)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument("--objectives", type=int, help="this many objectives, the rest in proportion")
    parser.add_argument("--report", type=Path, help="also write what was made, with the peak RSS, as JSON here")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.database.exists():
        parser.error(f"{args.database} exists: give a new file")
    url = f"sqlite:///{args.database.resolve()}"
    upgrade_database(url)
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        made = generate(scaled(args.objectives) if args.objectives else QUICK if args.quick else FULL,
                        seed=args.seed)
    summary = asdict(made)
    print(f"Made {args.database} in {made.seconds:.1f} s: "
          + ", ".join(f"{count:,} {name}" for name, count in summary["counts"].items() if count))
    print("Seconds by step: " + ", ".join(f"{name} {seconds}" for name, seconds in made.timings.items()))
    if args.report:
        # The kernel's high-water mark of this process: what building the county cost in memory at most.
        summary.update(today=made.today.isoformat(), peak_rss_mb=round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
        args.report.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
