"""scp-tracker outbox deliver [--retry-now]."""

import click
from flask.cli import AppGroup

from scp_tracker.core.clock import utcnow
from scp_tracker.mail import services

outbox = AppGroup("outbox", help="Deliver the email outbox.")


@outbox.command("deliver")
@click.option("--retry-now", is_flag=True, help="Ignore back-off: try every queued email now.")
def deliver(retry_now: bool) -> None:
    """Deliver what is due in the outbox now (one batch; the scheduler does this every minute)."""
    report = services.deliver_due(utcnow(), retry_now=retry_now)
    click.echo(report.summary())
    if report.stopped:
        raise click.ClickException(f"Delivery stopped: {report.stopped}")
