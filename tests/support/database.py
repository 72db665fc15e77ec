"""Shared test plumbing that test modules import (never `from conftest import …`: any folder's conftest
would shadow the suite's under that module name)."""

from sqlalchemy import text

from scp_tracker.extensions import db as _db

# Ports of SMTP servers a test started on purpose; any other SMTP connection fails the test.
ALLOWED_SMTP_PORTS: set[int] = set()


def empty_database() -> None:
    """Delete every row, children first, and restart id sequences so ids are predictable."""
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
