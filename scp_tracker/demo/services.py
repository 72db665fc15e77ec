"""Loading the demo: the real plan moved into the current plan year, with the year's history up to today.

Deterministic (a seed), idempotent (a plan of the year already there: nothing changes), one transaction (the caller
commits). The history is written with the clock moved to each moment (time-machine, installed with the test extras
by `make setup`), so every record, email and change reads as written on its day.
"""

from dataclasses import dataclass
from datetime import date, time
from random import Random

from flask import current_app
from sqlalchemy import func, select

from config import PROJECT_ROOT
from scp_tracker.core.history import Actor
from scp_tracker.demo.clock import at, clock_at
from scp_tracker.demo.dates import (
    SOURCE_YEAR,
    nearest_working_day,
    plan_year_start,
    shift_years,
    working_day_on_or_after,
    working_day_on_or_before,
    year_label,
)
from scp_tracker.demo.indicators import add_demo_indicators
from scp_tracker.demo.story import AGREED_AT, SEED
from scp_tracker.demo.year import DEMO_ACTOR, live_the_year
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.limits import ImportLimits
from scp_tracker.documents.plan_data import PlanData
from scp_tracker.documents.plan_loader import load_plan
from scp_tracker.documents.services import check_lengths
from scp_tracker.events.models import Event
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.people.models import Contact
from scp_tracker.plans.lookup import plan_for_year
from scp_tracker.plans.models import Objective, Plan, ProgressUpdate
from scp_tracker.plans.plan_life import agree_plan
from scp_tracker.rounds.meetings import default_name
from scp_tracker.rounds.models import ReportingRound

REAL_PLAN = PROJECT_ROOT / "tests" / "fixtures" / "plans" / "scp-annual-plan-2016-17-draft.txt"


@dataclass
class DemoReport:
    """What a load did, in figures; `loaded` False when the year's plan was already there."""

    year: str
    loaded: bool
    objectives: int = 0
    contacts: int = 0
    progress_updates: int = 0
    events: int = 0
    rounds: int = 0
    rounds_closed: int = 0
    emails: int = 0

    def summary(self) -> str:
        """One paragraph for the terminal."""
        if not self.loaded:
            return f"The demo plan {self.year} is already loaded: nothing changed."
        return (f"Loaded the demo plan {self.year}: {self.objectives} objectives, {self.contacts} lead contacts, "
                f"{self.progress_updates} progress updates, {self.events} events, {self.rounds} board meetings "
                f"({self.rounds_closed} closed) and {self.emails} emails already sent.")


def load_demo(today: date, *, seed: int = SEED) -> DemoReport:
    """Load the demo for the plan year `today` falls in, with its history up to the day before; the caller commits."""
    start = plan_year_start(today)
    report = DemoReport(year=year_label(start), loaded=False)
    if plan_for_year(report.year) is not None:
        return report
    import_day = working_day_on_or_after(start)
    with clock_at(at(import_day, time(9))):
        plan = import_demo_plan(start, import_day)
        agreed_on = nearest_working_day(date(start.year, *AGREED_AT))
        agree_plan(plan, agreed_on=agreed_on, meeting=default_name(agreed_on), actor=DEMO_ACTOR, today=import_day)
    live_the_year(plan, import_day, today, Random(seed))
    add_demo_indicators(plan, today, Random(seed))
    report.loaded = True
    in_plan = Objective.key_priority.has(plan_id=plan.id)
    report.objectives = _count(select(func.count(Objective.id)).where(in_plan))
    report.progress_updates = _count(select(func.count(ProgressUpdate.id)).where(ProgressUpdate.objective.has(in_plan)))
    report.events = _count(select(func.count(Event.id)))
    report.rounds = _count(select(func.count(ReportingRound.id)).where(ReportingRound.plan_id == plan.id,
                                                                       ReportingRound.meeting_on.is_not(None)))
    report.rounds_closed = _count(select(func.count(ReportingRound.id)).where(ReportingRound.plan_id == plan.id,
                                                                              ReportingRound.closed_at.is_not(None)))
    report.emails = _count(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "sent"))
    report.contacts = _count(select(func.count(Contact.id)).where(Contact.receives_reminders.is_(True)))
    return report


def _count(statement) -> int:
    return int(db.session.scalar(statement) or 0)


def demo_plan_data(start: date) -> PlanData:
    """The real plan read as if written for the plan year starting on `start`.

    Its years move by whole years (text, titles, funding years, end dates); an end date on a weekend or a bank
    holiday becomes the working day before it (an objective due "by the end of May" stays in May). The plan is
    agreed in the demo, so its title drops "Draft".
    """
    text = shift_years(REAL_PLAN.read_text(encoding="utf-8"), start.year - SOURCE_YEAR)
    filename = f"scp-annual-plan-{year_label(start)}.txt"
    data = read_plan_file(text.encode("utf-8"), filename, ImportLimits.from_config(current_app.config))
    data.title = " ".join(data.title.replace("Draft", "").split())
    for objective in data.objectives():
        if objective.end_date is not None:
            objective.end_date = working_day_on_or_before(objective.end_date)
    check_lengths(data)
    return data


def import_demo_plan(start: date, import_day: date) -> Plan:
    """Import the demo plan, its notes dated the day it is imported (the first working day of its year)."""
    data = demo_plan_data(start)
    load_plan(data, actor=Actor(name=f"Import of {data.filename}", source="import"), as_of=import_day)
    plan = plan_for_year(year_label(start))
    assert plan is not None, "the shifted plan names its year"
    return plan
