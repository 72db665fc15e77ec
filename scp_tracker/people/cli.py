"""scp-tracker people add | import | add-agency: contacts and logins from the command line or a spreadsheet."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from scp_tracker.core.db_types import utcnow
from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.people import contact_import, passwords, services
from scp_tracker.people.models import IMPORTABLE_ROLES

CLI_ACTOR = Actor(name="Command line", source="cli")
IMPORT_ACTOR = Actor(name="Contacts import", source="import")


@click.group(cls=AppGroup, help="Add or import contacts and their logins.")
def people():
    """The people command group."""


@people.command("add-agency")
@click.option("--abbreviation", required=True, help="How the plan names it, e.g. CBC.")
@click.option("--name", required=True, help="Its full name, e.g. Colchester Borough Council.")
def add_agency(abbreviation: str, name: str) -> None:
    """Add an agency, so contacts can be added to it (importing a plan adds the plan's agencies too)."""
    try:
        agency = services.add_agency(CLI_ACTOR, abbreviation=abbreviation, name=name)
    except services.PeopleError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Added agency {agency.abbreviation} ({agency.name}).")


@people.command("add")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--email", required=True, help="Their email address (adds, or updates the contact with it).")
@click.option("--agency", required=True, help="Their agency's abbreviation (e.g. CBC) or full name.")
@click.option("--role", type=click.Choice(IMPORTABLE_ROLES),
              help="Give them a login with this role, or add it to the roles of their login.")
@click.option("--password-stdin", is_flag=True, help="Read their password from standard input (needs --role).")
@click.option("--phone", help="Their phone number.")
def add(name: str, email: str, agency: str, role: str | None, password_stdin: bool, phone: str | None) -> None:
    """Add a contact, optionally with a login; an existing email address updates that contact instead."""
    if password_stdin and not role and not _has_login(email):
        raise click.UsageError("--password-stdin needs --role: a password belongs to a login")
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        email = services.normalise_email(email)
        outcome = contact_import.save_contact(CLI_ACTOR, contact_import.ContactRow(
            name=name, email=email, agency=agency, role=role, phone=phone, has_phone=phone is not None,
        ))
        contact = services.find_contact_by_email(email)
        assert contact is not None  # save_contact just added or updated it
        if password is not None:
            assert contact.user is not None  # a password needs a login: --role gave one, or they had one
            passwords.set_password(contact.user, password, now=utcnow())
    except services.PeopleError as error:
        db.session.rollback()
        raise click.ClickException(_explain(error, agency)) from None
    db.session.commit()
    login = f", login: {', '.join(sorted(contact.user.roles))}" if contact.user else ""
    click.echo(f"{outcome.capitalize()}: {contact.name} <{contact.email}> at {contact.agency.abbreviation}{login}.")
    if contact.user and not contact.user.password_hash:
        click.echo("They have no password yet: invite them from the Users page, or they can use "
                   "'Forgotten your password?' on the sign-in page.")


def _has_login(email: str) -> bool:
    """Whether the contact with this email already has a login (so a password alone makes sense)."""
    contact = services.find_contact_by_email(email)
    return bool(contact and contact.user)


def _explain(error: services.PeopleError, agency_text: str) -> str:
    """The error, with what to do about an unknown agency."""
    if error.field != "agency":
        return error.message
    known = ", ".join(a.abbreviation for a in services.agencies(include_inactive=False)) or "none yet"
    return (f"{agency_text!r} is not a known agency (known: {known}). "
            "Add it with: scp-tracker people add-agency --abbreviation ABBR --name NAME")


@people.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(path: Path) -> None:
    """Add or update contacts from a CSV with a header row.

    Columns, found by header name whatever their case: name, email, agency (abbreviation or full
    name), and optionally role, phone, job title, receives reminders (yes/no). A contact is matched
    by email, ignoring case. A blank role or receives-reminders cell leaves that as it is. If any row
    has an error, nothing is saved.
    """
    text, encoding_note = _read_text(path)
    if encoding_note:
        click.echo(encoding_note, err=True)
    sheet = contact_import.read_contacts_csv(text, path.name)
    for header in sheet.ignored_columns:
        click.echo(f"{path.name}: column {header!r} is not used", err=True)
    result = contact_import.import_contacts(IMPORT_ACTOR, sheet, path.name)
    if result.errors:
        db.session.rollback()
        for error in result.errors:
            click.echo(error, err=True)
        click.echo(f"Nothing was imported: fix the {_plural(len(result.errors), 'error')} above and "
                   "run the import again.", err=True)
        raise click.exceptions.Exit(1)
    db.session.commit()
    click.echo(result.summary)


def _read_text(path: Path) -> tuple[str, str | None]:
    """The file as text: UTF-8 (with or without Excel's byte-order mark), else Windows-1252 with a note."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), f"{path.name}: not UTF-8, read as Windows-1252"


def _plural(count: int, noun: str) -> str:
    """'1 error', '2 errors'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
