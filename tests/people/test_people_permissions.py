"""Who may do what: the role checks every area relies on."""

import pytest
from flask import Flask
from flask_login import AnonymousUserMixin

from scp_tracker.people.permissions import (
    can_add_progress,
    can_edit_objective,
    can_manage,
    can_record_event_for,
    has_role,
    role_required,
)
from scp_tracker.plans.models import ObjectiveContact


@pytest.fixture
def key_priority(make_key_priority):
    """One key priority for the objectives of these tests."""
    return make_key_priority()


@pytest.fixture
def objective_led_by_ep(make_objective, known_agency, key_priority):
    """An objective led by Essex Police (the lead's agency) only."""
    return make_objective(key_priority=key_priority, leads=[known_agency("EP")])


@pytest.fixture
def objective_led_by_efrs(make_objective, known_agency, key_priority):
    """An objective led by the fire service (not the lead's agency)."""
    return make_objective(key_priority=key_priority, leads=[known_agency("EFRS")])


@pytest.mark.parametrize(("role", "expected"), [
    ("coordinator", True), ("lead", False), ("partner", False), ("viewer", False),
])
def test_only_the_coordinator_manages(users_by_role, role, expected):
    assert can_manage(users_by_role[role]) is expected


def test_nobody_anonymous_manages_or_edits(objective_led_by_ep):
    anonymous = AnonymousUserMixin()
    assert not can_manage(anonymous)
    assert not can_edit_objective(anonymous, objective_led_by_ep)
    assert not can_record_event_for(anonymous, objective_led_by_ep.lead_links[0].agency_id)
    assert not can_manage(None)


@pytest.mark.parametrize(("role", "own_agency_leads", "expected"), [
    ("coordinator", False, True),
    ("coordinator", True, True),
    ("lead", True, True),
    ("lead", False, False),
    ("partner", True, False),
    ("viewer", True, False),
])
def test_edit_and_progress_follow_the_lead_agency(users_by_role, objective_led_by_ep, objective_led_by_efrs,
                                                  role, own_agency_leads, expected):
    objective = objective_led_by_ep if own_agency_leads else objective_led_by_efrs
    user = users_by_role[role]
    assert can_edit_objective(user, objective) is expected
    assert can_add_progress(user, objective) is expected


def test_a_lead_named_on_an_objective_may_edit_it(db, users_by_role, objective_led_by_efrs):
    lead = users_by_role["lead"]
    objective_led_by_efrs.contact_links.append(ObjectiveContact(contact_id=lead.contact_id))
    db.session.commit()
    assert can_edit_objective(lead, objective_led_by_efrs)


def test_a_disabled_coordinator_may_do_nothing(db, users_by_role, objective_led_by_ep):
    coordinator = users_by_role["coordinator"]
    coordinator.is_enabled = False
    db.session.commit()
    assert not can_manage(coordinator)
    assert not can_edit_objective(coordinator, objective_led_by_ep)


@pytest.mark.parametrize(("role", "agency", "expected"), [
    ("coordinator", "EP", True),
    ("coordinator", "EFRS", True),
    ("lead", "EP", True),
    ("lead", "EFRS", False),
    ("partner", "EFRS", True),
    ("partner", "EP", False),
    ("viewer", "CBC", False),
])
def test_events_are_recorded_for_your_own_agency(users_by_role, known_agency, role, agency, expected):
    assert can_record_event_for(users_by_role[role], known_agency(agency).id) is expected


def test_no_agency_is_nobody_s_own(users_by_role):
    assert not can_record_event_for(users_by_role["partner"], None)
    assert can_record_event_for(users_by_role["coordinator"], None)


def test_has_role(users_by_role):
    assert has_role(users_by_role["lead"], "lead", "partner")
    assert not has_role(users_by_role["viewer"], "lead", "partner")


@pytest.fixture
def guarded_app(app):
    """Routes guarded by role_required, on the real app (so sign-in redirects work)."""

    @app.get("/test-only/coordinators")
    @role_required("coordinator")
    def coordinators_only():
        return "coordinators"

    @app.get("/test-only/anyone-signed-in")
    @role_required()
    def anyone_signed_in():
        return "signed in"

    return app


@pytest.mark.parametrize(("role", "path", "status"), [
    ("coordinator", "/test-only/coordinators", 200),
    ("lead", "/test-only/coordinators", 403),
    ("viewer", "/test-only/coordinators", 403),
    ("viewer", "/test-only/anyone-signed-in", 200),
    ("anonymous", "/test-only/anyone-signed-in", 302),
])
def test_role_required(guarded_app, client_as, role, path, status):
    response = client_as(role).get(path)
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"].startswith("/sign-in?next=")


def test_role_required_keeps_the_view_s_name():
    app = Flask(__name__)

    @role_required("lead")
    def my_view():
        """Docstring."""

    assert my_view.__name__ == "my_view"
    assert my_view.__doc__ == "Docstring."
    assert app  # the decorator needs no app until the view runs
