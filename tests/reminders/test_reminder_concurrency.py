"""Two reminder runs at once (two processes on one database): each reminder is recorded and queued once."""

from collections import Counter

from sqlalchemy import select
from support.racing import race_two

from scp_tracker.mail.models import OutboxMessage
from scp_tracker.reminders.models import ReminderRecord

# A reminder run in its own process: says it is ready, waits for the word, runs, commits, prints its digests.
RUNNER = """
import sys
from datetime import date
from scp_tracker import create_app
from scp_tracker.extensions import db
from scp_tracker.reminders.services import run_reminders

url, on = sys.argv[1], date.fromisoformat(sys.argv[2])
app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
with app.app_context():
    print("ready", flush=True)
    sys.stdin.readline()
    report = run_reminders(on, force=True)
    db.session.commit()
    print(len(report.digests), flush=True)
"""


def test_two_runs_at_once_queue_each_digest_once(app, db, reminder_world):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.commit()
    outputs = race_two(RUNNER, url, "2017-04-18", timeout=120)
    assert sorted(int(stdout) for stdout in outputs) == [0, 3]
    db.session.expire_all()
    keys = Counter(db.session.scalars(select(OutboxMessage.key)))
    assert len(keys) == 3 and set(keys.values()) == {1}  # three emails, the coordinator's with the summary
    records = db.session.execute(select(ReminderRecord.outbox_key, ReminderRecord.kind)).all()
    assert len(records) == 5 and all(outbox_key in keys for outbox_key, _ in records)
