"""SCP Tracker: the application factory."""

import os
import sqlite3
from importlib import import_module

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import PROJECT_ROOT, config_for
from config.checks import check_production, trusted_proxies
from scp_tracker import extensions as ext
from scp_tracker.core import (
    data_version,  # noqa: F401  (the table and the session events that move it)
    inputs,
)
from scp_tracker.site.proxies import TrustedProxyFix

# Each area registers its blueprint, CLI commands and hooks through register(app).
AREAS = ("site", "people", "plans", "indicators", "rounds", "documents", "mail", "reminders", "events", "reports",
         "operations", "backups", "notifications", "demo")


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: settings, extensions, then each area. No queries, no scheduler, no schema changes."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
        instance_path=os.environ.get("SCP_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
    )
    app.config.from_object(config_for((overrides or {}).get("SCP_ENV")))
    app.config.from_prefixed_env("SCP")
    app.config.update(overrides or {})
    _finish_config(app)
    inputs.init_app(app)  # before any route: every <int:…> is bounded to what the database holds

    # Through the module: the sub-package scp_tracker.mail would shadow a bare `mail` name here.
    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    ext.mail.init_app(app)
    ext.login_manager.init_app(app)
    ext.csrf.init_app(app)
    ext.cache.init_app(app)

    for name in AREAS:
        import_module(f"scp_tracker.{name}").register(app)
    return app


def _finish_config(app: Flask) -> None:
    """Fill in derived settings, refuse unsafe production settings (config.checks), trust only named proxies."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "scp_tracker.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if app.config.get("REQUIRE_REAL_SECRET"):
        check_production(app.config)
    networks = trusted_proxies(app.config.get("TRUSTED_PROXIES"))
    if networks:
        # Flask documents wrapping the method in place (deploying/proxy_fix); its typing does not allow it.
        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, networks, x_for=1, x_proto=1, x_host=1)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL and a busy timeout so the web app and the scheduler can share one SQLite file."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
