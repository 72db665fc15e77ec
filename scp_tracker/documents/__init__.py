"""Documents: reading and writing the plan document and spreadsheet formats."""

from flask import Flask


def register(app: Flask) -> None:
    """Register the import-plan and export-plan commands."""
    from scp_tracker.documents import cli

    app.cli.add_command(cli.import_plan_command)
    app.cli.add_command(cli.export_plan_command)
