"""The scheduler's heartbeat, its status, and the coordinator's warning when it has stopped."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select, update

from scp_tracker.core.clock import utcnow
from scp_tracker.operations import services
from scp_tracker.operations.models import SchedulerHeartbeat

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
BANNER = '{% include "operations/_scheduler_warning.html" %}'


def test_never_before_the_first_beat(db):
    assert services.scheduler_status(NOW) == "never"


def test_running_while_it_beats_and_stopped_after_five_silent_minutes(db):
    services.beat(NOW)

    assert services.scheduler_status(NOW + timedelta(minutes=4)) == "running"
    assert services.scheduler_status(NOW + timedelta(minutes=5)) == "running"
    assert services.scheduler_status(NOW + timedelta(minutes=6)) == "stopped"


def test_one_row_per_process_updated_in_place(db):
    services.beat(NOW)
    services.beat(NOW + timedelta(minutes=1))
    db.session.commit()

    [row] = db.session.scalars(select(SchedulerHeartbeat)).all()
    db.session.refresh(row)
    assert row.started_at == NOW
    assert row.last_beat_at == NOW + timedelta(minutes=1)


def test_processes_gone_for_a_week_are_forgotten(db):
    services.beat(NOW)
    db.session.execute(update(SchedulerHeartbeat).values(process_key="old-host:1"))
    services.beat(NOW + timedelta(days=8))

    assert db.session.scalar(select(func.count()).select_from(SchedulerHeartbeat)) == 1


def banner_for(app, user) -> str:
    """The scheduler warning as the given user would see it on any page."""
    with app.test_request_context("/"):
        if user:
            login_user(user)
        return render_template_string(BANNER)


@pytest.mark.parametrize(
    ("last_beat", "expected"),
    [
        (None, "The scheduler has never run"),
        (timedelta(minutes=-10), "The scheduler has stopped"),
    ],
)
def test_the_coordinator_is_warned_when_the_scheduler_is_not_running(app, db, make_user, last_beat, expected):
    if last_beat is not None:
        services.beat(utcnow() + last_beat)
        db.session.commit()

    html = banner_for(app, make_user(role="coordinator"))

    assert expected in html
    assert "scp-tracker scheduler" in html


def test_no_warning_while_it_runs(app, db, make_user):
    services.beat(utcnow())
    db.session.commit()

    assert "scheduler" not in banner_for(app, make_user(role="coordinator")).lower()


@pytest.mark.parametrize("role", ["lead", "partner", "viewer", None])
def test_only_the_coordinator_is_warned(app, db, make_user, role):
    user = make_user(role=role) if role else None

    assert banner_for(app, user).strip() == ""


def test_every_page_shows_the_coordinator_the_warning(client, db, make_user, login):
    """Needs site/_banners.html to include operations/_scheduler_warning.html."""
    login(make_user(role="coordinator"))
    services.beat(utcnow() - timedelta(hours=1))
    db.session.commit()

    page = client.get("/emails").get_data(as_text=True)

    assert "The scheduler has stopped" in page
