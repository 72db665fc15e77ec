"""The scp-tracker console script: Flask's CLI around the app factory.

Flask's CLI reads the checkout's `.env` (python-dotenv) before it builds the app, so the development settings
that `make setup` writes there apply to every command without exporting anything. Settings the app refuses
(config.checks) end the command with one line naming the setting and the fix, never a traceback, including
for `--help`, which lists the app's own commands and so needs the app.
"""

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo

from config.checks import ConfigurationError
from scp_tracker import create_app


class SettingsRefused(click.ClickException):
    """The app's settings are refused: click prints the message as one line and exits non-zero."""


def create_cli_app() -> Flask:
    """The app for a command, or SettingsRefused carrying the refusal as one line."""
    try:
        return create_app()
    except ConfigurationError as error:
        raise SettingsRefused(error.one_line()) from None


class TrackerGroup(FlaskGroup):
    """FlaskGroup whose command list (`--help`) reports refused settings as one line rather than a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Flask's commands and the app's; the app is built first so a refusal ends the command cleanly."""
        ctx.ensure_object(ScriptInfo).load_app()
        return super().list_commands(ctx)


cli = TrackerGroup(create_app=create_cli_app, help="SCP Tracker: the partnership plan tracker.")
