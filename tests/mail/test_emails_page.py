"""The coordinator's Emails page: who may see it, what it lists, resending, and a fixed number of queries."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, update

from scp_tracker.mail import services, views
from scp_tracker.mail.models import OutboxMessage

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.fixture
def coordinator(make_user, login):
    """A signed-in coordinator."""
    user = make_user(role="coordinator")
    login(user)
    return user


def queue(db, n, *, status="queued", last_error=None, kind="reminder_digest", now=NOW):
    """Put a message in the outbox with the given state, committed."""
    message = services.enqueue(
        to=f"lead{n}@example.org", subject=f"Subject {n}", text_body="Hello", key=f"page:{n}", kind=kind,
        now=now + timedelta(minutes=n),
    )
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message.id).values(status=status, last_error=last_error)
    )
    db.session.commit()
    return message


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get("/emails")
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["lead", "partner", "viewer"])
def test_only_the_coordinator_may_see_emails(client, make_user, login, role):
    login(make_user(role=role))
    assert client.get("/emails").status_code == 403


def test_lists_messages_newest_first_with_their_details(client, db, coordinator):
    queue(db, 1, status="sent")
    queue(db, 2, status="failed", last_error="The mail server refused the address: 550 5.1.1 Mailbox unavailable",
          kind="password_reset")
    queue(db, 3)

    page = client.get("/emails").get_data(as_text=True)

    assert page.index("lead3@example.org") < page.index("lead2@example.org") < page.index("lead1@example.org")
    assert "Subject 2" in page
    assert "Password reset" in page and "Reminder" in page
    assert "550 5.1.1 Mailbox unavailable" in page
    assert "27 November 2026 at 7:02am" in page
    assert "1 waiting to be sent, 1 sent, 1 failed." in page
    assert page.count("Resend") == 1
    assert 'Resend<span class="govuk-visually-hidden"> the email to lead2@example.org</span>' in page


def test_filters_by_status(client, db, coordinator):
    queue(db, 1, status="sent")
    queue(db, 2, status="failed", last_error="refused")

    page = client.get("/emails?status=failed").get_data(as_text=True)

    assert "lead2@example.org" in page
    assert "lead1@example.org" not in page
    assert "Failed emails, newest first" in page


def test_an_unknown_status_shows_an_error_and_every_email(client, db, coordinator):
    queue(db, 1, status="sent")

    response = client.get("/emails?status=bogus")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "lead1@example.org" in page


def test_paginates(client, db, coordinator, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    for n in range(5):
        queue(db, n)

    first = client.get("/emails").get_data(as_text=True)
    last = client.get("/emails?page=3").get_data(as_text=True)

    assert "lead4@example.org" in first and "lead3@example.org" in first and "lead2@example.org" not in first
    assert "lead0@example.org" in last and "lead4@example.org" not in last
    assert 'href="/emails?page=2"' in first


def test_the_page_makes_a_fixed_number_of_queries(client, db, coordinator):
    def queries_for_page() -> int:
        statements = []

        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/emails").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    for n in range(3):
        queue(db, n, status="failed", last_error="refused")
    few = queries_for_page()
    for n in range(3, 40):
        queue(db, n, status="failed" if n % 2 else "sent", last_error="refused")
    many = queries_for_page()

    assert few == many


def test_resend_requeues_a_failed_email(client, db, coordinator):
    message = queue(db, 1, status="failed", last_error="refused")

    response = client.post(f"/emails/{message.id}/resend")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/emails?status=failed")
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == "queued"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The email to lead1@example.org will be sent again within a minute." in page


def test_resend_of_an_email_that_has_not_failed_says_so(client, db, coordinator):
    message = queue(db, 1, status="sent")

    response = client.post(f"/emails/{message.id}/resend", follow_redirects=True)

    assert "Only an email that failed can be sent again" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == "sent"


def test_resend_needs_the_coordinator(client, db, make_user, login):
    message = queue(db, 1, status="failed", last_error="refused")
    login(make_user(role="lead"))

    assert client.post(f"/emails/{message.id}/resend").status_code == 403


def test_resend_round_trip_with_csrf(app, client, db, coordinator):
    app.config["WTF_CSRF_ENABLED"] = True
    message = queue(db, 1, status="failed", last_error="refused")

    without_token = client.post(f"/emails/{message.id}/resend")
    assert without_token.status_code == 400

    page = client.get("/emails").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with_token = client.post(f"/emails/{message.id}/resend", data={"csrf_token": token})

    assert with_token.status_code == 302
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == "queued"


@pytest.mark.smtp
def test_a_refused_address_shows_as_failed_with_the_error_on_the_page(client, db, coordinator, smtp_server):
    services.enqueue(to="gone@example.org", subject="Objectives to update", text_body="Hello", key="gone", now=NOW)
    db.session.commit()
    smtp_server.refuse("gone@example.org", 550)

    services.deliver_due(NOW)

    page = client.get("/emails?status=failed").get_data(as_text=True)
    assert "gone@example.org" in page
    assert "The mail server refused the address: 550 5.1.1 Mailbox unavailable" in page
    assert "Resend" in page
