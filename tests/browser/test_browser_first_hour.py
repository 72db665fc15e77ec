"""The first hour, as a coordinator and a viewer try the service: the real plan loaded as the README's set-up
does, signed in, every page the navigation offers opened. Each must pass axe-core and stay under 6,000 pixels tall
at 1280 wide (a page taller than that is a page nobody reads), except the plan document and the board paper, which
are meant to be printed whole."""

import re

import pytest
from browser_support import BASE_URL_FIXTURE_WARNING, sign_in_with_keyboard
from playwright.sync_api import expect
from support.people import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(BASE_URL_FIXTURE_WARNING)]

MAX_PAGE_HEIGHT = 6_000
# Made to be printed whole: their length is the plan's.
PRINTED_WHOLE = ("/export/html", "/board-paper")


@pytest.fixture
def real_plan_loaded(runner, db, real_plan_path):
    """The real plan imported by the README's command, as `make run` does."""
    result = runner.invoke(args=["import-plan", str(real_plan_path)])
    assert result.exit_code == 0, result.output
    db.session.commit()


def page_height(page) -> int:
    """How tall the page is, in CSS pixels, at the context's width."""
    return int(page.evaluate("() => document.documentElement.scrollHeight"))


def navigation_hrefs(page) -> list[str]:
    """The links of the service navigation's groups, then of the sub-navigation, on the page shown."""
    menu = page.get_by_role("navigation", name="Menu").locator("a.govuk-service-navigation__link")
    return [href for href in menu.evaluate_all("links => links.map(a => a.getAttribute('href'))")
            if href not in ("/", "/notifications", "/account/password")] + ["/"]


def sub_navigation_hrefs(page) -> list[str]:
    """The links of the sub-navigation on the page shown, if any."""
    return page.locator(".app-sub-navigation a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def visit_every_navigation_page(page, check_accessibility) -> list[str]:
    """Open each group of the navigation and each page of its sub-navigation; fail on a page too tall or
    inaccessible. Returns the paths opened."""
    opened: list[str] = []
    too_tall: list[str] = []
    for top in navigation_hrefs(page):
        for path in [top, *[href for href in _sub_pages(page, top) if href != top]]:
            if path in opened:
                continue
            response = page.goto(path)
            assert response is not None and response.ok, f"{path}: {response.status if response else 'no answer'}"
            opened.append(path)
            check_accessibility(page)
            height = page_height(page)
            if height > MAX_PAGE_HEIGHT and not any(mark in path for mark in PRINTED_WHOLE):
                too_tall.append(f"{path}: {height} px")
    assert not too_tall, f"pages over {MAX_PAGE_HEIGHT} px at 1280 wide:\n" + "\n".join(too_tall)
    return opened


def _sub_pages(page, top: str) -> list[str]:
    """The sub-navigation's pages of the group whose first page is top."""
    page.goto(top)
    return sub_navigation_hrefs(page)


def test_a_coordinators_first_hour_every_page_of_the_navigation(
        page, real_plan_loaded, users_by_role, check_accessibility):
    sign_in_with_keyboard(page, users_by_role["coordinator"].contact.email, PASSWORD)
    groups = page.get_by_role("navigation", name="Menu").locator(".govuk-service-navigation__item")
    expect(groups).to_have_count(7)  # Notifications, Your account and Sign out are in the header's bar
    # All seven on one line at 1280 wide: the first and the last at the same height.
    first, last = groups.first.bounding_box(), groups.last.bounding_box()
    assert first and last and first["y"] == last["y"]
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Board report").click()
    expect(page).to_have_url(re.compile(r"/report$"))

    # The plan list's tables have the page's width (titles on one or two lines, not four beside a filter column).
    page.goto("/plan")
    expect(page.locator("details.govuk-details:not([open])").get_by_text("Filter objectives")).to_be_visible()
    table = page.locator("table.govuk-table").first.bounding_box()
    assert table and table["width"] > 1100

    opened = visit_every_navigation_page(page, check_accessibility)
    for path in ("/plan", "/priorities", "/rounds", "/chasing", "/events", "/report", "/agencies", "/users",
                 "/reminders/settings"):
        assert path in opened


def test_a_viewers_first_hour_every_page_of_the_navigation(
        page, real_plan_loaded, users_by_role, check_accessibility):
    sign_in_with_keyboard(page, users_by_role["viewer"].contact.email, PASSWORD)
    opened = visit_every_navigation_page(page, check_accessibility)
    assert "/report" in opened and "/chasing" not in opened
