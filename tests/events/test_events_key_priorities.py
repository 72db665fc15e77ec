"""event_key_priority always says what the events' objectives say, whichever way events and objectives are written,
and the list filtered by key priority, read from it, finds what the objectives find."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from scp_tracker.core.history import Actor
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.plan_loader import load_plan
from scp_tracker.events.key_priorities import refresh_key_priorities
from scp_tracker.events.listing import EventFilters, filter_conditions, list_events
from scp_tracker.events.models import EVENT_KINDS, EVENT_STATUSES, Event, event_key_priority, event_objective
from scp_tracker.events.recording import EventValues, record_event, update_event
from scp_tracker.plans.models import Objective

TODAY, NOW = date(2016, 10, 1), datetime(2016, 10, 1, 9, tzinfo=UTC)


def stored(db) -> set[tuple]:
    """The table's rows."""
    return {tuple(row) for row in db.session.execute(select(
        event_key_priority.c.event_id, event_key_priority.c.key_priority_id, event_key_priority.c.kind,
        event_key_priority.c.status, event_key_priority.c.starts_on))}


def linked(db) -> set[tuple]:
    """What the events' objectives say the rows should be."""
    return {tuple(row) for row in db.session.execute(
        select(Event.id, Objective.key_priority_id, Event.kind, Event.status, Event.starts_on)
        .join(event_objective, event_objective.c.event_id == Event.id)
        .join(Objective, Objective.id == event_objective.c.objective_id))}


def in_step(db) -> set[tuple]:
    """The rows, once checked against the links (after a commit, as the next request would read them)."""
    db.session.commit()
    rows = stored(db)
    assert rows == linked(db)
    return rows


@pytest.fixture
def three_priorities(make_key_priority, make_objective):
    """Objectives a, b (key priority 1), c (key priority 2) and d (key priority 3) of one plan."""
    kp1 = make_key_priority()
    kp2, kp3 = make_key_priority(plan=kp1.plan), make_key_priority(plan=kp1.plan)
    return {"a": make_objective(kp1), "b": make_objective(kp1), "c": make_objective(kp2), "d": make_objective(kp3)}


def values(agency, objectives=(), **overrides) -> EventValues:
    """An event's form values, serving these objectives."""
    fields = dict(title="Crucial Crew", kind="training", status="held", starts_on=date(2016, 6, 1),
                  organising_agency_id=agency.id, objective_ids=tuple(o.id for o in objectives))
    return EventValues(**{**fields, **overrides})


def test_recording_and_editing_keep_the_rows_in_step(db, make_agency, users_by_role, three_priorities):
    a, b, c, d = (three_priorities[name] for name in "abcd")
    actor, fire = Actor.for_user(users_by_role["coordinator"]), make_agency()
    event = record_event(actor, values(fire, [a, b, c]), today=TODAY, now=NOW)
    untouched = record_event(actor, values(fire, [d], title="Walk and talk"), today=TODAY, now=NOW)
    assert in_step(db) == {(event.id, a.key_priority_id, "training", "held", date(2016, 6, 1)),
                           (event.id, c.key_priority_id, "training", "held", date(2016, 6, 1)),
                           (untouched.id, d.key_priority_id, "training", "held", date(2016, 6, 1))}

    edits = [dict(objectives=[c, d]), dict(objectives=[b, c, d], kind="meeting"), dict(objectives=[b, c, d],
             kind="meeting", status="planned", starts_on=date(2016, 12, 1)), dict(objectives=[b, c, d],
             kind="meeting", status="planned", starts_on=date(2016, 11, 30)), dict(objectives=[])]
    for edit in edits:
        update_event(actor, event, values(fire, **edit), today=TODAY, now=NOW)
        rows = in_step(db)
        assert {row for row in rows if row[0] == event.id} == {
            (event.id, o.key_priority_id, edit.get("kind", "training"), edit.get("status", "held"),
             edit.get("starts_on", date(2016, 6, 1))) for o in edit["objectives"]}, edit
    assert (untouched.id, d.key_priority_id, "training", "held", date(2016, 6, 1)) in rows


def test_events_written_through_the_orm_and_deleted_keep_the_rows_in_step(db, make_event, three_priorities):
    a, c = three_priorities["a"], three_priorities["c"]
    event = make_event(objectives=[a, c], kind="campaign")  # a fixture writes the models directly
    other = make_event(objectives=[c])
    assert len(in_step(db)) == 3
    event.objectives.remove(c)
    event.status = "cancelled"
    assert len(in_step(db)) == 2
    db.session.delete(event)
    assert in_step(db) == {(other.id, c.key_priority_id, "awareness_session", "held", other.starts_on)}


def test_an_objective_moved_to_another_key_priority_takes_its_events_along(db, make_event, three_priorities):
    a, c, d = three_priorities["a"], three_priorities["c"], three_priorities["d"]
    make_event(objectives=[a, c])
    a.key_priority_id = d.key_priority_id  # what a revised plan's import does to a matched objective
    assert {row[1] for row in in_step(db)} == {c.key_priority_id, d.key_priority_id}
    a.key_priority = c.key_priority
    assert {row[1] for row in in_step(db)} == {c.key_priority_id}
    assert list_events(EventFilters(key_priority_id=c.key_priority_id)).total == 1


def test_a_revised_plan_that_moves_an_objective_moves_its_events(db, real_plan_path, make_event):
    actor = Actor(name="Import", source="import")
    data = read_plan_file(real_plan_path)
    load_plan(data, actor=actor, as_of=TODAY)
    db.session.commit()
    moving = data.priorities[0].objectives[0]
    objective = db.session.scalar(select(Objective).where(Objective.title == moving.title))
    event = make_event(objectives=[objective])
    before = in_step(db)

    data.priorities[0].objectives.remove(moving)
    data.priorities[1].objectives.append(moving)
    load_plan(data, actor=actor, as_of=TODAY)
    assert in_step(db) != before
    assert {row[1] for row in stored(db) if row[0] == event.id} == {objective.key_priority_id}
    assert objective.key_priority.number == data.priorities[1].number


def test_a_full_refresh_writes_the_same_rows(db, make_event, three_priorities):
    make_event(objectives=list(three_priorities.values()))
    make_event(objectives=[three_priorities["b"]], status="planned")
    rows = in_step(db)
    db.session.execute(event_key_priority.delete())
    refresh_key_priorities(db.session.connection())
    assert in_step(db) == rows


def test_the_list_by_key_priority_finds_what_the_objectives_find(db, make_event, three_priorities, count_queries):
    a, b, c = three_priorities["a"], three_priorities["b"], three_priorities["c"]
    for n in range(40):
        make_event(objectives=list(dict.fromkeys([(a, b, c)[n % 3], b])) if n % 4 else [c], kind=EVENT_KINDS[n % 3],
                   status=EVENT_STATUSES[n % 2], starts_on=date(2016, 4 + n % 7, 1 + n % 5))
    for key_priority_id in (a.key_priority_id, c.key_priority_id):
        for kind in (None, *EVENT_KINDS[:3]):
            for status in (None, *EVENT_STATUSES[:2]):
                filters = EventFilters(key_priority_id=key_priority_id, kind=kind, status=status)
                expected = db.session.scalars(select(Event.id).where(*filter_conditions(filters))
                                              .order_by(Event.starts_on.desc(), Event.id.desc())).all()
                for page in (1, 2):
                    with count_queries() as statements:
                        found = list_events(filters, page=page, page_size=7)
                    assert len(statements) <= 4
                    assert found.total == len(expected)
                    assert [e.id for e in found.events] == expected[(found.page - 1) * 7:found.page * 7], filters
