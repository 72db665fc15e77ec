"""Updating an objective from an emailed link: GET changes nothing, POST uses the link up once, as that contact."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select
from support.edits import hidden_stamp, opened

from scp_tracker import create_app
from scp_tracker.core.clock import utcnow
from scp_tracker.core.links import hash_token
from scp_tracker.core.models import ChangeRecord
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.plans.models import ProgressUpdate, UpdateToken
from scp_tracker.plans.update_links import issue_update_tokens
from scp_tracker.reminders.services import run_reminders

FORM = {"text": "Campaign launched on 25 November", "rag": "amber"}


@pytest.fixture
def link(db, reminder_world):
    """link(objective=campaign, contact=lead, issued=now): a raw update token, committed."""

    def _link(objective=None, contact=None, issued=None):
        objective = objective or reminder_world.campaign
        contact = contact or reminder_world.lead
        raw = issue_update_tokens([(contact.id, objective.id)], issued or utcnow())[(contact.id, objective.id)]
        db.session.commit()
        return raw

    return _link


def progress_count(db, objective):
    return db.session.scalar(select(func.count()).where(ProgressUpdate.objective_id == objective.id))


def test_opening_a_link_shows_the_form_and_changes_nothing(client, db, reminder_world, link):
    raw = link()
    before = progress_count(db, reminder_world.campaign)
    for _ in range(3):  # a mail scanner, a preview pane, the person
        response = client.get(f"/update/{raw}")
        assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Update Social media campaign" in page
    assert "You are updating this objective as Lee Lead" in page
    assert 'name="rag"' in page and 'name="mark_complete"' in page
    legends = [" ".join(text.split()) for text in re.findall(r"<legend[^>]*>(.*?)</legend>", page, re.S)]
    assert legends == ["RAG status", "New end date (optional)"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    token = db.session.scalar(select(UpdateToken))
    assert token.used_at is None
    assert progress_count(db, reminder_world.campaign) == before


def test_submitting_records_the_update_as_that_contact_and_uses_the_link_up(client, db, reminder_world, link):
    w = reminder_world
    raw = link()
    response = client.post(f"/update/{raw}", data={**FORM, **opened(client, f"/update/{raw}")})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/update/{raw}/done"
    done = client.get(response.headers["Location"])
    assert done.status_code == 200 and "Update saved" in done.get_data(as_text=True)
    assert done.headers["Referrer-Policy"] == "no-referrer"

    db.session.expire_all()
    latest = w.campaign.latest_progress
    assert (latest.text, latest.rag, latest.source, latest.author_contact_id, latest.author_name) == (
        FORM["text"], "amber", "email_link", w.lead.id, "Lee Lead")
    assert w.campaign.rag == "amber"
    assert w.campaign.last_progress_at == latest.recorded_at
    change = db.session.scalar(select(ChangeRecord).where(ChangeRecord.objective_id == w.campaign.id,
                                                          ChangeRecord.field == "rag"))
    assert (change.actor_contact_id, change.source, change.after) == (w.lead.id, "email_link", "amber")
    assert db.session.scalar(select(UpdateToken)).used_at is not None
    with client.session_transaction() as session:
        assert "_user_id" not in session  # the link never signs anybody in

    again = client.post(f"/update/{raw}", data=FORM)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert progress_count(db, w.campaign) == 2


def test_marking_complete_and_asking_to_move_the_end_date(client, db, reminder_world, link):
    raw = link()
    data = {**FORM, "rag": "green", "mark_complete": "y", "requested_end_date": ["31", "5", "2017"]}
    assert client.post(f"/update/{raw}", data={**data, **opened(client, f"/update/{raw}")}).status_code == 302
    db.session.expire_all()
    latest = reminder_world.campaign.latest_progress
    assert reminder_world.campaign.status == "complete"
    assert (latest.marked_complete, latest.requested_end_date, latest.end_date_request_status) == (
        True, date(2017, 5, 31), "pending")


def test_a_form_with_errors_is_shown_again_and_the_link_still_works(client, db, reminder_world, link):
    raw = link()
    response = client.post(f"/update/{raw}", data={"text": "", "rag": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(select(UpdateToken)).used_at is None


def test_a_link_cannot_update_another_objective(client, db, reminder_world, link):
    w = reminder_world
    raw = link(objective=w.campaign)
    before = progress_count(db, w.keep_safe)
    client.post(f"/update/{raw}", data={**FORM, "objective_id": w.keep_safe.id, "objective": w.keep_safe.id,
                                        **opened(client, f"/update/{raw}")})
    client.post(f"/update/{raw}?objective_id={w.keep_safe.id}", data=FORM)
    assert progress_count(db, w.keep_safe) == before
    assert progress_count(db, w.campaign) == 2


def test_an_expired_link_says_so_and_offers_a_fresh_one(client, db, reminder_world, link):
    raw = link(issued=utcnow() - timedelta(days=31))
    response = client.get(f"/update/{raw}")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This link has expired" in page and "Send me a new link" in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.post(f"/update/{raw}", data=FORM).status_code == 410
    assert progress_count(db, reminder_world.campaign) == 1


def test_a_link_expires_after_30_days(client, db, reminder_world, link):
    raw = link()
    with time_machine.travel(utcnow() + timedelta(days=29, hours=23), tick=False):
        assert client.get(f"/update/{raw}").status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=30, minutes=1), tick=False):
        assert client.get(f"/update/{raw}").status_code == 410
        assert client.post(f"/update/{raw}", data=FORM).status_code == 410


def test_a_revoked_link_says_it_was_replaced(client, db, reminder_world, link):
    raw = link()
    db.session.scalar(select(UpdateToken)).revoked_at = utcnow()
    db.session.commit()
    response = client.get(f"/update/{raw}")
    assert response.status_code == 410
    assert "replaced by a newer one" in response.get_data(as_text=True)


def test_a_contact_who_has_left_cannot_use_their_links(client, db, reminder_world, link):
    raw = link()
    reminder_world.lead.is_active = False
    db.session.commit()
    assert client.get(f"/update/{raw}").status_code == 410
    assert client.post(f"/update/{raw}", data=FORM).status_code == 410
    response = client.post(f"/update/{raw}/fresh")
    assert "We could not send a new link" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("mangle", [lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),
                                    lambda raw: raw[:20], lambda raw: "x" * 300, lambda raw: hash_token(raw)])
def test_a_tampered_or_unknown_link_is_not_recognised(client, db, reminder_world, link, mangle):
    raw = link()
    response = client.get(f"/update/{mangle(raw)}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "This link is not recognised" in page and "Send me a new link" not in page
    assert client.post(f"/update/{mangle(raw)}", data=FORM).status_code == 404
    assert client.post(f"/update/{mangle(raw)}/fresh").status_code == 404


def test_a_fresh_link_is_emailed_once_a_day_and_replaces_the_old_ones(client, db, reminder_world, link):
    old = link(issued=utcnow() - timedelta(days=40))
    other_unused = link()
    response = client.post(f"/update/{old}/fresh")
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    emails = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.to_address, m.kind, m.subject) for m in emails] == [
        ("lee.lead@example.org", "reminder_link", "Your new link to update: Social media campaign")]
    fresh = re.search(r"/update/([\w-]+)", emails[0].text_body)[1]
    assert client.get(f"/update/{fresh}").status_code == 200
    assert client.get(f"/update/{other_unused}").status_code == 410  # only the newest link works

    again = client.post(f"/update/{old}/fresh")
    assert "already sent today" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_an_update_ends_the_stale_series(client, db, reminder_world, link, progress_at):
    w = reminder_world
    progress_at(w.keep_safe, datetime(2017, 2, 1, 9, tzinfo=UTC))
    # Its notes came with the plan document: no update for the March round, so "no recent update" chases it.
    for update in w.keep_safe.progress_updates:
        update.source = "import"
    db.session.commit()
    on = date(2017, 3, 21)  # a Tuesday, the weekly day
    stale = {(i.reminder.kind, i.objective.id) for d in run_reminders(on, dry_run=True).digests for i in d.items}
    assert ("stale", w.keep_safe.id) in stale
    with time_machine.travel(datetime(2017, 3, 20, 10, tzinfo=UTC), tick=False):
        raw = link(objective=w.keep_safe)
        assert client.post(f"/update/{raw}", data={**FORM, **opened(client, f"/update/{raw}")}).status_code == 302
    db.session.expire_all()
    after = {(i.reminder.kind, i.objective.id) for d in run_reminders(on, dry_run=True).digests for i in d.items}
    assert ("stale", w.keep_safe.id) not in after


def test_the_form_is_csrf_protected(database_url, db, reminder_world, link):
    raw = link()
    csrf_app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    client = csrf_app.test_client()
    try:
        assert client.post(f"/update/{raw}", data=FORM).status_code == 400
        page = client.get(f"/update/{raw}").get_data(as_text=True)
        csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
        response = client.post(f"/update/{raw}", data={**FORM, "csrf_token": csrf_token, **hidden_stamp(page)})
        assert response.status_code == 302
    finally:
        with csrf_app.app_context():
            db.engine.dispose()  # its own connection pool, not the test app's
