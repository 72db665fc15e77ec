"""People: agencies, contacts, users, roles and login."""

from flask import Flask
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from scp_tracker.extensions import db, login_manager
from scp_tracker.people.models import ROLE_NAMES, User

# Built once: every signed-in page runs it, and building it cost about half as much as running it. With its
# contact, as every page shows the person's name and checks their contact is still active, and its roles, which
# every page checks.
_USER_BY_SESSION_TOKEN = (
    select(User).options(joinedload(User.contact), joinedload(User.role_links))
    .where(User.session_token == bindparam("session_token"))
)


def register(app: Flask) -> None:
    """Register the people pages, the sign-in page Flask-Login sends people to, and the people commands."""
    # The agency, contact and login pages are routes of views.bp, added when their modules are imported.
    from scp_tracker.people import agency_views, cli, oidc_client, oidc_views, sso_views, user_views, views  # noqa: F401

    oidc_client.init_app(app)
    app.register_blueprint(views.bp)
    app.add_template_filter(lambda role: ROLE_NAMES.get(role, role), "role_name")
    app.cli.add_command(cli.people)
    login_manager.login_view = "people.login"
    login_manager.login_message = "Sign in to see this page"
    login_manager.login_message_category = "info"


@login_manager.user_loader
def _load_user(session_token: str):
    """Find the login by its session token (changes with the password, ending other sessions).

    A disabled login, or one whose contact has left, is treated as signed out at once.
    """
    user = db.session.execute(_USER_BY_SESSION_TOKEN, {"session_token": session_token}).unique().scalar_one_or_none()
    return user if user is not None and user.is_active else None
