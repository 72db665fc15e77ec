"""The rounds pages: the list with its add-a-meeting form, changing and removing, the round page's remind now, and
the board paper, for each role."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from scp_tracker.core.clock import today_in_london
from scp_tracker.plans.models import ProgressUpdate
from scp_tracker.rounds.closing import close_due_rounds
from scp_tracker.rounds.models import ReportingRound
from scp_tracker.rounds.signals import remind_now_requested
from scp_tracker.rounds.windows import plan_rounds

ROLES = ("coordinator", "lead", "partner", "viewer")


@pytest.fixture
def round_world(db, users_by_role, known_agency, make_contact, make_plan, make_key_priority, make_objective):
    """Plan 2016-17 with its quarterly rounds stored; EP leads "Campaign" (updated in June) and CBC "Scheme" (not);
    EP's and CBC's lead contacts besides the role users."""
    plan = make_plan("2016-17")
    key_priority = make_key_priority(plan=plan, title="Safer streets")
    ep, cbc = known_agency("EP"), known_agency("CBC")
    updated = make_objective(key_priority=key_priority, title="Campaign", leads=[ep], rag="green")
    silent = make_objective(key_priority=key_priority, title="Scheme", leads=[cbc], rag="red")
    contacts = {"ep": make_contact(ep, "Erin Police", "erin@example.org"),
                "cbc": make_contact(cbc, "Carl Council", "carl@example.org")}
    db.session.add(ProgressUpdate(objective_id=updated.id, text="Launched in June", rag="green",
                                  recorded_at=datetime(2016, 6, 3, 12, tzinfo=UTC)))
    rounds = plan_rounds(plan)
    db.session.commit()
    return {"plan": plan, "june": rounds[0], "updated": updated, "silent": silent, **contacts}


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_sees_the_rounds_only_the_coordinator_can_change_them(round_world, client_as, role):
    page = client_as(role).get("/rounds").get_data(as_text=True)
    assert "June 2016 round" in page and "30 June 2016" in page
    assert ("Add a board meeting" in page) is (role == "coordinator")
    assert (f"/rounds/{round_world['june'].id}/board-paper" in page) is (role in ("coordinator", "lead", "viewer"))
    assert client_as("anonymous").get("/rounds").status_code == 302
    if role != "coordinator":
        assert client_as(role).post("/rounds", data={"meeting_on": ["20", "9", "2016"]}).status_code == 403


def test_the_coordinator_adds_a_meeting_and_sees_errors_in_the_summary(db, round_world, client_as):
    client = client_as("coordinator")
    page = client.post("/rounds", data={"meeting_on": ["", "", ""], "deadline": ["21", "9", "2016"]})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in html and "Enter the meeting date" in html
    html = client.post("/rounds", data={"meeting_on": ["20", "9", "2016"], "deadline": ["21", "9", "2016"]}) \
        .get_data(as_text=True)
    assert 'href="#deadline-day"' in html and "on or before the meeting (20 September 2016)" in html
    assert db.session.scalar(select(func.count()).select_from(ReportingRound).where(
        ReportingRound.meeting_on.is_not(None))) == 0
    added = client.post("/rounds", data={"meeting_on": ["20", "9", "2016"], "name": ""}, follow_redirects=True)
    html = added.get_data(as_text=True)
    assert "Board meeting, 20 September 2016 added: updates are due by 6 September 2016" in html
    db.session.expire_all()
    assert [r.name for r in plan_rounds(round_world["plan"])] == ["Board meeting, 20 September 2016"]


def test_the_coordinator_changes_and_removes_an_open_meeting(db, round_world, client_as):
    client = client_as("coordinator")
    client.post("/rounds", data={"meeting_on": ["20", "9", "2016"]})
    round_id = db.session.scalar(select(ReportingRound.id).where(ReportingRound.meeting_on.is_not(None)))
    form = client.get(f"/rounds/{round_id}/change").get_data(as_text=True)
    assert 'value="20"' in form and 'value="Board meeting, 20 September 2016"' in form
    assert f'action="/rounds/{round_id}/remove"' in form
    changed = client.post(f"/rounds/{round_id}/change", data={
        "meeting_on": ["21", "9", "2016"], "deadline": ["", "", ""], "name": "Autumn board"}, follow_redirects=True)
    assert "Autumn board saved" in changed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ReportingRound, round_id).deadline == date(2016, 9, 7)
    removed = client.post(f"/rounds/{round_id}/remove", follow_redirects=True)
    assert "Autumn board removed" in removed.get_data(as_text=True)
    with db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReportingRound).where(
            ReportingRound.meeting_on.is_not(None))) == 0


def test_a_get_of_the_rounds_page_stores_nothing(db, make_plan, client_as, users_by_role):
    make_plan("2016-17")
    db.session.commit()
    page = client_as("coordinator").get("/rounds").get_data(as_text=True)
    assert "June 2016 round" in page and "start when the daily reminder run next runs" in page
    assert "/rounds/" not in page.replace('action="/rounds', "")  # nothing to link to yet
    with db.engine.connect() as connection:  # what is committed: the test shares the request's session
        assert connection.scalar(select(func.count()).select_from(ReportingRound)) == 0


def test_the_round_page_shows_who_updated_and_who_was_reminded(app, round_world, client_as):
    june = round_world["june"]
    app.jinja_env.globals["reminders_for_round"] = lambda round_id: (
        {round_world["cbc"].id: [(date(2016, 6, 23), "Update called for")]} if round_id == june.id else {})
    html = client_as("coordinator").get(f"/rounds/{june.id}").get_data(as_text=True)
    assert "Yes, 3 June 2016" in html
    assert "Carl Council: 23 June 2016 (update called for)" in html
    assert f'value="{round_world["cbc"].id}"' in html  # Carl has not updated: he may be reminded
    assert f'name="contacts" type="checkbox" value="{round_world["ep"].id}"' not in html
    for role in ("lead", "partner", "viewer"):
        assert client_as(role).get(f"/rounds/{june.id}").status_code == 403


def test_the_default_reminders_column_says_not_yet(round_world, client_as):
    html = client_as("coordinator").get(f"/rounds/{round_world['june'].id}").get_data(as_text=True)
    assert "Not yet" in html


@pytest.fixture
def remind_now_signals():
    sent = []

    def receiver(sender, **kwargs):
        sent.append((sender, kwargs))

    remind_now_requested.connect(receiver)
    yield sent
    remind_now_requested.disconnect(receiver)


def test_remind_now_sends_the_signal_with_the_chosen_leads_only(round_world, client_as, users_by_role,
                                                                remind_now_signals):
    june, carl, erin = round_world["june"], round_world["cbc"], round_world["ep"]
    page = client_as("coordinator").post(f"/rounds/{june.id}", data={"contacts": [str(carl.id), str(erin.id)]})
    assert page.status_code == 200 and remind_now_signals == []  # Erin's objective is updated: not a choice
    done = client_as("coordinator").post(f"/rounds/{june.id}", data={"contacts": [str(carl.id)]},
                                         follow_redirects=True)
    assert "Reminders asked for 1 person: Carl Council" in done.get_data(as_text=True)
    [(sender, kwargs)] = remind_now_signals
    assert sender == june.id and kwargs["contact_ids"] == [carl.id] and kwargs["actor"].user_id is not None
    assert kwargs["today"] == today_in_london(kwargs["now"])


@pytest.mark.parametrize("role", ["lead", "partner", "viewer", "anonymous"])
def test_only_the_coordinator_can_remind_now(round_world, client_as, role, remind_now_signals):
    answer = client_as(role).post(f"/rounds/{round_world['june'].id}", data={"contacts": [str(round_world["cbc"].id)]})
    assert answer.status_code == (302 if role == "anonymous" else 403)
    assert remind_now_signals == []


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("viewer", 200), ("lead", 200),
                                               ("partner", 403), ("anonymous", 302)])
def test_the_board_paper_page(db, round_world, client_as, role, status):
    close_due_rounds(date(2016, 7, 1), datetime(2016, 7, 1, 6, tzinfo=UTC))
    round_world["silent"].rag = "green"  # after the round closed: not on its paper
    db.session.commit()
    page = client_as(role).get(f"/rounds/{round_world['june'].id}/board-paper")
    assert page.status_code == status
    if status == 200:
        html = page.get_data(as_text=True)
        assert "Launched in June" in html and "No update received" in html and "this is what the board saw" in html
        assert html.count("Scheme") == 2  # in its key priority and in the missing list
        assert "govuk-tag--green" in html and "govuk-tag--red" in html


def test_unknown_rounds_are_404(round_world, client_as):
    client = client_as("coordinator")
    for path in ("/rounds/987654", "/rounds/987654/board-paper", "/rounds/987654/change"):
        assert client.get(path).status_code == 404


def test_a_closed_round_offers_no_remind_now_and_sends_nothing(db, round_world, client_as, remind_now_signals):
    june = round_world["june"]
    close_due_rounds(date(2016, 7, 1), datetime(2016, 7, 1, 6, tzinfo=UTC))
    db.session.commit()
    client = client_as("coordinator")
    assert "Remind now" not in client.get(f"/rounds/{june.id}").get_data(as_text=True)
    assert client.post(f"/rounds/{june.id}", data={"contacts": [str(round_world["cbc"].id)]}).status_code == 200
    assert remind_now_signals == []


def test_the_round_page_takes_the_same_number_of_queries_whatever_the_number_of_objectives(
        db, round_world, client_as, make_objective, make_contact, known_agency, count_queries):
    client = client_as("coordinator")
    path = f"/rounds/{round_world['june'].id}"
    client.get(path)  # the first request of a client loads what every page needs once

    def queries():
        db.session.expire_all()  # the test shares the request's session: start each one cold
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    small = queries()
    for n in range(5):
        agency = known_agency(f"AG{n}")
        make_contact(agency, f"Lead {n}", f"lead{n}@example.org")
        make_objective(key_priority=round_world["silent"].key_priority, title=f"More {n}", leads=[agency])
    db.session.commit()
    assert queries() == small
