"""scp-tracker people add | import."""

import click
from flask.cli import with_appcontext

@click.group(help="Add or import contacts and their logins.")
def people():
    """The people command group."""
