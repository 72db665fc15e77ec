"""Who a sign-in through an OpenID provider is: the login its verified claims map to, or why there is none.

The rule: a provider's subject seen before is its login, whatever the email claim now says (an email change at the
provider neither locks the person out nor lets another in). A subject not seen before maps by its verified email
address to an existing login, and is remembered. Nobody else gets a login, except someone whose address is at a
domain the coordinator allowed for an agency: they become a contact of that agency with the domain's role.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.people.logins import create_user
from scp_tracker.people.models import AgencySignInDomain, OidcIdentity, User
from scp_tracker.people.services import (
    PeopleError,
    add_contact,
    find_contact_by_email,
    find_user_by_email,
    normalise_email,
)

# Why a sign-in found no login (the page the person sees says what to do about each).
UNVERIFIED_EMAIL = "unverified_email"
UNKNOWN_PERSON = "unknown_person"
DISABLED = "disabled"
OTHER_ACCOUNT = "other_account"  # the login is already linked to another account at this provider


@dataclass(frozen=True)
class SsoSignIn:
    """The outcome: the login, or the reason there is none."""

    user: User | None = None
    refusal: str | None = None


def _is_true(value) -> bool:
    """A claim that says yes: JSON true (some providers send the text "true")."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def verified_email(claims: dict, *, trusts_email: bool) -> str | None:
    """The claims' email address if the provider vouches for it: email_verified true; or Microsoft Entra ID's
    xms_edov true (the tenant owns the address's domain; Entra sends no email_verified); or a provider whose email
    claim the deployment trusts (SCP_OIDC_<NAME>_TRUST_EMAIL)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    if not (_is_true(claims.get("email_verified")) or _is_true(claims.get("xms_edov")) or trusts_email):
        return None
    try:
        return normalise_email(email)
    except PeopleError:  # the provider's idea of an address is not one
        return None


def requires_single_sign_on(user: User) -> bool:
    """The login's agency lets its people sign in only through their organisation's account."""
    return bool(user.contact.agency.requires_single_sign_on)


def sign_in_with_claims(provider: str, claims: dict, *, trusts_email: bool, now: datetime) -> SsoSignIn:
    """Find (or, for an allowed domain, make) the login for an ID token's verified claims; flushes, never commits."""
    subject = str(claims["sub"])
    identity = db.session.execute(select(OidcIdentity).where(
        OidcIdentity.provider == provider, OidcIdentity.subject == subject)).scalar_one_or_none()
    if identity is not None:
        return _signed_in(identity.user, identity, now=now)
    email = verified_email(claims, trusts_email=trusts_email)
    if email is None:
        return SsoSignIn(refusal=UNVERIFIED_EMAIL)
    user = find_user_by_email(email)
    if user is None:
        user = _login_for_allowed_domain(provider, claims, email)
        if user is None:
            contact = find_contact_by_email(email)
            return SsoSignIn(refusal=DISABLED if contact is not None and not contact.is_active else UNKNOWN_PERSON)
    elif db.session.execute(select(OidcIdentity.id).where(
            OidcIdentity.user_id == user.id, OidcIdentity.provider == provider)).first() is not None:
        # This login already belongs to another account at this provider: a reused address must not take it over.
        return SsoSignIn(refusal=OTHER_ACCOUNT)
    if not user.is_active:
        return SsoSignIn(refusal=DISABLED)
    identity = OidcIdentity(user=user, provider=provider, subject=subject, first_seen_at=now)
    db.session.add(identity)
    return _signed_in(user, identity, now=now)


def _signed_in(user: User, identity: OidcIdentity, *, now: datetime) -> SsoSignIn:
    """The login, if it may sign in, with when it last did."""
    if not user.is_active:
        return SsoSignIn(refusal=DISABLED)
    identity.last_seen_at = now
    user.last_login_at = now
    db.session.flush()
    return SsoSignIn(user=user)


def _login_for_allowed_domain(provider: str, claims: dict, email: str) -> User | None:
    """A new login for someone at a domain the coordinator allowed (a new contact if need be); None otherwise."""
    domain = email.rsplit("@", 1)[1].lower()
    allowed = db.session.execute(
        select(AgencySignInDomain).where(AgencySignInDomain.domain == domain)).scalar_one_or_none()
    if allowed is None or not allowed.agency.is_active:
        return None
    contact = find_contact_by_email(email)
    if contact is not None and not contact.is_active:
        return None
    name = display_name(claims, email)
    actor = Actor(name=f"{name} (signing in through {provider})", source="web")
    if contact is None:
        contact = add_contact(actor, name=name, email=email, agency=allowed.agency)
    return create_user(actor, contact, [allowed.role])


def display_name(claims: dict, email: str) -> str:
    """The person's name from the claims, printable and short, or their address's local part."""
    parts = [claims.get("name")] + [" ".join(str(claims.get(k) or "") for k in ("given_name", "family_name"))]
    for part in parts:
        text = re.sub(r"\s+", " ", "".join(ch for ch in str(part or "") if ch.isprintable())).strip()
        if text:
            return text[:200]
    return email.split("@", 1)[0][:200]
