"""Signing in with the keyboard alone, in a real browser: every stop shows its focus, and a failed form's error
summary takes focus so a screen reader announces it."""

import pytest
from browser_support import (
    BASE_URL_FIXTURE_WARNING,
    assert_focus_visible,
    focused_matches,
    tab_to,
)
from support.people import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(BASE_URL_FIXTURE_WARNING)]


def test_sign_in_with_the_keyboard_alone(page, users_by_role, check_accessibility):
    """Skip link, a wrong password, the error summary, then Shift+Tab, Space and Enter to sign in."""
    coordinator = users_by_role["coordinator"]
    page.goto("/sign-in")
    check_accessibility(page)

    # The first Tab stop is the skip link, and Enter moves focus past the header to the main content.
    page.keyboard.press("Tab")
    assert focused_matches(page, ".govuk-skip-link")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert focused_matches(page, "#main-content")

    tab_to(page, "#email")
    page.keyboard.type(coordinator.contact.email)
    tab_to(page, "#password")
    page.keyboard.type("not the password")
    tab_to(page, "button[type=submit], input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The failed form: the error summary has focus, and its link takes focus to the field.
    assert page.title().startswith("Error: ")
    assert focused_matches(page, ".govuk-error-summary")
    check_accessibility(page)
    tab_to(page, ".govuk-error-summary a")
    page.keyboard.press("Enter")
    assert focused_matches(page, "#email")

    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    # Past the button, then back to "remember me" with Shift+Tab, ticked with Space.
    tab_to(page, "button[type=submit], input[type=submit]")
    tab_to(page, "input[type=checkbox]", backwards=True)
    page.keyboard.press("Space")
    assert page.locator("input[type=checkbox]").is_checked()
    tab_to(page, "button[type=submit], input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/")
    assert page.get_by_role("button", name="Sign out").is_visible()
    check_accessibility(page)
