"""The coordinator's single sign-on settings for an agency: email domains allowed in, and whether passwords are off."""

import re

from sqlalchemy import select

from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.people.models import IMPORTABLE_ROLES, Agency, AgencySignInDomain
from scp_tracker.people.services import PeopleError

# A domain-granted login never manages: the coordinator invites coordinators by name.
# A key priority lead needs its key priority: given on the Users page, never by an email address alone.
DOMAIN_ROLES = tuple(role for role in IMPORTABLE_ROLES if role != "coordinator")
_DOMAIN = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
# Anyone in the world can have an address here: allowing one would let the public in.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "live.co.uk",
    "msn.com", "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com",
    "gmx.com", "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net",
})


def sign_in_domains(agency: Agency) -> list[AgencySignInDomain]:
    """The domains allowed in for an agency, alphabetically."""
    return list(db.session.execute(select(AgencySignInDomain).where(AgencySignInDomain.agency_id == agency.id)
                                   .order_by(AgencySignInDomain.domain)).scalars())


def normalise_domain(text: str) -> str:
    """A domain as stored: lower case, without a leading @ or spaces; PeopleError if it is not one."""
    domain = (text or "").strip().lower().removeprefix("@").rstrip(".")
    if not _DOMAIN.fullmatch(domain):
        raise PeopleError("Enter an email domain, like essex.police.uk", "domain")
    if domain in PUBLIC_MAIL_DOMAINS:
        raise PeopleError(f"Anyone can have an address at {domain}: invite its people one by one instead", "domain")
    return domain


def allow_domain(actor: Actor, agency: Agency, *, domain: str, role: str) -> AgencySignInDomain:
    """Let anyone whose verified address is at this domain sign in through a provider with this role."""
    domain = normalise_domain(domain)
    if role not in DOMAIN_ROLES:
        raise PeopleError(f"Choose one of {', '.join(DOMAIN_ROLES)}", "role")
    taken = db.session.execute(select(AgencySignInDomain).where(AgencySignInDomain.domain == domain)).scalar()
    if taken is not None:
        raise PeopleError(f"{domain} is already allowed for {taken.agency.abbreviation}", "domain")
    allowed = AgencySignInDomain(agency=agency, domain=domain, role=role)
    db.session.add(allowed)
    db.session.flush()
    record_change(actor, entity="agency", entity_id=agency.id, field="sign_in_domain", before=None,
                  after=f"{domain} ({role})")
    return allowed


def remove_domain(actor: Actor, allowed: AgencySignInDomain) -> None:
    """Stop new logins from this domain (logins made through it stay, and the coordinator can disable them)."""
    record_change(actor, entity="agency", entity_id=allowed.agency_id, field="sign_in_domain",
                  before=f"{allowed.domain} ({allowed.role})", after=None)
    db.session.delete(allowed)
    db.session.flush()


def set_requires_single_sign_on(actor: Actor, agency: Agency, requires: bool, *, has_providers: bool) -> list[str]:
    """Turn passwords off (or on again) for an agency's people; never while no provider is set up (they would have
    no way in at all)."""
    if requires and not has_providers:
        raise PeopleError("No organisation accounts are set up yet, so without passwords nobody at "
                          f"{agency.abbreviation} could sign in", "requires")
    changed = set_fields(actor, agency, {"requires_single_sign_on": requires}, entity="agency")
    db.session.flush()
    return changed
