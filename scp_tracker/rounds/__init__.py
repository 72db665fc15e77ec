"""Reporting rounds: the plan year's board meetings, their update deadlines, and what each board saw."""

from flask import Flask

from scp_tracker.rounds import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register the rounds pages and the `rounds` commands (the round page's "Reminded" column is the template global
    reminders_for_round, which the reminders area registers)."""
    from scp_tracker.rounds import cli
    from scp_tracker.rounds.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli.rounds)
