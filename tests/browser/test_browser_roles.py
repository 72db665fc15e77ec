"""Several roles on the invitation page, in the browser: the key priority lead's key priorities appear when its box
is ticked (GOV.UK's conditional reveal), the refusal's summary names the field, and the page passes axe-core."""

import pytest
from browser_support import BASE_URL_FIXTURE_WARNING, sign_in_with_keyboard
from playwright.sync_api import expect
from sqlalchemy import select
from support.people import PASSWORD

from scp_tracker.people.models import Contact, User

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings(BASE_URL_FIXTURE_WARNING)]


def test_inviting_a_key_priority_lead_who_also_reads_the_board_report(page, db, sample_plan, users_by_role,
                                                                       known_agency, check_accessibility):
    kp = sample_plan(2).key_priorities[1]
    known_agency("EP")
    db.session.commit()
    sign_in_with_keyboard(page, users_by_role["coordinator"].contact.email, PASSWORD)
    page.goto("/users/invite")
    choice = page.get_by_label(f"2016-17, key priority 2: {kp.title}")
    expect(choice).to_be_hidden()
    page.get_by_label("Full name").fill("Priya Priority")
    page.get_by_label("Email address").fill("priya@example.org")
    page.get_by_label("Agency").select_option(label="EP – Essex Police")
    page.get_by_label("Key priority lead").check()
    page.get_by_label("Viewer").check()
    expect(choice).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select the key priority they lead")).to_be_visible()
    check_accessibility(page)
    summary.get_by_role("link", name="Select the key priority they lead").click()
    choice.check()
    page.get_by_role("button", name="Send invitation").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("An invitation has been emailed to Priya")

    user = db.session.scalar(select(User).join(User.contact).where(Contact.email == "priya@example.org"))
    assert (user.roles, user.led_key_priority_ids) == ({"key_priority_lead", "viewer"}, {kp.id})
