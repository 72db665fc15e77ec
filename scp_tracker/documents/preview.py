"""Previewing an import without holding the database's write lock while the import is computed.

On SQLite one writer at a time holds the whole file: a preview written and rolled back in the app's database made
every sign-in and update wait, then fail, for as long as a big plan took. So on SQLite the preview runs on a
private in-memory copy of the database, taken in one read (which, in WAL mode, never blocks a writer), by the
very code that imports, so it shows exactly what confirming would do; the copy is then thrown away. PostgreSQL
locks only the rows a transaction writes, so there the preview writes in the caller's session and rolls back.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from scp_tracker.extensions import db


@contextmanager
def writes_thrown_away() -> Iterator[None]:
    """Inside, db.session writes where no one else sees or waits for it; everything written is discarded on exit.

    Read only plain values (strings, numbers) out of it: objects loaded inside belong to a session that ends.
    """
    if db.engine.dialect.name != "sqlite":
        try:
            yield
        finally:
            db.session.rollback()
        return
    copy = _copy_of_database()
    engine = create_engine("sqlite://", creator=lambda: copy, poolclass=StaticPool)
    try:
        # A new application context has its own db.session (Flask-SQLAlchemy scopes sessions by context); it is
        # set to one on the copy, and closed when the context ends.
        with current_app.app_context():
            # A plain SQLAlchemy session: Flask-SQLAlchemy's own would route every query to the app's engines.
            db.session.registry.set(Session(bind=engine))  # type: ignore[arg-type]
            yield
    finally:
        engine.dispose()
        copy.close()


def _copy_of_database() -> sqlite3.Connection:
    """The app's SQLite database copied into memory, as the caller's session sees it (SQLite's backup API)."""
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    source = db.session.connection().connection.driver_connection
    assert isinstance(source, sqlite3.Connection)  # only called on SQLite
    source.backup(copy)
    return copy
