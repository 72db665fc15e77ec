"""Passwords: the length rule, setting and changing a password, and the emailed links that set one."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from scp_tracker.core.db_types import execute_dml
from scp_tracker.extensions import db
from scp_tracker.people import emails
from scp_tracker.people.link_holders import is_sealed_for, sealed
from scp_tracker.people.models import PasswordToken, User
from scp_tracker.people.services import PeopleError, find_user_by_email
from scp_tracker.people.sessions import new_session_token

MIN_PASSWORD_LENGTH = 12
TOKEN_LIFETIMES = {"reset": timedelta(hours=1), "invite": timedelta(days=7)}
# Reset emails per account per hour: enough for a lost email, too few to flood an inbox.
MAX_RESET_EMAILS_PER_HOUR = 3


def check_password_rules(password: str) -> None:
    """PeopleError unless the password is long enough to resist guessing."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise PeopleError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more", "password")


def set_password(user: User, password: str, *, now: datetime) -> None:
    """Set a new password: ends every other session and every emailed link still outstanding."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    user.session_token = new_session_token()
    db.session.execute(
        update(PasswordToken).where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)
    )
    db.session.flush()


def change_password(user: User, *, current_password: str, new_password: str, now: datetime) -> None:
    """Change a password knowing the current one."""
    if not (user.password_hash and check_password_hash(user.password_hash, current_password or "")):
        raise PeopleError("Your current password is not correct", "current_password")
    set_password(user, new_password, now=now)


def _token_hash(raw_token: str) -> str:
    """Only the hash is stored, so a copy of the database opens no accounts."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue_token(user: User, purpose: str, *, now: datetime) -> tuple[PasswordToken, str]:
    """A new link for a user (earlier unused ones of the same kind stop working); returns the row and the raw token."""
    db.session.execute(
        update(PasswordToken).where(
            PasswordToken.user_id == user.id, PasswordToken.purpose == purpose, PasswordToken.used_at.is_(None)
        ).values(used_at=now).execution_options(synchronize_session=False)
    )
    raw = sealed(secrets.token_urlsafe(32), user.contact)  # dies if the address changes (people.link_holders)
    token = PasswordToken(user=user, purpose=purpose, token_hash=_token_hash(raw), created_at=now,
                          expires_at=now + TOKEN_LIFETIMES[purpose])
    db.session.add(token)
    db.session.flush()
    return token, raw


def find_token(raw_token: str, purpose: str, *, now: datetime) -> PasswordToken | None:
    """The unused, unexpired link of this kind for an active login; looking changes nothing."""
    token = db.session.execute(
        select(PasswordToken).where(PasswordToken.token_hash == _token_hash(raw_token or ""),
                                    PasswordToken.purpose == purpose)
    ).scalar_one_or_none()
    if token is None or token.used_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    return token if is_sealed_for(raw_token, token.user.contact) else None


def set_password_with_token(raw_token: str, purpose: str, password: str, *, now: datetime) -> User | None:
    """Use up a link to set a password, atomically (a second use finds nothing); None if the link is no good."""
    check_password_rules(password)
    token_hash = _token_hash(raw_token or "")
    used = execute_dml(
        update(PasswordToken).where(
            PasswordToken.token_hash == token_hash, PasswordToken.purpose == purpose,
            PasswordToken.used_at.is_(None), PasswordToken.expires_at > now,
        ).values(used_at=now).execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        return None
    user = db.session.execute(
        select(User).join(PasswordToken, PasswordToken.user_id == User.id).where(PasswordToken.token_hash == token_hash)
    ).scalar_one()
    if not user.is_active or not is_sealed_for(raw_token, user.contact):
        return None  # the caller rolls back, so the link is not used up either
    set_password(user, password, now=now)
    return user


def request_password_reset(email: str, *, now: datetime) -> None:
    """Email a reset link to an active login with this address; silently nothing otherwise."""
    user = find_user_by_email(email)
    # An agency that requires single sign-on has no passwords: a reset link would set one nobody can use.
    if user is None or not user.is_active or user.contact.agency.requires_single_sign_on:
        return
    recent = db.session.execute(
        select(func.count()).select_from(PasswordToken).where(
            PasswordToken.user_id == user.id, PasswordToken.purpose == "reset",
            PasswordToken.created_at > now - timedelta(hours=1),
        )
    ).scalar_one()
    if recent >= MAX_RESET_EMAILS_PER_HOUR:
        return
    token, raw = issue_token(user, "reset", now=now)
    emails.password_reset(user, raw, key=f"people:reset:{token.id}", now=now)
