"""Lost updates: a form opened before someone else's save must not silently put back what they changed.

Each edit form (objectives with their funding and leads, events, agencies, contacts, logins, the reminder
settings) carries the version it was opened at (scp_tracker.site.edits). A stale save is refused with a page that
lists what changed since (the field, its value now), keeps the person's entries and lets them save again.
"""

import threading

from support.edits import hidden_stamp, objective_form

from scp_tracker.clock import utcnow
from scp_tracker.plans.history import Actor
from scp_tracker.plans.models import Objective
from scp_tracker.plans.services import ProgressValues, add_progress


def _objective(db, world) -> Objective:
    db.session.expire_all()
    return db.session.get(Objective, world.params["lead_objective"])


def test_a_save_from_a_form_opened_before_another_save_is_refused_and_shows_what_changed(app, world, db, login):
    coordinator = login(world.users["coordinator"], app.test_client())
    lead = login(world.users["lead"], app.test_client())
    path = f"/objectives/{world.params['lead_objective']}/edit"
    objective = _objective(db, world)
    leads_form = objective_form(objective, rag="green", text="The lead's new wording")  # both open the page now
    assert coordinator.post(path, data=objective_form(objective, title="Renamed by the coordinator")).status_code == 302

    refused = lead.post(path, data=leads_form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone else changed this while you were editing it" in page
    assert "Short title" in page and "Now: Renamed by the coordinator" in page
    assert "The lead&#39;s new wording" in page  # their entries are kept in the form
    objective = _objective(db, world)
    assert objective.title == "Renamed by the coordinator"
    assert objective.text != "The lead's new wording" and objective.rag != "green"

    # Saving again from the refused page (re-stamped) applies their entries over the state they have now seen.
    again = leads_form.copy()
    for name, value in hidden_stamp(page).items():
        again[name] = value
    again["title"] = "Renamed by the coordinator"
    assert lead.post(path, data=again).status_code == 302
    objective = _objective(db, world)
    assert (objective.title, objective.text, objective.rag) == ("Renamed by the coordinator",
                                                                "The lead's new wording", "green")


def test_a_change_the_form_does_not_show_does_not_refuse_the_save(app, world, db, login):
    coordinator = login(world.users["coordinator"], app.test_client())
    objective = _objective(db, world)
    form = objective_form(objective, title="Renamed")
    add_progress(objective, ProgressValues(text="Progress meanwhile", rag=None), Actor(name="Someone else"), now=utcnow())
    db.session.commit()
    assert _objective(db, world).version != int(form["opened_version"])
    assert coordinator.post(f"/objectives/{objective.id}/edit", data=form).status_code == 302
    assert _objective(db, world).title == "Renamed"


def test_a_form_without_its_version_cannot_overwrite(app, world, db, login):
    coordinator = login(world.users["coordinator"], app.test_client())
    objective = _objective(db, world)
    response = coordinator.post(f"/objectives/{objective.id}/edit", data=objective_form(objective, stamp=False,
                                                                                          title="Blind save"))
    assert response.status_code == 409
    assert _objective(db, world).title != "Blind save"


def _at_once(posts) -> list[int]:
    """Send each (client, path, data) from its own thread, all released together; the statuses, sorted."""
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = []

    def send(client, path, data):
        barrier.wait()
        statuses.append(client.post(path, data=data).status_code)

    threads = [threading.Thread(target=send, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_two_saves_from_forms_opened_together_sent_at_once_let_one_through(app, world, db, login):
    objective = _objective(db, world)
    path = f"/objectives/{objective.id}/edit"
    posts = [(login(world.users["coordinator"], app.test_client()), path, objective_form(objective, title="First")),
             (login(world.users["lead"], app.test_client()), path, objective_form(objective, title="Second"))]
    db.session.rollback()
    assert _at_once(posts) == [302, 409]


def test_a_lead_cannot_move_their_objective_to_another_agency(app, world, db, login):
    lead = login(world.users["lead"], app.test_client())
    objective = _objective(db, world)
    before = [link.agency_id for link in objective.lead_links]
    page = lead.get(f"/objectives/{objective.id}/edit").get_data(as_text=True)
    assert 'name="lead_agencies"' not in page
    other = db.session.get(Objective, world.params["other_objective"]).lead_links[0].agency_id
    assert lead.post(f"/objectives/{objective.id}/edit",
                     data=objective_form(objective, lead_agencies=[str(other)])).status_code == 302
    assert [link.agency_id for link in _objective(db, world).lead_links] == before

