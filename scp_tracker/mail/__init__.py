"""Mail: the outbox, its delivery, and the one wrapper around Flask-Mail."""

from flask import Flask

from scp_tracker.mail import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register the Emails page and the outbox commands."""
    from scp_tracker.mail import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.outbox)
