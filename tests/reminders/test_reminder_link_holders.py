"""Emailed links die with their holder's standing: a new address, a disabled login, a departure, or (for an update
link) the objective moving away from them. Opening such a link says so and changes nothing; submitting is refused."""

import re

import pytest
from sqlalchemy import func, select

from scp_tracker.core.clock import utcnow
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.preference_links import preferences_token
from scp_tracker.plans.models import ObjectiveLead, ProgressUpdate, UpdateToken
from scp_tracker.plans.update_links import issue_update_tokens
from scp_tracker.reminders.calendar_feeds import new_calendar_feed
from scp_tracker.reminders.models import ContactPreference

UPDATE = {"text": "Campaign launched on 25 November", "rag": "amber"}


def _new_address(db, world):
    world.lead.email = "lee.lead@new-employer.example.org"


def _login_disabled(db, world):
    world.lead.user.is_enabled = False


def _left(db, world):
    world.lead.is_active = False


HOLDER_CHANGES = {"new address": _new_address, "login disabled": _login_disabled, "left": _left}


@pytest.fixture
def lead_with_login(db, reminder_world, make_user):
    """The reminder world, its lead given a login (which the 'login disabled' change turns off)."""
    make_user("lead", contact=reminder_world.lead)
    return reminder_world


@pytest.fixture
def links(db, lead_with_login):
    """Every kind of link that opens something of the lead's without a password, as emailed today."""
    w = lead_with_login
    update = issue_update_tokens([(w.lead.id, w.campaign.id)], utcnow())[(w.lead.id, w.campaign.id)]
    calendar = new_calendar_feed(w.lead, now=utcnow())
    db.session.commit()
    preferences = preferences_token(w.lead.id)
    return {"update": f"/update/{update}", "preferences": f"/preferences/{preferences}",
            "notification settings": f"/notifications/settings/{preferences}",
            "calendar": f"/calendar/{calendar}.ics"}


def _progress_count(db, objective):
    return db.session.scalar(select(func.count()).where(ProgressUpdate.objective_id == objective.id))


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_every_link_works_while_its_holder_is_unchanged(client, links):
    for path in links.values():
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("change", HOLDER_CHANGES)
def test_an_update_link_dies_with_its_holder_s_standing(client, db, lead_with_login, links, change):
    w = lead_with_login
    HOLDER_CHANGES[change](db, w)
    db.session.commit()
    before = _progress_count(db, w.campaign)

    opened = client.get(links["update"])
    assert opened.status_code == 410
    assert "This link no longer works" in _text(opened)
    assert "coordinator for a new one" in _text(opened)
    assert "Send me a new link" not in _text(opened)  # nothing is offered to a holder who lost the link
    submitted = client.post(links["update"], data=UPDATE)
    assert submitted.status_code == 410
    db.session.expire_all()
    assert _progress_count(db, w.campaign) == before
    assert db.session.scalar(select(UpdateToken)).used_at is None


def test_an_update_link_dies_when_the_objective_moves_to_another_agency(client, db, reminder_world, links):
    w = reminder_world
    w.campaign.lead_links = [ObjectiveLead(agency=w.cbh, position=0)]
    db.session.commit()
    before = _progress_count(db, w.campaign)
    opened = client.get(links["update"])
    assert opened.status_code == 410 and "This link no longer works" in _text(opened)
    assert client.post(links["update"], data=UPDATE).status_code == 410
    refused = client.post(f"{links['update']}/fresh")  # no new link for someone no longer asked
    assert "cannot send a new link" in _text(refused)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    db.session.expire_all()
    assert _progress_count(db, w.campaign) == before
    # The new lead agency's people can be sent links: the rule is the leads', not the link's.
    kim = w.kp_lead
    raw = issue_update_tokens([(kim.id, w.campaign.id)], utcnow())[(kim.id, w.campaign.id)]
    db.session.commit()
    assert client.get(f"/update/{raw}").status_code == 200


def test_a_coordinator_s_link_survives_a_change_of_leads(client, db, reminder_world):
    """Reminders copy the coordinator on some objectives they do not lead: their links keep working."""
    w = reminder_world
    raw = issue_update_tokens([(w.coordinator.id, w.campaign.id)], utcnow())[(w.coordinator.id, w.campaign.id)]
    db.session.commit()
    assert client.get(f"/update/{raw}").status_code == 200


@pytest.mark.parametrize("change", HOLDER_CHANGES)
def test_preferences_links_die_with_their_holder_s_standing(client, db, lead_with_login, links, change):
    w = lead_with_login
    HOLDER_CHANGES[change](db, w)
    db.session.commit()

    opened = client.get(links["preferences"])
    assert opened.status_code == 410 and "This link no longer works" in _text(opened)
    assert client.post(links["preferences"], data={"kinds": []}).status_code == 410
    assert client.get(links["notification settings"]).status_code == 404
    assert client.post(links["notification settings"], data={"lead_assigned": "off"}).status_code == 404
    assert db.session.get(ContactPreference, w.lead.id) is None


@pytest.mark.parametrize("change", HOLDER_CHANGES)
def test_a_calendar_address_dies_with_its_holder_s_standing(client, db, lead_with_login, links, change):
    HOLDER_CHANGES[change](db, lead_with_login)
    db.session.commit()
    assert client.get(links["calendar"]).status_code == 404


def test_links_issued_to_the_new_address_work(client, db, lead_with_login, links):
    w = lead_with_login
    _new_address(db, w)
    db.session.commit()
    raw = issue_update_tokens([(w.lead.id, w.campaign.id)], utcnow())[(w.lead.id, w.campaign.id)]
    db.session.commit()
    assert client.get(f"/update/{raw}").status_code == 200
    assert client.get(f"/preferences/{preferences_token(w.lead.id)}").status_code == 200


def test_a_link_made_before_links_were_sealed_no_longer_works(client, db, reminder_world):
    """A bare contact id, as preferences links used to carry, says nothing of the address it was sent to."""
    from scp_tracker.notifications.preference_links import _preferences_serializer

    old = _preferences_serializer().dumps(reminder_world.lead.id)
    assert client.get(f"/preferences/{old}").status_code == 410
