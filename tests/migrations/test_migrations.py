"""Migrations are the only way the schema changes: one head, empty → head works, and no drift from the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from config import PROJECT_ROOT
from scp_tracker import create_app
from scp_tracker.extensions import db

MIGRATIONS = PROJECT_ROOT / "migrations"


def test_one_head_only():
    """Two heads mean two people changed the schema without merging."""
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1


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
