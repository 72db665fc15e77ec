"""Fixtures for the events tests: make_event(…), a valid event form, each agency's event, a SQL statement counter."""

import itertools
from datetime import UTC, date, datetime

import pytest

from scp_tracker.events.models import Event

_counter = itertools.count(1)


@pytest.fixture
def make_event(db, make_agency):
    """make_event(organiser=agency, starts_on=…, status="held", objectives=[…], partners=[…], attendance=…)."""

    def _make(organiser=None, *, title=None, kind="awareness_session", starts_on=date(2016, 4, 14), status="held",
              objectives=(), partners=(), **kwargs):
        n = next(_counter)
        event = Event(
            title=title or f"Event {n}",
            kind=kind,
            starts_on=starts_on,
            status=status,
            organising_agency=organiser or make_agency(),
            created_at=kwargs.pop("created_at", datetime(2016, 4, 1, tzinfo=UTC)),
            **kwargs,
        )
        event.objectives = list(objectives)
        event.partner_agencies = list(partners)
        db.session.add(event)
        db.session.commit()
        return event

    return _make


@pytest.fixture
def event_form():
    """event_form(**overrides): a valid POST of the event form; an override of None leaves that field out."""

    def _data(**overrides) -> dict:
        data = {
            "title": "Crucial Crew",
            "kind": "training",
            "starts_on": ["14", "4", "2016"],
            "status": "held",
            "attendance": "150",
            "place": "Colchester Town Hall",
            "audience": "Year 6 pupils",
            "outcome": "Every pupil took part",
            "evaluation": "",
            "cost": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return _data


@pytest.fixture
def agency_events(users_by_role, known_agency, make_event):
    """One event organised by each role user's agency: {"CBC": Event, "EP": Event, "EFRS": Event}."""
    return {abbr: make_event(known_agency(abbr), title=f"{abbr} event") for abbr in ("CBC", "EP", "EFRS")}
