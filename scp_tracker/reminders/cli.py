"""scp-tracker reminders preview | send."""

import json
from datetime import date

import click
from flask.cli import AppGroup

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.extensions import db
from scp_tracker.reminders import services
from scp_tracker.reminders.rules import KIND_LABELS, is_run_day
from scp_tracker.reminders.settings import load_settings

reminders = AppGroup("reminders", help="Preview or send the reminder emails.")

ON_OPTION = click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                         help="The date of the run, YYYY-MM-DD (default: today in London).")


def _day(on) -> date:
    return on.date() if on else today_in_london()


@reminders.command("preview")
@ON_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one entry per email.")
def preview(on, as_json: bool) -> None:
    """Show what a run on that date would send, without sending or recording anything."""
    today = _day(on)
    report = services.run_reminders(today, dry_run=True, force=True)
    db.session.rollback()
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
        return
    if not is_run_day(today, load_settings()):
        click.echo(f"Note: the scheduled run skips {today:%A %d %B %Y}; `reminders send` would still send this.")
    if not report.digests:
        click.echo(f"Nothing to send on {today.isoformat()}.")
    for digest in report.digests:
        click.echo(f"To {digest.contact.name} <{digest.contact.email}>: "
                   f"{len(digest.items) + len(digest.figures)} reminders")
        for item in digest.items:
            click.echo(f"  - [{KIND_LABELS[item.reminder.kind]}] {item.objective.title} "
                       f"(objective {item.objective.id}): {item.reminder.detail}")
        for figure_item in digest.figures:
            click.echo(f"  - [{KIND_LABELS[figure_item.reminder.kind]}] {figure_item.figure.name}, "
                       f"{figure_item.figure.period_label} (indicator {figure_item.figure.indicator_id}): "
                       f"{figure_item.reminder.detail}")
    for objective in report.nobody_to_remind:
        click.echo(f"Nobody to remind: {objective.title} (objective {objective.id})")


@reminders.command("send")
@ON_OPTION
def send(on) -> None:
    """Run the reminder job now: record and queue the digests, then deliver what the outbox has due."""
    from scp_tracker.mail.services import deliver_due

    today = _day(on)
    report = services.run_reminders(today, now=utcnow(), force=True)
    db.session.commit()
    click.echo(f"Queued {len(report.digests)} reminder emails ({report.reminder_count} reminders) "
               f"and {report.summaries_queued} run summaries for {today.isoformat()}.")
    # Queued is what matters: if the mail server is down, the outbox keeps retrying.
    delivery = deliver_due(utcnow())
    click.echo(f"Delivery: {delivery.summary()}.")
    if delivery.stopped:
        click.echo(f"Delivery stopped: {delivery.stopped}. The emails stay queued.")
