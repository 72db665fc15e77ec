"""The facts a reminder run looks at, loaded in a fixed number of queries whatever the size of the plan."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby
from operator import itemgetter

from sqlalchemy import case, literal, null, select, union, union_all

from scp_tracker.core.clock import today_in_london
from scp_tracker.extensions import db
from scp_tracker.people.models import KEY_PRIORITY_LEAD, Agency, Contact, User, UserRole
from scp_tracker.plans.lookup import in_use
from scp_tracker.plans.models import (
    FundingLine,
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    ProgressUpdate,
)
from scp_tracker.reminders.models import (
    ContactPreference,
    EventReminderRecord,
    FigureReminderRecord,
    ReminderRecord,
)
from scp_tracker.reminders.round_steps import ESCALATION_DAYS, QUIET_BEFORE_CALL_DAYS, RoundFacts, call_on
from scp_tracker.reminders.rules import ROUND_KINDS, ContactFacts, ObjectiveFacts, ReminderSettings
from scp_tracker.reminders.settings import load_settings
from scp_tracker.rounds.windows import RoundWindow, stored_windows_in_use, updated_in_windows, with_default_rounds

# A lead's request that waits on the coordinator, by the name the rules know it by.
PENDING_STATUS_COLUMNS = {"end_date": ProgressUpdate.end_date_request_status,
                          "lead": ProgressUpdate.lead_request_status,
                          "funding": ProgressUpdate.funding_request_status}


@dataclass
class Facts:
    """Everything one run looks at."""

    objectives: list[ObjectiveFacts]
    contacts: dict[int, ContactFacts]
    coordinator_ids: list[int]
    settings: ReminderSettings
    rounds: list[RoundFacts] = field(default_factory=list)
    late_figures: list = field(default_factory=list)  # reminders.figure_chasing.FigureFacts, on a figure step's day


def open_objectives(*columns):
    """A query of these columns of the open objectives of plans in use (with their key priority and plan)."""
    return (
        select(*columns)
        .join(KeyPriority, Objective.key_priority_id == KeyPriority.id)
        .join(Plan, KeyPriority.plan_id == Plan.id)
        .where(Objective.status == "open", in_use())
    )


def load_facts(today: date | None = None, *, dry_run: bool = False) -> Facts:
    """Load open objectives of the plans in use, their leads, contacts, latest progress and rounds (six queries)."""
    # Plain column queries on the session's connection: the ORM's row loading cost more than the SQL. Rows are read
    # as they come (not .all()), so few live at once and the garbage collector has less to do.
    # Flushing first keeps what the session's autoflush gave: unsaved changes are seen.
    db.session.flush()
    connection = db.session.connection()
    # Related rows are loaded for all of them at once by this subquery.
    open_ids = open_objectives(Objective.id)
    lead_agencies, named, kp_leads = _related_rows(connection, open_ids)

    # The latest progress and TBC funding come as columns of the objective's row, each found on its index.
    has_tbc_funding = (select(FundingLine.id)
                       .where(FundingLine.objective_id == Objective.id, FundingLine.status == "tbc").exists())
    pending = [select(ProgressUpdate.id).where(ProgressUpdate.objective_id == Objective.id, status == "pending")
               .exists() for status in PENDING_STATUS_COLUMNS.values()]
    objectives = []
    # Unpacked as plain tuples: reading ten thousand rows by attribute name took longer than the query.
    for (objective_id, title, status, end_date, end_date_status, lead_status, last_progress_at, created_at,
         key_priority_id, kp_number, kp_title, plan_id, plan_status, progress_text, tbc_funding,
         *pending_flags) in connection.execute(
        open_objectives(
            Objective.id, Objective.title, Objective.status, Objective.end_date, Objective.end_date_status,
            Objective.lead_status, Objective.last_progress_at, Objective.created_at, Objective.key_priority_id,
            KeyPriority.number, KeyPriority.title, Plan.id, Plan.status, _latest_progress_text(), has_tbc_funding,
            *pending)
        .order_by(KeyPriority.number, Objective.position, Objective.id)
    ):
        lead_agency_ids, lead_agency_names = lead_agencies.get(objective_id, ((), ()))
        objectives.append(ObjectiveFacts(
            id=objective_id, title=title, key_priority_number=kp_number, key_priority_title=kp_title,
            status=status, plan_status=plan_status, plan_id=plan_id, end_date=end_date, end_date_status=end_date_status,
            lead_status=lead_status, last_progress_at=last_progress_at, latest_progress_text=progress_text or "",
            has_tbc_funding=tbc_funding, lead_agency_ids=lead_agency_ids, lead_agency_names=lead_agency_names,
            named_contact_ids=named.get(objective_id, ()),
            key_priority_lead_agency_ids=kp_leads.get(key_priority_id, ()), key_priority_id=key_priority_id,
            created_on=today_in_london(created_at),
            pending_requests=frozenset(name for name, flag in zip(PENDING_STATUS_COLUMNS, pending_flags, strict=True)
                                       if flag),
        ))

    contacts, coordinator_users = {}, []
    # One row per role of each contact's enabled login (one row for a contact with none), in contact order.
    for contact_id, group in groupby(connection.execute(
        select(Contact.id, Contact.email, Contact.name, Contact.agency_id, Contact.receives_reminders,
               Contact.reminders_paused_until, ContactPreference.opted_out_kinds, User.id, UserRole.role,
               UserRole.key_priority_id)
        .outerjoin(ContactPreference, ContactPreference.contact_id == Contact.id)
        # Logins come with their contact, in the same query: a coordinator with no email is told nothing.
        .outerjoin(User, (User.contact_id == Contact.id) & User.is_enabled.is_(True))
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .where(Contact.is_active.is_(True), Contact.email.is_not(None), Contact.email != "")
        .order_by(Contact.id)
    ), key=itemgetter(0)):
        rows = list(group)
        _, email, name, agency_id, receives_reminders, paused_until, opted_out_kinds, user_id, _, _ = rows[0]
        roles = frozenset(row[8] for row in rows if row[8] is not None)
        contacts[contact_id] = ContactFacts(
            id=contact_id, email=email, name=name, agency_id=agency_id, receives_reminders=receives_reminders,
            paused_until=paused_until, opted_out_kinds=frozenset(opted_out_kinds or ()), login_roles=roles,
            led_key_priority_ids=frozenset(row[9] for row in rows if row[8] == KEY_PRIORITY_LEAD and row[9]),
        )
        if "coordinator" in roles:
            coordinator_users.append((user_id, contact_id))
    coordinator_ids = [contact_id for _, contact_id in sorted(coordinator_users)]
    settings = load_settings()
    rounds, answered = load_rounds(today, settings, dry_run=dry_run) if today is not None else ([], frozenset())
    for objective in objectives:
        objective.answered_last_round = objective.id in answered
    return Facts(objectives, contacts, coordinator_ids, settings, rounds)


def load_rounds(today: date, settings: ReminderSettings, *,
                dry_run: bool = False) -> tuple[list[RoundFacts], frozenset[int]]:
    """The rounds of plans in use whose timeline (call to escalation) includes this date, with their updates; and
    the objectives updated for each plan's latest round whose deadline has passed (two queries).

    A plan's first read of its rounds makes its quarterly defaults (rounds.windows.plan_windows, safe against a second
    process doing the same): a dry run (the preview, a GET) undoes that.
    """
    windows, without_rounds = stored_windows_in_use()
    savepoint = db.session.begin_nested() if without_rounds else None
    windows = with_default_rounds(windows, without_rounds)
    on_timeline = [window for window in windows if _on_timeline(window, today, settings)]
    latest_passed = {window.round.plan_id: window for window in windows if window.deadline < today}
    updated = updated_in_windows([*on_timeline, *latest_passed.values()])
    found = [RoundFacts(window.round.id, window.round.plan_id, window.round.name, window.deadline,
                        updated[window.round.id]) for window in on_timeline]
    answered = frozenset(objective_id for window in latest_passed.values() for objective_id in updated[window.round.id])
    if savepoint is not None:
        if dry_run:
            savepoint.rollback()
        else:
            savepoint.commit()
    return found, answered


def _on_timeline(window: RoundWindow, today: date, settings: ReminderSettings) -> bool:
    """Whether today falls between the quiet days before the round's call and the end of its escalation."""
    round_ = RoundFacts(window.round.id, window.round.plan_id, window.round.name, window.deadline)
    return (call_on(round_, settings) - timedelta(days=QUIET_BEFORE_CALL_DAYS) <= today
            <= window.deadline + timedelta(days=ESCALATION_DAYS))


def recently_emailed(today: date) -> set[int]:
    """The people sent a reminder email in the seven days up to today: their weekly email waits (one query)."""
    since = today - timedelta(days=6)
    return set(db.session.scalars(union(
        select(ReminderRecord.contact_id).where(ReminderRecord.sent_on >= since, ReminderRecord.sent_on <= today),
        select(EventReminderRecord.contact_id)
        .where(EventReminderRecord.sent_on >= since, EventReminderRecord.sent_on <= today),
        select(FigureReminderRecord.contact_id)
        .where(FigureReminderRecord.sent_on >= since, FigureReminderRecord.sent_on <= today))))


def _related_rows(connection, open_ids) -> tuple[dict[int, tuple], dict[int, tuple], dict[int, tuple]]:
    """The open objectives' lead agencies ({objective id: (agency ids, names)}) and named contacts ({objective id:
    contact ids}), and the plans in use's key priority lead agencies ({key priority id: agency ids}).

    One query: the three lists are read as one, each row labelled with the list it belongs to, in owner order.
    """
    rows = connection.execute(union_all(
        select(literal("lead").label("kind"), ObjectiveLead.objective_id.label("owner_id"),
               ObjectiveLead.position.label("position"), ObjectiveLead.agency_id, Agency.name)
        .join(Agency, ObjectiveLead.agency_id == Agency.id)
        .where(ObjectiveLead.objective_id.in_(open_ids)),
        select(literal("named"), ObjectiveContact.objective_id, ObjectiveContact.contact_id,
               ObjectiveContact.contact_id, null())
        .where(ObjectiveContact.objective_id.in_(open_ids)),
        select(literal("kp"), KeyPriorityLead.key_priority_id, KeyPriorityLead.position, KeyPriorityLead.agency_id,
               null())
        .join(KeyPriority, KeyPriorityLead.key_priority_id == KeyPriority.id)
        .join(Plan, KeyPriority.plan_id == Plan.id)
        .where(in_use()),
    ).order_by("kind", "owner_id", "position"))
    # Each objective's related ids are grouped straight into tuples: lists kept until every row was read made the
    # garbage collector sweep the whole heap once more each run.
    lists: dict[str, dict[int, tuple]] = {"lead": {}, "named": {}, "kp": {}}
    for kind, group in groupby(rows, key=itemgetter(0)):
        if kind == "lead":
            lists[kind] = {owner_id: tuple(zip(*leads, strict=True)) for owner_id, leads in _grouped_by_owner(
                (owner_id, (agency_id, name)) for _, owner_id, _, agency_id, name in group).items()}
        else:
            lists[kind] = _grouped_by_owner((owner_id, value) for _, owner_id, _, value, _ in group)
    return lists["lead"], lists["named"], lists["kp"]


def _grouped_by_owner(rows) -> dict[int, tuple]:
    """Rows of (owner id, value) in owner order as {owner id: (value, ...)}."""
    return {owner_id: tuple(value for _, value in group) for owner_id, group in groupby(rows, key=itemgetter(0))}


def _latest_progress_text():
    """The newest progress text of the row's objective, as a column (None before its first update)."""
    return (
        select(ProgressUpdate.text)
        .where(ProgressUpdate.objective_id == Objective.id)
        .order_by(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
        .correlate(Objective)
        .scalar_subquery()
    )


def recorded_keys(today: date, settings: ReminderSettings) -> tuple[set[tuple[int, str, str, int]],
                                                                 set[tuple[int, str, str, str, int]]]:
    """The unique keys of reminders sent about open objectives recently enough to match one due today, and of late
    figures asked for in a round recently enough (one query: the two read as one, each row labelled).

    A key names a due-soon stage or a repeat period: a stage lasts at most the longest stage, a period its kind's
    repeat, so an older record of that kind can never match today's. Leaving them out keeps years of history out
    of memory, and weeks of weekly overdue reminders out of each run.
    """
    # The day since which a record of each kind can still match; the other kinds repeat with tbc_funding.
    round_days = settings.round_call_days + ESCALATION_DAYS
    since = {kind: today - timedelta(days=days + 1) for kind, days in (
        ("due_soon", max(settings.due_soon_stages, default=0)), ("overdue", settings.overdue_repeat_days),
        ("stale", settings.stale_repeat_days), *((kind, round_days) for kind in ROUND_KINDS))}
    others_since = today - timedelta(days=settings.tbc_repeat_days + 1)
    objective_keys: set[tuple[int, str, str, int]] = set()
    figure_keys: set[tuple[int, str, str, str, int]] = set()
    for what, owner_id, period, kind, stage, contact_id in db.session.connection().execute(union_all(
        select(literal("objective"), ReminderRecord.objective_id, literal(""), ReminderRecord.kind,
               ReminderRecord.stage_or_period, ReminderRecord.contact_id)
        .where(ReminderRecord.objective_id.in_(open_objectives(Objective.id)),
               # The earliest day on its own too, so the index on (objective, sent_on) bounds the search.
               ReminderRecord.sent_on >= min(others_since, *since.values()),
               ReminderRecord.sent_on >= case(since, value=ReminderRecord.kind, else_=others_since)),
        select(literal("figure"), FigureReminderRecord.indicator_id, FigureReminderRecord.period,
               FigureReminderRecord.kind, FigureReminderRecord.stage_or_period, FigureReminderRecord.contact_id)
        .where(FigureReminderRecord.sent_on >= today - timedelta(days=round_days + 1)),
    )):
        if what == "figure":
            figure_keys.add((owner_id, period, kind, stage, contact_id))
        else:
            objective_keys.add((owner_id, kind, stage, contact_id))
    return objective_keys, figure_keys
