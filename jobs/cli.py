"""scp-tracker scheduler (production: exactly one) and scp-tracker serve (the dev server with its scheduler)."""

import gc
import logging
import signal
import sys

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask.cli import ScriptInfo, pass_script_info
from werkzeug.serving import run_simple

from jobs.embedded import start_embedded
from jobs.scheduler import build_scheduler


@click.command("scheduler")
@pass_script_info
def scheduler(info: ScriptInfo) -> None:
    """Run the scheduler in the foreground until stopped (run exactly one, beside the web workers)."""
    app = info.load_app()
    # What the jobs did, and why one failed, is all an operator sees of this process: log it.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not "Running job…" every minute
    blocking = build_scheduler(app, BlockingScheduler)
    gc.freeze()  # as wsgi.py: the app lives as long as the process, so collections need not walk it
    # systemd and Docker stop with SIGTERM: finish the running jobs instead of dying mid-send.
    previous_handler = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    click.echo(
        "Scheduler started: the outbox every minute, reminders daily at the run time in the reminder "
        "settings (London time). Stop it with Ctrl+C."
    )
    try:
        blocking.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if blocking.running:
            blocking.shutdown(wait=True)
        signal.signal(signal.SIGTERM, previous_handler)
    click.echo("Scheduler stopped.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="The port to listen on.")
@click.option("--reload/--no-reload", default=False, help="Restart when the code changes.")
@pass_script_info
def serve(info: ScriptInfo, host: str, port: int, reload: bool) -> None:
    """Run the development server, with the scheduler inside it when SCP_SCHEDULER=embedded."""
    app = info.load_app()
    start_embedded(app, reloader=reload)
    # Not app.run(): under the flask CLI it returns at once without serving.
    run_simple(host, port, app, use_reloader=reload, threaded=True)
