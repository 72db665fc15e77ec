"""Copying a SQLite database out and back with SQLite's backup API (safe while the app and scheduler run).

PostgreSQL is backed up with its own tools (`pg_dump -Fc`, `pg_restore`), as docs/reliability.md shows.
"""

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from config import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"
# Tables every SCP Tracker database has; a file without them is some other database.
EXPECTED_TABLES = frozenset({"alembic_version", "plan", "objective", "progress_update", "change_record",
                             "outbox_message", "agency", "contact", "user_account"})
POSTGRESQL_ADVICE = (
    "The database is PostgreSQL: back it up with PostgreSQL's own tools, for example\n"
    "  pg_dump -Fc -f scp-tracker.dump \"$DATABASE\"\n"
    "and restore with\n"
    "  pg_restore --clean --if-exists --no-owner -d \"$DATABASE\" scp-tracker.dump\n"
    "(see docs/reliability.md)."
)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do instead."""


def sqlite_file(database_uri: str) -> Path:
    """The file of the app's SQLite database; BackupError for PostgreSQL or an in-memory database."""
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite":
        raise BackupError(POSTGRESQL_ADVICE)
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory: there is nothing on disk to back up or restore")
    return Path(url.database)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Copy a whole database with the backup API, a few pages at a time so writers are not held up for long."""
    source.backup(target, pages=256)


def backup(database_uri: str, destination: Path) -> int:
    """Copy the live database to a new file, consistent even while others write; returns its size in bytes.

    Written beside the destination first and renamed into place, so a failed backup never leaves a half file
    under the destination's name.
    """
    live = sqlite_file(database_uri)
    if not live.exists():
        raise BackupError(f"There is no database at {live} to back up")
    if destination.exists():
        raise BackupError(f"{destination} already exists: choose a new name for the backup")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist")
    partial = destination.with_name(f".{destination.name}.partial")
    source = sqlite3.connect(f"file:{live}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(partial)
        try:
            _copy(source, target)
            # One file, not a WAL beside it: a backup is a single file that can be copied anywhere.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    os.replace(partial, destination)
    return destination.stat().st_size


def current_revision() -> str:
    """The migration the code expects the database to be at (the one head of migrations/)."""
    heads = ScriptDirectory(str(MIGRATIONS)).get_heads()
    if len(heads) != 1:
        raise BackupError(f"The migrations have {len(heads)} heads; merge them before restoring")
    return heads[0]


def check_backup(path: Path) -> str:
    """BackupError unless the file is an intact SCP Tracker database at the current migration; returns it."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = connection.execute("PRAGMA quick_check").fetchone()[0]
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = EXPECTED_TABLES - tables
            revision = None if "alembic_version" in missing else (
                connection.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error})") from None
    if integrity != "ok":
        raise BackupError(f"{path} is damaged: {integrity}")
    if missing:
        raise BackupError(f"{path} is not an SCP Tracker database (no {', '.join(sorted(missing))} table)")
    expected = current_revision()
    if revision != expected:
        raise BackupError(
            f"{path} is at migration {revision}, but this version of SCP Tracker needs {expected}: restore it with "
            "the version that made it, or restore it to a spare file and run `scp-tracker db upgrade` on that"
        )
    return revision


def restore(database_uri: str, source: Path, *, now: datetime) -> Path | None:
    """Replace the live database with a checked backup; the database replaced is kept beside it first.

    Returns where the replaced database was kept (None when there was none). Uses the backup API into the
    live file, so processes that have it open see the restored data, not a file swapped under them.
    """
    live = sqlite_file(database_uri)
    check_backup(source)
    kept = None
    if live.exists():
        kept = live.with_name(f"{live.name}.before-restore-{now:%Y%m%d-%H%M%S}")
        backup(database_uri, kept)
    backup_connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(live, timeout=30)
        try:
            _copy(backup_connection, target)
        finally:
            target.close()
    finally:
        backup_connection.close()
    return kept
