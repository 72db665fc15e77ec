"""People: agencies, contacts, users, roles and login."""

from flask import Flask

from scp_tracker.extensions import db, login_manager
from scp_tracker.people import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register the user loader and the people commands."""
    from scp_tracker.people import cli

    app.cli.add_command(cli.people)


@login_manager.user_loader
def _load_user(session_token: str):
    """Find the login by its session token (changes with the password, ending other sessions)."""
    from scp_tracker.people.models import User

    return db.session.execute(db.select(User).filter_by(session_token=session_token)).scalar_one_or_none()
