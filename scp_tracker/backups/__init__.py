"""Backups: `scp-tracker backup PATH` and `scp-tracker restore PATH` for a SQLite database."""

from flask import Flask


def register(app: Flask) -> None:
    """Register the backup and restore commands."""
    from scp_tracker.backups import cli

    app.cli.add_command(cli.backup)
    app.cli.add_command(cli.restore)
