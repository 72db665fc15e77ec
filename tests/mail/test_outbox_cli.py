"""scp-tracker outbox deliver [--retry-now]."""

import pytest

from scp_tracker.core.clock import utcnow
from scp_tracker.mail import services

pytestmark = pytest.mark.smtp


def queue(db, *addresses):
    for address in addresses:
        services.enqueue(to=address, subject="Update", text_body="Hello", key=f"cli:{address}", now=utcnow())
    db.session.commit()


def test_deliver_prints_what_it_did(runner, db, smtp_server):
    queue(db, "lead1@example.org", "lead2@example.org", "lead3@example.org", "later@example.org")
    smtp_server.refuse("later@example.org", 451)

    result = runner.invoke(args=["outbox", "deliver"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Sent 3, 1 will be retried, 0 failed, 0 still queued"
    assert len(smtp_server.received) == 3


def test_retry_now_ignores_back_off(runner, db, smtp_server):
    queue(db, "later@example.org")
    smtp_server.refuse("later@example.org", 451)
    runner.invoke(args=["outbox", "deliver"])
    smtp_server.accept("later@example.org")

    waiting = runner.invoke(args=["outbox", "deliver"])
    retried = runner.invoke(args=["outbox", "deliver", "--retry-now"])

    assert waiting.output.strip() == "Sent 0, 0 will be retried, 0 failed, 0 still queued"
    assert retried.output.strip() == "Sent 1, 0 will be retried, 0 failed, 0 still queued"


def test_a_stopped_delivery_exits_with_an_error(app, runner, db, smtp_server):
    app.config["MAIL_DEFAULT_SENDER"] = "not-ours@example.org"
    smtp_server.refuse_sender("not-ours@example.org")
    queue(db, "lead1@example.org")

    result = runner.invoke(args=["outbox", "deliver"])

    assert result.exit_code == 1
    assert "Sent 0, 0 will be retried, 0 failed, 1 still queued" in result.output
    assert "Delivery stopped: The mail server refused the sender" in result.output
