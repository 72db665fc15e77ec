"""The scp-tracker console script: Flask's CLI around the app factory."""

from flask.cli import FlaskGroup

from scp_tracker import create_app

cli = FlaskGroup(create_app=create_app, help="SCP Tracker: the partnership plan tracker.")
