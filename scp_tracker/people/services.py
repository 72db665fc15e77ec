"""Agencies and contacts: finding, adding and changing them. Plain functions that add and flush; the caller commits.

PeopleError, the error every people service raises, lives here too.
"""


from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact, User
from scp_tracker.people.sessions import new_session_token


class PeopleError(ValueError):
    """A rule a change broke, worded for the person who made it, with the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def normalise_email(text: str) -> str:
    """The address in its normal form (domain lower-cased); PeopleError if it is not an email address."""
    try:
        return validate_email((text or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise PeopleError(f"{text!r} is not a valid email address", "email") from None


def find_agency(text: str) -> Agency | None:
    """The agency with this abbreviation, or else this full name, ignoring case."""
    wanted = (text or "").strip().lower()
    if not wanted:
        return None
    agencies = db.session.execute(
        select(Agency).where(or_(func.lower(Agency.abbreviation) == wanted, func.lower(Agency.name) == wanted))
    ).scalars().all()
    by_abbreviation = [a for a in agencies if a.abbreviation.lower() == wanted]
    return next(iter(by_abbreviation or agencies), None)


def _by_email(query, email: str):
    """Narrow a query to a contact's email address ignoring case, the exact spelling first.

    The column is unique only as spelt, so rows added elsewhere may differ by case alone.
    """
    email = (email or "").strip()
    return query.where(func.lower(Contact.email) == email.lower()).order_by(
        (Contact.email == email).desc(), Contact.id
    ).limit(1)


def find_contact_by_email(email: str) -> Contact | None:
    """The contact with this email address, ignoring case."""
    return db.session.execute(_by_email(select(Contact), email)).scalar_one_or_none()


def find_user_by_email(email: str) -> User | None:
    """The login of the contact with this email address, ignoring case."""
    return db.session.execute(_by_email(select(User).join(User.contact), email)).scalar_one_or_none()


def agencies(*, include_inactive: bool = True) -> list[Agency]:
    """Agencies by abbreviation, active ones only unless asked."""
    query = select(Agency).order_by(func.lower(Agency.abbreviation))
    if not include_inactive:
        query = query.where(Agency.is_active.is_(True))
    return list(db.session.execute(query).scalars())


def contacts(*, agency_id: int | None = None) -> list[Contact]:
    """Contacts by name with their agency and login loaded, optionally of one agency."""
    query = select(Contact).options(selectinload(Contact.agency), selectinload(Contact.user)).order_by(
        func.lower(Contact.name)
    )
    if agency_id is not None:
        query = query.where(Contact.agency_id == agency_id)
    return list(db.session.execute(query).scalars())


def users() -> list[User]:
    """Every login with its contact and agency, by name."""
    return list(db.session.execute(
        select(User).join(User.contact).options(selectinload(User.contact).selectinload(Contact.agency))
        .order_by(func.lower(Contact.name))
    ).scalars())


def _record_new(actor: Actor, target, values: dict, *, entity: str) -> None:
    """Record each field of something just added as a change from nothing."""
    for name, value in values.items():
        record_change(actor, entity=entity, entity_id=target.id, field=name, before=None, after=value)


def _check_agency_unique(abbreviation: str, name: str, *, except_id: int | None = None) -> None:
    """Abbreviations and names are how people and spreadsheets name agencies: both must be unique."""
    for column, value, label in ((Agency.abbreviation, abbreviation, "abbreviation"), (Agency.name, name, "name")):
        clash = db.session.execute(
            select(Agency).where(func.lower(column) == value.lower(), Agency.id != (except_id or 0))
        ).scalar_one_or_none()
        if clash:
            raise PeopleError(f"There is already an agency with the {label} {value}", label)


def _flush_or(error: PeopleError) -> None:
    """Flush; a unique key another request took since the check above it (a race lost) is `error`, not a 500.

    The transaction is then spoilt: the caller rolls back before showing the form again.
    """
    try:
        db.session.flush()
    except IntegrityError:
        raise error from None


def _abbreviation_taken(abbreviation: str) -> PeopleError:
    """The message for an abbreviation another agency has."""
    return PeopleError(f"There is already an agency with the abbreviation {abbreviation}", "abbreviation")


def add_agency(actor: Actor, *, abbreviation: str, name: str) -> Agency:
    """Add an agency, recording who added it."""
    abbreviation, name = abbreviation.strip(), name.strip()
    _check_agency_unique(abbreviation, name)
    agency = Agency(abbreviation=abbreviation, name=name, is_active=True)
    db.session.add(agency)
    _flush_or(_abbreviation_taken(abbreviation))
    _record_new(actor, agency, {"abbreviation": abbreviation, "name": name}, entity="agency")
    return agency


def update_agency(actor: Actor, agency: Agency, *, abbreviation: str, name: str) -> list[str]:
    """Change an agency's abbreviation or name; returns the fields changed."""
    abbreviation, name = abbreviation.strip(), name.strip()
    _check_agency_unique(abbreviation, name, except_id=agency.id)
    changed = set_fields(actor, agency, {"abbreviation": abbreviation, "name": name}, entity="agency")
    _flush_or(_abbreviation_taken(abbreviation))
    return changed


def set_agency_active(actor: Actor, agency: Agency, is_active: bool) -> list[str]:
    """Deactivate an agency that has left the partnership (its history stays), or bring it back."""
    changed = set_fields(actor, agency, {"is_active": is_active}, entity="agency")
    db.session.flush()
    return changed


def _check_email_free(email: str, *, except_id: int | None = None) -> None:
    """One contact per email address, whatever its case."""
    clash = find_contact_by_email(email)
    if clash and clash.id != except_id:
        raise PeopleError(f"{email} is already the email address of {clash.name} ({clash.agency.abbreviation})",
                          "email")


def add_contact(actor: Actor, *, name: str, email: str, agency: Agency, phone: str | None = None,
                job_title: str | None = None, receives_reminders: bool = True) -> Contact:
    """Add a contact at an agency, recording who added them."""
    email = normalise_email(email)
    _check_email_free(email)
    values = {"name": name.strip(), "email": email, "phone": _blank_to_none(phone),
              "job_title": _blank_to_none(job_title), "receives_reminders": receives_reminders}
    contact = Contact(agency=agency, is_active=True, **values)
    db.session.add(contact)
    _flush_or(PeopleError(f"{email} is already the email address of another contact", "email"))
    _record_new(actor, contact, {**values, "agency": agency.abbreviation}, entity="contact")
    return contact


def update_contact(actor: Actor, contact: Contact, *, name: str, email: str, agency: Agency,
                   phone: str | None = None, job_title: str | None = None,
                   receives_reminders: bool = True) -> list[str]:
    """Change a contact's details, recording each change; returns the fields changed."""
    email = normalise_email(email)
    _check_email_free(email, except_id=contact.id)
    changed = set_fields(actor, contact, {
        "name": name.strip(), "email": email, "phone": _blank_to_none(phone),
        "job_title": _blank_to_none(job_title), "receives_reminders": receives_reminders,
    }, entity="contact")
    if contact.agency_id != agency.id:
        # Recorded by abbreviation, which is what people read in the history, not the id.
        record_change(actor, entity="contact", entity_id=contact.id, field="agency",
                      before=contact.agency.abbreviation, after=agency.abbreviation)
        contact.agency = agency
        changed.append("agency")
    _flush_or(PeopleError(f"{email} is already the email address of another contact", "email"))
    return changed


def set_contact_active(actor: Actor, contact: Contact, is_active: bool) -> list[str]:
    """Deactivate a contact who has left (no reminders, no sign-in), or bring them back."""
    changed = set_fields(actor, contact, {"is_active": is_active}, entity="contact")
    if not is_active and contact.user:
        contact.user.session_token = new_session_token()
    db.session.flush()
    return changed


def _blank_to_none(value: str | None) -> str | None:
    """Empty text is stored as nothing."""
    value = (value or "").strip()
    return value or None
