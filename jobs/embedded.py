"""The scheduler inside the one-machine dev server (SCP_SCHEDULER=embedded): started once, never in tests."""

import atexit
import logging
import os
import threading

from flask import Flask

from jobs.scheduler import build_scheduler

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_scheduler = None  # one per process, whatever the number of apps or calls


def start_embedded(app: Flask, *, reloader: bool = False):
    """Start the background scheduler in this process if the settings ask for it; return it, or None.

    Never under TESTING, and never in the reloader's parent process (it only watches files: its
    child serves the app and runs the jobs), so there is one scheduler, not two.
    """
    global _scheduler
    if app.config.get("SCHEDULER") != "embedded":
        return None
    if app.testing:
        logger.info("The embedded scheduler is not started under TESTING")
        return None
    if reloader and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None
    with _lock:
        if _scheduler is None:
            _scheduler = build_scheduler(app)
            _scheduler.start()
            atexit.register(_scheduler.shutdown, wait=False)
            logger.info("Embedded scheduler started")
        return _scheduler
