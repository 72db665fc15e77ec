"""Documents: reading and writing the plan document and spreadsheet formats."""

from flask import Flask


def register(app: Flask) -> None:
    """Register the import-plan and export-plan commands."""
