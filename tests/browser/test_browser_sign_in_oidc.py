"""Signing in with an organisation's account in Chromium, against a real OpenID provider on loopback: the button on
the sign-in page, the provider's own pages, and back signed in; an unknown person's page; the coordinator allowing a
domain for an agency. Each page of ours passes axe-core."""

import pytest
from browser_support import BASE_URL_FIXTURE_WARNING, sign_in_with_keyboard
from playwright.sync_api import expect
from support.oidc import NAME
from support.people import PASSWORD

from scp_tracker.people import oidc_client

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(BASE_URL_FIXTURE_WARNING)]


@pytest.fixture
def provider(live_server, start_oidc_provider):
    """A provider that returns to the live server; the served app is pointed at it (its clients built again: the
    provider's address is known only now, after the server took its port)."""
    started = start_oidc_provider([f"{live_server.url}/sign-in/with/{NAME}/callback"])
    live_server.app.config.update(started.config())
    oidc_client.init_app(live_server.app)
    return started


def sign_in_at_the_provider(page, login: str) -> None:
    """The provider's own sign-in and consent pages, as a person goes through them."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def test_a_lead_signs_in_with_their_organisation_s_account(page, db, make_user, live_server, provider,
                                                           check_accessibility):
    make_user(role="lead", email="alice@example.org", name="Alice Lead")
    db.session.commit()
    provider.account("alice-subject", email="alice@example.org", email_verified=True, name="Alice")

    page.goto("/sign-in")
    check_accessibility(page)
    page.get_by_role("button", name="Sign in with Test Council").click()
    sign_in_at_the_provider(page, "alice-subject")

    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.url == f"{live_server.url}/"
    check_accessibility(page)


def test_someone_without_a_login_is_told_what_to_do(page, db, provider, check_accessibility):
    provider.account("stranger", email="stranger@essex.police.uk", email_verified=True)

    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in with Test Council").click()
    sign_in_at_the_provider(page, "stranger")

    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have a login yet")
    check_accessibility(page)
    page.get_by_role("link", name="Go to the sign-in page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_the_coordinator_allows_a_domain_for_an_agency(page, db, users_by_role, known_agency, check_accessibility):
    ep = known_agency("EP")
    db.session.commit()
    sign_in_with_keyboard(page, users_by_role["coordinator"].contact.email, PASSWORD)

    page.goto(f"/agencies/{ep.id}")
    page.get_by_role("button", name="How they sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How EP signs in")
    check_accessibility(page)
    page.get_by_role("button", name="Allow this domain").click()  # nothing typed: the error summary
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check_accessibility(page)

    page.get_by_label("Email domain").fill("essex.police.uk")
    page.get_by_role("group", name="They sign in as").get_by_label("Partner", exact=False).check()
    page.get_by_role("button", name="Allow this domain").click()

    expect(page.get_by_text("People at essex.police.uk can now sign in as a partner of EP")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="essex.police.uk")).to_contain_text("Partner")
    check_accessibility(page)
