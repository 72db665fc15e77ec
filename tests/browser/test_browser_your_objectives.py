""""Your objectives" in headless Chromium: a lead opens the page from the email's link, fills in two of their
three objectives (one asking for a lead agency), saves once, and sees what was recorded; axe-core checks each page."""

import pytest
from browser_support import BASE_URL_FIXTURE_WARNING
from playwright.sync_api import expect
from sqlalchemy import select

from scp_tracker.core.clock import utcnow
from scp_tracker.plans.models import KeyPriorityLead, Objective, ProgressUpdate
from scp_tracker.reminders.lead_links import issue_lead_links, lead_link_url

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(BASE_URL_FIXTURE_WARNING)]


@pytest.fixture
def three_objectives(db, reminder_world, make_key_priority, make_objective):
    """Lee Lead's three objectives: the campaign, Keep Safe (funding TBC), and a street audit whose lead is TBC in
    a key priority CBC leads; and the raw path of Lee's "Your objectives" link."""
    w = reminder_world
    priority = make_key_priority(w.campaign.key_priority.plan, 2, "To reduce crime in the town centre")
    priority.lead_links = [KeyPriorityLead(agency=w.cbc, position=0)]
    audit = make_objective(priority, "Street safety audit", lead_status="tbc")
    raw = issue_lead_links([w.lead.id], utcnow())[w.lead.id]
    db.session.commit()
    url = lead_link_url(raw)
    return audit, url[url.index("/your-objectives/"):]


def test_lead_fills_two_of_three_objectives_and_saves_once(page, db, reminder_world, three_objectives,
                                                           check_accessibility):
    w = reminder_world
    audit, path = three_objectives
    page.goto(path)  # the lead selects the one link in their email
    expect(page.get_by_role("heading", level=1)).to_have_text("Your objectives")
    expect(page.locator("main").get_by_role("heading", level=2)).to_have_text(
        ["Social media campaign", "Keep Safe scheme", "Street safety audit"])
    expect(page.locator('[name="objectives-1-funding_amount"]')).to_be_visible()  # Keep Safe's funding is TBC
    expect(page.locator('[name="objectives-2-lead_agency"]')).to_be_visible()  # the audit's lead is TBC
    check_accessibility(page)

    # Saving with the audit half filled: the error summary names the objective and leads to its box.
    page.locator('[name="objectives-2-lead_agency"]').select_option(label="CBH – Colchester Borough Homes")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the progress on Street safety audit")
    check_accessibility(page)
    page.locator(".govuk-error-summary a", has_text="Street safety audit").first.click()
    expect(page.locator('[name="objectives-2-text"]')).to_be_focused()

    page.locator('[name="objectives-0-text"]').fill("Campaign posts are scheduled for May.")
    page.locator('[name="objectives-0-rag"][value="amber"]').check()
    page.locator('[name="objectives-2-text"]').fill("CBH have offered to run the audit.")
    page.locator('[name="objectives-2-rag"][value="green"]').check()
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2 objectives were updated")
    expect(page.get_by_text("CBH leading it")).to_be_visible()
    check_accessibility(page)
    db.session.rollback()
    campaign, keep_safe = (db.session.get(Objective, o.id) for o in (w.campaign, w.keep_safe))
    assert (campaign.rag, campaign.progress_updates[0].text) == ("amber", "Campaign posts are scheduled for May.")
    assert keep_safe.progress_updates[0].text == "Progress on Keep Safe scheme"  # left as it was
    request = db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.objective_id == audit.id))
    assert (request.lead_request_status, request.requested_agency_ids, request.author_contact_id) == (
        "pending", [w.cbh.id], w.lead.id)
