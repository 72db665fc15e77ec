"""Site: the GOV.UK layout, the pages every public service has, error pages and assets."""

from flask import Flask


def register(app: Flask) -> None:
    """Register the site blueprint."""
