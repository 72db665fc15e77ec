"""Queueing email: one row per key, validated addresses, in the caller's transaction."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from scp_tracker.mail import services
from scp_tracker.mail.models import OutboxMessage

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


def queue(key="reminder:2026-11-27:contact:5", to="lead@example.org", **kwargs):
    """Queue a typical reminder digest."""
    values = {
        "subject": "Objectives to update",
        "text_body": "Hello",
        "html_body": "<p>Hello</p>",
        "kind": "reminder_digest",
    }
    values.update(kwargs)
    return services.enqueue(to=to, key=key, now=NOW, **values)


def count(db) -> int:
    """How many messages the outbox holds."""
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_enqueue_stores_a_queued_message_due_now(db):
    message = queue(reply_to="coordinator@example.org")

    assert message.status == "queued"
    assert message.to_address == "lead@example.org"
    assert message.reply_to == "coordinator@example.org"
    assert message.kind == "reminder_digest"
    assert message.attempts == 0
    assert message.next_attempt_at == NOW
    assert message.created_at == NOW
    assert message.message_id == services.message_id_for("reminder:2026-11-27:contact:5")
    assert message.message_id.startswith("<") and message.message_id.endswith("@scp-tracker>")
    assert len(message.message_id) == len("<@scp-tracker>") + 32


def test_enqueue_is_idempotent_by_key(db):
    first = queue()
    db.session.commit()

    again = queue(subject="A different subject")
    db.session.commit()

    assert first is not None
    assert again is None
    assert count(db) == 1
    assert db.session.get(OutboxMessage, first.id).subject == "Objectives to update"


def test_the_same_key_twice_in_one_transaction_queues_once(db):
    assert queue() is not None
    assert queue() is None
    assert count(db) == 1


def test_different_keys_are_different_messages_with_different_message_ids(db):
    first = queue(key="reminder:2026-11-27:contact:5")
    second = queue(key="reminder:2026-11-27:contact:6")

    assert first.id != second.id
    assert first.message_id != second.message_id


def test_a_rolled_back_change_queues_nothing(db):
    queue()
    db.session.rollback()

    assert count(db) == 0


@pytest.mark.parametrize("bad", ["", "not an address", "lead@", "lead@localhost", "a@b@example.org"])
def test_an_invalid_recipient_is_refused_with_a_clear_message(db, bad):
    with pytest.raises(ValueError, match="is not a valid email address"):
        queue(to=bad)
    assert count(db) == 0


def test_an_invalid_reply_to_is_refused(db):
    with pytest.raises(ValueError, match="is not a valid email address"):
        queue(reply_to="nobody")


def test_a_subject_with_a_line_break_is_refused(db):
    with pytest.raises(ValueError, match="single line"):
        queue(subject="Hello\r\nBcc: everyone@example.org")


def test_a_key_is_required(db):
    with pytest.raises(ValueError, match="key is required"):
        queue(key="")


def test_the_address_is_normalised(db):
    assert queue(to="Lead@EXAMPLE.org").to_address == "Lead@example.org"


def test_message_bodies_are_never_logged(db, caplog):
    caplog.set_level("DEBUG")
    queue(text_body="secret text body", html_body="<p>secret html body</p>")
    assert "secret" not in caplog.text
