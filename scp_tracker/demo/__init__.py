"""Demo: the real plan moved to the current plan year with a year's history, for trying the app (`make run`)."""

from flask import Flask


def register(app: Flask) -> None:
    """Register the `demo` commands."""
    from scp_tracker.demo.cli import demo

    app.cli.add_command(demo)
