"""A brand-new empty database for the migration tests."""

import uuid

import pytest
from sqlalchemy import create_engine, make_url, text


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
