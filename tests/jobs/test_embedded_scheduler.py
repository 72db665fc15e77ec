"""The embedded scheduler (dev server only) and the scheduler and serve commands."""

import pytest
from apscheduler.schedulers.blocking import BlockingScheduler

from jobs import cli as jobs_cli
from jobs import embedded


class FakeScheduler:
    """Stands in for a BackgroundScheduler: counts starts, runs nothing."""

    def __init__(self):
        self.starts = 0

    def start(self):
        self.starts += 1

    def shutdown(self, wait=True):
        pass


@pytest.fixture
def built(monkeypatch):
    """Every scheduler start_embedded builds, with no scheduler running before the test."""
    schedulers = []

    def build(app):
        schedulers.append(FakeScheduler())
        return schedulers[-1]

    monkeypatch.setattr(embedded, "build_scheduler", build)
    monkeypatch.setattr(embedded, "_scheduler", None)
    return schedulers


@pytest.fixture
def embedded_settings(app, monkeypatch):
    """The development settings: embedded scheduler, not TESTING."""
    monkeypatch.setitem(app.config, "SCHEDULER", "embedded")
    monkeypatch.setitem(app.config, "TESTING", False)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    return app


def test_refused_under_testing(app, built, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULER", "embedded")

    assert embedded.start_embedded(app) is None
    assert built == []


def test_not_started_when_the_settings_leave_it_to_the_scheduler_process(embedded_settings, built, monkeypatch):
    monkeypatch.setitem(embedded_settings.config, "SCHEDULER", "off")

    assert embedded.start_embedded(embedded_settings) is None
    assert built == []


def test_starts_once_however_often_it_is_asked(embedded_settings, built):
    first = embedded.start_embedded(embedded_settings)
    second = embedded.start_embedded(embedded_settings)

    assert first is second
    assert len(built) == 1
    assert first.starts == 1


def test_not_started_in_the_reloaders_parent_process(embedded_settings, built, monkeypatch):
    assert embedded.start_embedded(embedded_settings, reloader=True) is None
    assert built == []

    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")  # the child that serves the app
    assert embedded.start_embedded(embedded_settings, reloader=True) is built[0]


def test_the_app_factory_starts_no_scheduler(built, monkeypatch):
    from scp_tracker import create_app

    monkeypatch.setenv("SCP_ENV", "development")
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})

    assert built == []
    assert embedded._scheduler is None


def test_the_scheduler_command_runs_a_blocking_scheduler_with_every_job(app, runner, monkeypatch):
    started = []

    class RecordingBlockingScheduler(BlockingScheduler):
        def start(self, *args, **kwargs):
            started.append(sorted(job.id for job in self.get_jobs()))

    monkeypatch.setattr(jobs_cli, "BlockingScheduler", RecordingBlockingScheduler)

    result = runner.invoke(args=["scheduler"])

    assert result.exit_code == 0, result.output
    assert started == [["daily-reminders", "deliver-outbox", "heartbeat", "prune-notifications"]]
    assert "Scheduler started" in result.output
    assert "Scheduler stopped." in result.output


def test_the_serve_command_starts_the_embedded_scheduler_then_serves(app, runner, monkeypatch):
    calls = []
    monkeypatch.setattr(jobs_cli, "start_embedded", lambda app, reloader: calls.append(("scheduler", reloader)))
    monkeypatch.setattr(jobs_cli, "run_simple", lambda host, port, wsgi, **options: calls.append(("serve", host, port)))

    result = runner.invoke(args=["serve", "--port", "5050"])

    assert result.exit_code == 0, result.output
    assert calls == [("scheduler", False), ("serve", "127.0.0.1", 5050)]
