"""Mail area."""

from flask import Flask


def register(app: Flask) -> None:
    """Register this area's blueprint and commands."""
