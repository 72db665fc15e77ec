"""Production refuses unsafe settings, one message per setting; sends HSTS; believes forwarded headers only from
the configured proxies, so a client reaching the app server directly cannot choose its address."""

import secrets

import pytest
from flask import Blueprint, request

from config.checks import MIN_SECRET_BITS, secret_bits
from scp_tracker import create_app
from scp_tracker.extensions import db
from scp_tracker.people import signing_in

STRONG = secrets.token_hex(32)
PRODUCTION = {"SCP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": STRONG,
              "BASE_URL": "https://scp-tracker.example.org"}

echo = Blueprint("test_echo", __name__)


@echo.get("/test-proxy/seen")
def seen():
    """What the app believes about the request: the client's address, scheme and host."""
    return f"{request.remote_addr} {request.scheme} {request.host}"


@pytest.fixture
def clean_environment(monkeypatch):
    """No SCP_ or FLASK_DEBUG variables from the machine running the tests."""
    import os

    for name in [name for name in os.environ if name.startswith("SCP_") or name == "FLASK_DEBUG"]:
        monkeypatch.delenv(name)
    return monkeypatch


def _refusal(overrides: dict) -> str:
    with pytest.raises(RuntimeError) as refused:
        create_app({**PRODUCTION, **overrides})
    return str(refused.value)


@pytest.mark.parametrize("secret", ["", "changeme", "a" * 32, "x" * 64, "ab" * 32, "ab" * 5000, "abc" * 100,
                                    "development-only-not-secret"])
def test_production_refuses_a_weak_secret_judged_by_entropy_not_length(clean_environment, secret):
    message = _refusal({"SECRET_KEY": secret})
    assert "SCP_SECRET_KEY" in message and "secrets.token_hex(32)" in message
    assert message.count("\n- ") == 1  # one refusal, about the secret only


def test_a_random_secret_is_accepted(clean_environment):
    for _ in range(200):
        secret = secrets.token_hex(32)
        assert secret_bits(secret) >= MIN_SECRET_BITS
        assert create_app({**PRODUCTION, "SECRET_KEY": secret}).config["SECRET_KEY"] == secret
    assert secret_bits(secrets.token_urlsafe(32)) >= MIN_SECRET_BITS


@pytest.mark.parametrize("base_url", [None, "http://127.0.0.1:5000", "http://scp-tracker.example.org", "https://",
                                      "scp-tracker.example.org", "ftp://scp-tracker.example.org"])
def test_production_refuses_a_base_url_that_is_not_https(clean_environment, base_url):
    overrides = {"BASE_URL": base_url} if base_url is not None else {}
    if base_url is None:  # the default, as when SCP_BASE_URL is not set
        overrides = {key: value for key, value in PRODUCTION.items() if key != "BASE_URL"}
        with pytest.raises(RuntimeError) as refused:
            create_app(overrides)
        message = str(refused.value)
    else:
        message = _refusal(overrides)
    assert "SCP_BASE_URL" in message and "https://" in message and message.count("\n- ") == 1


def test_production_refuses_debug(clean_environment):
    assert "DEBUG is on" in _refusal({"DEBUG": True})
    clean_environment.setenv("SCP_DEBUG", "true")
    assert "DEBUG is on" in _refusal({})
    clean_environment.delenv("SCP_DEBUG")
    clean_environment.setenv("FLASK_DEBUG", "1")
    assert "Unset SCP_DEBUG and FLASK_DEBUG" in _refusal({})


def test_every_refusal_is_listed_at_once(clean_environment):
    message = _refusal({"SECRET_KEY": "a" * 32, "BASE_URL": "http://x", "DEBUG": True,
                        "SESSION_COOKIE_SECURE": False})
    assert message.startswith("production refuses to start:")
    assert [line.split(" ")[1] for line in message.splitlines()[1:]] == [
        "SCP_SECRET_KEY", "SCP_BASE_URL='http://x'", "DEBUG", "SESSION_COOKIE_SECURE"]


def test_hsts_in_production_only(clean_environment, app):
    production = create_app(PRODUCTION)
    header = production.test_client().get("/healthz").headers["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in app.test_client().get("/healthz").headers
    development = create_app({"SCP_ENV": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "Strict-Transport-Security" not in development.test_client().get("/healthz").headers


def test_a_trusted_proxies_entry_that_is_not_an_address_is_refused(clean_environment):
    assert "SCP_TRUSTED_PROXIES: 'proxy.example.org'" in _refusal({"TRUSTED_PROXIES": "10.0.0.1, proxy.example.org"})


# --- forwarded headers ----------------------------------------------------------------------------

FORWARDED = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "scp-tracker.example.org"}


def _production_app(database_url: str, **overrides):
    served = create_app({**PRODUCTION, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                         **overrides})
    served.register_blueprint(echo)
    return served


def _seen(served, peer: str) -> str:
    client = served.test_client()
    client.environ_base["REMOTE_ADDR"] = peer
    return client.get("/test-proxy/seen", headers=FORWARDED, base_url="http://localhost").get_data(as_text=True)


@pytest.mark.parametrize("trusted", ["", "10.0.0.1", "10.0.0.0/24, 192.0.2.1"])
def test_a_direct_client_s_forwarded_headers_change_nothing(clean_environment, trusted):
    served = _production_app("sqlite://", TRUSTED_PROXIES=trusted)
    assert _seen(served, "203.0.113.9") == "203.0.113.9 http localhost"


@pytest.mark.parametrize(("trusted", "peer"), [("10.0.0.1", "10.0.0.1"), ("10.0.0.0/24, 192.0.2.1", "10.0.0.7"),
                                               ("10.0.0.0/24, 192.0.2.1", "192.0.2.1"), ("::1", "::1")])
def test_a_trusted_proxy_s_forwarded_headers_are_believed(clean_environment, trusted, peer):
    served = _production_app("sqlite://", TRUSTED_PROXIES=trusted)
    assert _seen(served, peer) == "198.51.100.7 https scp-tracker.example.org"


def _sign_in(served, peer: str, claimed: str, email: str) -> int:
    client = served.test_client()
    client.environ_base["REMOTE_ADDR"] = peer
    return client.post("/sign-in", data={"email": email, "password": "wrong password!!"},
                       headers={"X-Forwarded-For": claimed}).status_code


def test_a_direct_client_cannot_escape_the_address_throttle_by_claiming_new_addresses(
        clean_environment, app, database_url, users_by_role):
    served = _production_app(database_url, TRUSTED_PROXIES="10.0.0.1")
    try:
        for n in range(signing_in.MAX_FAILURES_PER_ADDRESS):
            assert _sign_in(served, "203.0.113.9", f"198.51.100.{n}", f"guess{n}@example.org") == 200
        assert _sign_in(served, "203.0.113.9", "198.51.100.250", "another@example.org") == 429
        # Through the proxy, the people behind it are told apart by the address it forwards.
        for n in range(signing_in.MAX_FAILURES_PER_ADDRESS):
            assert _sign_in(served, "10.0.0.1", "192.0.2.50", f"proxied{n}@example.org") == 200
        assert _sign_in(served, "10.0.0.1", "192.0.2.50", "proxied@example.org") == 429
        assert _sign_in(served, "10.0.0.1", "192.0.2.51", "someone@example.org") == 200
    finally:
        with served.app_context():
            db.engine.dispose()
