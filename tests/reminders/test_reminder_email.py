"""Reminder emails through a real SMTP server: the right people, both parts, working links, each once."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from scp_tracker.core.clock import utcnow
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import deliver_due
from scp_tracker.reminders.lead_links import find_lead_link

pytestmark = pytest.mark.smtp

DIGEST_SUBJECTS = {
    "lee.lead@example.org": "Reminders for 18 April 2017: 2 objectives to update",
    "kim.priority@example.org": "Reminders for 18 April 2017: 1 objective to update",
    "cora@example.org": "Reminders and summary for 18 April 2017: 2 objectives to follow up and 2 emails sent",
}


def parts(message):
    """The text and HTML parts of a received email."""
    return (message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n"),
            message.get_body(preferencelist=("html",)).get_content())


def test_a_run_delivers_each_person_one_email_with_its_one_link(app, client, db, runner, smtp_server,
                                                                 reminder_world):
    result = runner.invoke(args=["reminders", "send", "--on", "2017-04-18"])
    assert result.exit_code == 0, result.output
    assert "Queued 3 reminder emails (5 reminders) and 1 run summaries for 2017-04-18." in result.output
    assert "Delivery: Sent 3, 0 will be retried, 0 failed, 0 still queued." in result.output

    digests = {r.rcpt_tos[0]: r.message for r in smtp_server.received if r.message["Subject"].startswith("Reminders")}
    assert {to: m["Subject"] for to, m in digests.items()} == DIGEST_SUBJECTS
    for to, message in digests.items():
        assert message["To"] == to
        assert message["From"] == app.config["MAIL_DEFAULT_SENDER"]
        assert message["Reply-To"] == "cora@example.org"
        assert [r.rcpt_tos for r in smtp_server.received_by(to) if r.message is message] == [[to]]
    # The coordinator's one email of the day carries the run summary.
    assert len(smtp_server.received_by("cora@example.org")) == 1
    cora_text, _ = parts(digests["cora@example.org"])
    assert "Reminder summary\n================" in cora_text

    text, html = parts(digests["lee.lead@example.org"])
    assert "Social media campaign\nKey priority 1: To protect vulnerable people\nEnd date: 30 April 2017" in text
    assert "Latest progress (10 April 2017): Progress on Social media campaign" in text
    assert "- End date coming up: Due in 12 days, on 30 April 2017." in text
    assert "- Funding to be confirmed: Funding is still to be confirmed (TBC)." in text and "Keep Safe scheme" in text
    # One link for the whole email, to "Your objectives", bound to its contact.
    links = set(re.findall(r"https?://\S+/your-objectives/\S+", text))
    (link,) = links
    assert link.startswith(app.config["BASE_URL"] + "/your-objectives/") and f'href="{link}"' in html
    assert "/update/" not in text and "/update/" not in html
    lead_link = find_lead_link(link.rsplit("/", 1)[1])
    assert lead_link.contact_id == reminder_world.lead.id and lead_link.round_id is None
    assert "<h2" in html and "Social media campaign" in html

    prefs = re.search(r"choose which ones you get:\n(\S+)", text)[1]
    assert client.get(prefs.removeprefix(app.config["BASE_URL"])).status_code == 200

    again = runner.invoke(args=["reminders", "send", "--on", "2017-04-18"])
    assert again.exit_code == 0, again.output
    assert "Queued 0 reminder emails" in again.output
    assert len(smtp_server.received) == 3


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
    assert "Delivery: Sent 0, 3 will be retried" in result.output
    queued = db.session.scalars(select(OutboxMessage)).all()
    assert {(m.status, m.attempts) for m in queued} == {("queued", 1)}

    # Still down at the first retry.
    assert deliver_due(utcnow() + timedelta(minutes=2)).retrying == 3
    smtp_server.start()
    later = utcnow() + timedelta(hours=1)
    assert deliver_due(later).sent == 3
    assert deliver_due(later + timedelta(hours=1)).sent == 0
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == sorted(
        ["lee.lead@example.org", "kim.priority@example.org", "cora@example.org"])
    assert len({r.message["Message-ID"] for r in smtp_server.received}) == 3

    # A second run the same day still sends nothing new.
    assert "Queued 0 reminder emails" in runner.invoke(args=["reminders", "send", "--on", "2017-04-18"]).output
