"""The WSGI entry point: gunicorn wsgi:app (the scheduler runs as its own process, never here)."""

import gc
import sys

from config.checks import ConfigurationError
from scp_tracker import create_app

# gunicorn's exit code for a worker that cannot boot: the master stops at once rather than restarting it forever.
WORKER_BOOT_ERROR = 3

try:
    app = create_app()
except ConfigurationError as refused:  # one line naming the setting, not a traceback per worker
    print(f"Error: {refused.one_line(reads_dotenv=False)}", file=sys.stderr)
    sys.exit(WORKER_BOOT_ERROR)
# The app's modules, templates and settings live as long as the worker: moved out of the garbage collector's
# sight, a full collection no longer walks them all (it cost the plan list ~150 ms every twenty requests).
gc.freeze()
