"""Adding and updating contacts from the command line or a spreadsheet saved as CSV, all or nothing."""

import csv
import io
import re
from dataclasses import dataclass, field

from scp_tracker.core.history import Actor
from scp_tracker.people.logins import add_role, create_user
from scp_tracker.people.models import IMPORTABLE_ROLES, Contact
from scp_tracker.people.services import (
    PeopleError,
    add_contact,
    find_agency,
    find_contact_by_email,
    normalise_email,
    update_contact,
)

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
        if role and role not in IMPORTABLE_ROLES:
            row_errors.append(
                f"{where}, role: {cell('role')!r} is not a role (choose {', '.join(IMPORTABLE_ROLES)} or leave blank; "
                f"a key priority lead is made on the Users page)")
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
    """Give a contact a login with this role, or add it to their login's roles (an import never takes one away);
    whether anything changed."""
    if contact.user is None:
        create_user(actor, contact, [role])
        return True
    return add_role(actor, contact.user, role)


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
