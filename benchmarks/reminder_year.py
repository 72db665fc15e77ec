"""The real plan's reminders over a year, day by day, measured per person: what a lead and the coordinator receive.

    python -m benchmarks.reminder_year [--days N] [--start YYYY-MM-DD] [--json] [--keep FOLDER]

Two runs, each on a fresh SQLite file (made from the models, as the tests make theirs): the real 2016-17 plan
imported through the documents import service as of the day before the start (its progress notes are dated
then), marked agreed; one contact per agency that leads an objective or a key priority (receives reminders);
one coordinator (a user with the coordinator role, in an agency of their own). Each day at 07:00 London, with
the app's clock moved there, `run_reminders(day, now=...)` runs and commits; nothing is delivered, every
outbox row is one email. In the first run leads never answer; in the second every lead answers every email the
next day at 10:00, as the email asks: a progress update, as that contact, on each objective the email was about
(the reminder records written under the email's outbox key), with proposed funding, lead or end date where the
email asked for them (requests the coordinator would decide; the simulated one never does).

Per person it prints the emails in the period, the most in any 28 days, the most on one day, the longest
silence while something is owed, and the emails that listed an objective more than once. Something is owed
on a day when an open objective of the plan

  - has passed its end date with no progress recorded on or after it, or
  - has had no progress for 42 days or more (counted from its creation when it has none), or
  - has funding, its lead or its end date to be confirmed (TBC) or missing, and no proposal of it from the lead
    waiting on the coordinator.

A lead owes what they lead (the contacts named on the objective, else its lead agencies' contacts); the
coordinator owes everything owed by anyone. A silence is a run of days on which something was owed and no
email came; an email, or a day with nothing owed, ends it.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time as timer
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from benchmarks.year_figures import PersonYear, days_of, person_year, summary, table, times_listed
from config import PROJECT_ROOT
from scp_tracker import create_app
from scp_tracker.core.clock import LONDON, today_in_london
from scp_tracker.core.history import Actor
from scp_tracker.documents.services import import_plan
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.people.models import Agency, Contact, User, UserRole
from scp_tracker.plans.models import (
    FundingLine,
    KeyPriorityLead,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    ProgressUpdate,
)
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.reminders.models import ReminderRecord
from scp_tracker.reminders.services import run_reminders

REAL_PLAN = PROJECT_ROOT / "tests" / "fixtures" / "plans" / "scp-annual-plan-2016-17-draft.txt"
YEAR_START = date(2016, 5, 4)
YEAR_END = date(2017, 3, 31)
RUN_AT = time(7)
ANSWER_AT = time(10)
STALE_DAYS = 42
COORDINATOR_ADDRESS = "coordinator@scp.example.org"
MODES = {"silent": "Leads never answer", "answering": "Leads answer every email the next day"}


@dataclass
class Cast:
    """The people of a simulated year: one lead contact per lead agency, and the coordinator."""

    names: dict[int, str]  # contact id: name
    roles: dict[int, str]  # contact id: "lead" | "coordinator"
    by_address: dict[str, int]  # email address (lower case): contact id
    coordinator_id: int


@dataclass
class ModeResult:
    """One run of the period: everyone's figures and how the run went."""

    mode: str
    people: list[PersonYear]
    outbox_rows: int
    answers: int = 0  # progress updates the leads made
    untied_lead_emails: int = 0  # emails to leads tied to no objective (nothing to answer)
    titles_not_found: int = 0  # emails tied to an objective whose title their text does not show
    seconds: float = 0.0
    per_day: dict[str, dict[str, int]] = field(default_factory=dict)  # name: {ISO day: emails}

    def as_json(self) -> dict:
        """The --json shape."""
        return {"mode": self.mode, "outbox_rows": self.outbox_rows, "answers": self.answers,
                "untied_lead_emails": self.untied_lead_emails, "titles_not_found": self.titles_not_found,
                "seconds": round(self.seconds, 2),
                "people": [person.as_json() for person in self.people], "per_day": self.per_day}


def _at(day: date, moment: time) -> datetime:
    """That day's London time as an aware UTC datetime."""
    return datetime.combine(day, moment, LONDON).astimezone(UTC)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "agency"


def set_up(start: date) -> Cast:
    """Import the real plan as of the day before `start`, mark it agreed, and add the people (commits)."""
    as_of = start - timedelta(days=1)
    with time_machine.travel(_at(as_of, time(12)), tick=False):
        import_plan(REAL_PLAN, REAL_PLAN.name, actor=Actor(name="Import of the real plan", source="import"),
                    as_of=as_of)
        for plan in db.session.scalars(select(Plan)):
            plan.status, plan.agreed_on = "agreed", as_of
        lead_agency_ids = set(db.session.scalars(select(ObjectiveLead.agency_id))) | set(
            db.session.scalars(select(KeyPriorityLead.agency_id)))
        cast = Cast(names={}, roles={}, by_address={}, coordinator_id=0)
        addresses: set[str] = set()
        for agency in db.session.scalars(select(Agency).where(Agency.id.in_(lead_agency_ids)).order_by(Agency.id)):
            address = f"lead@{_slug(agency.abbreviation)}.example.org"
            if address in addresses:
                address = f"lead{agency.id}@{_slug(agency.abbreviation)}.example.org"
            addresses.add(address)
            contact = Contact(name=f"{agency.abbreviation} lead", email=address, agency=agency,
                              receives_reminders=True)
            db.session.add(contact)
            db.session.flush()
            cast.names[contact.id], cast.roles[contact.id], cast.by_address[address] = contact.name, "lead", contact.id
        team = Agency(abbreviation="SCP team", name="Safer Colchester Partnership team")
        coordinator = Contact(name="Partnership coordinator", email=COORDINATOR_ADDRESS, agency=team,
                              receives_reminders=True)
        db.session.add_all([team, coordinator, User(contact=coordinator, role_links=[UserRole(role="coordinator")])])
        db.session.flush()
        cast.coordinator_id = coordinator.id
        cast.names[coordinator.id], cast.roles[coordinator.id] = coordinator.name, "coordinator"
        cast.by_address[COORDINATOR_ADDRESS] = coordinator.id
        db.session.commit()
    return cast


def objective_leads() -> dict[int, set[int]]:
    """Each objective's leads: the contacts named on it, else its lead agencies' contacts."""
    named: dict[int, set[int]] = defaultdict(set)
    for objective_id, contact_id in db.session.execute(select(ObjectiveContact.objective_id,
                                                              ObjectiveContact.contact_id)):
        named[objective_id].add(contact_id)
    by_agency: dict[int, set[int]] = defaultdict(set)
    for contact_id, agency_id in db.session.execute(select(Contact.id, Contact.agency_id)
                                                    .where(Contact.receives_reminders.is_(True))):
        by_agency[agency_id].add(contact_id)
    leads: dict[int, set[int]] = defaultdict(set)
    for objective_id, agency_id in db.session.execute(select(ObjectiveLead.objective_id, ObjectiveLead.agency_id)):
        leads[objective_id] |= by_agency.get(agency_id, set())
    return {objective_id: named.get(objective_id) or leads.get(objective_id, set())
            for objective_id in named.keys() | leads.keys()}


def owing(day: date, leads: dict[int, set[int]], coordinator_id: int) -> set[int]:
    """The contacts who owe something on this day (see the module's docstring)."""
    tbc_funding = (select(FundingLine.id)
                   .where(FundingLine.objective_id == Objective.id, FundingLine.status == "tbc").exists())
    archived = select(Plan.id).where(Plan.status == "archived").exists()  # a single plan here: archived is all

    def proposed(status_column):
        return select(ProgressUpdate.id).where(ProgressUpdate.objective_id == Objective.id,
                                               status_column == "pending").exists()

    owed: set[int] = set()
    for (objective_id, end_date, end_date_status, lead_status, last_progress_at, created_at,
         funding, funding_proposed, lead_proposed, end_date_proposed) in db.session.execute(
        select(Objective.id, Objective.end_date, Objective.end_date_status, Objective.lead_status,
               Objective.last_progress_at, Objective.created_at, tbc_funding,
               proposed(ProgressUpdate.funding_request_status), proposed(ProgressUpdate.lead_request_status),
               proposed(ProgressUpdate.end_date_request_status))
        .where(Objective.status == "open", ~archived)
    ):
        progress_on = today_in_london(last_progress_at) if last_progress_at else None
        overdue = (end_date_status == "set" and end_date is not None and end_date < day
                   and (progress_on is None or progress_on < end_date))
        stale = (day - (progress_on or today_in_london(created_at))).days >= STALE_DAYS
        # What the lead proposed waits on the coordinator: the lead no longer owes it.
        unconfirmed = ((funding and not funding_proposed) or (lead_status != "set" and not lead_proposed)
                       or (end_date_status != "set" and not end_date_proposed))
        if overdue or stale or unconfirmed:
            owed |= leads.get(objective_id, set()) | {coordinator_id}
    return owed


def _answer(day: date, cast: Cast, now: datetime) -> tuple[int, int]:
    """Every lead answers each email of the day before, as the email asks: progress on each objective it was about,
    and, where it asked for them, proposed funding, a proposed lead agency (their own) or a proposed end date (the
    plan's last day) — requests the coordinator decides on (the simulated coordinator never does).

    Returns (progress updates made, emails to leads tied to no objective).
    """
    since, until = _at(day - timedelta(days=1), time(0)), _at(day, time(0))
    answers = untied = 0
    for key, address in db.session.execute(
        select(OutboxMessage.key, OutboxMessage.to_address)
        .where(OutboxMessage.created_at >= since, OutboxMessage.created_at < until).order_by(OutboxMessage.id)
    ):
        contact_id = cast.by_address.get(address.lower())
        if contact_id is None or cast.roles[contact_id] != "lead":
            continue
        asked: dict[int, set[str]] = defaultdict(set)
        for objective_id, kind in db.session.execute(
                select(ReminderRecord.objective_id, ReminderRecord.kind).where(ReminderRecord.outbox_key == key)):
            asked[objective_id].add(kind)
        objectives = db.session.scalars(
            select(Objective).where(Objective.status == "open", Objective.id.in_(asked)).order_by(Objective.id)).all()
        if not objectives:
            untied += 1
        contact = db.session.get(Contact, contact_id)
        for objective in objectives:
            kinds = asked[objective.id]
            values = ProgressValues(
                text=f"Progress as asked in the email of {day - timedelta(days=1)}.", rag=None,
                requested_funding=({"amount_pence": 100000, "source": "SCP", "pot": "Partnership grant"}
                                   if "tbc_funding" in kinds else None),
                requested_agency_ids=[contact.agency_id] if "tbc_lead" in kinds and contact.agency_id else None,
                requested_end_date=objective.key_priority.plan.ends_on if "end_date_missing" in kinds else None)
            add_progress(objective, values, Actor.for_contact(contact), now=now)
            answers += 1
    db.session.commit()
    return answers, untied


def _repeated_listings(cast: Cast) -> tuple[Counter, int]:
    """Per contact, the emails tied to objectives that show one of them more than once; and the emails tied to an
    objective they do not show at all (the count above cannot be trusted for those)."""
    titles: dict[str, set[str]] = defaultdict(set)
    for key, title in db.session.execute(
        select(ReminderRecord.outbox_key, Objective.title).join(Objective, Objective.id == ReminderRecord.objective_id)
        .where(ReminderRecord.outbox_key != "")
    ):
        titles[key].add(title)
    repeated: Counter = Counter()
    not_found = 0
    for key, address, text in db.session.execute(
        select(OutboxMessage.key, OutboxMessage.to_address, OutboxMessage.text_body)
        .where(OutboxMessage.key.in_(list(titles)))
    ):
        listed = [times_listed(text, title) for title in titles[key]]
        repeated[cast.by_address.get(address.lower(), -1)] += max(listed) > 1
        not_found += min(listed) == 0
    return repeated, not_found


def simulate(mode: str, start: date, days: int, database: Path | None = None) -> ModeResult:
    """Run `days` days from `start` on a fresh SQLite file; leads answer when mode is "answering".

    `database`: a new file to use and keep (default: a temporary one).
    """
    began = timer.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reminder-year-") as folder:
        path = database.resolve() if database else Path(folder) / "year.db"
        if path.exists():
            raise FileExistsError(f"{path} exists: give a new file")
        app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        with app.app_context():
            try:
                db.create_all()
                cast = set_up(start)
                leads = objective_leads()
                period = days_of(start, days)
                owed_days: dict[int, list[date]] = defaultdict(list)
                answers = untied = 0
                for day in period:
                    now = _at(day, RUN_AT)
                    with time_machine.travel(now, tick=False):
                        run_reminders(day, now=now)
                        db.session.commit()
                        for contact_id in owing(day, leads, cast.coordinator_id):
                            owed_days[contact_id].append(day)
                    if mode == "answering":
                        answer_at = _at(day, ANSWER_AT)
                        with time_machine.travel(answer_at, tick=False):
                            made, unanswerable = _answer(day, cast, answer_at)
                        answers, untied = answers + made, untied + unanswerable
                result = _figures(mode, cast, period, owed_days)
                result.answers, result.untied_lead_emails = answers, untied
            finally:
                db.session.remove()
                db.engine.dispose()
    result.seconds = timer.perf_counter() - began
    return result


def _figures(mode: str, cast: Cast, period: list[date], owed_days: dict[int, list[date]]) -> ModeResult:
    """Everyone's figures from the outbox: one row is one email, counted on its London day."""
    per_day: dict[int, Counter] = defaultdict(Counter)
    kinds: dict[int, Counter] = defaultdict(Counter)
    rows = 0
    for address, kind, created_at in db.session.execute(
        select(OutboxMessage.to_address, OutboxMessage.kind, OutboxMessage.created_at)
    ):
        contact_id = cast.by_address.get(address.lower(), -1)
        per_day[contact_id][today_in_london(created_at)] += 1
        kinds[contact_id][kind] += 1
        rows += 1
    repeated, not_found = _repeated_listings(cast)
    address_of = {cid: address for address, cid in cast.by_address.items()}
    order = sorted(cast.names, key=lambda cid: (cast.roles[cid] == "coordinator", cast.names[cid].lower()))
    if -1 in per_day:  # an address outside the cast: shown, not hidden
        cast.names[-1], cast.roles[-1], address_of[-1] = "Other addresses", "other", ""
        order.append(-1)
    people = [person_year(cast.names[cid], address_of[cid], cast.roles[cid], per_day[cid], owed_days.get(cid, []),
                          period, repeated_objective_emails=repeated[cid], emails_by_kind=kinds[cid]) for cid in order]
    return ModeResult(mode=mode, people=people, outbox_rows=rows, titles_not_found=not_found, per_day={
        cast.names[cid]: {day.isoformat(): count for day, count in sorted(per_day[cid].items())} for cid in order})


def commit_measured() -> str:
    """The short commit of the checkout being measured ("+ changes" when it has uncommitted ones)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()
    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{sha} + changes" if git("status", "--porcelain", "--", "scp_tracker", "templates") else sha


def report(results: list[ModeResult], start: date, days: int) -> str:
    """The printed tables: one per mode, each with its summary line."""
    end = start + timedelta(days=days - 1)
    lines = [f"Reminders from {start:%-d %B %Y} to {end:%-d %B %Y} ({days} days), measured on commit "
             f"{commit_measured()}, default settings: {len(results[0].people) - 1} lead contacts and one "
             f"coordinator; emails queued, none delivered."]
    for result in results:
        lines += ["", f"{MODES[result.mode]} ({result.outbox_rows} emails, {result.answers} progress updates, "
                      f"{result.seconds:.1f} s)", "", table(result.people), "",
                  summary(MODES[result.mode], result.people, leads_answer=result.mode == "answering")]
        if result.untied_lead_emails:
            lines.append(f"{result.untied_lead_emails} emails to leads were tied to no objective (not answered).")
        if result.titles_not_found:
            lines.append(f"{result.titles_not_found} emails did not show an objective they were tied to: the "
                         f"repeated-listing count misses those.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run both modes and print the tables, or the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=date.fromisoformat, default=YEAR_START, help="first day (YYYY-MM-DD)")
    parser.add_argument("--days", type=int, help="how many days (default: to 31 March 2017)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="keep the two databases in this folder (silent.db, answering.db)")
    args = parser.parse_args(argv)
    days = args.days or (YEAR_END - args.start).days + 1
    if days < 1:
        parser.error("the period must have at least one day")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results = [simulate(mode, args.start, days, args.keep / f"{mode}.db" if args.keep else None) for mode in MODES]
    if args.json:
        json.dump({"start": args.start.isoformat(), "days": days, "commit": commit_measured(),
                   "modes": [result.as_json() for result in results]}, sys.stdout, indent=2)
        print()
    else:
        print(report(results, args.start, days))


if __name__ == "__main__":
    main()
