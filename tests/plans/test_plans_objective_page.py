"""The objective page, read as plain rows: it shows what the objective holds, in the same few queries whatever it
holds."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from support.notifications import objective_values

from scp_tracker.core.clock import utcnow
from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.people.models import Contact
from scp_tracker.plans import objective_page
from scp_tracker.plans.models import FundingLine, Objective, ObjectiveContact, ObjectiveLead, ProgressUpdate
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.plans.services import update_objective
from scp_tracker.reminders.models import ReminderRecord

NOW = datetime(2016, 9, 1, 11, 30, tzinfo=UTC)


def _fill(db, objective: Objective, agencies: dict, carried_from: Objective) -> Contact:
    """Give an objective two leads, a named lead, two funding lines, two updates, two changes; return the named lead."""
    named = db.session.scalar(db.select(Contact).filter_by(email="lead.cbh@example.org"))
    objective.lead_links = [ObjectiveLead(agency=agencies["CBC"], position=1),
                            ObjectiveLead(agency=agencies["EP"], position=0)]
    objective.lead_text = "Essex Police and Castle Point"
    objective.contact_links = [ObjectiveContact(contact=named)]
    objective.funding_lines = [
        FundingLine(position=1, status="tbc", text="TBC from PCC"),
        FundingLine(position=0, amount_pence=250000, source="SCP", pot="16-17 allocation", status="confirmed",
                    text="£2500 SCP"),
    ]
    objective.end_date, objective.end_date_text = date(2017, 3, 31), "End of year"
    objective.police_scope, objective.police_numbers = "listed", [2, 9]
    objective.pcc_scope, objective.pcc_text = "none", "n/a"
    objective.carried_from = carried_from
    db.session.add_all([
        ProgressUpdate(objective=objective, text="Older news", rag="amber", recorded_at=NOW - timedelta(days=3),
                       author_name="Ann Lead", source="email_link"),
        ProgressUpdate(objective=objective, text="Newer news", rag="green", recorded_at=NOW, author_name="",
                       source="web", requested_end_date=date(2017, 6, 30)),
        ChangeRecord(objective_id=objective.id, entity="funding", field="status", before="tbc", after="confirmed",
                     actor_name="Cora", source="import", changed_at=NOW - timedelta(days=1)),
    ])
    db.session.commit()
    return named


def test_the_page_shows_leads_funding_progress_history_and_where_it_came_from(db, sample_plan, plans_client):
    older = sample_plan(1, year="2015-16")
    sample = sample_plan(6)
    objective = db.session.get(Objective, sample.objective_ids[0])
    _fill(db, objective, sample.agencies, db.session.get(Objective, older.objective_ids[0]))

    page = plans_client("coordinator").get(f"/objectives/{objective.id}").get_data(as_text=True)

    assert "<li>Essex Police (EP)</li><li>" in page and page.index("(EP)") < page.index("(CBC)")  # written order
    assert "As written: Essex Police and Castle Point" in page
    assert 'CBH Lead (CBH), <a class="govuk-link" href="mailto:lead.cbh@example.org">' in page
    assert page.index("£2,500 SCP (16-17 allocation) – confirmed") < page.index("TBC (written as “TBC from PCC”)")
    assert "31 March 2017" in page and "As written: End of year" in page
    assert "<li>2. Police priority 2</li><li>9. (not in the plan&#39;s list)</li>" in page
    assert "None (written as “n/a”)" in page
    assert page.index("Newer news") < page.index("Older news")  # newest first
    assert "Unknown, on the website" in page and "Ann Lead, from an emailed link" in page
    assert "Asked to move the end date to 30 June 2017" in page and "(pending)" in page
    assert "Cora (imported from the plan)" in page and "Funding status" in page
    assert f'href="/objectives/{older.objective_ids[0]}">Objective 0</a>' in page and "(plan 2015-16)" in page
    assert 'href="/plan?year=2016-17&amp;key_priority=' in page


def test_the_page_reads_what_the_objective_holds(db, sample_plan):
    older = sample_plan(1, year="2015-16")
    sample = sample_plan(6)
    _fill(db, db.session.get(Objective, sample.objective_ids[3]), sample.agencies,
          db.session.get(Objective, older.objective_ids[0]))
    db.session.expire_all()
    for objective_id in sample.objective_ids:
        objective = db.session.get(Objective, objective_id)
        details = objective_page.objective_details(objective_id)
        assert (details.title, details.rag, details.end_date, details.police_numbers, details.last_progress_at) == (
            objective.title, objective.rag, objective.end_date, objective.police_numbers, objective.last_progress_at)
        assert (details.key_priority_number, details.plan_year) == (
            objective.key_priority.number, objective.key_priority.plan.year)
        assert [link.abbreviation for link in details.lead_links] == [a.abbreviation for a in objective.lead_agencies]
        assert details.lead_abbreviations == " / ".join(a.abbreviation for a in objective.lead_agencies)
        assert [link.contact_id for link in details.contact_links] == [c.id for c in objective.lead_contacts]
        assert [line.text for line in details.funding_lines] == [line.text for line in objective.funding_lines]
        assert [u.text for u in details.progress_updates] == [u.text for u in objective.progress_updates]
        carried = objective.carried_from
        assert (details.carried_from_id, details.carried_from_plan_year) == (
            (carried.id, carried.key_priority.plan.year) if carried else (None, None))
    assert objective_page.objective_details(max(sample.objective_ids) + 1) is None


def test_a_lead_named_on_an_objective_may_edit_it_from_its_page(app, db, sample_plan, make_user, known_agency, login,
                                                                 users_by_role):
    sample = sample_plan(6)
    objective = db.session.get(Objective, sample.objective_ids[1])  # led by CBC
    named = make_user(role="lead", agency=known_agency("CBH"), name="Named Lead", email="named@example.org")
    client = login(named, on_client=app.test_client())
    path = f"/objectives/{objective.id}"
    assert "Edit objective" not in client.get(path).get_data(as_text=True)
    update_objective(objective, objective_values(objective, contact_ids=[named.contact_id]),
                     Actor.for_user(users_by_role["coordinator"]))
    db.session.commit()
    body = client.get(path).get_data(as_text=True)
    assert "Edit objective" in body and "Add progress" in body


def test_the_page_issues_as_many_queries_for_a_full_objective_as_for_an_empty_one(
        db, sample_plan, plans_client, count_queries):
    older = sample_plan(1, year="2015-16")
    sample = sample_plan(6)
    empty, full = sample.objective_ids[1], sample.objective_ids[0]
    _fill(db, db.session.get(Objective, full), sample.agencies, db.session.get(Objective, older.objective_ids[0]))
    client = plans_client("coordinator")
    assert client.get("/accessibility").status_code == 200  # whatever a first request does once
    counts = []
    for objective_id in (empty, full):  # each page's first view: nothing kept yet
        with count_queries() as statements:
            assert client.get(f"/objectives/{objective_id}").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
    with count_queries() as statements:
        objective_page.objective_details(full)
    assert len(statements) == 5


# The page is drawn afresh on every request: whatever changed the objective, however, shows at once.

def test_the_objective_page_shows_every_change_at_once_however_it_was_made(db, sample_plan, plans_client,
                                                                           users_by_role):
    sample = sample_plan(2)
    objective_id = sample.objective_ids[0]
    client = plans_client("coordinator")
    path = f"/objectives/{objective_id}"
    assert "No reminders have been sent" in client.get(path).get_data(as_text=True)

    add_progress(db.session.get(Objective, objective_id), ProgressValues(text="Venue booked for June", rag="green"),
                 Actor.for_user(users_by_role["coordinator"]), now=utcnow())
    db.session.commit()
    assert "Venue booked for June" in client.get(path).get_data(as_text=True)

    # The reminder run writes a record of each reminder it sends.
    contact = db.session.scalar(db.select(Contact).filter_by(email="lead.ep@example.org"))
    db.session.add(ReminderRecord(objective_id=objective_id, kind="stale", stage_or_period="2016-09-01:42",
                                  contact_id=contact.id, detail="No update for 42 days", sent_on=date(2016, 9, 1)))
    db.session.commit()
    assert "No update for 42 days" in client.get(path).get_data(as_text=True)

    # A change behind every service and the session, straight to the database (a fix by hand, another tool).
    with db.engine.begin() as connection:
        connection.execute(update(Objective).where(Objective.id == objective_id).values(title="Renamed by hand"))
    assert "Renamed by hand" in client.get(path).get_data(as_text=True)
    assert client.get(f"/objectives/{max(sample.objective_ids) + 1}").status_code == 404


def test_each_viewer_of_an_objective_page_is_offered_only_what_they_may_do(sample_plan, plans_client):
    path = f"/objectives/{sample_plan(2).objective_ids[0]}"
    for role, offered in (("coordinator", True), ("viewer", False), ("coordinator", True), ("partner", False)):
        body = plans_client(role).get(path).get_data(as_text=True)
        assert ("Edit objective" in body and "Add progress" in body) is offered, role
        assert "Edit objective" in body or "Add progress" not in body
