"""The rules for agencies, contacts and logins: plain functions that add and flush; the caller commits."""

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from scp_tracker.core.db_types import execute_dml
from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.people import emails
from scp_tracker.people.link_holders import is_sealed_for, sealed
from scp_tracker.people.models import ROLES, Agency, Contact, LoginAttempt, PasswordToken, User

MIN_PASSWORD_LENGTH = 12
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
TOKEN_LIFETIMES = {"reset": timedelta(hours=1), "invite": timedelta(days=7)}
# Reset emails per account per hour: enough for a lost email, too few to flood an inbox.
MAX_RESET_EMAILS_PER_HOUR = 3


class PeopleError(ValueError):
    """A rule a change broke, worded for the person who made it, with the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- finding people ---------------------------------------------------------------------------

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


# --- agencies ---------------------------------------------------------------------------------

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


# --- contacts ---------------------------------------------------------------------------------

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
        contact.user.session_token = _new_session_token()
    db.session.flush()
    return changed


def _blank_to_none(value: str | None) -> str | None:
    """Empty text is stored as nothing."""
    value = (value or "").strip()
    return value or None


# --- logins -----------------------------------------------------------------------------------

def _new_session_token() -> str:
    """A fresh session id: every session holding the old one is signed out."""
    return secrets.token_hex(32)


def end_sessions(user: User) -> None:
    """Sign a login out everywhere: every session and remember-me cookie holds the old session id."""
    user.session_token = _new_session_token()
    db.session.flush()


def check_password_rules(password: str) -> None:
    """PeopleError unless the password is long enough to resist guessing."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise PeopleError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more", "password")


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
        user.session_token = _new_session_token()
    db.session.flush()
    return changed


def set_password(user: User, password: str, *, now: datetime) -> None:
    """Set a new password: ends every other session and every emailed link still outstanding."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    user.session_token = _new_session_token()
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


# --- signing in, with a throttle every web worker shares ----------------------------------------

@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the user, or why not."""

    user: User | None = None
    is_throttled: bool = False


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
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == email_key))
        user.last_login_at = now
        db.session.flush()
        return SignIn(user=user)
    # Forget failures older than the window so the table stays small.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at <= now - THROTTLE_WINDOW))
    db.session.add_all([LoginAttempt(key=email_key, attempted_at=now), LoginAttempt(key=ip_key, attempted_at=now)])
    db.session.flush()
    return SignIn()


# --- emailed links to set a password ------------------------------------------------------------

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
    if user is None or not user.is_active:
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


# --- adding contacts from the command line or a spreadsheet -------------------------------------

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
COLUMNS = {
    "name": "name", "email": "email", "e mail": "email", "email address": "email", "agency": "agency", "role": "role",
    "phone": "phone", "phone number": "phone", "telephone": "phone", "job title": "job_title",
    "receives reminders": "receives_reminders", "reminders": "receives_reminders",
}
REQUIRED_COLUMNS = ("name", "email", "agency")


@dataclass
class ContactRow:
    """One person to add or update, as given (agency still as text); None means 'leave as it is'."""

    name: str
    email: str
    agency: str
    role: str | None = None
    phone: str | None = None
    job_title: str | None = None
    receives_reminders: bool | None = None
    has_phone: bool = False
    has_job_title: bool = False
    row_number: int | None = None


@dataclass
class ContactSheet:
    """What was read from a spreadsheet: rows, errors per row, and columns not used."""

    rows: list[ContactRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _header_key(header: str) -> str:
    """Headers match whatever their case, spacing or punctuation ("Receives_reminders?", "E-mail")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (header or "").lower()).split())


def read_contacts_csv(text: str, source_name: str) -> ContactSheet:
    """Read a contacts spreadsheet saved as CSV: columns found by header name; every problem kept per row."""
    sheet = ContactSheet()
    records = list(csv.reader(io.StringIO(text)))
    if not records:
        sheet.errors.append(f"{source_name}: the file is empty")
        return sheet
    columns: dict[str, int] = {}
    for index, header in enumerate(records[0]):
        key = COLUMNS.get(_header_key(header))
        if key and key not in columns:
            columns[key] = index
        elif header.strip():
            sheet.ignored_columns.append(header.strip())
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        found = ", ".join(h.strip() for h in records[0] if h.strip()) or "none"
        sheet.errors.append(f"{source_name}: no {', '.join(missing)} column (columns found: {found})")
        return sheet
    first_row_of: dict[str, int] = {}
    for row_number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue

        def cell(key, record=record):
            index = columns.get(key)
            return record[index].strip() if index is not None and index < len(record) else ""

        where = f"{source_name} row {row_number}"
        row_errors = []
        email = cell("email")
        try:
            email = normalise_email(email)
        except PeopleError as error:
            row_errors.append(f"{where}, email: {error.message}")
        if not cell("name"):
            row_errors.append(f"{where}, name: the name is missing")
        if not cell("agency"):
            row_errors.append(f"{where}, agency: the agency is missing")
        role = cell("role").lower() or None
        if role and role not in ROLES:
            row_errors.append(
                f"{where}, role: {cell('role')!r} is not a role (choose {', '.join(ROLES)} or leave blank)")
        reminders_text = cell("receives_reminders").lower()
        receives = True if reminders_text in YES else False if reminders_text in NO else None
        if reminders_text and receives is None:
            row_errors.append(f"{where}, receives reminders: {cell('receives_reminders')!r} is not yes or no")
        key = email.lower()
        if not row_errors and key in first_row_of:
            row_errors.append(f"{where}, email: {email} is also on row {first_row_of[key]}")
        first_row_of.setdefault(key, row_number)
        if row_errors:
            sheet.errors.extend(row_errors)
            continue
        sheet.rows.append(ContactRow(
            name=cell("name"), email=email, agency=cell("agency"), role=role,
            phone=cell("phone") or None, job_title=cell("job_title") or None, receives_reminders=receives,
            has_phone="phone" in columns, has_job_title="job_title" in columns, row_number=row_number,
        ))
    return sheet


def save_contact(actor: Actor, row: ContactRow) -> str:
    """Add or update a contact by email (ignoring case), and their login's role if one is given.

    Returns "added", "updated" or "unchanged". An unknown agency is a PeopleError.
    """
    agency = find_agency(row.agency)
    if agency is None:
        raise PeopleError(f"{row.agency!r} is not a known agency", "agency")
    contact = find_contact_by_email(row.email)
    if contact is None:
        contact = add_contact(actor, name=row.name, email=row.email, agency=agency, phone=row.phone,
                              job_title=row.job_title,
                              receives_reminders=True if row.receives_reminders is None else row.receives_reminders)
        outcome = "added"
    else:
        assert contact.email is not None  # found by it
        changed = update_contact(
            actor, contact, name=row.name, email=contact.email, agency=agency,
            phone=row.phone if row.has_phone else contact.phone,
            job_title=row.job_title if row.has_job_title else contact.job_title,
            receives_reminders=contact.receives_reminders if row.receives_reminders is None
            else row.receives_reminders,
        )
        outcome = "updated" if changed else "unchanged"
    if row.role and _give_role(actor, contact, row.role) and outcome == "unchanged":
        outcome = "updated"
    return outcome


def _give_role(actor: Actor, contact: Contact, role: str) -> bool:
    """Give a contact a login with this role, or change their login's role; whether anything changed."""
    if contact.user is None:
        create_user(actor, contact, role)
        return True
    return bool(set_role(actor, contact.user, role))


@dataclass
class ImportResult:
    """How many contacts an import added, updated or left alone, and the errors that stopped it."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line for the person who ran it, e.g. 3 added, 1 updated, 0 unchanged."""
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"


def import_contacts(actor: Actor, sheet: ContactSheet, source_name: str) -> ImportResult:
    """Save every row of a sheet; any error anywhere means the caller must roll back (all or nothing)."""
    result = ImportResult(errors=list(sheet.errors))
    for row in sheet.rows:
        if find_agency(row.agency) is None:
            result.errors.append(f"{source_name} row {row.row_number}, agency: {row.agency!r} is not a known agency")
    if result.errors:
        return result
    for row in sheet.rows:
        try:
            outcome = save_contact(actor, row)
        except PeopleError as error:
            result.errors.append(f"{source_name} row {row.row_number}, {error.field or 'row'}: {error.message}")
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result
