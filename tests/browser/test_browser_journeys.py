"""The four journeys people make, end to end in headless Chromium against the app on a real loopback server and a
loopback SMTP server; axe-core checks every page they visit for WCAG 2.2 AA."""

import re
from datetime import date

import pytest
from browser_support import (
    BASE_URL_FIXTURE_WARNING,
    assert_focus_visible,
    focused_matches,
    link_path,
    sign_in_with_keyboard,
    tab_to,
)
from playwright.sync_api import expect
from sqlalchemy import select
from support.people import PASSWORD

from scp_tracker.core.clock import utcnow
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import deliver_due
from scp_tracker.plans.models import FundingLine, Objective
from scp_tracker.plans.update_links import issue_update_tokens
from scp_tracker.reminders.services import run_reminders

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(BASE_URL_FIXTURE_WARNING)]

REAL_PLAN_OBJECTIVES = 30
REMINDER_DAY = date(2017, 4, 18)  # reminder_world's day: the social media campaign ends in 12 days


def status_text(page) -> str:
    """What the plan list says it shows ("30 objectives, page 1 of 2.")."""
    return " ".join(page.locator("[role=status]").first.inner_text().split())


def test_coordinator_imports_the_real_plan_filters_it_and_edits_an_objective(
        page, db, users_by_role, real_plan_path, check_accessibility):
    """Upload the partnership's plan, confirm, see its 30 objectives, filter to funding TBC, edit one, see the
    change in its history."""
    sign_in_with_keyboard(page, users_by_role["coordinator"].contact.email, PASSWORD)
    expect(page.get_by_role("heading", name="There is no plan yet")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="importing the annual partnership plan").click()
    expect(page.get_by_role("heading", name="Import a plan")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Plan file").set_input_files(real_plan_path)
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", name="Check the import of plan 2016-17")).to_be_visible()
    expect(page.get_by_text("Nothing has been saved yet.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Import the plan").click()

    expect(page).to_have_url(re.compile(r"/plan\?year=2016-17$"))
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert status_text(page).startswith(f"{REAL_PLAN_OBJECTIVES} objectives")
    check_accessibility(page)

    page.get_by_text("Filter objectives").click()  # folded under a details, so the table has the width
    page.get_by_label("Funding TBC").check()
    page.get_by_role("button", name="Apply filters").click()
    db.session.rollback()
    tbc = db.session.scalars(select(Objective.id).join(FundingLine).where(FundingLine.status == "tbc")).unique().all()
    assert 0 < len(tbc) < REAL_PLAN_OBJECTIVES
    assert status_text(page) == f"{len(tbc)} objective{'s' if len(tbc) != 1 else ''} match these filters."
    assert "tbc_funding=y" in page.url
    check_accessibility(page)

    first = page.locator("table.govuk-table tbody a.govuk-link").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_accessibility(page)

    page.get_by_role("button", name="Edit objective").click()  # a link styled as a button
    expect(page.get_by_role("heading", name="Edit objective")).to_be_visible()
    check_accessibility(page)
    # A failed save first: the error summary takes focus.
    page.get_by_label("Short title").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check_accessibility(page)

    page.get_by_label("Short title").fill(f"{title} (revised)")
    page.get_by_role("group", name="RAG").get_by_label("Amber").check()
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_text("Your changes have been saved")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{title} (revised)")
    history = page.locator("#history ~ table tbody")
    expect(history.get_by_role("row").filter(has_text="Amber").filter(has_text="Coordinator Person")).to_have_count(1)
    expect(history.get_by_role("row").filter(has_text=f"{title} (revised)")).to_have_count(1)
    check_accessibility(page)


def test_lead_updates_from_the_reminder_email_with_the_keyboard_alone(
        page, db, reminder_world, smtp_server, check_accessibility):
    """The digest arrives by SMTP with its one link to "Your objectives" (that page's journey is its own test); an
    update link for one objective opens the form; a keyboard-only amber update is saved once."""
    run_reminders(REMINDER_DAY, now=utcnow())
    db.session.commit()
    deliver_due(utcnow())
    [digest] = smtp_server.received_by(reminder_world.lead.email)
    assert link_path(digest.message, "/your-objectives/")
    lead, campaign = reminder_world.lead.id, reminder_world.campaign.id
    path = f"/update/{issue_update_tokens([(lead, campaign)], utcnow())[(lead, campaign)]}"
    db.session.commit()

    page.goto(path)  # the lead selects the link in their email
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Update {reminder_world.campaign.title}")
    check_accessibility(page)

    # Saving an empty form: the error summary takes focus, and its first link leads to the progress box.
    tab_to(page, "button[type=submit], input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused_matches(page, ".govuk-error-summary")
    check_accessibility(page)
    tab_to(page, ".govuk-error-summary a")
    page.keyboard.press("Enter")
    assert focused_matches(page, "textarea")

    page.keyboard.type("Campaign posts are scheduled; the designer is two weeks late.")
    # A radio group is one Tab stop; the arrow keys choose within it, as in every browser.
    tab_to(page, "input[type=radio][value=red]")
    page.keyboard.press("ArrowDown")
    assert focused_matches(page, "input[type=radio][value=amber]")
    assert_focus_visible(page)
    assert page.locator("input[type=radio][value=amber]").is_checked()
    tab_to(page, "button[type=submit], input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Update saved")).to_be_visible()
    check_accessibility(page)
    db.session.rollback()
    campaign = db.session.get(Objective, reminder_world.campaign.id)
    assert campaign.rag == "amber"
    assert campaign.progress_updates[0].text.startswith("Campaign posts are scheduled")

    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(page.get_by_text("This link has already been used to send an update.")).to_be_visible()
    check_accessibility(page)


def test_partner_records_an_event_and_cannot_edit_another_agencys_objective(
        page, sample_plan, users_by_role, check_accessibility):
    """A partner records an event held, with attendance, from an objective's page; editing an objective led by
    another agency is refused."""
    sample = sample_plan(4)
    sign_in_with_keyboard(page, users_by_role["partner"].contact.email, PASSWORD)
    check_accessibility(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Plan").click()
    check_accessibility(page)
    page.get_by_role("link", name="Objective 0", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objective 0")
    expect(page.get_by_role("button", name="Edit objective")).to_have_count(0)
    check_accessibility(page)

    page.get_by_role("link", name="Record an event for this objective").click()
    expect(page.get_by_role("heading", name="Record an event")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Name of the event").fill("Crucial Crew")
    page.get_by_label("Awareness session").check()
    page.get_by_role("group", name="Has it taken place?").get_by_label("Held").check()
    page.get_by_label("Number of people who attended").fill("1,250")
    expect(page.get_by_role("checkbox", name="Objective 0", exact=True)).to_be_checked()
    page.get_by_role("button", name="Save event").click()

    expect(page.get_by_text("Crucial Crew has been recorded")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crucial Crew")
    check_accessibility(page)

    page.goto(f"/objectives/{sample.objective_ids[0]}")
    events = page.locator("section[aria-labelledby=objective-events-heading]")
    expect(events.get_by_role("link", name="Crucial Crew")).to_be_visible()
    expect(events).to_contain_text("1,250 attended")
    check_accessibility(page)

    response = page.goto(f"/objectives/{sample.objective_ids[1]}/edit")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to view this page")
    check_accessibility(page)


def test_coordinator_chases_two_objectives_and_sees_the_emails_sent(
        page, db, sample_plan, users_by_role, smtp_server, check_accessibility):
    """Select two objectives on the chasing page, send requests, deliver, and see them sent on the Emails page."""
    sample_plan(6)
    sign_in_with_keyboard(page, users_by_role["coordinator"].contact.email, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Rounds").click()
    page.get_by_role("navigation", name="Rounds pages").get_by_role("link", name="Chasing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Objectives that need an update")
    check_accessibility(page)

    for title in ("Objective 0", "Objective 1"):
        page.get_by_role("checkbox", name=re.compile(rf"\b{title}$")).check()
    page.get_by_role("button", name=re.compile("send", re.I)).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("will be sent")
    check_accessibility(page)

    db.session.rollback()
    queued = db.session.scalars(select(OutboxMessage).filter_by(kind="update_request")).all()
    assert queued and {m.status for m in queued} == {"queued"}
    report = deliver_due(utcnow())
    assert report.sent == len(queued)
    assert {r.rcpt_tos[0] for r in smtp_server.received} == {m.to_address for m in queued}

    page.get_by_role("navigation", name="Rounds pages").get_by_role("link", name="Emails sent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emails")
    rows = page.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(len(queued))
    for message in queued:
        row = rows.filter(has_text=message.to_address)
        expect(row.locator(".govuk-tag")).to_have_text("Sent")
        expect(row).to_contain_text("Request for an update")
    check_accessibility(page)
