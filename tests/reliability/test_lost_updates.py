"""Lost updates: a form opened before someone else's save must not silently put back what they changed.

Each edit form (objectives with their funding and leads, events, agencies, contacts, logins, the reminder
settings) carries the version it was opened at (scp_tracker.core.edits). A stale save is refused with a page that
lists what changed since (the field, its value now), keeps the person's entries and lets them save again.
"""

import threading

from sqlalchemy import select
from support.edits import hidden_stamp, objective_form

from scp_tracker.core.clock import utcnow
from scp_tracker.core.history import Actor
from scp_tracker.events.models import Event
from scp_tracker.plans.models import Objective, ProgressUpdate
from scp_tracker.plans.progress import ProgressValues, add_progress


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
    add_progress(objective, ProgressValues(text="Progress meanwhile", rag=None), Actor(name="Someone else"),
                 now=utcnow())
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



def _cases(world, event_form, db) -> dict:
    """Each edit form: (path, what another person saves meanwhile, what I save, the label of what changed)."""
    params = world.params
    organiser = str(db.session.get(Event, params["partner_event"]).organising_agency_id)
    contact = {"name": "Sam Spare", "email": "sam.spare@example.org", "agency_id": str(params["spare_agency"]),
               "job_title": "", "phone": "", "receives_reminders": "yes"}
    settings = {"due_soon_stages": "28, 14, 7, 1", "overdue_repeat_days": "7", "stale_days": "42",
                "stale_repeat_days": "14", "tbc_repeat_days": "28", "run_time": "07:00", "round_call_days": "21",
                "round_reminder_days": "7", "round_last_day": "y", "weekly_day": "1", "summary_daily": "weekly"}
    indicator = {"name": "Domestic abuse incidents", "key_priority": str(params["key_priority"]), "better": "lower",
                 "frequency": "quarterly", "provider_contact": "0", "provider_agency": str(params["lead_agency"]),
                 "target_value": "100"}
    return {
        "indicator": (f"/indicators/{params['lead_indicator']}/edit", {**indicator, "target_value": "90"},
                      {**indicator, "source": "Mine"}, "Target figure for each period (optional)", "90"),
        "agency": (f"/agencies/{params['spare_agency']}/edit", {"abbreviation": "SPARE", "name": "Their name"},
                   {"abbreviation": "MINE", "name": "Spare Agency"}, "Full name", "Their name"),
        "contact": (f"/contacts/{params['spare_contact']}/edit", {**contact, "phone": "01206 000000"},
                    {**contact, "job_title": "Mine"}, "Phone number (optional)", "01206 000000"),
        "login": (f"/users/{params['invited_user']}/role", {"roles": "partner"}, {"roles": "viewer"}, "Roles",
                  "Partner"),
        "event": (f"/events/{params['partner_event']}/edit",
                  event_form(attendance="99", organising_agency_id=organiser),
                  event_form(title="My title", organising_agency_id=organiser),
                  "Number of people who attended (optional)", "99"),
        "reminder settings": ("/reminders/settings", {**settings, "stale_days": "60"},
                              {**settings, "run_time": "08:00"}, "Days without a progress update before a reminder",
                              "60"),
    }


def test_every_edit_form_refuses_a_save_over_a_change_made_since_it_was_opened(app, world, db, login, event_form):
    for name, (path, theirs, mine, label, now) in _cases(world, event_form, db).items():
        me = login(world.users["coordinator"], app.test_client())
        them = login(world.users["coordinator"], app.test_client())
        mine_opened, theirs_opened = hidden_stamp(me.get(path).get_data(as_text=True)), hidden_stamp(
            them.get(path).get_data(as_text=True))
        assert them.post(path, data={**theirs, **theirs_opened}).status_code == 302, name
        refused = me.post(path, data={**mine, **mine_opened})
        page = refused.get_data(as_text=True)
        assert refused.status_code == 409, name
        assert label in page and f"Now: {now}" in page, name
        # Their change stands; saving again from the refused page (re-stamped, my entries kept) goes through.
        assert me.post(path, data={**mine, **hidden_stamp(page)}).status_code == 302, name


def test_progress_forms_signed_in_or_emailed_refuse_to_put_back_a_rag_changed_since(app, world, db, login):
    objective = _objective(db, world)
    for path, person in ((f"/objectives/{objective.id}/progress", login(world.users["lead"], app.test_client())),
                         (f"/update/{world.params['update_token']}", app.test_client())):
        stamp = hidden_stamp(person.get(path).get_data(as_text=True))
        objective = _objective(db, world)
        rag_now = "red" if objective.rag != "red" else "amber"
        coordinator = login(world.users["coordinator"], app.test_client())
        assert coordinator.post(f"/objectives/{objective.id}/edit",
                                data=objective_form(objective, rag=rag_now)).status_code == 302
        refused = person.post(path, data={"text": f"Written at {path}", "rag": "green", **stamp})
        assert refused.status_code == 409, path
        assert "Now: " + rag_now.capitalize() in refused.get_data(as_text=True)
        assert _objective(db, world).rag == rag_now
        assert not db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.text == f"Written at {path}"))
        again = person.post(path, data={"text": f"Written at {path}", "rag": "green",
                                        **hidden_stamp(refused.get_data(as_text=True))})
        assert again.status_code == 302, path  # the emailed link was not used up by the refused save
        assert _objective(db, world).rag == "green"
