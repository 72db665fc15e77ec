"""Reports: the board paper (the page, its PDF and its Word file, and `scp-tracker report`)."""

from flask import Flask


def register(app: Flask) -> None:
    """Register the board paper's page and command."""
    from scp_tracker.reports.cli import report_command
    from scp_tracker.reports.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(report_command)
