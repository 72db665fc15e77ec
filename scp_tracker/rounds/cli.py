"""scp-tracker rounds add | list: the plan year's board meetings from the command line."""

from datetime import date

import click
from flask.cli import AppGroup

from scp_tracker.core.formatting import gov_date
from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.plans.lookup import plan_for_year
from scp_tracker.plans.models import Plan
from scp_tracker.rounds import meetings
from scp_tracker.rounds.windows import plan_windows

CLI_ACTOR = Actor(name="Command line", source="cli")
# Each service refusal names the option to correct.
OPTION_OF_FIELD = {"meeting_on": "--meeting", "deadline": "--deadline", "name": "--name", "round": "--meeting"}


class DateType(click.ParamType):
    """A date written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx) -> date:
        """The date, or a usage error naming the option (exit code 2)."""
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value.strip())
        except (ValueError, AttributeError):
            self.fail(f"{value!r} is not a date written YYYY-MM-DD, like 2016-09-20", param, ctx)


rounds = AppGroup("rounds", help="Set the plan year's board meetings and list its reporting rounds.")


def _plan(year: str | None) -> Plan:
    """The plan asked for, or the current plan; a usage error naming --plan if there is none."""
    plan = plan_for_year(year)
    if plan is None:
        if year:
            raise click.BadParameter(f"no plan for the year {year!r}", param_hint="'--plan'")
        raise click.UsageError("There is no plan yet: import one first")
    return plan


@rounds.command("add")
@click.option("--meeting", "meeting_on", type=DateType(), required=True, help="The board meeting's date.")
@click.option("--deadline", type=DateType(), help="The last day updates count (default: 10 working days before).")
@click.option("--name", help="What the meeting is called (default: \"Board meeting, <date>\").")
@click.option("--plan", "year", help="The plan's year, e.g. 2016-17 (default: the current plan).")
def add(meeting_on: date, deadline: date | None, name: str | None, year: str | None) -> None:
    """Add a board meeting: its round's updates are due by the deadline."""
    plan = _plan(year)
    try:
        round_ = meetings.add_meeting(plan, meetings.Meeting(meeting_on, deadline, name), CLI_ACTOR)
    except meetings.RoundError as error:
        db.session.rollback()
        raise click.BadParameter(error.message, param_hint=f"'{OPTION_OF_FIELD[error.field]}'") from None
    db.session.commit()
    click.echo(f"Added {round_.name} to plan {plan.year}: updates due by {gov_date(round_.deadline)}.")


@rounds.command("list")
@click.option("--plan", "year", help="The plan's year, e.g. 2016-17 (default: the current plan).")
def list_rounds(year: str | None) -> None:
    """List the plan's rounds: name, meeting, deadline, the days updates count, open or closed."""
    plan = _plan(year)
    windows = plan_windows(plan)
    db.session.commit()  # the quarterly defaults, stored the first time a plan's rounds are read
    click.echo(f"Reporting rounds of plan {plan.year}:")
    for window in windows:
        round_ = window.round
        meeting = gov_date(round_.meeting_on) if round_.meeting_on else "no meeting set (quarterly)"
        status = f"closed {gov_date(round_.closed_at)}" if round_.closed_at else "open"
        click.echo(f"- {round_.name}: meeting {meeting}; deadline {gov_date(round_.deadline)}; updates from "
                   f"{gov_date(window.opens_on)} to {gov_date(round_.deadline)}; {status}")
