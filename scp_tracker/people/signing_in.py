"""Checking a sign-in, with a throttle on failures that every web worker shares (it is kept in the database)."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from scp_tracker.extensions import db
from scp_tracker.people.models import LoginAttempt, User
from scp_tracker.people.services import find_user_by_email
from scp_tracker.people.sso_accounts import requires_single_sign_on

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the user, or why not."""

    user: User | None = None
    is_throttled: bool = False
    # The password was right, but the login's agency signs in only through its organisation's account.
    needs_single_sign_on: bool = False


_dummy_hash: list[str] = []


def _waste_a_hash_check(password: str) -> None:
    """Check against a throwaway hash so an unknown email takes as long as a wrong password."""
    if not _dummy_hash:
        _dummy_hash.append(generate_password_hash(secrets.token_hex(16)))
    check_password_hash(_dummy_hash[0], password)


def _throttle_keys(email: str, ip: str | None) -> tuple[str, str]:
    """The keys failures are counted under: the account and the address they came from."""
    return f"email:{(email or '').strip().lower()}", f"ip:{ip or 'unknown'}"


def is_throttled(email: str, ip: str | None, *, now: datetime) -> bool:
    """Too many recent failures for this account or from this address."""
    email_key, ip_key = _throttle_keys(email, ip)
    counts = dict(db.session.execute(
        select(LoginAttempt.key, func.count()).where(
            LoginAttempt.key.in_((email_key, ip_key)), LoginAttempt.attempted_at > now - THROTTLE_WINDOW
        ).group_by(LoginAttempt.key)
    ).all())
    return counts.get(email_key, 0) >= MAX_FAILURES_PER_ACCOUNT or counts.get(ip_key, 0) >= MAX_FAILURES_PER_ADDRESS


def sign_in(email: str, password: str, *, ip: str | None, now: datetime) -> SignIn:
    """Check a sign-in: refused unchecked when throttled; a failure counts against account and address."""
    if is_throttled(email, ip, now=now):
        return SignIn(is_throttled=True)
    email_key, ip_key = _throttle_keys(email, ip)
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        _waste_a_hash_check(password or "")
    elif check_password_hash(user.password_hash, password or "") and user.is_active:
        # Said only after the right password, so the refusal tells a guesser nothing they did not know.
        if requires_single_sign_on(user):
            return SignIn(needs_single_sign_on=True)
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == email_key))
        user.last_login_at = now
        db.session.flush()
        return SignIn(user=user)
    # Forget failures older than the window so the table stays small.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at <= now - THROTTLE_WINDOW))
    db.session.add_all([LoginAttempt(key=email_key, attempted_at=now), LoginAttempt(key=ip_key, attempted_at=now)])
    db.session.flush()
    return SignIn()
