"""Loading parsed plan data into the database: plan, agencies, key priorities and objectives, every change recorded."""

import re
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scp_tracker.core.clock import LONDON, today_in_london
from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.documents.import_report import ImportReport
from scp_tracker.documents.lead_contacts import ContactBook, set_lead_contacts
from scp_tracker.documents.plan_data import FundingData, KeyPriorityData, ObjectiveData, PlanData
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import (
    FundingLine,
    GlossaryTerm,
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    PriorityListItem,
    ProgressUpdate,
)
from scp_tracker.plans.services import announce_changes, snapshot
from scp_tracker.plans.signals import ObjectiveSnapshot


def load_plan(data: PlanData, *, actor: Actor, as_of: date | None) -> ImportReport:
    """Write parsed plan data: matching objectives are updated (and the changes recorded), none is deleted.

    Progress notes are dated as the file dates them (an export's progress dates), else by `as_of`, the day the
    person importing says they were written, else by the plan's own date, the first day of its year: never by
    the day of the import, which would make a years-old document look freshly updated.
    """
    report = ImportReport(filename=data.filename or "plan", warnings=[str(w) for w in data.warnings])
    agencies = _upsert_agencies(data, actor, report)
    contacts = ContactBook(data, agencies)
    _upsert_glossary(data)
    plan = _upsert_plan(data, actor, as_of, report)
    report.plan_year = plan.year
    _upsert_priority_lists(plan, data, actor)
    progress_on = as_of or plan.starts_on
    assert progress_on is not None  # _upsert_plan always gives the plan its year's dates
    if any(o.progress and o.progress_at is None for o in data.objectives()):  # notes the file leaves undated
        report.progress_on, report.progress_on_given = progress_on, as_of is not None
    progress_at = datetime.combine(progress_on, time(12), LONDON)

    existing = _existing_objectives(plan)
    matcher = _ObjectiveMatcher(existing)
    created, announcements = [], []
    for kp_data in data.priorities:
        key_priority = _upsert_key_priority(plan, kp_data, agencies, actor)
        for position, obj_data in enumerate(kp_data.objectives, start=1):
            objective = matcher.take(obj_data)
            label = f"KP{kp_data.number} “{obj_data.title}”"
            officers = [(contact.name, contact.agency) for contact in obj_data.lead_contacts]
            if objective is None:
                objective = _create_objective(key_priority, position, obj_data, agencies, actor, progress_at)
                set_lead_contacts(objective, officers, contacts, actor, is_new=True)
                created.append(objective)
                # An import is a change by someone else: the new objective's leads are told they lead it.
                announcements.append((objective, ObjectiveSnapshot()))
                report.created.append(label)
                if key_priority.retired_on is not None:
                    report.warnings.append(f"{label} is new under key priority {kp_data.number}, which was retired: "
                                           f"it was added open")
                continue
            announcements.append((objective, snapshot(objective)))
            changes = _update_objective(objective, key_priority, position, obj_data, agencies, actor, progress_at)
            if change := set_lead_contacts(objective, officers, contacts, actor, is_new=False):
                changes.append(change)
            if changes:
                report.updated.append(label)
                report.changes.extend(f"{label}: {change}" for change in changes)
            else:
                report.unchanged.append(label)
    report.priorities = len(data.priorities)
    report.not_in_file = [f"“{o.title}”" for o in matcher.left_over()]
    # New objectives are written together (a flush each made a big plan take many times longer), then their
    # history is recorded, now that they have ids, and everyone concerned is told at once.
    db.session.flush()
    report.contacts_created = contacts.record_created(actor)
    for objective in created:
        record_change(actor, entity="objective", entity_id=objective.id, objective_id=objective.id,
                      field="created", before=None, after=objective.title)
    announce_changes(announcements, actor)
    db.session.flush()
    return report


def _key(text: str) -> str:
    """A comparison key that ignores case, spacing and punctuation."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _upsert_agencies(data: PlanData, actor: Actor, report: ImportReport) -> dict[str, Agency]:
    """Find each agency the plan names by abbreviation or name, adding those the partnership has not got yet.

    Each one added is recorded, like every other addition: the history is what tells kept pages to draw again.
    """
    known = db.session.scalars(select(Agency)).all()
    by_key = {_key(a.abbreviation): a for a in known} | {_key(a.name): a for a in known}
    found: dict[str, Agency] = {}
    for item in data.agencies:
        agency = by_key.get(_key(item.abbreviation)) or by_key.get(_key(item.name))
        if agency is None:
            agency = Agency(abbreviation=item.abbreviation, name=item.name)
            db.session.add(agency)
            db.session.flush()
            record_change(actor, entity="agency", entity_id=agency.id, field="created", before=None, after=item.name)
            by_key[_key(item.abbreviation)] = by_key[_key(item.name)] = agency
            report.agencies_created.append(item.abbreviation if item.abbreviation == item.name
                                           else f"{item.abbreviation} ({item.name})")
        found[item.abbreviation] = agency
    return found


def _upsert_glossary(data: PlanData) -> None:
    """Add glossary terms the partnership has not defined yet; keep the coordinator's wording of known ones."""
    known = {_key(t.abbreviation) for t in db.session.scalars(select(GlossaryTerm))}
    for term in data.glossary:
        if _key(term.abbreviation) not in known:
            db.session.add(GlossaryTerm(abbreviation=term.abbreviation, description=term.description))
            known.add(_key(term.abbreviation))


def _plan_year(data: PlanData, as_of: date | None, report: ImportReport) -> tuple[str, date, date]:
    """The plan's financial year, from the document or, failing that, from `as_of` or the import's date (said)."""
    if data.year and data.starts_on and data.ends_on:
        return data.year, data.starts_on, data.ends_on
    on = as_of or today_in_london()
    start = on.year if on.month >= 4 else on.year - 1
    year = f"{start}-{(start + 1) % 100:02d}"
    report.warnings.append(f"The file does not say which year the plan is for; imported as {year}")
    return year, date(start, 4, 1), date(start + 1, 3, 31)


def _upsert_plan(data: PlanData, actor: Actor, as_of: date | None, report: ImportReport) -> Plan:
    """The plan for the document's year: created, or updated field by field."""
    year, starts_on, ends_on = _plan_year(data, as_of, report)
    plan = db.session.scalar(select(Plan).where(Plan.year == year))
    values = dict(title=data.title or f"Annual partnership plan {year}", status=data.status, starts_on=starts_on,
                  ends_on=ends_on, description=data.description, prepared_by=data.prepared_by, notes=list(data.notes))
    if plan is None:
        plan = Plan(year=year, source_filename=data.filename, **values)
        db.session.add(plan)
        db.session.flush()
        record_change(actor, entity="plan", entity_id=plan.id, field="created", before=None, after=plan.title)
        return plan
    if plan.status != "draft" and values["status"] != plan.status:
        # Agreeing and archiving are done on the plan's pages, with a date: a file's "Draft" mark (or its absence)
        # must not move an agreed plan back to draft, nor bring an archived one back into use.
        report.warnings.append(f"The {year} plan is {plan.status}: the file's status ({values['status']}) was not "
                               f"applied")
        values["status"] = plan.status
    changed = set_fields(actor, plan, values, entity="plan")
    report.changes.extend(f"plan {year}: {name.replace('_', ' ')} changed" for name in changed)
    plan.source_filename = data.filename
    return plan


def _upsert_priority_lists(plan: Plan, data: PlanData, actor: Actor) -> None:
    """The police and PCC numbered priorities; titles updated, none removed, those added recorded."""
    items = {(i.list_name, i.number): i for i in plan.priority_items}
    added = []
    for list_name, entries in (("police", data.police_priorities), ("pcc", data.pcc_priorities)):
        for entry in entries:
            item = items.get((list_name, entry.number))
            if item is None:
                added.append(PriorityListItem(list_name=list_name, number=entry.number, title=entry.title))
                plan.priority_items.append(added[-1])
            else:
                set_fields(actor, item, {"title": entry.title}, entity=f"{list_name}_priority")
    if added:
        db.session.flush()
    for item in added:
        record_change(actor, entity=f"{item.list_name}_priority", entity_id=item.id, field="created",
                      before=None, after=f"{item.number}. {item.title}")


def _upsert_key_priority(plan: Plan, data: KeyPriorityData, agencies: dict[str, Agency], actor: Actor) -> KeyPriority:
    """A key priority matched by its number."""
    kp = next((k for k in plan.key_priorities if k.number == data.number), None)
    values = dict(title=data.title, heading=data.heading, description=data.description, lead_text=data.lead_text)
    if kp is None:
        kp = KeyPriority(number=data.number, **values)
        plan.key_priorities.append(kp)
        db.session.flush()
        record_change(actor, entity="key_priority", entity_id=kp.id, field="created", before=None, after=kp.title)
    else:
        set_fields(actor, kp, values, entity="key_priority")
    leads = [agencies[a] for a in data.lead_agencies]
    if [link.agency_id for link in kp.lead_links] != [a.id for a in leads]:
        record_change(actor, entity="key_priority", entity_id=kp.id, field="lead_agencies",
                      before=[link.agency.abbreviation for link in kp.lead_links],
                      after=[a.abbreviation for a in leads])
        kp.lead_links = [KeyPriorityLead(agency=a, position=i) for i, a in enumerate(leads)]
    return kp


def _existing_objectives(plan: Plan) -> list[Objective]:
    """Every objective of the plan with what comparison needs, in a fixed number of queries."""
    return list(db.session.scalars(
        select(Objective)
        .join(KeyPriority)
        .where(KeyPriority.plan_id == plan.id)
        .options(selectinload(Objective.lead_links).selectinload(ObjectiveLead.agency),
                 selectinload(Objective.funding_lines), selectinload(Objective.progress_updates),
                 selectinload(Objective.contact_links).selectinload(ObjectiveContact.contact))
        .order_by(KeyPriority.number, Objective.position)
    ))


class _ObjectiveMatcher:
    """Pairs rows of a revised plan with the objectives already stored: by title, else by the full text."""

    def __init__(self, objectives: list[Objective]):
        self._unmatched = list(objectives)

    def take(self, data: ObjectiveData) -> Objective | None:
        """The stored objective this row revises, if any (each is matched at most once)."""
        for wanted, attr in ((_key(data.title), "title"), (_key(data.text), "text")):
            for objective in self._unmatched:
                if wanted and _key(getattr(objective, attr)) == wanted:
                    self._unmatched.remove(objective)
                    return objective
        return None

    def left_over(self) -> list[Objective]:
        """Stored objectives the file no longer mentions (kept, and reported)."""
        return self._unmatched


def _objective_values(data: ObjectiveData) -> dict:
    """The objective's own columns as the file states them."""
    values = dict(
        title=data.title, text=data.text, source_html=data.source_html,
        end_date=data.end_date, end_date_text=data.end_date_text, end_date_status=data.end_date_status,
        lead_status=data.lead_status, lead_text=data.lead_text,
        police_scope=data.police.scope, police_numbers=list(data.police.numbers), police_text=data.police.text,
        pcc_scope=data.pcc.scope, pcc_numbers=list(data.pcc.numbers), pcc_text=data.pcc.text,
        extra=dict(data.extra),
    )
    # A document without RAG or status columns must not wipe what leads have set in the app.
    if data.rag is not None:
        values["rag"] = data.rag
    if data.status != "open":
        values["status"] = data.status
    return values


def _funding_lines(data: list[FundingData]) -> list[FundingLine]:
    """Funding lines in the order written."""
    return [FundingLine(position=i, amount_pence=f.amount_pence, source=f.source, pot=f.pot, status=f.status,
                        text=f.text) for i, f in enumerate(data)]


def _funding_signature(lines) -> list[tuple]:
    """What makes two sets of funding lines the same."""
    return [(f.amount_pence, f.source, f.pot, f.status, f.text) for f in lines]


def _create_objective(kp: KeyPriority, position: int, data: ObjectiveData, agencies: dict[str, Agency],
                      actor: Actor, progress_at: datetime) -> Objective:
    """A new objective with its leads, funding and the progress the document states (written with the others)."""
    objective = Objective(key_priority=kp, position=position, progress_updates=[], contact_links=[],
                          **_objective_values(data))
    objective.lead_links = [ObjectiveLead(agency=agencies[a], position=i) for i, a in enumerate(data.lead_agencies)]
    objective.funding_lines = _funding_lines(data.funding)
    db.session.add(objective)
    _add_progress(objective, data, actor, progress_at)
    return objective


def _update_objective(objective: Objective, kp: KeyPriority, position: int, data: ObjectiveData,
                      agencies: dict[str, Agency], actor: Actor, progress_at: datetime) -> list[str]:
    """Bring a stored objective in line with a revised document; returns each change in words."""
    changes = []
    values = _objective_values(data) | {"key_priority_id": kp.id}
    befores = {name: getattr(objective, name) for name in values}
    for name in set_fields(actor, objective, values, entity="objective", objective_id=objective.id):
        changes.append(f"{name.replace('_', ' ')} “{_words(befores[name])}” → “{_words(values[name])}”")
    objective.position = position

    leads = [agencies[a] for a in data.lead_agencies]
    if [link.agency_id for link in objective.lead_links] != [a.id for a in leads]:
        before = [link.agency.abbreviation for link in objective.lead_links]
        after = [a.abbreviation for a in leads]
        record_change(actor, entity="lead", entity_id=objective.id, objective_id=objective.id,
                      field="lead_agencies", before=before, after=after)
        objective.lead_links = [ObjectiveLead(agency=a, position=i) for i, a in enumerate(leads)]
        changes.append(f"lead agencies “{' / '.join(before)}” → “{' / '.join(after)}”")

    new_lines = _funding_lines(data.funding)
    if _funding_signature(objective.funding_lines) != _funding_signature(new_lines):
        before_text = " + ".join(f.text for f in objective.funding_lines)
        after_text = " + ".join(f.text for f in new_lines)
        record_change(actor, entity="funding", entity_id=objective.id, objective_id=objective.id,
                      field="funding", before=before_text, after=after_text)
        objective.funding_lines = new_lines
        changes.append(f"funding “{before_text}” → “{after_text}”")

    if _add_progress(objective, data, actor, progress_at):
        changes.append(f"new progress “{data.progress}”")
    return changes


def _add_progress(objective: Objective, data: ObjectiveData, actor: Actor, progress_at: datetime) -> bool:
    """Record the document's progress note when it differs from the latest one stored."""
    if not data.progress:
        return False
    latest = objective.progress_updates[0] if objective.progress_updates else None
    if latest is not None and _key(latest.text) == _key(data.progress):
        return False
    recorded_at = data.progress_at or progress_at
    update = ProgressUpdate(objective=objective, text=data.progress, rag=data.rag, recorded_at=recorded_at,
                            author_name=actor.name, author_user_id=actor.user_id, source="import")
    db.session.add(update)
    if objective.last_progress_at is None or recorded_at > objective.last_progress_at:
        objective.last_progress_at = recorded_at
    return True


def _words(value) -> str:
    """A value as a coordinator reads it in a change list."""
    if value is None or value == "" or value == [] or value == {}:
        return "blank"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.strftime("%-d %B %Y")
    return str(value)
