"""Migrations are the only way the schema changes: one head, empty → head works, and no drift from the models."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, text

from config import PROJECT_ROOT
from scp_tracker import create_app
from scp_tracker.extensions import db

MIGRATIONS = PROJECT_ROOT / "migrations"


def test_one_head_only():
    """Two heads mean two people changed the schema without merging."""
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new empty database on the same engine as the suite (a file for SQLite, a database for PostgreSQL)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"scp_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_from_empty_reaches_head_without_drift(empty_database_url):
    """`scp-tracker db upgrade` on an empty database gives exactly the schema the models describe."""
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output

    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    with app.app_context():
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert set(context.get_current_heads()) == heads
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_upgrade_twice_is_harmless(empty_database_url):
    """Running the deploy step again changes nothing and succeeds."""
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        db.engine.dispose()
