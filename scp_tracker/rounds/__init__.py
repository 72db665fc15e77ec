"""Reporting rounds: the plan year's board meetings, their update deadlines, and what each board saw."""

from flask import Flask

from scp_tracker.rounds import models  # noqa: F401  (registers the tables)

# The round page's "who was reminded when": the reminders area, above rounds, registers this template global
# (round id → {contact id: [when reminded]}); until it does, nobody was.
REMINDERS_FOR_ROUND = "reminders_for_round"


def no_reminders(round_id: int) -> dict:
    """The default of reminders_for_round: no reminders known."""
    return {}


def register(app: Flask) -> None:
    """Register the rounds pages, the `rounds` commands and the default of the reminders column."""
    from scp_tracker.rounds import cli
    from scp_tracker.rounds.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli.rounds)
    # setdefault: whichever area registers first, the reminders area's own function wins.
    app.jinja_env.globals.setdefault(REMINDERS_FOR_ROUND, no_reminders)
