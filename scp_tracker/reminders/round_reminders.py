"""A round's reminders as the round page shows and sends them: who was reminded when, and "remind now".

The round page (rounds area, below this one) asks for a reminder by the blinker signal `remind-now-requested`;
this module listens and queues it, so rounds never imports reminders.
"""

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import or_, select, union

from scp_tracker.core.formatting import gov_date
from scp_tracker.extensions import db
from scp_tracker.reminders.digest_building import build_digests, write_digests
from scp_tracker.reminders.facts import load_facts
from scp_tracker.reminders.figure_chasing import (
    FigureReminder,
    figure_detail,
    load_late_figures,
    providers_of,
    record_figures,
)
from scp_tracker.reminders.models import FigureReminderRecord, ReminderRecord
from scp_tracker.reminders.round_steps import RoundFacts
from scp_tracker.reminders.rules import KIND_LABELS, People, Reminder
from scp_tracker.reminders.services import record
from scp_tracker.rounds.models import ReportingRound
from scp_tracker.rounds.signals import remind_now_requested
from scp_tracker.rounds.windows import updated_objective_ids, window_for


def remind_now(round_id: int, contact_ids: list[int], *, today: date, now: datetime) -> int:
    """Queue a round reminder today to these people about their objectives with no update in the round and the late
    figures they provide for its plan (one email each).

    Recorded under the day's key (round:<id>:now:<date>), so asking twice in a day sends one. Returns how many
    emails were queued. The caller commits.
    """
    round_ = db.session.get(ReportingRound, round_id)
    if round_ is None:
        return 0
    window = window_for(round_)
    facts = load_facts()
    facts_round = RoundFacts(round_.id, round_.plan_id, round_.name, round_.deadline,
                             frozenset(updated_objective_ids(window)))
    people = People(facts.contacts.values(), facts.coordinator_ids)
    wanted = set(contact_ids)
    period = f"{facts_round.key}:now:{today.isoformat()}"
    detail = f"No update yet for the {round_.name}. The deadline is {gov_date(round_.deadline)}. Please add one."
    due = [Reminder(objective.id, "round_reminder", period, contact_id, detail)
           for objective in facts.objectives
           if objective.is_remindable and objective.plan_id == round_.plan_id
           and objective.id not in facts_round.updated_objective_ids
           for contact_id in people.leads_of(objective) if contact_id in wanted]
    owned = record(sorted(set(due)), today, now)
    facts.late_figures = [figure for figure in load_late_figures(today) if figure.plan_id == round_.plan_id]
    due_figures = [FigureReminder(figure.indicator_id, figure.period, "round_reminder", period, contact_id,
                                  figure_detail(round_.name, round_.deadline, figure))
                   for figure in facts.late_figures for contact_id in providers_of(figure, people)
                   if contact_id in wanted]
    owned_figures = record_figures(sorted(set(due_figures), key=lambda reminder: reminder.key), today, now)
    digests = build_digests(owned, [], facts, [], {}, due_figures=owned_figures)
    write_digests(digests, today, now)
    return len(digests)


def _on_remind_now(round_id: int, *, contact_ids, today: date, now: datetime, **_) -> None:
    """Receiver of remind-now-requested: queue the reminders in the sender's transaction."""
    remind_now(round_id, list(contact_ids), today=today, now=now)


def reminders_for_round(round_id: int) -> dict[int, list[tuple[date, str]]]:
    """{contact id: [(sent on, what it was in words), ...]} of the round's reminders (about objectives or late
    figures), oldest first, for the round page's "Reminded" column (one query)."""
    key = f"round:{round_id}"
    found: dict[int, list[tuple[date, str]]] = defaultdict(list)
    steps = [select(record.contact_id, record.sent_on, record.kind)
             .where(or_(record.stage_or_period == key, record.stage_or_period.startswith(f"{key}:")))
             for record in (ReminderRecord, FigureReminderRecord)]
    for contact_id, sent_on, kind in db.session.execute(union(*steps).order_by("contact_id", "sent_on", "kind")):
        found[contact_id].append((sent_on, KIND_LABELS[kind]))
    return dict(found)


def connect() -> None:
    """Listen for the round page's "remind now"."""
    remind_now_requested.connect(_on_remind_now)
