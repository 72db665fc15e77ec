"""The WSGI entry point: gunicorn wsgi:app (the scheduler runs as its own process, never here)."""

from scp_tracker import create_app

app = create_app()
