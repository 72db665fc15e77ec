"""Delivering the outbox to a real SMTP server on loopback: headers, retries, refusals, timeouts, leases."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, update

from scp_tracker.mail import sender, services
from scp_tracker.mail.models import OutboxMessage

pytestmark = pytest.mark.smtp

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.fixture
def queue(db):
    """queue(to=…, key=…): put a message in the outbox and commit, as a request or job would."""

    def _queue(to="lead@example.org", key=None, now=NOW, **kwargs):
        values = {
            "subject": "Objectives to update",
            "text_body": "Plain text body",
            "html_body": "<p>HTML body</p>",
            "kind": "reminder_digest",
        }
        values.update(kwargs)
        message = services.enqueue(to=to, key=key or f"test:{to}", now=now, **values)
        db.session.commit()
        return message

    return _queue


def fresh(db, message) -> OutboxMessage:
    """The message as the database holds it now."""
    return db.session.execute(
        select(OutboxMessage).where(OutboxMessage.id == message.id).execution_options(populate_existing=True)
    ).scalar_one()


def test_delivers_both_parts_with_from_to_reply_to_and_message_id(app, db, smtp_server, queue):
    app.config["MAIL_DEFAULT_SENDER"] = "SCP Tracker <tracker@example.org>"
    message = queue(reply_to="coordinator@example.org", subject="3 objectives need an update")

    report = services.deliver_due(NOW)

    assert (report.sent, report.retrying, report.failed, report.remaining) == (1, 0, 0, 0)
    [received] = smtp_server.received
    assert received.rcpt_tos == ["lead@example.org"]
    assert received.mail_from == "tracker@example.org"
    email = received.message
    assert email["From"] == "SCP Tracker <tracker@example.org>"
    assert email["To"] == "lead@example.org"
    assert email["Reply-To"] == "coordinator@example.org"
    assert email["Subject"] == "3 objectives need an update"
    assert email["Message-ID"] == message.message_id
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Date"].datetime.tzinfo is not None
    # Flask-Mail wraps the alternatives in multipart/mixed (room for attachments); mail clients show one of them.
    alternatives = [part for part in email.walk() if part.get_content_type() == "multipart/alternative"]
    assert [[part.get_content_type() for part in group.iter_parts()] for group in alternatives] == [
        ["text/plain", "text/html"]]
    assert email.get_body(("plain",)).get_content().strip() == "Plain text body"
    assert email.get_body(("html",)).get_content().strip() == "<p>HTML body</p>"

    row = fresh(db, message)
    assert row.status == "sent"
    assert row.sent_at == NOW
    assert row.attempts == 1
    assert row.lease_until is None


def test_a_second_delivery_sends_nothing_again(db, smtp_server, queue):
    queue()
    services.deliver_due(NOW)

    report = services.deliver_due(NOW + timedelta(minutes=1), retry_now=True)

    assert report.sent == 0
    assert len(smtp_server.received) == 1


def test_reply_to_defaults_to_the_setting(app, db, smtp_server, queue):
    app.config["MAIL_REPLY_TO"] = "csp@example.org"
    queue()

    services.deliver_due(NOW)

    assert smtp_server.received[0].message["Reply-To"] == "csp@example.org"


def test_a_text_only_message_is_sent_as_plain_text(db, smtp_server, queue):
    queue(html_body=None)

    services.deliver_due(NOW)

    email = smtp_server.received[0].message
    assert email.get_content_type() == "text/plain"
    assert email.get_content().strip() == "Plain text body"


def test_a_batch_goes_over_one_connection(db, smtp_server, queue):
    for n in range(5):
        queue(to=f"lead{n}@example.org")

    report = services.deliver_due(NOW)

    assert report.sent == 5
    assert len({received.peer for received in smtp_server.received}) == 1


def test_only_the_batch_size_is_sent_and_the_rest_reported_as_still_queued(db, smtp_server, queue):
    for n in range(5):
        queue(to=f"lead{n}@example.org")

    report = services.deliver_due(NOW, batch_size=2)

    assert (report.sent, report.remaining) == (2, 3)
    assert report.summary() == "Sent 2, 0 will be retried, 0 failed, 3 still queued"


def test_a_message_queued_for_later_is_not_sent_yet(db, smtp_server, queue):
    queue(now=NOW + timedelta(hours=1))

    report = services.deliver_due(NOW)

    assert (report.sent, report.remaining) == (0, 0)
    assert smtp_server.received == []


def test_server_down_retries_with_back_off_then_delivers_each_once(db, smtp_server, queue):
    messages = [queue(to=f"lead{n}@example.org") for n in range(3)]
    smtp_server.stop()

    down = services.deliver_due(NOW)

    assert (down.sent, down.retrying, down.failed) == (0, 3, 0)
    for message in messages:
        row = fresh(db, message)
        assert row.status == "queued"
        assert row.attempts == 1
        assert "Could not reach the mail server" in row.last_error
        assert NOW + timedelta(minutes=1) <= row.next_attempt_at <= NOW + timedelta(minutes=1.2)

    # Before the back-off has passed nothing is tried, even with the server back.
    smtp_server.start()
    early = services.deliver_due(NOW + timedelta(seconds=30))
    assert (early.sent, early.retrying, early.remaining) == (0, 0, 0)
    assert smtp_server.received == []

    later = services.deliver_due(NOW + timedelta(minutes=2))

    assert later.sent == 3
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == [f"lead{n}@example.org" for n in range(3)]
    assert all(fresh(db, m).status == "sent" and fresh(db, m).attempts == 2 for m in messages)
    assert services.deliver_due(NOW + timedelta(hours=1), retry_now=True).sent == 0
    assert len(smtp_server.received) == 3


def test_back_off_grows_from_a_minute_to_six_hours_with_jitter():
    expected = [1, 5, 15, 60, 180, 360, 360]
    for attempts, minutes in enumerate(expected, start=1):
        delay = services.retry_delay(attempts)
        assert timedelta(minutes=minutes) <= delay <= timedelta(minutes=minutes * 1.2)


def test_delivery_gives_up_after_three_days(db, smtp_server, queue):
    message = queue()
    smtp_server.stop()

    services.deliver_due(NOW + timedelta(days=2, hours=23))
    assert fresh(db, message).status == "queued"

    report = services.deliver_due(NOW + timedelta(days=3, hours=1))

    row = fresh(db, message)
    assert report.failed == 1
    assert row.status == "failed"
    assert row.failed_at == NOW + timedelta(days=3, hours=1)
    assert row.last_error.startswith("Gave up after 3 days of trying.")


def test_retry_now_ignores_back_off(db, smtp_server, queue):
    message = queue()
    smtp_server.stop()
    services.deliver_due(NOW)
    smtp_server.start()

    report = services.deliver_due(NOW + timedelta(seconds=5), retry_now=True)

    assert report.sent == 1
    assert fresh(db, message).status == "sent"


def test_a_451_refusal_is_retried_later(db, smtp_server, queue):
    message = queue()
    smtp_server.refuse("lead@example.org", 451)

    report = services.deliver_due(NOW)

    row = fresh(db, message)
    assert (report.retrying, report.failed) == (1, 0)
    assert row.status == "queued"
    assert "451" in row.last_error

    smtp_server.accept("lead@example.org")
    assert services.deliver_due(NOW + timedelta(minutes=2)).sent == 1
    assert len(smtp_server.received) == 1


def test_a_550_refusal_fails_at_once_and_the_rest_of_the_batch_is_delivered(db, smtp_server, queue):
    refused = queue(to="gone@example.org")
    others = [queue(to="lead1@example.org"), queue(to="lead2@example.org")]
    smtp_server.refuse("gone@example.org", 550)

    report = services.deliver_due(NOW)

    row = fresh(db, refused)
    assert (report.sent, report.retrying, report.failed) == (2, 0, 1)
    assert row.status == "failed"
    assert row.failed_at == NOW
    assert row.last_error == "The mail server refused the address: 550 5.1.1 Mailbox unavailable"
    assert all(fresh(db, m).status == "sent" for m in others)
    assert services.deliver_due(NOW + timedelta(days=1), retry_now=True).sent == 0


def test_a_server_that_never_greets_times_out_and_is_retried(app, db, smtp_server, queue):
    app.config["MAIL_TIMEOUT_SECONDS"] = 1
    message = queue()
    smtp_server.hang()

    started = time.monotonic()
    report = services.deliver_due(NOW)
    elapsed = time.monotonic() - started

    assert elapsed < 3
    assert report.retrying == 1
    row = fresh(db, message)
    assert row.status == "queued"
    assert "timed out" in row.last_error or "did not answer" in row.last_error

    smtp_server.start()
    assert services.deliver_due(NOW + timedelta(minutes=2)).sent == 1


def test_a_refused_login_stops_delivery_and_leaves_the_rest_queued(app, db, smtp_server, queue):
    smtp_server.require_login("tracker", "right")
    app.config.update(MAIL_USERNAME="tracker", MAIL_PASSWORD="wrong")
    messages = [queue(to=f"lead{n}@example.org") for n in range(3)]

    report = services.deliver_due(NOW)

    assert (report.sent, report.retrying, report.failed, report.remaining) == (0, 0, 0, 3)
    assert "refused our login" in report.stopped
    for message in messages:
        row = fresh(db, message)
        assert (row.status, row.attempts) == ("queued", 0)
        assert "refused our login" in row.last_error

    app.config["MAIL_PASSWORD"] = "right"
    assert services.deliver_due(NOW).sent == 3


def test_a_refused_sender_stops_delivery_and_leaves_the_rest_queued(app, db, smtp_server, queue):
    app.config["MAIL_DEFAULT_SENDER"] = "SCP Tracker <not-ours@example.org>"
    smtp_server.refuse_sender("not-ours@example.org")
    messages = [queue(to=f"lead{n}@example.org") for n in range(3)]

    report = services.deliver_due(NOW)

    assert (report.sent, report.failed, report.remaining) == (0, 0, 3)
    assert "refused the sender" in report.stopped
    assert all(fresh(db, m).status == "queued" for m in messages)
    assert smtp_server.received == []


def test_a_message_stuck_in_sending_past_its_lease_is_requeued_and_sent(db, smtp_server, queue):
    message = queue()
    # A deliverer claimed it and died before recording the result.
    db.session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.id == message.id)
        .values(status="sending", lease_until=NOW + services.LEASE)
    )
    db.session.commit()

    within_lease = services.deliver_due(NOW + timedelta(minutes=5))
    assert within_lease.sent == 0
    assert fresh(db, message).status == "sending"

    after_lease = services.deliver_due(NOW + services.LEASE + timedelta(minutes=1))

    assert after_lease.sent == 1
    assert fresh(db, message).status == "sent"
    assert len(smtp_server.received) == 1


def test_resend_requeues_a_failed_message(db, smtp_server, queue):
    message = queue(to="gone@example.org")
    smtp_server.refuse("gone@example.org", 550)
    services.deliver_due(NOW)
    smtp_server.accept("gone@example.org")

    services.resend(message.id, now=NOW + timedelta(days=5))
    db.session.commit()

    row = fresh(db, message)
    assert (row.status, row.attempts, row.failed_at) == ("queued", 0, None)
    assert services.deliver_due(NOW + timedelta(days=5)).sent == 1
    assert fresh(db, message).status == "sent"


def test_resend_refuses_a_message_that_has_not_failed(db, smtp_server, queue):
    message = queue()
    with pytest.raises(services.OutboxError):
        services.resend(message.id, now=NOW)
    services.deliver_due(NOW)
    with pytest.raises(services.OutboxError):
        services.resend(message.id, now=NOW)
    with pytest.raises(services.OutboxError):
        services.resend(999999, now=NOW)


def test_no_database_transaction_is_open_while_talking_to_the_mail_server(db, smtp_server, queue, monkeypatch):
    for n in range(3):
        queue(to=f"lead{n}@example.org")
    open_during_send = []
    real_send = sender.send

    def watching_send(connection, email):
        open_during_send.append(db.session().in_transaction())
        real_send(connection, email)

    monkeypatch.setattr(sender, "send", watching_send)

    assert services.deliver_due(NOW).sent == 3
    assert open_during_send == [False, False, False]
    assert not db.session().in_transaction()


def test_a_line_longer_than_smtp_allows_is_delivered_intact(db, smtp_server, queue):
    """A long progress note pasted as one paragraph: SMTP refuses lines over 998 bytes, so bodies are wrapped
    (quoted-printable) and arrive unchanged."""
    paragraph = "Street drinkers’ task group met again — " + "progress noted; " * 150
    queue(text_body=paragraph, html_body=f"<p>{paragraph}</p>")
    report = services.deliver_due(NOW)
    assert (report.sent, report.failed) == (1, 0)
    [received] = smtp_server.received
    assert received.message.get_body(("plain",)).get_content().strip() == paragraph.strip()
    assert received.message.get_body(("html",)).get_content().strip() == f"<p>{paragraph}</p>"


def test_accents_and_symbols_arrive_unchanged_in_the_subject_and_both_parts(db, smtp_server, queue):
    """Non-ASCII subjects are encoded for SMTP; bodies are quoted-printable, so "=", trailing spaces, accents
    and dashes survive the trip."""
    subject = "Amcanion i’w diweddaru — 3 objectives need an update (café, £5,000)"
    text = "RAG = amber  \nCafé meeting — £5,000 funding\tconfirmed\n.\nEnd of update"
    html = f'<p class="note">{text}</p>'
    queue(subject=subject, text_body=text, html_body=html)

    assert services.deliver_due(NOW).sent == 1

    [received] = smtp_server.received
    email = received.message
    assert email["Subject"] == subject
    assert email.get_body(("plain",)).get_content().replace("\r\n", "\n").rstrip("\n") == text
    assert email.get_body(("html",)).get_content().replace("\r\n", "\n").rstrip("\n") == html
    bodies = [part for part in email.walk() if not part.is_multipart()]
    assert [part["Content-Transfer-Encoding"] for part in bodies] == ["quoted-printable", "quoted-printable"]


def test_a_header_with_a_line_break_fails_that_message_for_good_and_the_rest_are_delivered(db, smtp_server, queue):
    broken = queue(to="lead1@example.org")
    other = queue(to="lead2@example.org")
    # enqueue refuses such a subject; a row written before that check, or by hand, may still have one.
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == broken.id)
                       .values(subject="Objectives to update\nBcc: everyone@example.org"))
    db.session.commit()

    report = services.deliver_due(NOW)

    assert (report.sent, report.failed) == (1, 1)
    row = fresh(db, broken)
    assert row.status == "failed"
    assert row.last_error == "The email could not be built: a header contains a line break"
    assert fresh(db, other).status == "sent"
    assert [received.rcpt_tos for received in smtp_server.received] == [["lead2@example.org"]]


@pytest.mark.parametrize("messages", [3, 6])
def test_each_message_costs_one_statement_beyond_a_fixed_few(db, smtp_server, queue, messages):
    """The claim is one statement for the whole batch; each message then needs only its result recorded."""
    for n in range(messages):
        queue(to=f"lead{n}@example.org")
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        report = services.deliver_due(NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    assert report.sent == messages
    # Take back abandoned messages, claim the batch, one result per message, count what is still due.
    assert len(statements) == 3 + messages
