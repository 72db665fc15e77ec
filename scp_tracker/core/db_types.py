"""Column types shared by every area."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CursorResult, DateTime, Executable
from sqlalchemy.types import TypeDecorator

from scp_tracker.core.clock import utcnow  # noqa: F401  (column defaults import it from here)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Refuse naive datetimes: a naive time is ambiguous around the clock change."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        """Give back an aware UTC datetime whatever the database returned."""
        if value is None:
            return None
        if value.tzinfo is None:
            # combine, not replace(tzinfo=...): the same datetime at about a third of the cost; every date and time read
            # from SQLite comes this way (the reminder run reads twenty thousand).
            return datetime.combine(value, value.time(), UTC)
        return value.astimezone(UTC)



def insert_for(model):
    """An INSERT for `model` that knows ON CONFLICT on this database (SQLite and PostgreSQL both do).

    Unique keys plus ON CONFLICT are how repeat runs, restarts and a second scheduler stay harmless.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    from scp_tracker.extensions import db

    name = db.session.get_bind(mapper=model.__mapper__).dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise RuntimeError(f"SCP Tracker needs SQLite or PostgreSQL, not {name}")


def execute_dml(statement: Executable, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
    """Run an INSERT, UPDATE or DELETE without RETURNING in the session, for its rowcount.

    The session returns a CursorResult for these, but its signature promises only a Result
    (sqlalchemy/sqlalchemy#12913), so this checks it once here rather than every caller casting.
    """
    from scp_tracker.extensions import db

    result = db.session.execute(statement, params)
    if not isinstance(result, CursorResult):
        raise TypeError(f"expected a CursorResult from {type(statement).__name__}, got {type(result).__name__}")
    return result
