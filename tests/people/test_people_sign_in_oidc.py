"""Signing in through an organisation's account, with the test client against a real OpenID provider on loopback
(oidc-provider under Node, tests/support/oidc.py): every way the dance can go, and what each leaves behind."""

import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select
from support.oidc import NAME, TEST_CLIENT_BASE_URL, dance, free_port, path_of, sign_in_at_provider
from support.people import PASSWORD

from scp_tracker import create_app
from scp_tracker.extensions import db as _db
from scp_tracker.people import oidc_client
from scp_tracker.people.models import AgencySignInDomain, Contact, OidcIdentity, User
from scp_tracker.people.oidc_client import EXTENSION


@pytest.fixture(autouse=True)
def _provider_settings(oidc_settings):
    """Autouse, so the environment is set before the suite's `app` reads it."""


@pytest.fixture
def another_app(app):
    """another_app(): an app built now from the environment (as changed by the test), on the test's database."""
    made = []

    def _make():
        built = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            "WTF_CSRF_ENABLED": False})
        made.append(built)
        return built

    yield _make
    for built in made:
        with built.app_context():
            _db.engine.dispose()


def is_signed_in(client) -> bool:
    """Whether the client's session is signed in."""
    return client.get("/account/password").status_code == 200


def test_a_login_signs_in_by_its_verified_email_and_the_subject_is_remembered(client, db, make_user,
                                                                             oidc_settings):
    user = make_user(role="lead", email="alice@example.org", name="Alice Lead")
    db.session.commit()
    oidc_settings.account("alice-subject", email="Alice@Example.org", email_verified=True, name="Alice")

    _, response = dance(client, "alice-subject")

    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert is_signed_in(client)
    identity = db.session.execute(select(OidcIdentity)).scalar_one()
    assert (identity.user_id, identity.provider, identity.subject) == (user.id, NAME, "alice-subject")
    assert db.session.get(User, user.id).last_login_at is not None


def test_the_start_sends_pkce_s256_a_state_and_a_nonce(client, oidc_settings):
    location = client.get(f"/sign-in/with/{NAME}").headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["scope"] == ["openid email profile"] and query["client_id"] == ["scp-tracker"]


def test_the_subject_wins_after_an_email_change_and_a_reused_address_gets_nothing(client, app, db, make_user,
                                                                                 oidc_settings):
    alice = make_user(role="lead", email="alice@example.org")
    db.session.commit()
    oidc_settings.account("alice-subject", email="alice@example.org", email_verified=True)
    dance(client, "alice-subject")
    client.post("/sign-out")

    # Alice's address changes at the provider: she is still Alice.
    oidc_settings.account("alice-subject", email="alice.married@example.org", email_verified=True)
    _, response = dance(client, "alice-subject")
    assert response.status_code == 302 and is_signed_in(client)
    client.post("/sign-out")

    # Someone else is given Alice's old address at the provider: it does not open Alice's login.
    oidc_settings.account("newcomer-subject", email="alice@example.org", email_verified=True)
    other = app.test_client()
    _, response = dance(other, "newcomer-subject")
    assert response.status_code == 403 and "linked to another" in response.get_data(as_text=True)
    assert not is_signed_in(other)
    assert db.session.execute(select(func.count()).select_from(OidcIdentity)).scalar_one() == 1
    assert alice.id == db.session.execute(select(OidcIdentity.user_id)).scalar_one()


@pytest.mark.parametrize(("mode", "why"), [
    ("wrong_audience", "issued to another app"),
    ("expired", "expired an hour ago"),
    ("bad_signature", "signed by a key that is not the provider's"),
    ("wrong_issuer", "claiming another issuer"),
    ("wrong_nonce", "minted for another sign-in"),
])
def test_an_id_token_that_fails_verification_signs_nobody_in(client, db, make_user, oidc_settings, mode, why):
    make_user(role="lead", email="alice@example.org")
    db.session.commit()
    oidc_settings.account("alice-subject", email="alice@example.org", email_verified=True)
    oidc_settings.mode(mode)

    _, response = dance(client, "alice-subject")

    assert response.status_code == 400, why
    assert "could not be checked" in response.get_data(as_text=True)
    assert not is_signed_in(client)
    assert db.session.execute(select(func.count()).select_from(OidcIdentity)).scalar_one() == 0


def test_a_replayed_answer_is_refused_in_the_same_browser_and_in_another(client, app, db, make_user, oidc_settings):
    make_user(role="lead", email="alice@example.org")
    db.session.commit()
    oidc_settings.account("alice-subject", email="alice@example.org", email_verified=True)
    callback, response = dance(client, "alice-subject")
    assert response.status_code == 302
    client.post("/sign-out")

    again = client.get(callback)
    elsewhere = app.test_client().get(callback)

    for replayed in (again, elsewhere):
        assert replayed.status_code == 400 and "expired or was already used" in replayed.get_data(as_text=True)
    assert not is_signed_in(client)


def test_an_unverified_email_signs_nobody_in_unless_the_provider_is_trusted_for_email(
        client, another_app, db, make_user, oidc_settings, monkeypatch):
    make_user(role="lead", email="alice@example.org")
    db.session.commit()
    oidc_settings.account("alice-subject", email="alice@example.org", email_verified=False)

    _, response = dance(client, "alice-subject")
    assert response.status_code == 403 and "not confirmed your email" in response.get_data(as_text=True)
    assert not is_signed_in(client)

    # An Entra ID tenant's own addresses: SCP_OIDC_<NAME>_TRUST_EMAIL=true believes the claim without the flag.
    monkeypatch.setenv(f"SCP_OIDC_{NAME.upper()}_TRUST_EMAIL", "true")
    trusting_client = another_app().test_client()
    _, response = dance(trusting_client, "alice-subject")
    assert response.status_code == 302 and is_signed_in(trusting_client)


def test_entra_s_email_domain_owner_verified_claim_counts_as_verified(client, db, make_user, oidc_settings):
    make_user(role="lead", email="alice@example.org")
    db.session.commit()
    oidc_settings.account("alice-subject", email="alice@example.org", xms_edov=True)

    _, response = dance(client, "alice-subject")

    assert response.status_code == 302 and is_signed_in(client)


def test_an_unknown_person_gets_no_login(client, db, known_agency, oidc_settings):
    known_agency("EP")
    db.session.commit()
    oidc_settings.account("stranger", email="stranger@essex.police.uk", email_verified=True)

    _, response = dance(client, "stranger")

    assert response.status_code == 403 and "do not have a login" in response.get_data(as_text=True)
    assert not is_signed_in(client)
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 0
    assert db.session.execute(select(func.count()).select_from(Contact)).scalar_one() == 0


def test_someone_at_an_allowed_domain_becomes_a_contact_with_the_domains_role(client, db, known_agency,
                                                                             oidc_settings):
    ep = known_agency("EP")
    db.session.add(AgencySignInDomain(agency=ep, domain="essex.police.uk", role="viewer"))
    db.session.commit()
    oidc_settings.account("pc-subject", email="PC.Jones@essex.police.uk", email_verified=True, name="PC Jones")

    _, response = dance(client, "pc-subject")

    assert response.status_code == 302 and is_signed_in(client)
    user = db.session.execute(select(User)).scalar_one()
    assert (user.roles, user.contact.agency_id, user.contact.email, user.contact.name) == (
        {"viewer"}, ep.id, "PC.Jones@essex.police.uk", "PC Jones")
    assert client.get("/users").status_code == 403  # a viewer, not a coordinator


def test_a_known_contact_at_an_allowed_domain_gets_a_login_there_and_one_who_left_does_not(
        client, app, db, known_agency, make_contact, oidc_settings):
    ep, cbc = known_agency("EP"), known_agency("CBC")
    db.session.add(AgencySignInDomain(agency=ep, domain="essex.police.uk", role="lead"))
    seconded = make_contact(cbc, "Pat Seconded", "pat@essex.police.uk")  # a contact of another agency, no login
    left = make_contact(ep, "Lee Left", "lee@essex.police.uk", is_active=False)
    db.session.commit()
    oidc_settings.account("pat-subject", email="pat@essex.police.uk", email_verified=True)
    oidc_settings.account("lee-subject", email="lee@essex.police.uk", email_verified=True)

    assert dance(client, "pat-subject")[1].status_code == 302
    refused = dance(app.test_client(), "lee-subject")[1]

    assert (seconded.user.roles, seconded.agency_id) == ({"lead"}, cbc.id)  # their agency as it was
    assert refused.status_code == 403 and "login is disabled" in refused.get_data(as_text=True)
    assert db.session.get(Contact, left.id).user is None
    assert db.session.execute(select(func.count()).select_from(Contact)).scalar_one() == 2


def test_a_disabled_login_is_refused_before_and_after_its_subject_is_remembered(client, db, make_user,
                                                                               oidc_settings):
    user = make_user(role="lead", email="alice@example.org")
    user.is_enabled = False
    db.session.commit()
    oidc_settings.account("alice-subject", email="alice@example.org", email_verified=True)
    _, response = dance(client, "alice-subject")
    assert response.status_code == 403 and "login is disabled" in response.get_data(as_text=True)

    user.is_enabled = True
    db.session.commit()
    assert dance(client, "alice-subject")[1].status_code == 302
    client.post("/sign-out")
    user.is_enabled = False
    db.session.commit()
    _, response = dance(client, "alice-subject")
    assert response.status_code == 403 and not is_signed_in(client)


def test_a_provider_that_is_down_gives_a_clear_page_and_passwords_still_work(db, make_user, monkeypatch,
                                                                           another_app):
    make_user(role="lead", email="alice@example.org", password=PASSWORD)
    db.session.commit()
    monkeypatch.setenv(f"SCP_OIDC_{NAME.upper()}_ISSUER", f"http://127.0.0.1:{free_port()}")
    browser = another_app().test_client()

    response = browser.get(f"/sign-in/with/{NAME}")

    assert response.status_code == 503
    assert "is not working at the moment" in response.get_data(as_text=True)
    assert "Sign in with Test Council" in browser.get("/sign-in").get_data(as_text=True)
    signed = browser.post("/sign-in", data={"email": "alice@example.org", "password": PASSWORD})
    assert signed.status_code == 302 and is_signed_in(browser)


def test_a_provider_that_accepts_and_never_answers_times_out_with_the_same_page(db, monkeypatch, another_app):
    monkeypatch.setattr(oidc_client, "HTTP_TIMEOUT_SECONDS", 1)
    with socket.socket() as silent:  # connections complete in the kernel's backlog; nothing ever reads them
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        monkeypatch.setenv(f"SCP_OIDC_{NAME.upper()}_ISSUER", f"http://127.0.0.1:{silent.getsockname()[1]}")
        browser = another_app().test_client()
        started = time.monotonic()

        response = browser.get(f"/sign-in/with/{NAME}")

        assert response.status_code == 503 and time.monotonic() - started < 5


def test_a_provider_that_goes_down_during_the_sign_in_gives_a_clear_page(db, make_user, monkeypatch, another_app,
                                                                        start_oidc_provider):
    make_user(role="lead", email="alice@example.org")
    db.session.commit()
    provider = start_oidc_provider([f"{TEST_CLIENT_BASE_URL}/sign-in/with/{NAME}/callback"])
    provider.account("alice-subject", email="alice@example.org", email_verified=True)
    for key, value in provider.settings().items():
        monkeypatch.setenv(key, value)
    browser = another_app().test_client()
    started = browser.get(f"/sign-in/with/{NAME}")
    callback = sign_in_at_provider(started.headers["Location"], "alice-subject",
                                   callback_prefix=f"{TEST_CLIENT_BASE_URL}/sign-in/with/")
    provider.stop()  # the token endpoint no longer answers

    response = browser.get(path_of(callback))

    assert response.status_code == 503 and "is not working at the moment" in response.get_data(as_text=True)
    assert not is_signed_in(browser)


def test_the_discovery_document_and_keys_are_fetched_once_and_kept(client, app, db, make_user, oidc_settings):
    make_user(role="lead", email="alice@example.org")
    db.session.commit()
    oidc_settings.account("alice-subject", email="alice@example.org", email_verified=True)
    dance(client, "alice-subject")
    metadata = app.extensions[EXTENSION].client(NAME).server_metadata
    loaded_at, keys = metadata["_loaded_at"], metadata["jwks"]
    client.post("/sign-out")

    assert dance(client, "alice-subject")[1].status_code == 302
    assert metadata["_loaded_at"] == loaded_at and metadata["jwks"] is keys


def test_the_page_asked_for_is_shown_after_signing_in_and_only_a_page_of_this_site(client, db, make_user,
                                                                                  oidc_settings):
    make_user(role="lead", email="alice@example.org")
    db.session.commit()
    oidc_settings.account("alice-subject", email="alice@example.org", email_verified=True)
    assert 'href="/sign-in/with/test?next=/plan"' in client.get("/sign-in?next=/plan").get_data(as_text=True)

    assert dance(client, "alice-subject", start=f"/sign-in/with/{NAME}?next=/plan")[1].headers["Location"] == "/plan"
    client.post("/sign-out")
    elsewhere = dance(client, "alice-subject", start=f"/sign-in/with/{NAME}?next=https://evil.example/")[1]
    assert elsewhere.headers["Location"] == "/"


def test_an_unknown_provider_is_not_found(client):
    assert client.get("/sign-in/with/nobody").status_code == 404
    assert client.get("/sign-in/with/nobody/callback?code=x&state=y").status_code == 404
