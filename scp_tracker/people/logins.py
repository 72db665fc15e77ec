"""Logins: giving a contact a login, inviting someone, changing a login's role, disabling and enabling it."""

from datetime import datetime

from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.people import emails
from scp_tracker.people.models import ROLES, Agency, Contact, User
from scp_tracker.people.passwords import issue_token
from scp_tracker.people.services import PeopleError, add_contact, find_contact_by_email, normalise_email
from scp_tracker.people.sessions import new_session_token


def create_user(actor: Actor, contact: Contact, role: str) -> User:
    """Give a contact a login with a role and no password yet (an invitation or reset link sets one)."""
    _check_role(role)
    if contact.user is not None:
        raise PeopleError(f"{contact.name} already has a login", "email")
    user = User(contact=contact, role=role, is_enabled=True)
    db.session.add(user)
    db.session.flush()
    record_change(actor, entity="user", entity_id=user.id, field="role", before=None, after=role)
    return user


def _check_role(role: str) -> None:
    """Only the four roles exist."""
    if role not in ROLES:
        raise PeopleError(f"{role!r} is not a role: choose one of {', '.join(ROLES)}", "role")


def set_role(actor: Actor, user: User, role: str) -> list[str]:
    """Change what a login may do; a coordinator cannot demote themselves (someone must manage)."""
    _check_role(role)
    if user.id == actor.user_id and role != user.role:
        raise PeopleError("You cannot change your own role: ask another coordinator", "role")
    changed = set_fields(actor, user, {"role": role}, entity="user")
    db.session.flush()
    return changed


def set_user_enabled(actor: Actor, user: User, is_enabled: bool) -> list[str]:
    """Disable a login (signing it out everywhere) or enable it again."""
    if user.id == actor.user_id and not is_enabled:
        raise PeopleError("You cannot disable your own login")
    changed = set_fields(actor, user, {"is_enabled": is_enabled}, entity="user")
    if changed and not is_enabled:
        user.session_token = new_session_token()
    db.session.flush()
    return changed


def invite(actor: Actor, *, name: str, email: str, agency: Agency, role: str, now: datetime) -> User:
    """Give someone a login (adding them as a contact if they are new) and email them a link to set a password."""
    email = normalise_email(email)
    _check_role(role)
    contact = find_contact_by_email(email)
    if contact is None:
        contact = add_contact(actor, name=name, email=email, agency=agency)
    elif contact.user is not None:
        raise PeopleError(f"{contact.name} already has a login", "email")
    user = create_user(actor, contact, role)
    _send_invitation(actor, user, now=now)
    return user


def resend_invitation(actor: Actor, user: User, *, now: datetime) -> None:
    """Email a fresh invitation link (the old one stops working) to someone who has not set a password yet."""
    if user.password_hash:
        raise PeopleError(f"{user.contact.name} has already set a password: they can use 'Forgotten your password?'")
    if not user.is_active:
        raise PeopleError(f"{user.contact.name}'s login is disabled: enable it first")
    _send_invitation(actor, user, now=now)


def _send_invitation(actor: Actor, user: User, *, now: datetime) -> None:
    """Issue an invitation link and write its email to the outbox."""
    token, raw = issue_token(user, "invite", now=now)
    emails.invitation(user, raw, invited_by=actor.name, expires_at=token.expires_at,
                      key=f"people:invite:{token.id}", now=now)
