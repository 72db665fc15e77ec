"""Fixtures every test can use: app, client, runner, db, login, and factories (tests/support)."""

import os
import smtplib
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import g, request_started
from sqlalchemy import event
from support.database import ALLOWED_SMTP_PORTS, empty_database

from scp_tracker import create_app
from scp_tracker.extensions import db as _db

pytest_plugins = ["support.factories", "support.smtp", "support.people", "support.plans", "support.reminders",
                  "support.events", "support.reliability", "support.notifications", "support.oidc"]

FIXTURES = Path(__file__).parent / "fixtures"
REAL_PLAN = FIXTURES / "plans" / "scp-annual-plan-2016-17-draft.txt"



def _database_url(tmp_root: Path) -> str:
    """SCP_TEST_DATABASE_URL picks PostgreSQL; otherwise a SQLite file for this run."""
    return os.environ.get("SCP_TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The database URL for this test session, with the schema created once."""
    url = _database_url(tmp_path_factory.mktemp("db"))
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.engine.dispose()
    return url


@pytest.fixture
def app(database_url, tmp_path):
    """A fresh app on the session's database, emptied after each test."""
    app = create_app({
        "SCP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
    })
    app.instance_path = str(tmp_path / "instance")
    # The fixture keeps an app context open, which requests would share: give each request a fresh `g`
    # (Flask-Login caches the signed-in user there).
    request_started.connect(_fresh_g, app)
    with app.app_context():
        yield app
        _db.session.rollback()
        empty_database()
        _db.session.remove()
        _db.engine.dispose()


def _fresh_g(sender, **extra) -> None:
    """Forget what an earlier request of the same test left in `g`."""
    g.__dict__.clear()


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy handle, bound to the test app."""
    return _db


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Log a user in on the test client: login(user)."""

    def _login(user, on_client=None):
        target = on_client or client
        with target.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return target

    return _login


@pytest.fixture
def count_queries(db):
    """with count_queries() as statements: …; len(statements) is the number of SQL statements run."""

    @contextmanager
    def _count():
        statements: list[str] = []

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before_cursor_execute)

    return _count


@pytest.fixture(autouse=True)
def _no_unexpected_smtp(monkeypatch):
    """Fail any test that opens an SMTP connection to a server it did not start."""
    real_connect = smtplib.SMTP.connect

    def guarded_connect(self, host="localhost", port=0, source_address=None):
        if int(port) not in ALLOWED_SMTP_PORTS:
            raise AssertionError(f"unexpected SMTP connection to {host}:{port} in a test")
        return real_connect(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", guarded_connect)


@pytest.fixture(scope="session")
def real_plan_path() -> Path:
    """The partnership's real 2016-17 draft plan, as shipped in the fixtures."""
    return REAL_PLAN
