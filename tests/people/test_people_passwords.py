"""Emailed password links: forgotten password, invitations, and their single use and expiry."""

import hashlib
from html import unescape

import pytest
from sqlalchemy import select
from support.people import PASSWORD, emailed_path, same_page

from scp_tracker.people import passwords
from scp_tracker.people.models import Contact, PasswordToken, User

NEW_PASSWORD = "a brand new passphrase"


pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def _ask_for_reset(client, email):
    return client.post("/sign-in/forgotten", data={"email": email})


def _choose(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, data={"password": password, "confirm": password if confirm is None else confirm})


def _can_sign_in(app, email, password):
    return app.test_client().post("/sign-in", data={"email": email, "password": password}).status_code == 302


@pytest.fixture
def at(time_machine):
    """at("2026-11-27 10:00"): stop the clock at that UTC time."""

    def _at(moment):
        time_machine.move_to(f"{moment}:00+00:00", tick=False)

    return _at


# --- forgotten password -----------------------------------------------------------------------

def test_forgotten_password_emails_a_link_through_the_outbox(app, client, users_by_role, outbox_rows):
    response = _ask_for_reset(client, "Lead@Example.org")
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    [message] = outbox_rows()
    assert message.kind == "password_reset"
    assert message.to_address == "lead@example.org"
    assert message.subject == "Reset your SCP Tracker password"
    assert message.key.startswith("people:reset:")
    path = emailed_path(message, "/reset-password/")
    assert f"{app.config['BASE_URL']}{path}" in message.text_body
    assert path in message.html_body
    assert "Lead Person" in message.text_body


def test_the_answer_is_the_same_for_an_unknown_address(client, users_by_role, outbox_rows):
    known = _ask_for_reset(client, "lead@example.org").get_data(as_text=True)
    unknown = _ask_for_reset(client, "nobody@example.org").get_data(as_text=True)
    assert same_page(known, "lead@example.org", unknown, "nobody@example.org")
    assert len(outbox_rows()) == 1


def test_no_reset_for_a_disabled_login(db, client, users_by_role, outbox_rows):
    users_by_role["lead"].is_enabled = False
    db.session.commit()
    assert _ask_for_reset(client, "lead@example.org").status_code == 200
    assert outbox_rows() == []


def test_an_invalid_address_is_a_form_error(client):
    html = _ask_for_reset(client, "bob@").get_data(as_text=True)
    assert "Enter an email address in the correct format" in html


def test_the_token_is_stored_hashed(db, client, users_by_role, outbox_rows):
    _ask_for_reset(client, "lead@example.org")
    raw = emailed_path(outbox_rows()[0], "/reset-password/").rsplit("/", 1)[1]
    token = db.session.execute(select(PasswordToken)).scalar_one()
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in token.token_hash
    assert len(raw) >= 40


def test_reset_sets_a_password_once(app, db, client, users_by_role, outbox_rows):
    signed_in_elsewhere = app.test_client()
    signed_in_elsewhere.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD})
    _ask_for_reset(client, "lead@example.org")
    path = emailed_path(outbox_rows()[0], "/reset-password/")

    # Opening the link (as a mail scanner would, twice) changes nothing.
    for _ in range(2):
        page = client.get(path)
        assert page.status_code == 200
        assert "Choose a new password" in page.get_data(as_text=True)
        assert page.headers["Referrer-Policy"] == "no-referrer"

    response = _choose(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "Your password has been changed" in client.get("/sign-in").get_data(as_text=True)
    assert _can_sign_in(app, "lead@example.org", NEW_PASSWORD)
    assert not _can_sign_in(app, "lead@example.org", PASSWORD)
    assert signed_in_elsewhere.get("/account/password").status_code == 302  # signed out by the change

    used = client.get(path)
    assert used.status_code == 410
    assert "This link no longer works" in used.get_data(as_text=True)
    assert _choose(client, path, "yet another passphrase").status_code == 410
    assert _can_sign_in(app, "lead@example.org", NEW_PASSWORD)


def test_a_reset_link_expires_after_an_hour(app, client, users_by_role, outbox_rows, at):
    at("2026-11-27 10:00")
    _ask_for_reset(client, "lead@example.org")
    path = emailed_path(outbox_rows()[0], "/reset-password/")
    at("2026-11-27 10:59")
    assert client.get(path).status_code == 200
    at("2026-11-27 11:00")
    assert client.get(path).status_code == 410
    assert _choose(client, path).status_code == 410
    assert _can_sign_in(app, "lead@example.org", PASSWORD)


def test_a_newer_link_replaces_the_older(client, users_by_role, outbox_rows):
    _ask_for_reset(client, "lead@example.org")
    _ask_for_reset(client, "lead@example.org")
    first, second = (emailed_path(m, "/reset-password/") for m in outbox_rows())
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_reset_emails_are_limited_per_hour(client, users_by_role, outbox_rows, at):
    at("2026-11-27 10:00")
    for _ in range(passwords.MAX_RESET_EMAILS_PER_HOUR + 2):
        assert _ask_for_reset(client, "lead@example.org").status_code == 200
    assert len(outbox_rows()) == passwords.MAX_RESET_EMAILS_PER_HOUR
    at("2026-11-27 11:01")
    _ask_for_reset(client, "lead@example.org")
    assert len(outbox_rows()) == passwords.MAX_RESET_EMAILS_PER_HOUR + 1


@pytest.mark.parametrize(("password", "confirm", "message"), [
    ("too short", None, "Password must be between 12 and 256 characters"),
    (NEW_PASSWORD, "not the same passphrase", "The passwords do not match"),
])
def test_a_rejected_password_leaves_the_link_usable(client, users_by_role, outbox_rows, password, confirm, message):
    _ask_for_reset(client, "lead@example.org")
    path = emailed_path(outbox_rows()[0], "/reset-password/")
    response = _choose(client, path, password, confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _choose(client, path).status_code == 302


def test_a_made_up_token_is_refused(client, users_by_role):
    assert client.get("/reset-password/not-a-real-token").status_code == 410
    assert _choose(client, "/set-password/not-a-real-token").status_code == 410


def test_a_reset_link_cannot_be_used_as_an_invitation(client, users_by_role, outbox_rows):
    _ask_for_reset(client, "lead@example.org")
    token = emailed_path(outbox_rows()[0], "/reset-password/").rsplit("/", 1)[1]
    assert client.get(f"/set-password/{token}").status_code == 410


# --- invitations ------------------------------------------------------------------------------

def _invite(client, agency, email="new.person@example.org", role="lead", name="New Person", **more):
    return client.post("/users/invite", data={"name": name, "email": email, "agency_id": agency.id, "roles": role,
                                              **more})


def test_the_coordinator_invites_someone_new(app, db, client_as, known_agency, outbox_rows):
    ep = known_agency("EP")
    db.session.commit()
    coordinator = client_as("coordinator")
    response = _invite(coordinator, ep, email="New.Person@EXAMPLE.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/users"
    assert "An invitation has been emailed to New Person" in coordinator.get("/users").get_data(as_text=True)

    contact = db.session.execute(select(Contact).filter_by(email="New.Person@example.org")).scalar_one()
    assert contact.agency_id == ep.id
    assert (contact.user.roles, contact.user.password_hash) == ({"lead"}, None)

    [message] = outbox_rows("invitation")
    assert message.to_address.lower() == "new.person@example.org"
    assert "Coordinator Person has given you a login" in message.text_body
    assert "updates the objectives their agency leads" in message.text_body
    path = emailed_path(message, "/set-password/")
    assert path in message.html_body

    page = client_as("anonymous").get(path)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert _choose(client_as("anonymous"), path).status_code == 302
    assert _can_sign_in(app, "new.person@example.org", NEW_PASSWORD)
    assert client_as("anonymous").get(path).status_code == 410


def test_an_invitation_lasts_seven_days(db, client_as, known_agency, outbox_rows, at):
    at("2026-11-02 09:00")
    ep = known_agency("EP")
    db.session.commit()
    _invite(client_as("coordinator"), ep)
    path = emailed_path(outbox_rows("invitation")[0], "/set-password/")
    assert "until 9 November 2026 at 9am" in outbox_rows("invitation")[0].text_body
    at("2026-11-09 08:59")
    assert client_as("anonymous").get(path).status_code == 200
    at("2026-11-09 09:00")
    assert client_as("anonymous").get(path).status_code == 410


def test_inviting_an_existing_contact_uses_them(db, client_as, make_contact, known_agency, outbox_rows):
    contact = make_contact(agency=known_agency("EFRS"), name="Fran Fire", email="fran@example.org")
    db.session.commit()
    response = _invite(client_as("coordinator"), known_agency("EP"), email="FRAN@example.org", role="partner",
                       name="Someone Else")
    assert response.status_code == 302
    db.session.refresh(contact)
    assert (contact.name, contact.agency.abbreviation, contact.user.roles) == ("Fran Fire", "EFRS", {"partner"})
    assert db.session.execute(select(Contact).filter_by(email="FRAN@example.org")).scalar_one_or_none() is None


def test_someone_with_a_login_cannot_be_invited_again(db, client_as, users_by_role, known_agency, outbox_rows):
    response = _invite(client_as("coordinator"), known_agency("EP"), email="lead@example.org")
    assert response.status_code == 200
    assert "Lead Person already has a login" in response.get_data(as_text=True)
    assert outbox_rows() == []


def test_invitation_form_errors(client_as, known_agency):
    known_agency("EP")
    html = unescape(client_as("coordinator").post("/users/invite", data={"email": "bob@"}).get_data(as_text=True))
    for message in ("Enter the person's name", "Enter an email address in the correct format",
                    "Select at least one role"):
        assert message in html


def test_resending_an_invitation_replaces_the_link(db, client_as, known_agency, outbox_rows):
    known_agency("EP")
    db.session.commit()
    coordinator = client_as("coordinator")
    _invite(coordinator, known_agency("EP"))
    user = db.session.execute(select(User).join(User.contact).filter(Contact.email == "new.person@example.org")
                              ).scalar_one()
    response = coordinator.post(f"/users/{user.id}/resend-invitation")
    assert response.status_code == 302
    assert "A new invitation has been emailed" in coordinator.get("/users").get_data(as_text=True)
    first, second = (emailed_path(m, "/set-password/") for m in outbox_rows("invitation"))
    assert client_as("anonymous").get(first).status_code == 410
    assert client_as("anonymous").get(second).status_code == 200


def test_no_invitation_for_someone_who_has_a_password(client_as, users_by_role, outbox_rows):
    coordinator = client_as("coordinator")
    response = coordinator.post(f"/users/{users_by_role['lead'].id}/resend-invitation")
    assert response.status_code == 302
    assert "has already set a password" in coordinator.get("/users").get_data(as_text=True)
    assert outbox_rows() == []
