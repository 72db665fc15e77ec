"""Logins: giving a contact a login, inviting someone, changing a login's roles, disabling and enabling it."""

from collections.abc import Iterable
from datetime import datetime

from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.people import emails
from scp_tracker.people.models import KEY_PRIORITY_LEAD, ROLES, Agency, Contact, User, UserRole
from scp_tracker.people.passwords import issue_token
from scp_tracker.people.services import PeopleError, add_contact, find_contact_by_email, normalise_email
from scp_tracker.people.sessions import new_session_token

RoleRow = tuple[str, int | None]  # (role, key priority id for the key priority lead role, else None)


def create_user(actor: Actor, contact: Contact, roles: Iterable[str], key_priority_ids: Iterable[int] = ()) -> User:
    """Give a contact a login with these roles and no password yet (an invitation or reset link sets one)."""
    rows = _role_rows(roles, key_priority_ids)
    if contact.user is not None:
        raise PeopleError(f"{contact.name} already has a login", "email")
    user = User(contact=contact, is_enabled=True,
                role_links=[UserRole(role=role, key_priority_id=kp_id) for role, kp_id in _in_order(rows)])
    db.session.add(user)
    db.session.flush()
    record_change(actor, entity="user", entity_id=user.id, field="roles", before=None, after=describe_roles(rows))
    return user


def _role_rows(roles: Iterable[str], key_priority_ids: Iterable[int]) -> set[RoleRow]:
    """The rows of user_role for these choices; refused, naming the field, when they make no sense."""
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise PeopleError("Select at least one role", "roles")
    for role in roles:
        if role not in ROLES:
            raise PeopleError(f"{role!r} is not a role: choose from {', '.join(ROLES)}", "roles")
    rows: set[RoleRow] = {(role, None) for role in roles if role != KEY_PRIORITY_LEAD}
    if KEY_PRIORITY_LEAD in roles:
        led = set(key_priority_ids)
        if not led:
            raise PeopleError("Select the key priority they lead", "key_priority_ids")
        rows |= {(KEY_PRIORITY_LEAD, kp_id) for kp_id in led}
    return rows


def _in_order(rows: Iterable[RoleRow]) -> list[RoleRow]:
    return sorted(rows, key=lambda row: (ROLES.index(row[0]), row[1] or 0))


def describe_roles(rows: Iterable[RoleRow]) -> str:
    """Roles as the change history keeps them, e.g. "lead, key_priority_lead:3, viewer"."""
    return ", ".join(role if kp_id is None else f"{role}:{kp_id}" for role, kp_id in _in_order(rows))


def held_roles(user: User) -> set[RoleRow]:
    """The rows of user_role a login holds."""
    return {(link.role, link.key_priority_id) for link in user.role_links}


def set_roles(actor: Actor, user: User, roles: Iterable[str], key_priority_ids: Iterable[int] = ()) -> list[str]:
    """Change what a login may do; a coordinator cannot change their own roles (someone must manage)."""
    wanted, held = _role_rows(roles, key_priority_ids), held_roles(user)
    if wanted == held:
        return []
    if user.id == actor.user_id:
        raise PeopleError("You cannot change your own roles: ask another coordinator", "roles")
    record_change(actor, entity="user", entity_id=user.id, field="roles", before=describe_roles(held),
                  after=describe_roles(wanted))
    for link in [link for link in user.role_links if (link.role, link.key_priority_id) not in wanted]:
        user.role_links.remove(link)
    user.role_links.extend(UserRole(role=role, key_priority_id=kp_id) for role, kp_id in _in_order(wanted - held))
    db.session.flush()
    return ["roles"]


def add_role(actor: Actor, user: User, role: str) -> bool:
    """Give a login one more role (an import or the command line; they never take roles away); whether it changed."""
    if role in user.roles:
        return False
    return bool(set_roles(actor, user, [*user.roles, role], user.led_key_priority_ids))


def set_user_enabled(actor: Actor, user: User, is_enabled: bool) -> list[str]:
    """Disable a login (signing it out everywhere) or enable it again."""
    if user.id == actor.user_id and not is_enabled:
        raise PeopleError("You cannot disable your own login")
    changed = set_fields(actor, user, {"is_enabled": is_enabled}, entity="user")
    if changed and not is_enabled:
        user.session_token = new_session_token()
    db.session.flush()
    return changed


def invite(actor: Actor, *, name: str, email: str, agency: Agency, roles: Iterable[str],
           key_priority_ids: Iterable[int] = (), now: datetime) -> User:
    """Give someone a login (adding them as a contact if they are new) and email them a link to set a password."""
    email = normalise_email(email)
    roles, key_priority_ids = list(roles), list(key_priority_ids)
    _role_rows(roles, key_priority_ids)  # refused before anyone is added
    contact = find_contact_by_email(email)
    if contact is None:
        contact = add_contact(actor, name=name, email=email, agency=agency)
    elif contact.user is not None:
        raise PeopleError(f"{contact.name} already has a login", "email")
    user = create_user(actor, contact, roles, key_priority_ids)
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
