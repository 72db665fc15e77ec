"""The data version: one number in the database that every committed change of a mapped row moves.

Cached figures (scp_tracker.core.figures) are keyed on it, so they can never outlive a change, whichever view, job,
command or service made it. The version is moved in one place, by session events on every SQLAlchemy session:
a flush that inserts, changes or deletes a row, or an insert, update or delete statement (or SQL as text that does
not only read) run through a session, marks the transaction; its commit moves the version in the same transaction
as the change. Only writes on a bare connection, outside any session, go unseen: they must call bump().
"""

from sqlalchemy import (
    Column,
    Integer,
    Table,
    TextClause,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from scp_tracker.extensions import db

# One row (id 1). A Core table rather than a model: moving the version is not itself a change to track.
data_version = Table(
    "data_version", db.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)
# Tables no cached figure reads and that change on their own: the scheduler's beat every minute, the sign-in
# throttle, and the outbox's delivery state (the delivery job commits it message by message). Changing them alone
# neither throws the figures away nor costs a statement more per row.
UNCOUNTED_TABLES = frozenset({"scheduler_heartbeat", "login_attempt", "outbox_message"})
CHANGED = "scp_tracker.data_changed"
# How SQL written out as text starts when it only reads.
READS = ("select", "pragma", "explain", "show")


# Built once and run on the session's connection: the dashboard reads the version for each of its sets of figures.
_CURRENT_VERSION = select(data_version.c.version).where(data_version.c.id == 1)


def current_version() -> int:
    """The data version as committed (0 before the first change)."""
    return db.session.connection().execute(_CURRENT_VERSION).scalar() or 0


def bump(connection) -> None:
    """Move the version by one on this connection, inside the caller's transaction."""
    moved = connection.execute(update(data_version).where(data_version.c.id == 1)
                               .values(version=data_version.c.version + 1))
    if moved.rowcount == 0:  # a database made by create_all (tests); migrations insert the row
        connection.execute(insert(data_version).values(id=1, version=1))


def _counts(table_names) -> bool:
    """Whether a change to these tables moves the version."""
    return any(name not in UNCOUNTED_TABLES for name in table_names)


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, flush_context) -> None:
    """Mark the transaction when this flush inserted, changed or deleted a counted row."""
    if session.info.get(CHANGED):
        return
    rows = [*session.new, *session.deleted,
            *(row for row in session.dirty if session.is_modified(row, include_collections=True))]
    if _counts(table.name for row in rows for table in _tables_of(row)):
        session.info[CHANGED] = True


def _tables_of(row) -> list:
    """The tables a mapped row is written to (several under joined inheritance)."""
    return list(inspect(row).mapper.tables)


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state) -> None:
    """Mark the transaction when an insert, update or delete statement, or SQL written out as text that does not
    only read, runs through the session."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is None or _counts([table.name]):
            state.session.info[CHANGED] = True
    elif isinstance(state.statement, TextClause) and not state.statement.text.lstrip().lower().startswith(READS):
        state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _move_version(session: Session) -> None:
    """Move the version in the committing transaction if anything it wrote counts."""
    session.flush()  # commit would flush after this hook: flush first so the last changes are noted
    if session.info.pop(CHANGED, False):
        bump(session.connection())


@event.listens_for(Session, "after_transaction_end")
def _forget_changes(session: Session, transaction) -> None:
    """A transaction ended without committing changed nothing; the next one starts unmarked."""
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
