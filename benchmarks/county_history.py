"""What happened in the county over the years, as rows: progress updates and their history, events, and the
reminders already sent (the steps after benchmarks.county's people and plan)."""

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, groupby

from sqlalchemy import update

from benchmarks.county import CountyRows
from benchmarks.county_words import (
    DISTRICTS,
    PROGRESS_TEXTS,
    RAG_WEIGHTS,
)
from scp_tracker.core.clock import LONDON
from scp_tracker.core.models import ChangeRecord
from scp_tracker.events.key_priorities import refresh_key_priorities
from scp_tracker.events.models import EVENT_KINDS, KIND_LABELS, Event, event_objective, event_partner
from scp_tracker.extensions import db
from scp_tracker.plans.models import (
    Objective,
    ProgressUpdate,
)
from scp_tracker.reminders.facts import load_facts
from scp_tracker.reminders.models import ReminderRecord
from scp_tracker.reminders.rules import ReminderSettings, find_reminders, period_began


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


class County(CountyRows):
    """The whole county: its people and plan (CountyRows), then its progress, events and reminders sent."""

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
