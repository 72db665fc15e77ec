"""A county's size, and its people and plan as rows: agencies, contacts, logins, the plan, its key priorities and
objectives with their leads and funding (benchmarks.generate puts it all together)."""

import random
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from sqlalchemy import func, insert, select, text

from benchmarks.county_words import (
    AGENCY_KINDS,
    DISTRICTS,
    FIRST_NAMES,
    JOB_TITLES,
    KEY_PRIORITY_TITLES,
    LAST_NAMES,
    PCC_PRIORITIES,
    POLICE_PRIORITIES,
    TOPICS,
    VERBS,
)
from scp_tracker.core.clock import LONDON
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
)
from scp_tracker.reminders.models import ContactPreference
from scp_tracker.reminders.rules import OPTIONAL_KINDS

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


def _last_day_of_month(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def financial_year(day: date) -> tuple[str, date, date]:
    """The plan year ("2026-27") a date falls in, with its first and last days (April to March)."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}", date(start, 4, 1), date(start + 1, 3, 31)


class CountyRows:
    """Builds the county's people and plan table by table, with ids given so it works on SQLite and PostgreSQL."""

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
