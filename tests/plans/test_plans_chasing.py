"""The chasing page: what needs an update, and requests for an update written to the outbox (never sent here)."""

import re
import smtplib

from support.edits import opened

from scp_tracker.core.links import hash_token
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.people.models import Contact
from scp_tracker.plans.models import Chase, Objective, ObjectiveContact, UpdateToken


def outbox(db) -> list[OutboxMessage]:
    """Every email in the outbox, oldest first."""
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_chasing_lists_objectives_needing_an_update_with_reasons(sample_plan, plans_client, db):
    sample = sample_plan(10)
    up_to_date = db.session.get(Objective, sample.objective_ids[2])
    up_to_date.end_date = up_to_date.end_date.replace(year=up_to_date.end_date.year + 1)
    db.session.commit()
    body = plans_client("coordinator").get("/chasing").get_data(as_text=True)
    assert "Objective 2<" not in body  # updated recently, due next year, funded, led
    assert "9 objectives to chase" in body
    assert "No update for 42 days" in body and "Overdue" in body and "Funding TBC" in body and "Lead TBC" in body
    assert "Nobody to ask: add a lead contact" in body  # objectives 4 and 9 have no lead
    assert "Asks: EP Lead, Lead Person" in body


def test_request_for_update_writes_one_email_per_lead_and_sends_nothing(sample_plan, plans_client, db, monkeypatch):
    sample = sample_plan(5)
    # Objective 0 names a contact (only they are asked); objective 1 falls back to CBC's contacts.
    named = Contact(name="Named Officer", email="named@example.org", agency=sample.agencies["EP"])
    db.session.add(named)
    db.session.flush()
    db.session.add(ObjectiveContact(objective_id=sample.objective_ids[0], contact_id=named.id))
    not_reminded = db.session.scalar(db.select(Contact).filter_by(email="viewer@example.org"))
    not_reminded.receives_reminders = False
    db.session.commit()
    monkeypatch.setattr(smtplib.SMTP, "connect", lambda *a, **k: (_ for _ in ()).throw(AssertionError("sent")))

    client = plans_client("coordinator")
    response = client.post("/chasing", data={
        "objectives": [str(sample.objective_ids[0]), str(sample.objective_ids[1]), str(sample.objective_ids[4])]})
    assert response.status_code == 302
    rows = outbox(db)
    assert sorted(row.to_address for row in rows) == ["coordinator@example.org", "lead.cbc@example.org",
                                                      "named@example.org"]
    assert {row.kind for row in rows} == {"update_request"}
    assert {row.status for row in rows} == {"queued"}
    named_row = next(row for row in rows if row.to_address == "named@example.org")
    assert named_row.key.startswith(f"chase:{sample.objective_ids[0]}:{named.id}:")
    assert named_row.subject == "Update needed: Objective 0"
    assert "Dear Named Officer" in named_row.text_body and "Coordinator Person" in named_row.text_body
    assert "Write your update" in named_row.html_body

    # The email carries the no-password update link for that person and objective, and the chase is recorded.
    link = re.search(r"http://\S+/update/(\S+)", named_row.text_body)
    assert link, named_row.text_body
    token = db.session.scalar(db.select(UpdateToken).filter_by(token_hash=hash_token(link.group(1))))
    assert (token.contact_id, token.objective_id) == (named.id, sample.objective_ids[0])
    chases = db.session.scalars(db.select(Chase)).all()
    assert sorted(c.outbox_key for c in chases) == sorted(row.key for row in rows)
    assert all(c.by_user_id is not None for c in chases)

    page = client.get("/chasing").get_data(as_text=True)
    assert "Nobody to ask about: Objective 4" in page  # the flash message
    assert "3 requests for an update will be sent" in page


def test_last_chased_and_updated_since(sample_plan, plans_client, db):
    sample = sample_plan(2)
    client = plans_client("coordinator")
    client.post("/chasing", data={"objectives": [str(i) for i in sample.objective_ids]})
    body = client.get("/chasing").get_data(as_text=True)
    assert "Never" not in body
    assert ">No<" in body.replace(" ", "").replace("\n", "")
    lead = plans_client("lead")
    path = f"/objectives/{sample.objective_ids[0]}/progress"
    assert lead.post(path, data={"text": "Done now", "rag": "green", **opened(lead, path)}).status_code == 302
    assert ">Yes<" in client.get("/chasing").get_data(as_text=True).replace(" ", "").replace("\n", "")


def test_chasing_needs_a_choice(sample_plan, plans_client, db):
    sample_plan(2)
    response = plans_client("coordinator").post("/chasing", data={})
    assert response.status_code == 200
    assert "Select the objectives to ask about" in response.get_data(as_text=True)
    assert outbox(db) == []


def test_chasing_refuses_unknown_objectives(sample_plan, plans_client, db):
    sample_plan(2)
    response = plans_client("coordinator").post("/chasing", data={"objectives": ["999999"]})
    assert response.status_code == 200
    assert outbox(db) == []


def test_only_the_coordinator_chases(sample_plan, plans_client, db):
    sample = sample_plan(2)
    for role, status in (("lead", 403), ("other_lead", 403), ("partner", 403), ("viewer", 403), ("anonymous", 302)):
        response = plans_client(role).post("/chasing", data={"objectives": [str(sample.objective_ids[0])]})
        assert response.status_code == status, role
    assert outbox(db) == []


def test_a_named_contact_who_gets_no_reminders_is_not_asked_their_agency_is(sample_plan, plans_client, db):
    """The chasing list asks whom the reminders remind (plans.leads): a named contact who turned reminders off
    is passed over for the lead agency's contacts who receive them."""
    sample = sample_plan(5)
    named = Contact(name="Quiet Officer", email="quiet@example.org", agency=sample.agencies["EP"],
                    receives_reminders=False)
    db.session.add(named)
    db.session.flush()
    db.session.add(ObjectiveContact(objective_id=sample.objective_ids[1], contact_id=named.id))
    db.session.commit()
    plans_client("coordinator").post("/chasing", data={"objectives": [str(sample.objective_ids[1])]})
    # CBC's people, not the named one; nor CBC's viewer login, whom their agency alone does not bring in.
    assert sorted(row.to_address for row in outbox(db)) == ["coordinator@example.org", "lead.cbc@example.org"]
