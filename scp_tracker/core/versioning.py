"""Version numbers on the records people edit in forms, so a form opened before someone else's save cannot
silently put back what they changed (the lost update).

Every flush that changes a versioned row moves its version on, whoever writes it (an edit, a progress update, an
import, an approval). An edit form carries the version it was opened at and claims the row with one conditional
UPDATE (`claim`): a save from a form opened before another change finds the version moved and is refused.

SQLAlchemy's `version_id_col` was not used: it checks the version on every UPDATE of the row, so two writers that
do not conflict (a progress update beside an edit, two sign-ins of one person) would fail with StaleDataError.
Only edit forms are checked; every other writer only moves the version on.
"""

from typing import Any

from sqlalchemy import Integer, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from scp_tracker.core.db_types import execute_dml
from scp_tracker.extensions import db


class Versioned:
    """A mixin: a `version` column that moves on whenever the row changes."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


@event.listens_for(Session, "before_flush")
def _move_versions_on(session: Session, _flush_context, _instances) -> None:
    """Move on the version of each versioned row this flush changes (columns or its own collections)."""
    for instance in session.dirty:
        if isinstance(instance, Versioned) and session.is_modified(instance):
            instance.version = type(instance).version + 1


def claim(model: Any, record_id: int, seen_version) -> bool:
    """Whether the row was still at the version the form was opened at; if so it is held (and moved on) until commit.

    One conditional UPDATE: on PostgreSQL a second save waits for the first to commit and then finds the version
    moved; on SQLite the UPDATE takes the write lock, with the same result.
    """
    try:
        seen = int(seen_version)
    except (TypeError, ValueError):
        return False
    result = execute_dml(
        update(model).where(model.id == record_id, model.version == seen)
        .values(version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.expire(db.session.get_one(model, record_id), ["version"])
    return True
