"""Signing in and out, remember me, the shared throttle, where people go next, changing a password."""

import pytest
from sqlalchemy import func, select
from support.people import PASSWORD, same_page

from scp_tracker.people import signing_in
from scp_tracker.people.models import LoginAttempt
from scp_tracker.people.views import SIGN_IN_FAILED, safe_next

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def _sign_in(client, email, password=PASSWORD, **extra):
    data = {"email": email, "password": password, **{k: v for k, v in extra.items() if k != "query"}}
    return client.post("/sign-in" + extra.get("query", ""), data=data)


def _client_from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _signed_in(client) -> bool:
    return client.get("/account/password").status_code == 200


def test_sign_in_page(client):
    page = client.get("/sign-in")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Sign in", "Email address", "Password", "Keep me signed in on this device",
                 "Forgotten your password?", 'autocomplete="current-password"'):
        assert text in html


def test_sign_in_and_out(app, db, users_by_role):
    client = app.test_client()
    response = _sign_in(client, "Lead@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _signed_in(client)
    assert users_by_role["lead"].last_login_at is not None
    assert client.get("/sign-out").status_code == 405
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert not _signed_in(client)
    assert "You have signed out" in client.get("/sign-in").get_data(as_text=True)


def test_remember_me_sets_a_lasting_cookie_only_when_asked(app, users_by_role):
    forgetful = app.test_client()
    _sign_in(forgetful, "lead@example.org")
    assert forgetful.get_cookie("remember_token") is None

    remembered = app.test_client()
    _sign_in(remembered, "lead@example.org", remember="y")
    cookie = remembered.get_cookie("remember_token")
    assert cookie is not None and cookie.expires is not None
    # The session cookie goes (browser closed); the remember cookie signs them back in.
    remembered.delete_cookie("session")
    assert _signed_in(remembered)


def test_already_signed_in_goes_on(client_as):
    response = client_as("viewer").get("/sign-in?next=/agencies")
    assert response.status_code == 302
    assert response.headers["Location"] == "/agencies"


@pytest.mark.parametrize(("email", "password"), [
    ("lead@example.org", "not the password at all"),
    ("nobody@example.org", PASSWORD),
    ("not an email", PASSWORD),
])
def test_the_same_message_for_any_failure(app, users_by_role, email, password):
    response = _sign_in(app.test_client(), email, password)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert SIGN_IN_FAILED in html
    assert "There is a problem" in html
    assert "<title>Error: Sign in" in html


def test_wrong_password_and_unknown_email_answer_alike(app, users_by_role):
    wrong = _sign_in(app.test_client(), "lead@example.org", "not the password at all").get_data(as_text=True)
    unknown = _sign_in(app.test_client(), "nobody@example.org", "not the password at all").get_data(as_text=True)
    assert same_page(wrong, "lead@example.org", unknown, "nobody@example.org")


def test_a_disabled_login_cannot_sign_in(app, db, users_by_role):
    users_by_role["lead"].is_enabled = False
    db.session.commit()
    response = _sign_in(app.test_client(), "lead@example.org")
    assert SIGN_IN_FAILED in response.get_data(as_text=True)


def test_an_invited_login_without_a_password_cannot_sign_in(app, db, users_by_role):
    users_by_role["lead"].password_hash = None
    db.session.commit()
    response = _sign_in(app.test_client(), "lead@example.org", "")
    assert response.status_code == 200
    assert not _signed_in(app.test_client())


def test_a_blank_form_asks_for_both(client):
    html = client.post("/sign-in", data={}).get_data(as_text=True)
    assert "Enter your email address" in html
    assert "Enter your password" in html


# --- throttling -------------------------------------------------------------------------------

def _attempts(db):
    return db.session.execute(select(func.count()).select_from(LoginAttempt)).scalar_one()


def test_five_failures_lock_the_account_for_fifteen_minutes(app, db, users_by_role, monkeypatch, time_machine):
    time_machine.move_to("2026-11-27 10:00:00+00:00", tick=False)
    client = app.test_client()
    for _ in range(signing_in.MAX_FAILURES_PER_ACCOUNT):
        assert _sign_in(client, "lead@example.org", "wrong password!!").status_code == 200

    def no_password_checks(*args):
        raise AssertionError("the password was checked while throttled")

    monkeypatch.setattr(signing_in, "check_password_hash", no_password_checks)
    # From another address, with the right password: still refused, and the password never checked.
    other = _client_from(app, "10.9.9.9")
    throttled = _sign_in(other, "LEAD@example.org")
    assert throttled.status_code == 429
    assert "Too many attempts" in throttled.get_data(as_text=True)
    assert throttled.headers["Retry-After"] == "900"
    assert not _signed_in(other)
    monkeypatch.undo()

    # Another account from the first address is not locked.
    assert _sign_in(app.test_client(), "viewer@example.org").status_code == 302

    time_machine.move_to("2026-11-27 10:15:01+00:00", tick=False)
    assert _sign_in(other, "lead@example.org").status_code == 302


def test_a_success_clears_the_account_s_failures(app, db, users_by_role):
    client = app.test_client()
    for _ in range(signing_in.MAX_FAILURES_PER_ACCOUNT - 1):
        _sign_in(client, "lead@example.org", "wrong password!!")
    assert _sign_in(client, "lead@example.org").status_code == 302
    client.post("/sign-out")
    for _ in range(signing_in.MAX_FAILURES_PER_ACCOUNT - 1):
        _sign_in(client, "lead@example.org", "wrong password!!")
    assert _sign_in(client, "lead@example.org").status_code == 302


def test_twenty_failures_from_one_address_block_it(app, db, users_by_role):
    attacker = _client_from(app, "10.6.6.6")
    for n in range(signing_in.MAX_FAILURES_PER_ADDRESS):
        assert _sign_in(attacker, f"guess{n}@example.org", "wrong password!!").status_code == 200
    assert _attempts(db) == 2 * signing_in.MAX_FAILURES_PER_ADDRESS
    assert _sign_in(attacker, "viewer@example.org").status_code == 429
    # Someone else, elsewhere, signs in as usual.
    assert _sign_in(_client_from(app, "10.1.1.1"), "viewer@example.org").status_code == 302


def test_old_failures_are_forgotten(app, db, users_by_role, time_machine):
    time_machine.move_to("2026-11-27 10:00:00+00:00", tick=False)
    _sign_in(app.test_client(), "lead@example.org", "wrong password!!")
    time_machine.move_to("2026-11-27 11:00:00+00:00", tick=False)
    _sign_in(app.test_client(), "viewer@example.org", "wrong password!!")
    assert _attempts(db) == 2  # the 10:00 pair went when the 11:00 pair came


# --- where to go next -------------------------------------------------------------------------

@pytest.mark.parametrize(("target", "expected"), [
    ("/agencies", "/agencies"),
    ("/agencies?x=1", "/agencies?x=1"),
    ("http://localhost/contacts", "/contacts"),
    ("//evil.example/x", None),
    ("https://evil.example/x", None),
    ("http://localhost.evil.example/x", None),
    ("/\\evil.example", None),
    ("\\\\evil.example", None),
    ("javascript:alert(1)", None),
    ("agencies", None),
    ("/agencies\r\nSet-Cookie: x=1", None),
    ("", None),
    (None, None),
])
def test_safe_next(app, target, expected):
    with app.test_request_context("/sign-in", base_url="http://localhost"):
        assert safe_next(target) == expected


def test_next_is_followed_on_this_site_only(app, users_by_role):
    response = _sign_in(app.test_client(), "viewer@example.org", query="?next=/contacts")
    assert response.headers["Location"] == "/contacts"
    response = _sign_in(app.test_client(), "viewer@example.org", query="?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_a_protected_page_sends_you_to_sign_in_and_back(app, users_by_role):
    client = app.test_client()
    response = client.get("/contacts")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Fcontacts"
    response = _sign_in(client, "viewer@example.org", query="?next=%2Fcontacts")
    assert response.headers["Location"] == "/contacts"


# --- changing a password ----------------------------------------------------------------------

NEW_PASSWORD = "a brand new passphrase"


def _change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/account/password", data={"current_password": current, "password": new,
                                                  "confirm": new if confirm is None else confirm})


def test_change_password_ends_other_sessions(app, db, users_by_role):
    here, elsewhere = app.test_client(), app.test_client()
    _sign_in(here, "lead@example.org", remember="y")
    _sign_in(elsewhere, "lead@example.org", remember="y")
    response = _change(here)
    assert response.status_code == 302
    assert "Any other devices have been signed out" in here.get(response.headers["Location"]).get_data(as_text=True)
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    # The remembered cookie of this browser was renewed; the other's no longer works.
    here.delete_cookie("session")
    assert _signed_in(here)
    elsewhere.delete_cookie("session")
    assert not _signed_in(elsewhere)
    assert _sign_in(app.test_client(), "lead@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("current", "new", "confirm", "message"), [
    ("wrong current password", NEW_PASSWORD, None, "Your current password is not correct"),
    (PASSWORD, "too short", None, "Password must be between 12 and 256 characters"),
    (PASSWORD, NEW_PASSWORD, "something else entirely", "The passwords do not match"),
    ("", NEW_PASSWORD, None, "Enter your current password"),
])
def test_change_password_errors(client_as, current, new, confirm, message):
    client = client_as("lead")
    response = _change(client, current, new, confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _signed_in(client)
