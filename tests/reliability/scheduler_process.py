"""`scp-tracker scheduler` as the reliability tests run it: in a process of its own, with test hooks from the
environment (this file is run by path, never collected: its name does not start with test_).

SCP_TEST_TRAVEL_TO    an ISO datetime: the process's clock starts there and ticks on (time-machine)
SCP_TEST_TICK_SECONDS run each job every N seconds instead of every minute
SCP_TEST_HOOK         pause_in_reminder_run: once the reminder run has written everything but not yet
                      committed, touch SCP_TEST_MARKER_DIR/in-reminder-run and wait there (to be killed)
"""

import os
import sys
import time
from datetime import datetime
from pathlib import Path


def _travel() -> None:
    """Start the clock at SCP_TEST_TRAVEL_TO, ticking."""
    destination = os.environ.get("SCP_TEST_TRAVEL_TO")
    if destination:
        import time_machine

        time_machine.travel(datetime.fromisoformat(destination), tick=True).start()


def _tick() -> None:
    """Make "every minute" mean every SCP_TEST_TICK_SECONDS seconds."""
    seconds = os.environ.get("SCP_TEST_TICK_SECONDS")
    if seconds:
        from apscheduler.triggers.interval import IntervalTrigger

        import jobs.scheduler

        def faster(timezone, minutes=None, **interval):
            """Minute jobs every few seconds; longer ones (the daily clean-up) as they are."""
            if minutes is not None:
                return IntervalTrigger(seconds=float(seconds), timezone=timezone)
            return IntervalTrigger(timezone=timezone, **interval)

        jobs.scheduler.IntervalTrigger = faster


def _hook() -> None:
    """Install the hook SCP_TEST_HOOK names."""
    if os.environ.get("SCP_TEST_HOOK") != "pause_in_reminder_run":
        return
    from scp_tracker.reminders import services

    build_summary = services.build_summary  # the last step: the leads' emails are queued, the summary is next
    marker = Path(os.environ["SCP_TEST_MARKER_DIR"]) / "in-reminder-run"

    def build_then_wait(*args, **kwargs):
        summary = build_summary(*args, **kwargs)
        marker.touch()
        time.sleep(120)
        return summary

    services.build_summary = build_then_wait


if __name__ == "__main__":
    _travel()
    _tick()
    _hook()
    from scp_tracker.cli import cli

    sys.exit(cli.main(["scheduler"], prog_name="scp-tracker"))
