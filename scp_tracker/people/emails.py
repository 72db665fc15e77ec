"""The emails about logins (invitation, password reset), written to the outbox, never sent from here."""

from datetime import datetime

from flask import current_app, render_template

from scp_tracker.mail.services import enqueue
from scp_tracker.people.models import ROLE_DESCRIPTIONS, ROLE_NAMES, ROLES


def _link(path: str) -> str:
    """An absolute link from the configured address of the site (emails are read outside the app)."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def _write(template: str, *, to: str, subject: str, key: str, kind: str, now: datetime, **context) -> None:
    """Render the text and HTML versions of an email and put it in the outbox."""
    context.update(subject=subject, service_name=current_app.config["SERVICE_NAME"],
                   partnership_name=current_app.config["PARTNERSHIP_NAME"])
    enqueue(
        to=to, subject=subject, key=key, kind=kind, now=now,
        text_body=render_template(f"emails/{template}.txt", **context),
        html_body=render_template(f"emails/{template}.html", **context),
    )


def password_reset(user, raw_token: str, *, key: str, now: datetime) -> None:
    """The link to choose a new password, valid for an hour."""
    _write("people_password_reset", to=user.contact.email, key=key, kind="password_reset", now=now,
           subject=f"Reset your {current_app.config['SERVICE_NAME']} password",
           name=user.contact.name, link=_link(f"/reset-password/{raw_token}"),
           forgotten_link=_link("/sign-in/forgotten"))


def invitation(user, raw_token: str, *, invited_by: str, expires_at: datetime, key: str, now: datetime) -> None:
    """The invitation to set a password and sign in, valid for 7 days."""
    _write("people_invitation", to=user.contact.email, key=key, kind="invitation", now=now,
           subject=f"You have been invited to {current_app.config['SERVICE_NAME']}",
           name=user.contact.name, invited_by=invited_by,
           roles=[(ROLE_NAMES[role], ROLE_DESCRIPTIONS[role]) for role in ROLES if role in user.roles],
           expires_at=expires_at,
           link=_link(f"/set-password/{raw_token}"), sign_in_link=_link("/sign-in"))
