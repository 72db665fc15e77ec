"""Indicators in the browser: each indicator's chart (inline SVG, no JavaScript needed) and its table alternative on
the dashboard and the key priority's part of the plan page, checked with axe-core for WCAG 2.2 AA."""

from datetime import UTC, datetime

import pytest
from browser_support import BASE_URL_FIXTURE_WARNING, sign_in_with_keyboard
from playwright.sync_api import expect
from support.people import PASSWORD

from scp_tracker.indicators.models import Indicator
from scp_tracker.indicators.services import record_figure

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(BASE_URL_FIXTURE_WARNING)]


@pytest.fixture
def indicators_world(db, make_plan, make_key_priority, make_objective, known_agency):
    plan = make_plan("2016-17")
    kp = make_key_priority(plan, 1, "To protect vulnerable people")
    make_objective(kp, "Social media campaign", leads=[known_agency("EP")])
    now = datetime(2016, 11, 1, tzinfo=UTC)
    for name, better, target, values in (("Domestic abuse incidents", "lower", 1200, (1300, 1290, 1240, 1180)),
                                         ("Referrals to support", "higher", 90, (70, 85, 80, 95))):
        indicator = Indicator(plan=plan, key_priority=kp, name=name, better=better, target_value=target,
                              unit="incidents" if better == "lower" else "people", source="Essex Police")
        db.session.add(indicator)
        db.session.flush()
        for period, value in zip(("2015-Q4", "2016-Q1", "2016-Q2", "2016-Q3"), values, strict=True):
            record_figure(indicator, period, value, "", now)
    db.session.commit()
    return plan


@pytest.mark.parametrize("path", ["/", "/plan?year=2016-17", "/indicators?year=2016-17"])
def test_each_indicator_is_a_chart_with_a_table_alternative_that_passes_axe(page, users_by_role, indicators_world,
                                                                            check_accessibility, path):
    sign_in_with_keyboard(page, users_by_role["viewer"].contact.email, PASSWORD)
    page.goto(path)
    chart = page.get_by_role("img", name="Chart of Domestic abuse incidents")
    expect(chart).to_be_visible()
    expect(page.get_by_role("img", name="Chart of Referrals to support")).to_be_visible()
    table = page.get_by_role("table", name="Figures of Domestic abuse incidents")
    expect(table).to_be_hidden()  # inside "Figures as a table", closed
    check_accessibility(page)
    page.get_by_text("Figures as a table").first.click()
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name="Jul to Sep 2016 1,180")).to_be_visible()
    check_accessibility(page)
