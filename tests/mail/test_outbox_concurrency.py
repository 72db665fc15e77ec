"""Two deliverers at once (threads, then processes on the same database): every message is sent exactly once."""

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from support.racing import race_two

from scp_tracker.mail import services
from scp_tracker.mail.models import OutboxMessage

pytestmark = pytest.mark.smtp

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)

# A deliverer process: says it is ready, waits for the word, then delivers in small batches until nothing is due.
DELIVERER = """
import sys
from datetime import datetime
from scp_tracker import create_app
from scp_tracker.mail.services import deliver_due

url, port, now = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port})
sent = 0
with app.app_context():
    print("ready", flush=True)
    sys.stdin.readline()
    while True:
        report = deliver_due(now, batch_size=3)
        sent += report.sent
        if not report.sent and not report.remaining:
            break
print(sent, flush=True)
"""


@pytest.fixture
def forty_messages(db):
    """40 queued messages, committed so every deliverer sees them."""
    for n in range(40):
        services.enqueue(to=f"lead{n}@example.org", subject="Update", text_body="Hello", key=f"race:{n}", now=NOW)
    db.session.commit()
    return 40


def assert_each_delivered_once(db, smtp_server, total):
    """The server got every message exactly once, and the outbox says so."""
    message_ids = Counter(received.message["Message-ID"] for received in smtp_server.received)
    assert len(message_ids) == total
    assert set(message_ids.values()) == {1}
    rows = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
    assert rows and all(tuple(row) == ("sent", 1) for row in rows)


def test_two_threads_delivering_at_once_send_each_message_once(app, db, smtp_server, forty_messages):
    start = threading.Barrier(2)
    sent_by_thread = []
    errors = []

    def deliverer():
        try:
            with app.app_context():
                start.wait()
                sent = 0
                while True:
                    report = services.deliver_due(NOW, batch_size=3)
                    sent += report.sent
                    if not report.sent and not report.remaining:
                        break
                sent_by_thread.append(sent)
        except Exception as error:  # a failure in a thread must fail the test, not vanish
            errors.append(error)

    threads = [threading.Thread(target=deliverer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(sent_by_thread) == forty_messages
    assert_each_delivered_once(db, smtp_server, forty_messages)


def test_two_processes_delivering_at_once_send_each_message_once(app, db, smtp_server, forty_messages):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    outputs = race_two(DELIVERER, url, str(smtp_server.port), NOW.isoformat())
    assert sum(int(stdout.strip()) for stdout in outputs) == forty_messages
    assert_each_delivered_once(db, smtp_server, forty_messages)
