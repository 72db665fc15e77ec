"""The coordinator's single sign-on settings for an agency, what requiring it does to passwords, and the provider
settings (config.oidc) a deployment gives."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select
from support.people import PASSWORD

from config.checks import ConfigurationError
from config.oidc import oidc_providers
from scp_tracker import create_app
from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db as _db
from scp_tracker.people import oidc_client
from scp_tracker.people.models import AgencySignInDomain
from scp_tracker.people.views import SIGN_IN_FAILED, SIGN_IN_WITH_YOUR_ORGANISATION

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def a_provider(app):
    """The app offers Microsoft (never contacted: these tests do not go through the dance)."""
    app.config.update(OIDC_PROVIDERS="microsoft", OIDC_MICROSOFT_ISSUER="https://login.example.org/tenant/v2.0",
                      OIDC_MICROSOFT_CLIENT_ID="abc", OIDC_MICROSOFT_CLIENT_SECRET="s3cret")
    oidc_client.init_app(app)


def test_the_coordinator_allows_a_domain_with_a_role_and_removes_it(client_as, db, known_agency):
    ep = known_agency("EP")
    db.session.commit()
    coordinator = client_as("coordinator")
    page = coordinator.get(f"/agencies/{ep.id}/single-sign-on").get_data(as_text=True)
    assert "How EP signs in" in page and "only people the coordinator invited can sign in" in page

    response = coordinator.post(f"/agencies/{ep.id}/single-sign-on/domains",
                                data={"domain": " @Essex.Police.UK ", "role": "partner"})

    assert response.status_code == 302
    allowed = db.session.execute(select(AgencySignInDomain)).scalar_one()
    assert (allowed.agency_id, allowed.domain, allowed.role) == (ep.id, "essex.police.uk", "partner")
    assert db.session.execute(select(ChangeRecord.after).where(ChangeRecord.field == "sign_in_domain")).scalar_one() \
        == "essex.police.uk (partner)"
    assert "essex.police.uk" in coordinator.get(f"/agencies/{ep.id}/single-sign-on").get_data(as_text=True)

    assert coordinator.post(f"/agencies/{ep.id}/single-sign-on/domains/{allowed.id}/remove").status_code == 302
    assert db.session.execute(select(func.count()).select_from(AgencySignInDomain)).scalar_one() == 0


@pytest.mark.parametrize(("domain", "role", "message"), [
    ("gmail.com", "viewer", "Anyone can have an address at gmail.com"),
    ("not a domain", "viewer", "Enter an email domain"),
    ("localhost", "viewer", "Enter an email domain"),
    ("essex.police.uk", "coordinator", "Select what they sign in as"),  # a domain never makes coordinators
])
def test_a_domain_is_refused_when_it_would_let_the_wrong_people_in(client_as, db, known_agency, domain, role,
                                                                    message):
    ep = known_agency("EP")
    db.session.commit()

    response = client_as("coordinator").post(f"/agencies/{ep.id}/single-sign-on/domains",
                                             data={"domain": domain, "role": role})

    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(AgencySignInDomain)).scalar_one() == 0


def test_a_domain_belongs_to_one_agency(client_as, db, known_agency):
    ep, cbc = known_agency("EP"), known_agency("CBC")
    db.session.add(AgencySignInDomain(agency=ep, domain="essex.police.uk", role="viewer"))
    db.session.commit()

    response = client_as("coordinator").post(f"/agencies/{cbc.id}/single-sign-on/domains",
                                             data={"domain": "essex.police.uk", "role": "viewer"})

    assert response.status_code == 200 and "already allowed for EP" in response.get_data(as_text=True)


def test_requiring_single_sign_on_turns_passwords_off_for_that_agency_only(app, a_provider, client_as, db,
                                                                           users_by_role, outbox_rows):
    lead = users_by_role["lead"]  # at EP
    response = client_as("coordinator").post(f"/agencies/{lead.contact.agency_id}/single-sign-on/required",
                                             data={"requires": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert lead.contact.agency.requires_single_sign_on

    refused = app.test_client().post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD})
    assert refused.status_code == 200 and str(escape(SIGN_IN_WITH_YOUR_ORGANISATION)) in refused.get_data(as_text=True)
    wrong = app.test_client().post("/sign-in", data={"email": "lead@example.org", "password": "not it at all"})
    assert SIGN_IN_FAILED in wrong.get_data(as_text=True)  # a guesser learns nothing more than before
    assert str(escape(SIGN_IN_WITH_YOUR_ORGANISATION)) not in wrong.get_data(as_text=True)
    app.test_client().post("/sign-in/forgotten", data={"email": "lead@example.org"})
    assert outbox_rows() == []  # no password link for a login that cannot use a password

    other = app.test_client()
    assert other.post("/sign-in", data={"email": "partner@example.org", "password": PASSWORD}).status_code == 302


def test_requiring_single_sign_on_is_undone_the_same_way(client_as, db, users_by_role):
    agency = users_by_role["lead"].contact.agency
    agency.requires_single_sign_on = True
    db.session.commit()
    coordinator = client_as("coordinator")
    page = coordinator.get(f"/agencies/{agency.id}/single-sign-on").get_data(as_text=True)
    assert re.search(r'value="yes"\s+checked', page) and not re.search(r'value="no"\s+checked', page)

    coordinator.post(f"/agencies/{agency.id}/single-sign-on/required", data={"requires": "no"})

    db.session.expire_all()
    assert not agency.requires_single_sign_on


def test_single_sign_on_cannot_be_required_while_no_provider_is_set_up(client_as, db, users_by_role):
    agency = users_by_role["lead"].contact.agency

    response = client_as("coordinator").post(f"/agencies/{agency.id}/single-sign-on/required",
                                             data={"requires": "yes"})

    assert response.status_code == 200
    assert "nobody at EP could sign in" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not agency.requires_single_sign_on


def test_the_sign_in_page_has_no_provider_buttons_when_none_is_set_up(client):
    assert "Sign in with" not in client.get("/sign-in").get_data(as_text=True)


OK = {"OIDC_PROVIDERS": "microsoft google",
      "OIDC_MICROSOFT_ISSUER": "https://login.microsoftonline.com/tenant/v2.0", "OIDC_MICROSOFT_CLIENT_ID": "abc",
      "OIDC_MICROSOFT_CLIENT_SECRET": "s3cret", "OIDC_MICROSOFT_TRUST_EMAIL": True,
      "OIDC_GOOGLE_ISSUER": "https://accounts.google.com", "OIDC_GOOGLE_CLIENT_ID": 12345,
      "OIDC_GOOGLE_CLIENT_SECRET": "other", "OIDC_GOOGLE_DISPLAY_NAME": "Google Workspace"}


def test_several_providers_are_read_from_settings():
    microsoft, google = oidc_providers(OK)
    assert (microsoft.name, microsoft.display_name, microsoft.trusts_email) == ("microsoft", "Microsoft", True)
    assert microsoft.metadata_url == "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration"
    assert (google.display_name, google.client_id, google.trusts_email) == ("Google Workspace", "12345", False)
    assert oidc_providers({}) == []


@pytest.mark.parametrize(("change", "named"), [
    ({"OIDC_GOOGLE_CLIENT_SECRET": None}, "SCP_OIDC_GOOGLE_CLIENT_SECRET is not set"),
    ({"OIDC_PROVIDERS": "microsoft Micro-soft"}, "SCP_OIDC_PROVIDERS: 'micro-soft' is not a provider name"),
    ({"OIDC_PROVIDERS": "google google"}, "SCP_OIDC_PROVIDERS: 'google' is not a provider name"),
    ({"OIDC_GOOGLE_ISSUER": "http://accounts.google.com"}, "SCP_OIDC_GOOGLE_ISSUER='http://accounts.google.com' is"),
    # plain http to this machine is a developer's provider: refused in production
    ({"OIDC_GOOGLE_ISSUER": "http://127.0.0.1:9000", "REQUIRE_REAL_SECRET": True}, "SCP_OIDC_GOOGLE_ISSUER="),
])
def test_a_bad_provider_setting_refuses_the_start_in_one_line(change, named):
    with pytest.raises(ConfigurationError) as refused:
        oidc_providers({**OK, **change})
    assert refused.value.one_line().startswith(named) and "\n" not in refused.value.one_line()


def test_the_app_refuses_to_start_with_a_bad_provider_setting(monkeypatch, database_url):
    monkeypatch.setenv("SCP_OIDC_PROVIDERS", "microsoft")
    with pytest.raises(ConfigurationError, match="SCP_OIDC_MICROSOFT_ISSUER is not set"):
        create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    monkeypatch.setenv("SCP_OIDC_MICROSOFT_ISSUER", "https://login.microsoftonline.com/tenant/v2.0")
    monkeypatch.setenv("SCP_OIDC_MICROSOFT_CLIENT_ID", "abc")
    monkeypatch.setenv("SCP_OIDC_MICROSOFT_CLIENT_SECRET", "s3cret")
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    page = app.test_client().get("/sign-in").get_data(as_text=True)
    assert "Sign in with Microsoft" in page and 'href="/sign-in/with/microsoft"' in page
    with app.app_context():
        _db.engine.dispose()
