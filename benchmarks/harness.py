"""What every benchmark needs: the app as a deployment builds it, counting statements, timing a call, and what the
figures were measured on."""

import os
import platform
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, func, select

from scp_tracker import create_app
from scp_tracker.extensions import db
from scp_tracker.plans.models import KeyPriority, Objective, Plan


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
