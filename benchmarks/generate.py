"""A county's worth of data, reproducible from a seed: a big plan, agencies, people, progress, events, reminders sent.

Everything goes into the database of the current app context with bulk inserts (one statement per table,
batched by the driver). Every value comes from the seed and the date given, so the same seed and date give
the same rows. The real 2016-17 plan is then imported through the documents area, as a coordinator would.

    python -m benchmarks.generate --database /tmp/county.db [--quick] [--seed 2016]

creates the database with `scp-tracker db upgrade` and fills it.
"""

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import time as timer
from calendar import monthrange
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, groupby, islice
from pathlib import Path

from sqlalchemy import func, insert, inspect, select, text, update

from config import PROJECT_ROOT
from scp_tracker import create_app
from scp_tracker.core.clock import LONDON, today_in_london
from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.documents.services import import_plan
from scp_tracker.events.key_priorities import refresh_key_priorities
from scp_tracker.events.models import EVENT_KINDS, KIND_LABELS, Event, event_objective, event_partner
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact, User, UserRole
from scp_tracker.plans.models import (
    FundingLine,
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    PriorityListItem,
    ProgressUpdate,
)
from scp_tracker.reminders.facts import load_facts
from scp_tracker.reminders.models import ContactPreference, ReminderRecord
from scp_tracker.reminders.rules import OPTIONAL_KINDS, ReminderSettings, find_reminders, period_began
from scp_tracker.reminders.settings import save_settings
from scp_tracker.rounds.windows import plan_windows

REAL_PLAN = PROJECT_ROOT / "tests" / "fixtures" / "plans" / "scp-annual-plan-2016-17-draft.txt"
# The date the real plan's progress notes were written (its last column of dates is autumn 2016).
REAL_PLAN_AS_OF = date(2016, 10, 1)
DEFAULT_SEED = 2016


@dataclass(frozen=True)
class Scale:
    """How much of everything to make."""

    objectives: int = 10_000
    key_priorities: int = 12
    agencies: int = 60
    contacts: int = 2_000
    progress_updates: int = 100_000
    events: int = 20_000
    reminder_records: int = 200_000


# The county: tens of thousands of rows, years of history.
FULL = Scale()
# A smoke check of the whole benchmark in a minute or two.
QUICK = Scale(objectives=1_000, contacts=300, progress_updates=10_000, events=2_000, reminder_records=20_000)


def scaled(objectives: int) -> Scale:
    """The issue's county with this many objectives, and people, progress, events and reminders in proportion."""
    share = objectives / FULL.objectives
    return replace(FULL, objectives=objectives, contacts=max(50, round(FULL.contacts * share)),
                   progress_updates=round(FULL.progress_updates * share), events=round(FULL.events * share),
                   reminder_records=round(FULL.reminder_records * share))


# The county ten times over (`python -m benchmarks.run --large`): the pages must not cost much more.
LARGE = scaled(100_000)


@dataclass
class Generated:
    """What was made, and what the benchmarks need to find their way around it."""

    seed: int
    today: date
    plan_id: int
    plan_year: str
    counts: dict[str, int]
    coordinator_emails: list[str]
    showcase_objective_id: int  # an objective with every part its page shows
    real_plan_seconds: float
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


# --- words -----------------------------------------------------------------------------------------

DISTRICTS = (
    ("Basildon", "BAS"), ("Braintree", "BRA"), ("Brentwood", "BRE"), ("Castle Point", "CAS"),
    ("Chelmsford", "CHE"), ("Epping Forest", "EPP"), ("Harlow", "HAR"), ("Maldon", "MAL"),
    ("Rochford", "ROC"), ("Tendring", "TEN"), ("Uttlesford", "UTT"), ("Southend", "SOU"),
)
# (name suffix, abbreviation suffix, how many contacts it has relative to the others)
AGENCY_KINDS = (
    ("Council", "C", 3), ("Homes", "H", 2), ("Community Safety Partnership", "CSP", 1),
    ("Council for Voluntary Service", "CVS", 1), ("Youth Service", "YS", 1),
)
KEY_PRIORITY_TITLES = (
    "To protect vulnerable people", "To reduce reoffending", "To address alcohol and drug misuse",
    "To reduce crime and the fear of crime", "To tackle anti-social behaviour", "To reduce domestic abuse",
    "To tackle gangs and county lines", "To keep roads safe", "To prevent violent extremism",
    "To support victims of crime", "To tackle hate crime", "To reduce youth violence",
)
POLICE_PRIORITIES = (
    "Child abuse and exploitation", "Domestic abuse", "Serious violence", "Anti-social behaviour",
    "Burglary", "Road safety", "Hate crime",
)
PCC_PRIORITIES = (
    "More local, visible and accessible policing", "Crack down on anti-social behaviour",
    "Breaking the cycle of domestic abuse", "Reverse the trend in serious violence",
    "Tackle gangs and organised crime", "Protecting children and vulnerable people from harm",
    "Improve safety on our roads",
)
VERBS = ("Deliver", "Run", "Extend", "Review", "Launch", "Support", "Fund", "Pilot", "Promote", "Train staff on")
TOPICS = (
    "a social media campaign on domestic abuse", "the Keep Safe scheme", "gangs awareness training",
    "a street drinking task group", "a night-time economy patrol", "a hate crime reporting centre",
    "a youth diversion programme", "a burglary prevention week", "a scam awareness roadshow",
    "a cuckooing safeguarding pathway", "a knife crime education session", "a community day of action",
)
FIRST_NAMES = ("Alex", "Bea", "Chris", "Dee", "Eli", "Fran", "Gita", "Hal", "Ira", "Jo", "Kim", "Lee", "Mo",
               "Nia", "Olu", "Pat", "Quinn", "Ravi", "Sam", "Tara", "Uma", "Vic", "Wyn", "Yas", "Zoe")
LAST_NAMES = ("Adams", "Begum", "Carr", "Dawson", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones", "Khan",
              "Lewis", "Moss", "Nash", "Owen", "Patel", "Reid", "Shaw", "Taylor", "Usher", "Vance", "Walsh")
JOB_TITLES = ("Community safety officer", "Project officer", "Inspector", "Team leader", "Service manager",
              "Youth worker", "Housing officer", "Partnership analyst")
PROGRESS_TEXTS = (
    "Meeting held with partners; actions agreed.", "Sessions delivered to {n} people.",
    "Funding bid submitted; decision expected next month.", "Campaign materials printed and shared.",
    "Training booked for {n} officers.", "Referral pathway agreed with health partners.",
    "Delayed: waiting for a venue.", "Evaluation report drafted and circulated.",
)
RAG_WEIGHTS = (("green", 50), ("amber", 30), ("red", 15), (None, 5))


def _last_day_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def financial_year(day: date) -> tuple[str, date, date]:
    """The plan year ("2026-27") a date falls in, with its first and last days (April to March)."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}", date(start, 4, 1), date(start + 1, 3, 31)


def _earlier_keys(kind: str, stage_or_period: str, settings: ReminderSettings) -> list[tuple[str, date]]:
    """A reminder's stage or period, and every earlier one of the same condition, each with the day it began.

    This follows how the reminder rules write them: a due-soon stage is "END:STAGE", reached STAGE days before
    END; a repeat period is "ANCHOR:N", the Nth period (aligned to the calendar) from the anchor plus a start.
    """
    first, second = stage_or_period.rsplit(":", 1)
    anchor, number = date.fromisoformat(first), int(second)
    if kind == "due_soon":
        return [(f"{first}:{stage}", anchor - timedelta(days=stage))
                for stage in settings.due_soon_stages if stage >= number]
    shapes = {"overdue": (1, settings.overdue_repeat_days), "stale": (settings.stale_days, settings.stale_repeat_days)}
    start, repeat = shapes.get(kind, (0, settings.tbc_repeat_days))
    return [(f"{first}:{n}", period_began(anchor, start, repeat, n)) for n in range(number + 1)]


# --- the generator ---------------------------------------------------------------------------------

class _Generator:
    """Builds the rows table by table; ids come back from RETURNING so it works on SQLite and PostgreSQL."""

    def __init__(self, scale: Scale, seed: int, today: date, batch: int = 20_000):
        self.scale, self.seed, self.today, self.batch = scale, seed, today, batch
        self.rng = random.Random(seed)
        # "Now" is the morning of `today`, so rows never depend on the clock.
        self.now = datetime.combine(today, time(6, 0), LONDON).astimezone(UTC)
        # Many of the county's objectives are programmes of several years: they were agreed two years ago.
        self.agreed_at = self.now - timedelta(days=730)
        self.counts: dict[str, int] = {}
        self.tables_with_ids: set[str] = set()

    def _insert(self, model, rows: Iterable[dict], *, with_ids: bool = False) -> list[int]:
        """Bulk INSERTs (one executemany per batch of `batch` rows); with_ids gives each row the next free id.

        Rows may come from a generator: at most one batch of them is held at a time, so a county ten times
        bigger takes ten times as long but not ten times the memory. Ids are given rather than read back with
        RETURNING: SQLAlchemy can only promise RETURNING in row order by inserting one row at a time, which
        is a hundred times slower. PostgreSQL's sequences are moved past them at the end (advance_sequences).
        """
        table = getattr(model, "__table__", model)
        next_id = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1 if with_ids else 0
        ids: list[int] = []
        if with_ids:
            self.tables_with_ids.add(table.name)
        rows = iter(rows)
        while batch := list(islice(rows, self.batch)):
            if with_ids:
                batch = [{"id": new_id, **row} for new_id, row in enumerate(batch, next_id)]
                ids.extend(range(next_id, next_id + len(batch)))
                next_id += len(batch)
            db.session.execute(insert(table), batch)
            self.counts[table.name] = self.counts.get(table.name, 0) + len(batch)
        return ids

    def advance_sequences(self) -> None:
        """On PostgreSQL, move each id sequence past the ids given here, so the app's own inserts do not clash."""
        if db.session.get_bind().dialect.name != "postgresql":
            return
        for name in sorted(self.tables_with_ids):
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM \"{name}\"))"))

    def agencies(self) -> None:
        """Agencies of each district, councils first, with how many people each tends to have."""
        made = []
        for kind, suffix, weight in AGENCY_KINDS:
            for district, code in DISTRICTS:
                made.append((f"{district} {kind}", f"{code}{suffix}", weight))
        while len(made) < self.scale.agencies:
            n = len(made) + 1
            made.append((f"Partner agency {n}", f"PA{n}", 1))
        made = made[: self.scale.agencies]
        self.agency_ids = self._insert(Agency, [
            {"abbreviation": abbreviation, "name": name, "is_active": True, "created_at": self.agreed_at}
            for name, abbreviation, _ in made
        ], with_ids=True)
        self.agency_abbreviations = {aid: abbreviation for aid, (_, abbreviation, _)
                                      in zip(self.agency_ids, made, strict=True)}
        self.agency_weights = [weight for _, _, weight in made]
        # Key priorities are led by the districts' community safety partnerships.
        self.partnership_ids = [aid for aid, (_, abbreviation, _) in zip(self.agency_ids, made, strict=True)
                                if abbreviation.endswith("CSP")] or self.agency_ids
        # Every twentieth agency has nobody who receives reminders (the "no contact" reminder).
        self.silent_agencies = set(self.agency_ids[19::20])

    def contacts(self) -> None:
        """People at the agencies, a third of whom receive reminders; the first two are the coordinators."""
        rng, rows = self.rng, []
        for i in range(self.scale.contacts):
            agency_id = self.agency_ids[0] if i < 2 else rng.choices(self.agency_ids, self.agency_weights)[0]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            coordinator = i < 2
            rows.append({
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{i}@{self.agency_abbreviations[agency_id].lower()}.example.org".lower(),
                "phone": f"01245 {rng.randrange(100000, 999999)}",
                "job_title": "Community safety coordinator" if coordinator else rng.choice(JOB_TITLES),
                "agency_id": agency_id,
                # Most people are known for events and boards; about a third lead work and get reminders.
                "receives_reminders": coordinator or (agency_id not in self.silent_agencies and rng.random() < 0.3),
                "is_active": coordinator or rng.random() < 0.98,
                "reminders_paused_until": (self.today + timedelta(days=rng.randint(5, 60))
                                           if not coordinator and rng.random() < 0.02 else None),
                "created_at": self.agreed_at,
            })
        self.contact_ids = self._insert(Contact, rows, with_ids=True)
        self.contact_names = {cid: row["name"] for cid, row in zip(self.contact_ids, rows, strict=True)}
        self.receivers_by_agency = defaultdict(list)
        for cid, row in zip(self.contact_ids, rows, strict=True):
            if row["receives_reminders"] and row["is_active"]:
                self.receivers_by_agency[row["agency_id"]].append(cid)
        self.receivers = [cid for ids in self.receivers_by_agency.values() for cid in ids]
        self._insert(ContactPreference, [
            {"contact_id": cid, "updated_at": self.agreed_at,
             "opted_out_kinds": sorted(rng.sample(OPTIONAL_KINDS, rng.randint(1, 2)))}
            for cid in self.contact_ids[2:] if rng.random() < 0.05
        ])
        self.coordinator_ids = self.contact_ids[:2]
        self.coordinator_emails = [row["email"] for row in rows[:2]]

    def users(self) -> None:
        """Logins: the coordinators, and some leads, partners and viewers (no passwords: nobody signs in here)."""
        rng, rows, roles = self.rng, [], []
        for i, cid in enumerate(self.contact_ids):
            role = "coordinator" if i < 2 else rng.choices(("lead", "partner", "viewer", None), (10, 2, 2, 86))[0]
            if role:
                rows.append({"contact_id": cid, "password_hash": None,
                             "session_token": f"{rng.getrandbits(256):064x}", "is_enabled": True,
                             "created_at": self.agreed_at})
                roles.append(role)
        user_ids = self._insert(User, rows, with_ids=True)
        self._insert(UserRole, ({"user_id": user_id, "role": role}
                                for user_id, role in zip(user_ids, roles, strict=True)), with_ids=True)

    def plan(self) -> None:
        """The current year's plan with its key priorities and the police and PCC priority lists."""
        year, starts_on, ends_on = financial_year(self.today)
        if year == "2016-17":
            raise ValueError("the generated plan would clash with the real 2016-17 plan: pick another date")
        self.year = year
        [self.plan_id] = self._insert(Plan, [{
            "year": year, "title": f"Essex community safety plan {year}", "status": "agreed",
            "starts_on": starts_on, "ends_on": ends_on, "description": "The county's partnerships, in one plan.",
            "prepared_by": "County community safety team", "notes": [], "source_filename": None,
            "created_at": self.agreed_at,
        }], with_ids=True)
        self._insert(PriorityListItem, [
            {"plan_id": self.plan_id, "list_name": list_name, "number": n, "title": title}
            for list_name, titles in (("police", POLICE_PRIORITIES), ("pcc", PCC_PRIORITIES))
            for n, title in enumerate(titles, 1)
        ])
        titles = [KEY_PRIORITY_TITLES[k % len(KEY_PRIORITY_TITLES)] + ("" if k < len(KEY_PRIORITY_TITLES)
                                                                      else f" ({k + 1})")
                  for k in range(self.scale.key_priorities)]
        self.key_priority_ids = self._insert(KeyPriority, [
            {"plan_id": self.plan_id, "number": k + 1, "title": title, "heading": f"Key priority {k + 1}: {title}",
             "description": f"{title}, across the county.", "lead_text": ""}
            for k, title in enumerate(titles)
        ], with_ids=True)
        self._insert(KeyPriorityLead, [
            {"key_priority_id": kp_id, "agency_id": agency_id, "position": position}
            for kp_id in self.key_priority_ids
            for position, agency_id in enumerate(self.rng.sample(self.partnership_ids, self.rng.choice((1, 1, 2))))
        ])

    def _scope(self) -> tuple[str, list[int], str]:
        """A police or PCC priority cell: listed numbers, Multiple, all or none."""
        rng = self.rng
        kind = rng.choices(("listed", "multiple", "all", "none"), (70, 15, 5, 10))[0]
        if kind == "listed":
            numbers = sorted(rng.sample(range(1, 8), rng.choice((1, 1, 2))))
            return kind, numbers, ", ".join(map(str, numbers))
        return kind, [], {"multiple": "Multiple", "all": "All", "none": ""}[kind]

    def objectives(self) -> None:
        """Open objectives spread over the key priorities, with leads, named contacts, end dates and funding.

        The first one has every part an objective's page shows, so the page benchmark and the query-count
        tests look at the same shape of objective whatever the scale.
        """
        leads, named, funding = [], [], []
        self.objective_ids = self._insert(Objective, self._objective_rows(leads, named, funding), with_ids=True)
        self.named = dict(zip(self.objective_ids, named, strict=True))
        self._insert(ObjectiveLead, (
            {"objective_id": oid, "agency_id": agency_id, "position": position}
            for oid, agency_ids in zip(self.objective_ids, leads, strict=True)
            for position, agency_id in enumerate(agency_ids)
        ))
        self._insert(ObjectiveContact, (
            {"objective_id": oid, "contact_id": cid}
            for oid, people in zip(self.objective_ids, named, strict=True) for cid in people
        ))
        self._insert(FundingLine, (
            {"objective_id": oid, "position": position, **line}
            for oid, lines in zip(self.objective_ids, funding, strict=True) for position, line in enumerate(lines)
        ))

    def _objective_rows(self, leads: list, named: list, funding: list) -> Iterator[dict]:
        """Each objective's row, one at a time; its leads, named people and funding lines appended to the lists."""
        rng = self.rng
        for i in range(self.scale.objectives):
            showcase = i == 0
            kp_index = i % len(self.key_priority_ids)
            district = rng.choice(DISTRICTS)[0]
            title = f"{rng.choice(VERBS)} {rng.choice(TOPICS)} in {district}"
            draw = 0.0 if showcase else rng.random()
            if draw < 0.90:
                end = _last_day_of_month(self.today + timedelta(days=rng.randint(-60, 300)))
                end_values = {"end_date": end, "end_date_status": "set", "end_date_text": end.strftime("%b %y")}
            elif draw < 0.96:
                end_values = {"end_date": None, "end_date_status": "tbc", "end_date_text": "TBC"}
            else:
                end_values = {"end_date": None, "end_date_status": "missing", "end_date_text": ""}
            draw = 0.0 if showcase else rng.random()
            agency_ids = []
            if draw < 0.96:
                agency_ids = rng.sample(self.agency_ids, 2 if showcase or rng.random() < 0.2 else 1)
                lead_status, lead_text = "set", " / ".join(self.agency_abbreviations[a] for a in agency_ids)
            elif draw < 0.99:
                lead_status, lead_text = "tbc", "TBC"
            else:
                lead_status, lead_text = "missing", ""
            leads.append(agency_ids)
            people = []
            if agency_ids and (showcase or rng.random() < 0.95):
                pool = self.receivers_by_agency.get(agency_ids[0]) or self.receivers
                people = [rng.choice(pool)]
            named.append(people)
            funding.append(self._funding_lines(2 if showcase or rng.random() < 0.2 else 1))
            police, pcc = self._scope(), self._scope()
            yield {
                "key_priority_id": self.key_priority_ids[kp_index], "position": i // len(self.key_priority_ids),
                "title": title, "text": f"{title}, with the partners of {district}.",
                "source_html": f"<b>{title}</b>, with the partners of {district}.", "status": "open", "rag": None,
                **end_values, "lead_status": lead_status, "lead_text": lead_text,
                "police_scope": police[0], "police_numbers": police[1], "police_text": police[2],
                "pcc_scope": pcc[0], "pcc_numbers": pcc[1], "pcc_text": pcc[2], "extra": {},
                "carried_from_id": None, "last_progress_at": None,
                "created_at": self.agreed_at, "updated_at": self.agreed_at,
            }

    def _funding_lines(self, count: int) -> list[dict]:
        """Funding as the plan writes it: an amount from a pot, TBC, N/A, nil cost or blank."""
        rng, lines = self.rng, []
        year = self.year[2:]  # "26-27"
        for _ in range(count):
            status = rng.choices(("confirmed", "tbc", "not_applicable", "nil_cost", "missing"), (80, 8, 7, 3, 2))[0]
            if status == "confirmed":
                pounds = rng.randrange(5, 200) * 100
                source = rng.choice(("SCP", "PCC", "Council"))
                pot = rng.choice((f"{year} allocation", f"{year} PCC funds", "C/F"))
                lines.append({"amount_pence": pounds * 100, "source": source, "pot": pot, "status": status,
                              "text": f"£{pounds:,} {source} ({pot})"})
            else:
                text = {"tbc": "TBC", "not_applicable": "N/A", "nil_cost": "Nil cost", "missing": ""}[status]
                lines.append({"amount_pence": None, "source": None, "pot": None, "status": status, "text": text})
        return lines

    def progress(self) -> None:
        """Progress updates spread unevenly (a tenth of objectives never updated), then each objective's latest."""
        rng = self.rng
        weights = [1.0 if i == 0 else (0.0 if rng.random() < 0.1 else rng.uniform(0.2, 2.0))
                   for i in range(len(self.objective_ids))]
        latest: dict[int, tuple[datetime, str | None]] = {}
        self._insert(ProgressUpdate, self._progress_rows(weights, latest))
        # Denormalised like the plans area does: the newest update's time and RAG on the objective.
        changes = sorted(latest.items())
        for start in range(0, len(changes), self.batch):
            db.session.execute(update(Objective), [
                {"id": oid, "last_progress_at": at, "rag": rag, "updated_at": at}
                for oid, (at, rag) in changes[start:start + self.batch]
            ])
        self._insert(ChangeRecord, self._history_rows(latest))

    def _progress_rows(self, weights: list[float], latest: dict) -> Iterator[dict]:
        """Each progress update's row, one at a time, each objective's newest kept in `latest`."""
        rng, cumulative = self.rng, list(accumulate(weights))
        for _ in range(self.scale.progress_updates):
            [index] = rng.choices(range(len(self.objective_ids)), cum_weights=cumulative)
            oid = self.objective_ids[index]
            # Updates come more often lately (a plan is chased as its end dates near): four months back on average.
            recorded_at = max(self.agreed_at, self.now - timedelta(seconds=int(rng.expovariate(1 / (120 * 86400)))))
            rag = rng.choices([r for r, _ in RAG_WEIGHTS], [w for _, w in RAG_WEIGHTS])[0]
            people = self.named[oid]
            author = people[0] if people and rng.random() < 0.8 else None
            yield {
                "objective_id": oid, "text": rng.choice(PROGRESS_TEXTS).format(n=rng.randint(5, 120)), "rag": rag,
                "recorded_at": recorded_at, "author_user_id": None, "author_contact_id": author,
                "author_name": self.contact_names[author] if author else "County coordinator",
                "source": rng.choices(("web", "email_link", "import"), (60, 35, 5))[0],
                "marked_complete": False, "requested_end_date": None, "end_date_request_status": None,
            }
            if oid not in latest or recorded_at > latest[oid][0]:
                latest[oid] = (recorded_at, rag)

    def _history_rows(self, latest: dict) -> Iterator[dict]:
        """Each objective's creation, and its RAG as its newest update set it."""
        for oid in self.objective_ids:
            yield {"changed_at": self.agreed_at, "actor_name": "County coordinator", "source": "import",
                   "entity": "objective", "entity_id": oid, "objective_id": oid, "field": "created",
                   "before": None, "after": "created"}
            if oid in latest and latest[oid][1]:
                yield {"changed_at": latest[oid][0], "actor_name": "County coordinator", "source": "web",
                       "entity": "objective", "entity_id": oid, "objective_id": oid, "field": "rag",
                       "before": None, "after": latest[oid][1]}

    def events(self) -> None:
        """Events over two years (most held, some planned or cancelled), with partners and the objectives they serve.

        The first is organised by the coordinators' agency, whose people receive reminders, so at every scale
        some event's outcome is asked for.
        """
        partners, served = [], []
        event_ids = self._insert(Event, self._event_rows(partners, served), with_ids=True)
        self._insert(event_partner, ({"event_id": eid, "agency_id": a}
                                     for eid, agencies in zip(event_ids, partners, strict=True) for a in agencies))
        self._insert(event_objective, ({"event_id": eid, "objective_id": o}
                                       for eid, objectives in zip(event_ids, served, strict=True) for o in objectives))
        # Bulk inserts pass by the flush hook that keeps the key priorities events serve: written here, at once.
        refresh_key_priorities(db.session.connection())

    def _event_rows(self, partners: list, served: list) -> Iterator[dict]:
        """Each event's row, one at a time; its partner agencies and the objectives it serves appended to the lists."""
        rng = self.rng
        for n in range(self.scale.events):
            kind = rng.choice(EVENT_KINDS)
            # A few planned events (the first always, so every scale has one) had their day in the last
            # fortnight and nobody has said how they went yet.
            status, when = ("planned", "lately") if n == 0 else rng.choices(
                (("held", "past"), ("planned", "ahead"), ("planned", "lately"), ("cancelled", "past")),
                (79.8, 12, 0.2, 8))[0]
            days = {"ahead": rng.randint(1, 90), "lately": -rng.randint(1, 14), "past": -rng.randint(1, 730)}[when]
            starts_on = self.today + timedelta(days=days)
            district = rng.choice(DISTRICTS)[0]
            organiser = self.agency_ids[0] if n == 0 else rng.choices(self.agency_ids, self.agency_weights)[0]
            yield {
                "title": f"{KIND_LABELS[kind]} in {district}", "kind": kind, "starts_on": starts_on,
                "ends_on": starts_on + timedelta(days=1) if rng.random() < 0.05 else None,
                "place": f"{district} community hall", "organising_agency_id": organiser,
                "audience": rng.choice(("Young people", "Residents", "Parents and carers", "Officers", "Licensees")),
                "attendance": rng.randint(5, 300) if status == "held" else None, "status": status,
                "outcome": "Went ahead as planned." if status == "held" else "",
                "evaluation": "Most who came said they learned something new." if status == "held" else "",
                "cost_pence": rng.choice((None, 0, 25000, 50000, 120000)), "recorded_by_user_id": None,
                "created_at": self.agreed_at, "updated_at": self.agreed_at,
            }
            partners.append(rng.sample([a for a in self.agency_ids if a != organiser], rng.choice((0, 1, 1, 2))))
            served.append(rng.sample(self.objective_ids, min(len(self.objective_ids),
                                                            rng.choices((0, 1, 2), (20, 70, 10))[0])))

    def reminders_sent(self) -> None:
        """Reminders of earlier runs: what the real rules find due yesterday, and the periods and stages before it.

        One run of the rules (find_reminders) for yesterday gives every reminder current then; each is recorded
        on the first day of its repeat period or due-soon stage, and so are the earlier periods and stages of
        the same condition, back to when it began. The newest are kept, so today's run finds what became due
        today, as a daily run does.
        """
        facts = load_facts()
        settings = facts.settings
        yesterday = self.today - timedelta(days=1)
        reminders = find_reminders(facts.objectives, list(facts.contacts.values()), facts.coordinator_ids,
                                   yesterday, settings)
        del facts
        # The newest kept: every record sent after a cut-off day, and on that day the greatest keys. Counting by
        # day first, then walking the records again, keeps a county's whole reminder history out of memory.
        per_day = Counter(sent_on for _, sent_on, _ in self._history(reminders, settings, yesterday))
        limit, newer, cut_off = self.scale.reminder_records, 0, date.min
        for day in sorted(per_day, reverse=True):
            if newer + per_day[day] > limit:
                cut_off = day
                break
            newer += per_day[day]
        on_cut_off = sorted((key for key, sent_on, _ in self._history(reminders, settings, yesterday)
                             if sent_on == cut_off), reverse=True)
        kept_on_cut_off = set(on_cut_off[: limit - newer]) if cut_off != date.min else set()
        del on_cut_off
        self._insert(ReminderRecord, ({
            "objective_id": objective_id, "kind": kind, "stage_or_period": stage_or_period,
            "contact_id": contact_id, "detail": detail, "sent_on": sent_on,
            "outbox_key": f"digest:{sent_on.isoformat()}:{contact_id}",
            "created_at": datetime.combine(sent_on, time(7, 0), LONDON).astimezone(UTC),
        } for key, sent_on, detail in self._history(reminders, settings, yesterday)
            if sent_on > cut_off or key in kept_on_cut_off
            for objective_id, kind, stage_or_period, contact_id in (key,)))

    @staticmethod
    def _history(reminders: list, settings: ReminderSettings, yesterday: date) -> Iterator[tuple[tuple, date, str]]:
        """Each record of a reminder's condition up to yesterday: (key, day sent, detail), each key once.

        Reminders of one objective, kind and contact are taken together, so a key two of them share is given
        once (the later reminder's), without holding every key of the county at a time.
        """
        def condition(reminder) -> tuple:
            return reminder.objective_id or 0, reminder.kind, reminder.contact_id or 0

        for _, group in groupby(sorted(reminders, key=condition), key=condition):
            sent: dict[tuple, tuple[date, str]] = {}
            for reminder in group:
                for stage_or_period, sent_on in _earlier_keys(reminder.kind, reminder.stage_or_period, settings):
                    if sent_on <= yesterday:
                        key = (reminder.objective_id, reminder.kind, stage_or_period, reminder.contact_id)
                        sent[key] = (sent_on, reminder.detail)
            for key, (sent_on, detail) in sent.items():
                yield key, sent_on, detail

    def showcase_objective(self) -> int:
        """The first objective: two lead agencies, a named lead, two funding lines, progress and history."""
        return self.objective_ids[0]


def generate(scale: Scale = FULL, *, seed: int = DEFAULT_SEED, today: date | None = None,
             real_plan: bool = True, batch: int = 20_000) -> Generated:
    """Fill the (empty, migrated) database of the current app context, commit, and say what was made.

    Rows are written `batch` at a time, which bounds the memory the generator needs whatever the scale.
    """
    started = timer.perf_counter()
    today = today or today_in_london()
    maker = _Generator(scale, seed, today, batch)
    timings = {}
    for step in (maker.agencies, maker.contacts, maker.users, maker.plan, maker.objectives, maker.progress,
                 maker.events, maker.reminders_sent, maker.advance_sequences):
        begun = timer.perf_counter()
        step()
        timings[step.__name__] = round(timer.perf_counter() - begun, 3)
    db.session.commit()
    _measure_a_call_day(maker.plan_id, today)

    real_plan_seconds = 0.0
    if real_plan:
        begun = timer.perf_counter()
        import_plan(REAL_PLAN, REAL_PLAN.name, actor=Actor(name=f"Import of {REAL_PLAN.name}", source="import"),
                    as_of=REAL_PLAN_AS_OF)
        db.session.commit()
        real_plan_seconds = timer.perf_counter() - begun
        timings["real_plan"] = round(real_plan_seconds, 3)
    return Generated(
        seed=seed, today=today, plan_id=maker.plan_id, plan_year=maker.year, counts=table_counts(),
        coordinator_emails=maker.coordinator_emails, showcase_objective_id=maker.showcase_objective(),
        real_plan_seconds=real_plan_seconds, seconds=timer.perf_counter() - started, timings=timings,
    )


def _measure_a_call_day(plan_id: int, today: date) -> None:
    """Make the day measured a round's call for updates, whatever the date the benchmark runs on: the run that
    sends the most (every lead with open objectives, everything else due merged), as it does four times a year.
    On other days the reminders are quiet (one email a week at most), which would measure little."""
    defaults = ReminderSettings()
    deadline = next(window.deadline for window in plan_windows(db.session.get_one(Plan, plan_id))
                    if (window.deadline - today).days > defaults.round_reminder_days)
    save_settings(replace(defaults, round_call_days=(deadline - today).days, weekly_day=today.weekday(),
                          skip_weekends=False, skip_bank_holidays=False), user_id=None, now=datetime.now(UTC))
    db.session.commit()


def table_counts() -> dict[str, int]:
    """Rows in every table (one query each)."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


# --- a spreadsheet plan --------------------------------------------------------------------------------

SPREADSHEET_HEADERS = ("Key priority", "Key priority title", "Key priority lead", "Objective", "Progress / output",
                       "Funding", "Project lead / agency", "End date", "Police priority", "PCC priority", "RAG")


def plan_workbook(rows: int, *, seed: int = DEFAULT_SEED, year: str = "2017-18") -> bytes:
    """An .xlsx plan as a coordinator might keep it: one objective per row, with the usual columns."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    start = int(year[:4])
    book = Workbook()
    sheet = book.active
    sheet.title = "Objectives"
    sheet.append(SPREADSHEET_HEADERS)
    leads = ("CBC", "Essex Police", "CBH", "CCG", "CRC / NPS", "CBC / Police", "TBC", "")
    for i in range(rows):
        kp = i % 6 + 1
        title = f"{rng.choice(VERBS)} {rng.choice(TOPICS)} ({i + 1})"
        funding = rng.choice(("£5,000 SCP (16-17 allocation)", "TBC", "N/A", "Nil cost",
                              "£2000 PCC (16-17 PCC funds)", ""))
        end = rng.choice((f"Apr {(start + 1) % 100:02d}", f"Sept {start % 100:02d}", f"March {start + 1}",
                          "TBC", ""))
        sheet.append((kp, KEY_PRIORITY_TITLES[kp - 1], "CBH" if kp % 2 else "Essex Police",
                      f"<b>{title}</b> with partners across the borough", rng.choice(PROGRESS_TEXTS).format(n=i),
                      funding, rng.choice(leads), end, rng.choice(("1", "3", "Multiple", "all", "")),
                      rng.choice(("2", "5", "")), rng.choice(("Red", "Amber", "Green", ""))))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- command line ------------------------------------------------------------------------------------

def upgrade_database(url: str) -> list[str]:
    """Create the schema the way a deployment does: `scp-tracker db upgrade` in a child process.

    While the migration lags behind the models (another area added a table and the migration is not yet
    regenerated), the missing tables are created from the models, here only, and named on stderr.
    """
    env = {**os.environ, "SCP_ENV": "testing", "SCP_SQLALCHEMY_DATABASE_URI": url}
    command = [str(Path(sys.executable).with_name("scp-tracker")), "db", "upgrade"]
    subprocess.run(command, env=env, check=True, cwd=PROJECT_ROOT, capture_output=True)
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        inspector = inspect(db.engine)
        present = set(inspector.get_table_names())
        missing = sorted(set(db.metadata.tables) - present)
        changed = sorted(name for name, table in db.metadata.tables.items() if name in present
                         and set(table.columns.keys()) - {c["name"] for c in inspector.get_columns(name)})
        if changed:
            # Columns cannot be added by create_all: build the whole schema from the models instead.
            db.drop_all()
            missing = sorted(db.metadata.tables)
        if missing:
            print(f"The migration is behind the models ({', '.join(changed or missing)}): the schema is completed "
                  f"from the models, for this benchmark only", file=sys.stderr)
            db.create_all()
        db.engine.dispose()
    return missing


def main(argv: list[str] | None = None) -> None:
    """Create a database file and fill it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, type=Path, help="SQLite file to create (must not exist)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the data")
    parser.add_argument("--objectives", type=int, help="this many objectives, the rest in proportion")
    parser.add_argument("--report", type=Path, help="also write what was made, with the peak RSS, as JSON here")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if args.database.exists():
        parser.error(f"{args.database} exists: give a new file")
    url = f"sqlite:///{args.database.resolve()}"
    upgrade_database(url)
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        made = generate(scaled(args.objectives) if args.objectives else QUICK if args.quick else FULL,
                        seed=args.seed)
    summary = asdict(made)
    print(f"Made {args.database} in {made.seconds:.1f} s: "
          + ", ".join(f"{count:,} {name}" for name, count in summary["counts"].items() if count))
    print("Seconds by step: " + ", ".join(f"{name} {seconds}" for name, seconds in made.timings.items()))
    if args.report:
        # The kernel's high-water mark of this process: what building the county cost in memory at most.
        summary.update(today=made.today.isoformat(), peak_rss_mb=round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
        args.report.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
