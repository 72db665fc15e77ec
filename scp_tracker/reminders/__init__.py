"""Reminders: the rules, the daily digests, update links, preferences and calendar feeds."""

from flask import Flask

from scp_tracker.reminders import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register the reminder pages ("Your objectives" among them), the reminders commands, the objective page's list
    of reminders sent, and the round page's reminders and "remind now"."""
    from scp_tracker.reminders import cli, round_reminders, services, views, your_objectives_views

    app.register_blueprint(views.bp)
    app.register_blueprint(your_objectives_views.bp)
    app.cli.add_command(cli.reminders)
    app.add_template_global(services.reminders_sent_for)
    app.add_template_global(round_reminders.reminders_for_round)
    round_reminders.connect()
