"""Signing out and changing a password end every session of that login: copied cookies stop working."""

import pytest
from support.people import PASSWORD

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

EMAIL = "lead@example.org"


def _signed_in_client(app):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return client


def _copied_cookies(client) -> dict[str, str]:
    """The session and remember-me cookies, as someone who copied them from the browser would hold them."""
    cookies = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    assert all(cookies.values())
    return cookies


def _replay(app, cookies: dict[str, str], only: tuple[str, ...] = ("session", "remember_token")):
    """A new browser carrying the copied cookies; the status of a page that needs a sign-in."""
    thief = app.test_client()
    for name in only:
        thief.set_cookie(name, cookies[name])
    return thief.get("/account/password").status_code


@pytest.mark.parametrize("only", [("session", "remember_token"), ("session",), ("remember_token",)])
def test_copied_cookies_stop_working_after_sign_out(app, users_by_role, only):
    client = _signed_in_client(app)
    copied = _copied_cookies(client)
    assert _replay(app, copied, only) == 200  # the copy works while the person is signed in
    client.post("/sign-out")
    assert _replay(app, copied, only) == 302


def test_signing_out_ends_the_person_s_sessions_on_other_devices_too(app, users_by_role):
    phone, laptop = _signed_in_client(app), _signed_in_client(app)
    laptop.post("/sign-out")
    assert phone.get("/account/password").status_code == 302


@pytest.mark.parametrize("only", [("session", "remember_token"), ("session",), ("remember_token",)])
def test_copied_cookies_stop_working_after_a_password_change(app, users_by_role, only):
    client = _signed_in_client(app)
    copied = _copied_cookies(client)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "password": "a new long passphrase", "confirm": "a new long passphrase"})
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200  # this browser stays signed in
    assert _replay(app, copied, only) == 302
