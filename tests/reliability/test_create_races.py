"""Creations that lose a race: two people add the same agency, or start next year's plan, at the same moment. The
one that loses gets the form's message ("There is already ..."), never a 500.

The race is run for real (two requests released together from their own threads), and the losing moment is also
forced: another connection commits the same unique key just before this request's INSERT, after its check passed.
"""

import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from scp_tracker.people.models import Agency
from scp_tracker.plans.models import Plan


def _at_once(posts) -> list[tuple[int, str]]:
    """Send each (client, path, data) from its own thread, all released together; (status, page) sorted."""
    barrier = threading.Barrier(len(posts))
    answers: list[tuple[int, str]] = []

    def send(client, path, data):
        barrier.wait()
        response = client.post(path, data=data)
        answers.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=send, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(answers)


@pytest.fixture
def taken_before_insert(db):
    """taken_before_insert(table, values): just before the request's next flush, another connection commits a row
    with the same unique key (the other request of the race, committing between this one's check and INSERT)."""
    listeners = []

    def _take(table, values: dict) -> None:
        def commit_elsewhere(session, _context, _instances):
            if not listeners[-1][1]:
                listeners[-1][1].append(True)
                with db.engine.begin() as other:
                    other.execute(table.insert().values(**values))

        listeners.append((commit_elsewhere, []))
        event.listen(Session, "before_flush", commit_elsewhere)

    yield _take
    for listener, _ in listeners:
        event.remove(Session, "before_flush", listener)


CASES = {
    "agency": ("/agencies/add", lambda params: {"abbreviation": "RACE", "name": "Race Agency"},
               # the abbreviation or the name, whichever check runs after the other request's commit
               "There is already an agency with the "),
    "contact": ("/contacts/add", lambda params: {"name": "Rae Race", "email": "rae.race@example.org",
                                                 "agency_id": str(params["spare_agency"]), "receives_reminders": "yes"},
                "rae.race@example.org is already the email address of"),
    "next year's plan": ("/plans/next?year=2016-17", lambda params: {"title": "Next year", "objectives": []},
                         "There is already a plan for 2017-18"),
}


@pytest.mark.parametrize("name", CASES)
def test_two_creations_at_once_give_one_a_message_not_a_500(app, world, db, login, name):
    path, data_for, message = CASES[name]
    data = data_for(world.params)
    clients = [login(world.users["coordinator"], app.test_client()) for _ in range(2)]
    db.session.rollback()
    answers = _at_once([(client, path, data) for client in clients])
    assert [status for status, _ in answers] == [200, 302], [page[-3000:] for _, page in answers]
    assert message in answers[0][1]
    answers = _at_once([(client, path, data) for client in clients])
    assert [status for status, _ in answers] == [200, 200]  # both lose now: it exists
    db.session.rollback()


def test_an_agency_added_between_the_check_and_the_insert_is_a_form_message(app, world, db, login,
                                                                              taken_before_insert):
    client = login(world.users["coordinator"], app.test_client())
    taken_before_insert(Agency.__table__, {"abbreviation": "RACE", "name": "The other request's name"})
    response = client.post("/agencies/add", data={"abbreviation": "RACE", "name": "Race Agency"})
    assert response.status_code == 200
    assert "There is already an agency with the abbreviation RACE" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Agency).where(Agency.abbreviation == "RACE")) == 1


def test_next_years_plan_started_between_the_check_and_the_insert_is_a_form_message(app, world, db, login,
                                                                                    taken_before_insert):
    client = login(world.users["coordinator"], app.test_client())
    taken_before_insert(Plan.__table__, {"year": "2017-18", "title": "The other request's plan"})
    response = client.post("/plans/next?year=2016-17", data={"title": "Next year", "objectives": []})
    assert response.status_code == 200
    assert "There is already a plan for 2017-18" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Plan).where(Plan.year == "2017-18")) == 1



def test_two_first_sign_ins_of_one_person_at_once_both_sign_in(oidc_settings, client, db, make_user,
                                                               taken_before_insert):
    # oidc_settings first: the provider's settings must be in the environment before `app` reads them.
    """A double click on "Sign in with …": the other sign-in remembers the subject just before this one's INSERT;
    this one starts again and finds it (a 500 before)."""
    from support.oidc import NAME, dance

    from scp_tracker.core.clock import utcnow
    from scp_tracker.people.models import OidcIdentity

    user = make_user(role="lead", email="dee.double@example.org")
    db.session.commit()
    oidc_settings.account("dee-1", email="dee.double@example.org", email_verified=True, name="Dee")
    taken_before_insert(OidcIdentity.__table__, {"user_id": user.id, "provider": NAME, "subject": "dee-1",
                                                 "first_seen_at": utcnow()})
    _, response = dance(client, "dee-1")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/account/password").status_code == 200  # signed in
    assert db.session.scalar(select(func.count()).select_from(OidcIdentity)) == 1
