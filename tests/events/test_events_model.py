"""The Event model and the services that record and change events, with their change history."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.events.calendars import events_for_calendar
from scp_tracker.events.history import event_history
from scp_tracker.events.models import Event
from scp_tracker.events.recording import EventError, EventValues, record_event, update_event

TODAY = date(2016, 5, 1)
NOW = datetime(2016, 5, 1, 9, 0, tzinfo=UTC)


def values(agency, **overrides) -> EventValues:
    """Valid values of a held event organised by `agency`."""
    fields = dict(title="Hidden Harms conference", kind="conference", status="held", starts_on=date(2016, 4, 14),
                  organising_agency_id=agency.id, place="Colchester Town Hall", attendance=150)
    fields.update(overrides)
    return EventValues(**fields)


@pytest.fixture
def actor(users_by_role):
    """The coordinator, as the history records them."""
    return Actor.for_user(users_by_role["coordinator"])


def test_event_keeps_its_agencies_and_objectives(db, make_event, make_agency, make_objective):
    organiser, partner = make_agency(abbreviation="EFRS"), make_agency(abbreviation="EP")
    objective = make_objective(title="Crucial Crew")
    event = make_event(organiser, title="Crucial Crew day", objectives=[objective], partners=[partner],
                       attendance=120, ends_on=date(2016, 4, 15), cost_pence=25000)
    db.session.expire_all()
    found = db.session.get(Event, event.id)
    assert found.organising_agency.abbreviation == "EFRS"
    assert [a.abbreviation for a in found.partner_agencies] == ["EP"]
    assert [o.title for o in found.objectives] == ["Crucial Crew"]
    assert found.kind_label == "Awareness session"
    assert found.status_label == "Held"
    assert found.last_day == date(2016, 4, 15)
    assert found.outcome == "" and found.place == ""


@pytest.mark.parametrize("column, value", [("attendance", -1), ("cost_pence", -5)])
def test_database_refuses_negative_numbers(db, make_agency, column, value):
    db.session.add(Event(title="x", kind="other", starts_on=date(2016, 4, 1), organising_agency=make_agency(),
                         **{column: value}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_end_before_start(db, make_agency):
    db.session.add(Event(title="x", kind="other", starts_on=date(2016, 4, 2), ends_on=date(2016, 4, 1),
                         organising_agency=make_agency()))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_record_event_records_who_and_files_history_under_first_objective(db, actor, make_agency, make_objective,
                                                                          make_key_priority, users_by_role):
    organiser, partner = make_agency(abbreviation="CVS"), make_agency(abbreviation="CCG")
    kp = make_key_priority()
    first, second = make_objective(kp, title="Hidden harms"), make_objective(kp, title="Awareness")
    event = record_event(
        actor, values(organiser, objective_ids=(first.id, second.id), partner_agency_ids=(partner.id, organiser.id),
                      title="  Hidden Harms conference  "),
        today=TODAY, now=NOW,
    )
    db.session.commit()
    assert event.title == "Hidden Harms conference"
    assert event.recorded_by_user_id == users_by_role["coordinator"].id
    assert [a.abbreviation for a in event.partner_agencies] == ["CCG"]  # the organiser is not its own partner
    assert {o.id for o in event.objectives} == {first.id, second.id}
    records = db.session.scalars(db.select(ChangeRecord).filter_by(entity="event", entity_id=event.id)).all()
    assert [(r.field, r.after, r.objective_id, r.actor_name) for r in records] == [
        ("recorded", "Hidden Harms conference", first.id, "Coordinator Person")]


def test_update_event_records_each_change_in_words(db, actor, known_agency, make_objective):
    organiser, other = known_agency("CBC"), known_agency("EP")
    objective = make_objective(title="Crucial Crew")
    event = record_event(actor, values(organiser, status="planned", attendance=None), today=TODAY, now=NOW)
    later = datetime(2016, 5, 2, tzinfo=UTC)

    changed = update_event(actor, event, values(
        other, status="held", attendance=150, cost_pence=125050, objective_ids=(objective.id,),
        partner_agency_ids=(organiser.id,)), today=TODAY, now=later)
    db.session.commit()

    assert set(changed) == {"status", "attendance", "cost_pence", "organising_agency", "partner_agencies",
                            "objectives"}
    assert event.updated_at == later
    history = {entry.field: entry.words for entry in event_history(event.id)}
    assert history["status"] == "Status changed from Planned to Held"
    assert history["attendance"] == "Number of people who attended set to 150"
    assert history["cost_pence"] == "Cost set to £1,250.50"
    assert history["organising_agency"] == "Organised by changed from CBC to EP"
    assert history["partner_agencies"] == "Other agencies involved added: CBC"
    assert history["objectives"] == "Objectives it delivers added: Crucial Crew"
    assert history["recorded"] == "Recorded the event “Hidden Harms conference”"
    assert all(r.objective_id == objective.id for r in db.session.scalars(
        db.select(ChangeRecord).filter_by(entity="event", entity_id=event.id).filter(ChangeRecord.field != "recorded")))


def test_update_without_changes_records_nothing(db, actor, make_agency):
    organiser = make_agency()
    event = record_event(actor, values(organiser), today=TODAY, now=NOW)
    assert update_event(actor, event, values(organiser), today=TODAY, now=NOW) == []
    assert len(event_history(event.id)) == 1


def test_history_writes_dates_the_gov_uk_way(db, actor, make_agency):
    organiser = make_agency()
    event = record_event(actor, values(organiser), today=TODAY, now=NOW)
    update_event(actor, event, values(organiser, starts_on=date(2016, 4, 30)), today=TODAY, now=NOW)
    entry = event_history(event.id)[0]
    assert entry.words == "Date moved from 14 April to 30 April 2016"


@pytest.mark.parametrize("overrides, field", [
    ({"starts_on": date(2016, 5, 2)}, "status"),  # held, but tomorrow
    ({"ends_on": date(2016, 4, 13)}, "ends_on"),
    ({"attendance": -1}, "attendance"),
    ({"kind": "party"}, "kind"),
    ({"status": "done"}, "status"),
    ({"title": "   "}, "title"),
    ({"cost_pence": -1}, "cost"),
])
def test_rules_refuse_bad_values(db, actor, make_agency, overrides, field):
    organiser = make_agency()
    with pytest.raises(EventError) as raised:
        record_event(actor, values(organiser, **overrides), today=TODAY, now=NOW)
    assert field in raised.value.errors
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_an_event_today_can_be_held_and_a_future_one_planned(db, actor, make_agency):
    organiser = make_agency()
    assert record_event(actor, values(organiser, starts_on=TODAY), today=TODAY, now=NOW).status == "held"
    planned = record_event(actor, values(organiser, starts_on=date(2017, 1, 1), status="planned"),
                           today=TODAY, now=NOW)
    assert planned.status == "planned"


def test_unknown_organiser_is_refused(db, actor):
    with pytest.raises(EventError) as raised:
        record_event(actor, EventValues(title="x", kind="other", status="held", starts_on=TODAY,
                                        organising_agency_id=999), today=TODAY, now=NOW)
    assert "organising_agency_id" in raised.value.errors


def test_events_for_calendar_lists_organised_and_joined_events(db, make_event, make_agency, make_contact):
    mine, other = make_agency(abbreviation="EFRS", name="Essex Fire"), make_agency(abbreviation="EP")
    contact = make_contact(agency=mine)
    organised = make_event(mine, title="Organised", starts_on=date(2016, 5, 1), status="planned")
    joined = make_event(other, title="Joined", starts_on=date(2016, 4, 1), partners=[mine])
    make_event(other, title="Not ours")
    calendar = events_for_calendar(contact)
    assert [(c.event_id, c.is_organiser) for c in calendar] == [(joined.id, False), (organised.id, True)]
    assert calendar[1].organising_agency_name == "Essex Fire"
    assert calendar[1].status == "planned"
