"""The scheduler's outbox job: a morning's digests go out in one run, batch after batch, within its time limit."""

import pytest
from sqlalchemy import func, select

from jobs import scheduler as jobs
from scp_tracker.core.clock import utcnow
from scp_tracker.mail import services
from scp_tracker.mail.models import OutboxMessage

pytestmark = pytest.mark.smtp

# One more than deliver_due's batch, so a run that delivers them all has gone round twice.
MESSAGES = 101


@pytest.fixture
def digests(db):
    """MESSAGES queued digests, due now, committed."""
    now = utcnow()
    for n in range(MESSAGES):
        services.enqueue(to=f"lead{n}@example.org", subject="Objectives to update", text_body="Hello",
                         key=f"job-digest:{n}", now=now)
    db.session.commit()


def statuses(db) -> dict[tuple[str, int], int]:
    """How many messages there are of each (status, attempts)."""
    db.session.rollback()  # see what the job committed
    rows = db.session.execute(
        select(OutboxMessage.status, OutboxMessage.attempts, func.count()).group_by(OutboxMessage.status,
                                                                                    OutboxMessage.attempts))
    return {(status, attempts): count for status, attempts, count in rows}


def test_one_run_delivers_batch_after_batch_until_nothing_is_due(app, db, smtp_server, digests):
    jobs.deliver_outbox(app)

    assert statuses(db) == {("sent", 1): MESSAGES}
    assert len(smtp_server.received) == MESSAGES


def test_a_run_stops_starting_batches_at_its_time_limit(app, db, smtp_server, digests, monkeypatch):
    monkeypatch.setattr(jobs, "DELIVERY_SECONDS", 0)

    jobs.deliver_outbox(app)

    assert statuses(db) == {("sent", 1): 100, ("queued", 0): MESSAGES - 100}


def test_a_run_whose_batch_gets_nothing_through_leaves_the_rest_to_the_next_run(app, db, smtp_server, digests):
    smtp_server.stop()

    jobs.deliver_outbox(app)

    # The first batch is put back with back-off; the rest is not tried against a server that is down.
    assert statuses(db) == {("queued", 1): 100, ("queued", 0): MESSAGES - 100}
