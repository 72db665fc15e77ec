"""Documents: reading and writing the plan document and spreadsheet formats, and the import and export pages."""

from flask import Flask

from scp_tracker.documents import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register the import and export pages and the import-plan and export-plan commands."""
    from scp_tracker.documents import cli
    from scp_tracker.documents.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(cli.import_plan_command)
    app.cli.add_command(cli.export_plan_command)
