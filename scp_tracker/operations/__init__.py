"""Operations: the scheduler's heartbeat, its commands, and the warning shown when it has stopped."""

from flask import Flask, g
from flask_login import current_user

from scp_tracker.core.clock import utcnow
from scp_tracker.operations import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register the scheduler and serve commands, and the scheduler warning for the coordinator."""
    # jobs/ says what runs when; it calls into scp_tracker, so it is imported only here, late.
    from jobs import cli as jobs_cli

    app.cli.add_command(jobs_cli.scheduler)
    app.cli.add_command(jobs_cli.serve)
    app.context_processor(lambda: {"scheduler_warning": scheduler_warning})


def scheduler_warning():
    """The scheduler's state when it is not running, for the coordinator only (others cannot act on it).

    Templates call it, so only a page that shows the banner pays for the query (not every email).
    """
    from scp_tracker.people.permissions import can_manage

    if not can_manage(current_user):
        return None
    state = scheduler_state_this_request()
    return state if state.status != "running" else None


def scheduler_state_this_request():
    """The scheduler's state, read once a request: the stopped-scheduler notice and the banner both ask."""
    from scp_tracker.operations import services

    if "scheduler_state" not in g:
        g.scheduler_state = services.scheduler_state(utcnow())
    return g.scheduler_state
