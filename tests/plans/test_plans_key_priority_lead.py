"""The key priority lead: sees and may update every objective of their key priority (and no other), whatever agency
leads it; named on the plan page beside their key priority. And a person with several roles may do what any allows."""

import pytest
from sqlalchemy import select
from support.edits import opened

from scp_tracker.plans.models import Objective, ProgressUpdate


@pytest.fixture
def kp_world(app, db, sample_plan, make_user, known_agency, login):
    """A sample plan; Priya leads key priority 1 (objectives 0 and 4, led by EP) from EFRS, which leads nothing."""
    sample = sample_plan(8)
    kp1 = sample.key_priorities[0]
    priya = make_user(roles=("key_priority_lead",), key_priority_ids=(kp1.id,), agency=known_agency("EFRS"),
                      name="Priya Priority", email="priya@example.org")
    theirs = [oid for oid in sample.objective_ids if db.session.get(Objective, oid).key_priority_id == kp1.id]
    others = [oid for oid in sample.objective_ids if oid not in theirs]
    return sample, login(priya, on_client=app.test_client()), theirs, others


def test_a_key_priority_lead_may_edit_and_update_every_objective_of_their_key_priority(db, kp_world):
    _, priya, theirs, _ = kp_world
    for objective_id in theirs:
        assert priya.get(f"/objectives/{objective_id}/edit").status_code == 200
        assert priya.get(f"/objectives/{objective_id}/progress").status_code == 200
        page = priya.get(f"/objectives/{objective_id}").get_data(as_text=True)
        assert "Edit objective" in page and "Add progress" in page
    objective_id = theirs[0]
    path = f"/objectives/{objective_id}/progress"
    response = priya.post(path, data={"text": "Chased the police", "rag": "amber", **opened(priya, path)})
    assert response.status_code == 302
    update = db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.objective_id == objective_id)
                               .order_by(ProgressUpdate.id.desc()).limit(1))
    assert (update.text, update.author_name) == ("Chased the police", "Priya Priority")


def test_a_key_priority_lead_may_not_touch_another_key_prioritys_objectives(db, kp_world):
    _, priya, _, others = kp_world
    for objective_id in others:
        assert priya.get(f"/objectives/{objective_id}").status_code == 200  # everyone signed in reads the plan
        assert priya.get(f"/objectives/{objective_id}/edit").status_code == 403
        assert priya.get(f"/objectives/{objective_id}/progress").status_code == 403
        path = f"/objectives/{objective_id}/progress"
        assert priya.post(path, data={"text": "Not mine", "rag": "red"}).status_code == 403
    assert db.session.scalar(select(ProgressUpdate.id).where(ProgressUpdate.text == "Not mine")) is None


def test_the_plan_page_names_the_key_priority_lead_beside_their_key_priority(db, kp_world, plans_client):
    sample, _, _, _ = kp_world
    for role in ("viewer", "coordinator"):
        page = plans_client(role).get(f"/plan?year={sample.plan.year}").get_data(as_text=True)
        assert "Key priority lead: CBH; Priya Priority (EFRS)" in page
        assert page.count("Priya Priority") == (2 if role == "coordinator" else 1)  # and in the coordinator's list


@pytest.mark.parametrize("roles, report, edit", [
    (("partner",), 403, 403),
    (("viewer",), 200, 403),
    (("lead",), 200, 200),  # leads read the board report too
    (("partner", "viewer"), 200, 403),
    (("lead", "viewer"), 200, 200),
])
def test_several_roles_may_do_what_any_of_them_allows(app, db, sample_plan, make_user, known_agency, login,
                                                      roles, report, edit):
    sample = sample_plan(2)  # objective 0 is led by EP
    person = make_user(roles=roles, agency=known_agency("EP"), name="Sam Several", email="sam@example.org")
    client = login(person, on_client=app.test_client())
    assert client.get(f"/report?year={sample.plan.year}").status_code == report
    assert client.get(f"/objectives/{sample.objective_ids[0]}/edit").status_code == edit
