"""scp-tracker demo load: the demo data a development checkout runs on."""

import click

from scp_tracker.core.clock import today_in_london
from scp_tracker.demo.clock import DemoError
from scp_tracker.demo.services import load_demo
from scp_tracker.demo.story import SEED
from scp_tracker.extensions import db


@click.group("demo")
def demo() -> None:
    """Demo data for trying the app (development only)."""


@demo.command("load")
@click.option("--seed", type=int, default=SEED, show_default=True, help="Another number gives another year's story.")
def load_command(seed: int) -> None:
    """Load the real plan moved to the current plan year, with the year's progress, events, rounds and reminders.

    Running it again changes nothing while the year's plan is there.
    """
    try:
        report = load_demo(today_in_london(), seed=seed)
    except DemoError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(report.summary())
