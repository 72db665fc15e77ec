"""Reporting rounds: the plan year's board meetings, their update deadlines, and what each board saw."""

from flask import Flask

from scp_tracker.rounds import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register the rounds pages and the `rounds` commands."""
