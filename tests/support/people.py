"""Fixtures for the people tests, and role users any area's tests can borrow.

users_by_role gives one enabled user per role, each in a known agency:
coordinator and viewer at CBC, the lead at EP, the partner at EFRS (all with PASSWORD).
client_as(role) gives a test client signed in as that role ("anonymous" for nobody).
"""

import re

import pytest

from scp_tracker.extensions import db as _db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.people.models import Agency

PASSWORD = "correct horse battery staple"
# One user each of the roles held without a key priority (a key priority lead needs one: make_user(roles=…)).
ROLES = ("coordinator", "lead", "partner", "viewer")
ROLE_NAMES = (*ROLES, "anonymous")
KNOWN_AGENCIES = {
    "CBC": "Colchester Borough Council",
    "EP": "Essex Police",
    "EFRS": "Essex Fire and Rescue Service",
}
AGENCY_OF_ROLE = {"coordinator": "CBC", "lead": "EP", "partner": "EFRS", "viewer": "CBC"}


@pytest.fixture
def fast_password_hashing(monkeypatch):
    """Cheap password hashes for tests that set many passwords (scrypt costs ~140 ms a call)."""
    from werkzeug.security import generate_password_hash

    from scp_tracker.people import passwords, signing_in
    from support.factories import FAST_HASH

    for module in (passwords, signing_in):  # setting a password, and the hash an unknown email is checked against
        monkeypatch.setattr(module, "generate_password_hash",
                            lambda password: generate_password_hash(password, method=FAST_HASH))
    monkeypatch.setattr(signing_in, "_dummy_hash", [])


@pytest.fixture
def known_agency(db, make_agency):
    """known_agency("EP"): the agency with that abbreviation, made on first use."""

    def _get(abbreviation):
        agency = db.session.execute(db.select(Agency).filter_by(abbreviation=abbreviation)).scalar_one_or_none()
        return agency or make_agency(abbreviation=abbreviation, name=KNOWN_AGENCIES.get(abbreviation, abbreviation))

    return _get


@pytest.fixture
def users_by_role(make_user, known_agency):
    """One user per role: {"coordinator": User, "lead": User, "partner": User, "viewer": User}."""
    return {
        role: make_user(
            role=role,
            password=PASSWORD,
            agency=known_agency(AGENCY_OF_ROLE[role]),
            name=f"{role.title()} Person",
            email=f"{role}@example.org",
        )
        for role in ROLES
    }


@pytest.fixture
def client_as(app, users_by_role):
    """client_as("lead"): a fresh test client signed in as that role; "anonymous" signs nobody in."""

    def _client(role):
        client = app.test_client()
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = users_by_role[role].get_id()
                session["_fresh"] = True
        return client

    return _client


@pytest.fixture
def outbox_rows(app):
    """outbox_rows(kind=None): the emails written to the outbox so far (of one kind), oldest first."""

    def _rows(kind=None):
        query = _db.select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.filter_by(kind=kind)
        return _db.session.execute(query).scalars().all()

    return _rows


def emailed_path(message, prefix: str) -> str:
    """The path of the first link in an email's text that starts with prefix ("/reset-password/")."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s]+)", message.text_body)
    assert match, f"no {prefix} link in: {message.text_body}"
    return match.group(1)


def same_page(first_html: str, first_email: str, second_html: str, second_email: str) -> bool:
    """Whether two pages say the same thing, but for the email address echoed and the per-request nonce."""

    def comparable(html, email):
        return re.sub(r'nonce="[^"]*"', 'nonce=""', html).replace(email, "EMAIL")

    return comparable(first_html, first_email) == comparable(second_html, second_email)
