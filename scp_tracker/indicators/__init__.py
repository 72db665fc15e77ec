"""Performance indicators: baselines, targets and figures per period, their RAG, charts and imports."""

from flask import Flask

from scp_tracker.indicators import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register the indicators pages, the `indicators` commands and the template globals that draw them on the
    plan's pages (the dashboard and each key priority), which sit below this area."""
    from scp_tracker.indicators import cli, templating
    from scp_tracker.indicators.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli.indicators)
    templating.register(app)
