"""Every download and export names its type, and a text one its character set exactly once."""

import pytest

from scp_tracker.core.clock import utcnow
from scp_tracker.reminders.calendar_feeds import new_calendar_feed


@pytest.fixture
def downloads(db, client_as, make_plan, users_by_role):
    """(client, path) of every export and download the app serves."""
    make_plan("2016-17")
    coordinator = client_as("coordinator")
    calendar = new_calendar_feed(users_by_role["lead"].contact, now=utcnow())
    db.session.commit()
    paths = [f"/export/{fmt}" for fmt in ("json", "csv", "xlsx", "docx", "html")] + [
        "/events/export.csv", "/events/export.xlsx"]
    return [(coordinator, path) for path in paths] + [(client_as("anonymous"), f"/calendar/{calendar}.ics")]


def test_every_download_sends_one_charset(downloads):
    for client, path in downloads:
        response = client.get(path)
        assert response.status_code == 200, path
        content_type = response.headers["Content-Type"]
        assert content_type.lower().count("charset") <= 1, (path, content_type)
        if content_type.startswith("text/"):
            assert content_type.endswith("; charset=utf-8"), (path, content_type)
