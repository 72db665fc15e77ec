"""Reminder emails through a real SMTP server: the right people, both parts, working links, each once."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from support.edits import hidden_stamp

from scp_tracker.core.clock import utcnow
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import deliver_due

pytestmark = pytest.mark.smtp

DIGEST_SUBJECTS = {
    "lee.lead@example.org": "Reminders for 18 April 2017: 2 objectives to update",
    "kim.priority@example.org": "Reminders for 18 April 2017: 1 objective to update",
    "cora@example.org": "Reminders for 18 April 2017: 3 objectives to update",
}


def parts(message):
    """The text and HTML parts of a received email."""
    return (message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n"),
            message.get_body(preferencelist=("html",)).get_content())


def test_a_run_delivers_each_person_one_digest_with_working_links(app, client, db, runner, smtp_server,
                                                                    reminder_world):
    result = runner.invoke(args=["reminders", "send", "--on", "2017-04-18"])
    assert result.exit_code == 0, result.output
    assert "Queued 3 reminder emails (6 reminders) and 1 run summaries for 2017-04-18." in result.output
    assert "Delivery: Sent 4, 0 will be retried, 0 failed, 0 still queued." in result.output

    digests = {r.rcpt_tos[0]: r.message for r in smtp_server.received if r.message["Subject"].startswith("Reminders")}
    assert {to: m["Subject"] for to, m in digests.items()} == DIGEST_SUBJECTS
    for to, message in digests.items():
        assert message["To"] == to
        assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
        assert message["Reply-To"] == "cora@example.org"
        assert [r.rcpt_tos for r in smtp_server.received_by(to) if r.message is message] == [[to]]
    (summary,) = [r for r in smtp_server.received if r.message["Subject"].startswith("Reminder run")]
    assert summary.rcpt_tos == ["cora@example.org"]
    assert summary.message["Subject"] == "Reminder run on 18 April 2017: 3 emails queued"

    text, html = parts(digests["lee.lead@example.org"])
    assert "End date coming up\n==================" in text
    assert "Social media campaign\nKey priority 1: To protect vulnerable people\nEnd date: 30 April 2017" in text
    assert "Latest progress (10 April 2017): Progress on Social media campaign" in text
    assert "Due in 12 days, on 30 April 2017." in text
    assert "Funding to be confirmed" in text and "Keep Safe scheme" in text
    links = re.findall(r"Update it: (\S+)", text)
    assert len(links) == 2 and all(link.startswith(app.config["BASE_URL"] + "/update/") for link in links)
    assert all(f'href="{link}"' in html for link in links)
    assert "<h2" in html and "Social media campaign" in html

    path = links[0].removeprefix(app.config["BASE_URL"])
    form = client.get(path)
    assert form.status_code == 200
    stamp = hidden_stamp(form.get_data(as_text=True))
    assert client.post(path, data={"text": "Launched", "rag": "green", **stamp}).status_code == 302
    db.session.expire_all()
    assert reminder_world.campaign.latest_progress.text == "Launched"
    assert reminder_world.campaign.latest_progress.source == "email_link"

    prefs = re.search(r"choose which ones you get:\n(\S+)", text)[1]
    assert client.get(prefs.removeprefix(app.config["BASE_URL"])).status_code == 200

    again = runner.invoke(args=["reminders", "send", "--on", "2017-04-18"])
    assert again.exit_code == 0, again.output
    assert "Queued 0 reminder emails" in again.output
    assert len(smtp_server.received) == 4


def test_html_parts_escape_what_people_typed(app, db, runner, smtp_server, reminder_world, progress_at):
    reminder_world.campaign.title = "<script>alert(1)</script> campaign"
    progress_at(reminder_world.campaign, utcnow(), "Ran 2 < 3 sessions & a <b>talk</b>")
    assert runner.invoke(args=["reminders", "send", "--on", "2017-04-18"]).exit_code == 0
    (lee,) = [r.message for r in smtp_server.received_by("lee.lead@example.org")]
    text, html = parts(lee)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; campaign" in html
    assert "2 &lt; 3 sessions &amp; a &lt;b&gt;talk&lt;/b&gt;" in html
    assert "<script>alert(1)</script> campaign" in text  # the text part is plain text


def test_with_the_server_down_a_run_queues_everything_and_each_arrives_once_when_back(
        app, db, runner, smtp_server, reminder_world):
    smtp_server.stop()
    result = runner.invoke(args=["reminders", "send", "--on", "2017-04-18"])
    assert result.exit_code == 0, result.output
    assert "Queued 3 reminder emails" in result.output
    assert "Delivery: Sent 0, 4 will be retried" in result.output
    queued = db.session.scalars(select(OutboxMessage)).all()
    assert {(m.status, m.attempts) for m in queued} == {("queued", 1)}

    # Still down at the first retry.
    assert deliver_due(utcnow() + timedelta(minutes=2)).retrying == 4
    smtp_server.start()
    later = utcnow() + timedelta(hours=1)
    assert deliver_due(later).sent == 4
    assert deliver_due(later + timedelta(hours=1)).sent == 0
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == sorted(
        ["lee.lead@example.org", "kim.priority@example.org", "cora@example.org", "cora@example.org"])
    assert len({r.message["Message-ID"] for r in smtp_server.received}) == 4

    # A second run the same day still sends nothing new.
    assert "Queued 0 reminder emails" in runner.invoke(args=["reminders", "send", "--on", "2017-04-18"]).output
