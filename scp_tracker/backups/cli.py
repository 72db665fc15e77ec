"""scp-tracker backup PATH and scp-tracker restore PATH [--yes]."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from scp_tracker.backups import services
from scp_tracker.core.clock import utcnow
from scp_tracker.extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH, safely while the app and the scheduler run."""
    try:
        size = services.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database to {path} ({size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup at PATH (checked first; the replaced one is kept)."""
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        live = services.sqlite_file(uri)
        services.check_backup(path)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from None
    if not yes:
        raise click.ClickException(
            f"This replaces everything in {live} with {path}. Stop the app and the scheduler, then run the "
            "command again with --yes."
        )
    db.engine.dispose()  # no connection of ours stays open on the file being replaced
    try:
        kept = services.restore(uri, path, now=utcnow())
    except services.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the database from {path}.")
    if kept:
        click.echo(f"The database it replaced is kept at {kept}.")
