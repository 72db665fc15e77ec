"""Several roles per login on the users pages: ticked as GOV.UK checkboxes, the key priority lead with the key
priorities they lead, refusals that name the field; imports and the command line add a role, never take one."""

from html import unescape

from sqlalchemy import select
from support.edits import opened

from scp_tracker.core.history import ChangeRecord
from scp_tracker.people.models import Contact, User


def _invite(client, agency, **data):
    return client.post("/users/invite", data={"name": "Nia New", "email": "nia@example.org", "agency_id": agency.id,
                                              **data})


def test_an_invitation_gives_several_roles_and_says_what_each_allows(db, client_as, known_agency, outbox_rows):
    ep = known_agency("EP")
    db.session.commit()
    response = _invite(client_as("coordinator"), ep, roles=["lead", "viewer"])
    assert response.status_code == 302
    user = db.session.scalar(select(User).join(User.contact).where(Contact.email == "nia@example.org"))
    assert user.roles == {"lead", "viewer"}
    [message] = outbox_rows("invitation")
    assert "- Lead: updates the objectives their agency leads" in message.text_body
    assert "- Viewer: reads the plan, the dashboard and the board report" in message.text_body


def test_a_key_priority_lead_needs_a_key_priority_and_the_refusal_names_the_field(db, client_as, known_agency,
                                                                                 sample_plan, outbox_rows):
    kp = sample_plan(1).key_priorities[1]
    coordinator = client_as("coordinator")
    form = coordinator.get("/users/invite").get_data(as_text=True)
    assert 'type="checkbox"' in form and 'name="key_priority_ids"' in form
    assert "2016-17, key priority 2: Key priority 2" in form  # offered under the key priority lead's checkbox
    refused = _invite(coordinator, known_agency("EP"), roles=["key_priority_lead"])
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 200
    assert '<a href="#key_priority_ids">Select the key priority they lead</a>' in html
    assert db.session.scalar(select(Contact.id).where(Contact.email == "nia@example.org")) is None
    assert outbox_rows("invitation") == []

    assert _invite(coordinator, known_agency("EP"), roles=["key_priority_lead", "viewer"],
                   key_priority_ids=[kp.id]).status_code == 302
    user = db.session.scalar(select(User).join(User.contact).where(Contact.email == "nia@example.org"))
    assert (user.roles, user.led_key_priority_ids) == ({"key_priority_lead", "viewer"}, {kp.id})
    users_page = coordinator.get("/users").get_data(as_text=True)
    assert "Key priority lead" in users_page and "2016-17, key priority 2: Key priority 2" in users_page


def test_key_priorities_chosen_without_the_role_are_not_kept(db, client_as, known_agency, sample_plan):
    kp = sample_plan(1).key_priorities[0]
    assert _invite(client_as("coordinator"), known_agency("EP"), roles=["viewer"],
                   key_priority_ids=[kp.id]).status_code == 302
    user = db.session.scalar(select(User).join(User.contact).where(Contact.email == "nia@example.org"))
    assert (user.roles, user.led_key_priority_ids) == ({"viewer"}, frozenset())


def test_the_role_page_changes_the_set_and_the_key_priorities_and_records_it(db, client_as, users_by_role,
                                                                            sample_plan):
    kp1, kp2 = sample_plan(1).key_priorities[:2]
    coordinator, viewer = client_as("coordinator"), users_by_role["viewer"]
    path = f"/users/{viewer.id}/role"
    for roles, led in ((["lead", "key_priority_lead"], [kp1.id, kp2.id]), (["key_priority_lead"], [kp2.id])):
        response = coordinator.post(path, data={"roles": roles, "key_priority_ids": led, **opened(coordinator, path)})
        assert response.status_code == 302
        db.session.refresh(viewer)
        assert (viewer.roles, viewer.led_key_priority_ids) == (set(roles), set(led))
    page = coordinator.get(path).get_data(as_text=True)
    assert f'value="{kp2.id}" checked' in page and f'value="{kp1.id}" checked' not in page
    assert {(r.before, r.after) for r in db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity == "user", ChangeRecord.entity_id == viewer.id))} == {
        ("viewer", f"lead, key_priority_lead:{kp1.id}, key_priority_lead:{kp2.id}"),
        (f"lead, key_priority_lead:{kp1.id}, key_priority_lead:{kp2.id}", f"key_priority_lead:{kp2.id}")}

    refused = coordinator.post(path, data={"roles": [], **opened(coordinator, path)})
    assert "Select at least one role" in refused.get_data(as_text=True)
    crafted = coordinator.post(path, data={"roles": ["owner"], **opened(coordinator, path)})
    assert crafted.status_code == 200 and "Select at least one role" in unescape(crafted.get_data(as_text=True))
    db.session.refresh(viewer)
    assert viewer.roles == {"key_priority_lead"}


def test_an_import_adds_a_role_beside_those_held(runner, db, make_user, known_agency, tmp_path):
    make_user(roles=("lead",), agency=known_agency("EP"), name="Lee", email="lee@example.org")
    path = tmp_path / "people.csv"
    path.write_text("name,email,agency,role\nLee,lee@example.org,EP,viewer\n", encoding="utf-8")
    result = runner.invoke(args=["people", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.execute(select(User)).scalar_one().roles == {"lead", "viewer"}
    path.write_text("name,email,agency,role\nLee,lee@example.org,EP,key_priority_lead\n", encoding="utf-8")
    result = runner.invoke(args=["people", "import", str(path)])
    assert "a key priority lead is made on the Users page" in result.output
