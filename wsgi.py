"""The WSGI entry point: gunicorn wsgi:app (the scheduler runs as its own process, never here)."""

import gc

from scp_tracker import create_app

app = create_app()
# The app's modules, templates and settings live as long as the worker: moved out of the garbage collector's
# sight, a full collection no longer walks them all (it cost the plan list ~150 ms every twenty requests).
gc.freeze()
