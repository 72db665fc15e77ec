"""The agencies, contacts and users pages: who sees what, who may change what, and what gets recorded."""

from html import unescape

import pytest
from sqlalchemy import event, select
from support.edits import opened
from support.people import ROLE_NAMES

from scp_tracker.core.models import ChangeRecord
from scp_tracker.people.models import Agency, Contact


@pytest.fixture
def world(db, users_by_role, known_agency, make_contact):
    """The role users, plus an agency with one contact who has no login, all committed."""
    cvs = known_agency("CVS")
    contact = make_contact(agency=cvs, name="Val Volunteer", email="val@example.org", phone="07700 900000")
    db.session.commit()
    return {"agency": cvs, "contact": contact, **users_by_role}


def _write_routes(world):
    """Every page that changes something: (method, path, form data a coordinator would send)."""
    agency, contact, viewer = world["agency"], world["contact"], world["viewer"]
    contact_data = {"name": "Val Volunteer", "email": "val@example.org", "agency_id": agency.id,
                    "receives_reminders": "no"}
    return [
        ("GET", "/agencies/add", None),
        ("POST", "/agencies/add", {"abbreviation": "NEW", "name": "New Agency"}),
        ("GET", f"/agencies/{agency.id}/edit", None),
        ("POST", f"/agencies/{agency.id}/edit", {"abbreviation": "CVS", "name": "Community Voluntary Services"}),
        ("POST", f"/agencies/{agency.id}/deactivate", {}),
        ("POST", f"/agencies/{agency.id}/reactivate", {}),
        ("GET", "/contacts/add", None),
        ("POST", "/contacts/add", {**contact_data, "email": "someone.new@example.org"}),
        ("GET", f"/contacts/{contact.id}/edit", None),
        ("POST", f"/contacts/{contact.id}/edit", contact_data),
        ("POST", f"/contacts/{contact.id}/deactivate", {}),
        ("POST", f"/contacts/{contact.id}/reactivate", {}),
        ("GET", "/users", None),
        ("GET", "/users/invite", None),
        ("POST", "/users/invite", {"name": "Ian Invited", "email": "ian@example.org", "agency_id": agency.id,
                                   "roles": "viewer"}),
        ("GET", f"/users/{viewer.id}/role", None),
        ("POST", f"/users/{viewer.id}/role", {"roles": "partner"}),
        ("POST", f"/users/{viewer.id}/disable", {}),
        ("POST", f"/users/{viewer.id}/enable", {}),
        ("POST", f"/users/{viewer.id}/resend-invitation", {}),
    ]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_the_coordinator_writes(world, client_as, role):
    """Coordinator: 200 on a form, 302 after a change; others 403; anonymous to sign in (in order, one client)."""
    client = client_as(role)
    wrong = []
    for method, path, data in _write_routes(world):
        if method == "POST" and path.endswith(("/edit", "/role")):
            data = {**data, **opened(client, path)}  # saved from the form as opened just now
        response = client.open(path, method=method, data=data)
        if role == "coordinator":
            expected_ok = response.status_code == (200 if method == "GET" else 302)
        elif role == "anonymous":
            expected_ok = response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=")
        else:
            expected_ok = response.status_code == 403
        if not expected_ok:
            wrong.append(f"{method} {path}: {response.status_code}")
    assert wrong == []


def _read_routes(world):
    return ["/agencies", f"/agencies/{world['agency'].id}", "/contacts", "/account/password"]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_everyone_signed_in_reads_agencies_and_contacts(world, client_as, role):
    client = client_as(role)
    for path in _read_routes(world):
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/sign-in?next=")
        else:
            assert response.status_code == 200, path


@pytest.mark.parametrize("path", ["/sign-in", "/sign-in/forgotten"])
def test_public_pages(client, path):
    assert client.get(path).status_code == 200


def test_a_missing_agency_or_contact_is_404(world, client_as):
    client = client_as("coordinator")
    for path in ("/agencies/999", "/agencies/999/edit", "/contacts/999/edit", "/users/999/role"):
        assert client.get(path).status_code == 404, path


def test_only_the_coordinator_sees_phone_numbers_and_change_links(world, client_as):
    for path in ("/contacts", f"/agencies/{world['agency'].id}"):
        lead_page = client_as("lead").get(path).get_data(as_text=True)
        assert "val@example.org" in lead_page and "Val Volunteer" in lead_page
        assert "07700 900000" not in lead_page
        assert "/edit" not in lead_page
        coordinator_page = client_as("coordinator").get(path).get_data(as_text=True)
        assert "07700 900000" in coordinator_page
        assert f"/contacts/{world['contact'].id}/edit" in coordinator_page


NASTY = '<script>alert("x")</script>'


def test_names_are_escaped_everywhere(db, world, client_as, make_user):
    agency = world["agency"]
    agency.name = f"Agency {NASTY}"
    agency.abbreviation = f"A{NASTY}"
    world["contact"].name = f"Val {NASTY}"
    make_user(role="viewer", agency=agency, name=f"User {NASTY}", email="nasty@example.org")
    db.session.commit()
    coordinator = client_as("coordinator")
    for path in ("/agencies", f"/agencies/{agency.id}", "/contacts", "/users", f"/contacts/{world['contact'].id}/edit",
                 f"/agencies/{agency.id}/edit"):
        html = coordinator.get(path).get_data(as_text=True)
        assert NASTY not in html, path
        assert "&lt;script&gt;" in html, path


# --- what the coordinator's changes do --------------------------------------------------------

def _history(db, entity, entity_id):
    records = db.session.execute(select(ChangeRecord).filter_by(entity=entity, entity_id=entity_id)
                                 .order_by(ChangeRecord.id)).scalars()
    return [(r.field, r.before, r.after, r.actor_name) for r in records]


def test_add_and_change_an_agency(db, world, client_as):
    client = client_as("coordinator")
    response = client.post("/agencies/add", data={"abbreviation": " Catch 22 ", "name": "Catch22 charity"})
    agency = db.session.execute(select(Agency).filter_by(abbreviation="Catch 22")).scalar_one()
    assert response.headers["Location"] == f"/agencies/{agency.id}"
    assert "Catch 22 has been added" in client.get(response.headers["Location"]).get_data(as_text=True)

    client.post(f"/agencies/{agency.id}/edit", data={"abbreviation": "Catch 22", "name": "Catch22",
                                                     **opened(client, f"/agencies/{agency.id}/edit")})
    client.post(f"/agencies/{agency.id}/deactivate")
    db.session.refresh(agency)
    assert (agency.name, agency.is_active) == ("Catch22", False)
    assert _history(db, "agency", agency.id) == [
        ("abbreviation", None, "Catch 22", "Coordinator Person"),
        ("name", None, "Catch22 charity", "Coordinator Person"),
        ("name", "Catch22 charity", "Catch22", "Coordinator Person"),
        ("is_active", "True", "False", "Coordinator Person"),
    ]
    assert "Deactivated" in client.get("/agencies").get_data(as_text=True)


def test_agency_names_are_unique_whatever_their_case(world, client_as):
    response = client_as("coordinator").post("/agencies/add", data={"abbreviation": "cvs", "name": "Another"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There is already an agency with the abbreviation cvs" in html
    assert 'href="#abbreviation"' in html


def test_add_and_change_a_contact(db, world, client_as):
    client = client_as("coordinator")
    agency = world["agency"]
    page = client.get(f"/contacts/add?agency_id={agency.id}").get_data(as_text=True)
    assert f'<option value="{agency.id}" selected' in page
    response = client.post("/contacts/add", data={
        "name": "Nina New", "email": "Nina@Example.ORG", "agency_id": agency.id, "receives_reminders": "no",
        "phone": "01206 123456", "job_title": "Manager",
    })
    assert response.status_code == 302
    nina = db.session.execute(select(Contact).filter_by(name="Nina New")).scalar_one()
    assert (nina.email, nina.receives_reminders, nina.phone, nina.job_title) == (
        "Nina@example.org", False, "01206 123456", "Manager")

    edit = client.get(f"/contacts/{nina.id}/edit").get_data(as_text=True)
    assert 'value="no" checked' in edit
    client.post(f"/contacts/{nina.id}/edit", data={
        "name": "Nina New", "email": "nina@example.org", "agency_id": world["lead"].contact.agency_id,
        "receives_reminders": "yes", "phone": "", "job_title": "Manager", **opened(client, f"/contacts/{nina.id}/edit"),
    })
    db.session.refresh(nina)
    assert (nina.agency.abbreviation, nina.receives_reminders, nina.phone) == ("EP", True, None)
    changes = _history(db, "contact", nina.id)
    assert ("receives_reminders", "False", "True", "Coordinator Person") in changes
    assert ("agency", "CVS", "EP", "Coordinator Person") in changes
    assert ("email", "Nina@example.org", "nina@example.org", "Coordinator Person") in changes


def test_a_contact_email_belongs_to_one_contact(world, client_as):
    response = client_as("coordinator").post("/contacts/add", data={
        "name": "Copy", "email": "VAL@example.org", "agency_id": world["agency"].id, "receives_reminders": "yes",
    })
    assert response.status_code == 200
    assert "already the email address of Val Volunteer (CVS)" in response.get_data(as_text=True)


def test_a_contact_form_with_a_bad_email(world, client_as):
    html = unescape(client_as("coordinator").post("/contacts/add", data={
        "name": "", "email": "bob@", "agency_id": world["agency"].id,
    }).get_data(as_text=True))
    assert "Enter the contact's name" in html
    assert "Enter an email address in the correct format, like name@example.com" in html


def test_deactivating_a_contact_ends_their_login(db, world, client_as):
    lead = world["lead"]
    lead_client = client_as("lead")
    assert lead_client.get("/agencies").status_code == 200
    client_as("coordinator").post(f"/contacts/{lead.contact_id}/deactivate")
    assert lead_client.get("/agencies").status_code == 302


def test_give_a_login_several_roles_and_disable_it(db, world, client_as):
    coordinator = client_as("coordinator")
    viewer = world["viewer"]
    viewer_client = client_as("viewer")
    page = coordinator.get(f"/users/{viewer.id}/role").get_data(as_text=True)
    assert 'value="viewer" checked' in page
    assert 'type="checkbox"' in page
    assert "Records events their agency held" in page
    coordinator.post(f"/users/{viewer.id}/role",
                     data={"roles": ["lead", "viewer"], **opened(coordinator, f"/users/{viewer.id}/role")})
    db.session.refresh(viewer)
    assert viewer.roles == {"lead", "viewer"}
    assert ("roles", "viewer", "lead, viewer", "Coordinator Person") in _history(db, "user", viewer.id)
    assert "Lead</li>" in coordinator.get("/users").get_data(as_text=True).replace("\n", "")

    coordinator.post(f"/users/{viewer.id}/disable")
    assert viewer_client.get("/agencies").status_code == 302
    users_page = coordinator.get("/users").get_data(as_text=True)
    assert "Viewer Person&#39;s login has been disabled" in users_page
    assert "Disabled" in users_page
    coordinator.post(f"/users/{viewer.id}/enable")
    db.session.refresh(viewer)
    assert viewer.is_enabled


def test_the_coordinator_cannot_lock_themselves_out(db, world, client_as):
    coordinator = client_as("coordinator")
    me = world["coordinator"]
    response = coordinator.post(f"/users/{me.id}/role",
                                data={"roles": "viewer", **opened(coordinator, f"/users/{me.id}/role")})
    assert response.status_code == 200
    assert "You cannot change your own roles" in response.get_data(as_text=True)
    coordinator.post(f"/users/{me.id}/disable")
    assert "You cannot disable your own login" in coordinator.get("/users").get_data(as_text=True)
    db.session.refresh(me)
    assert (me.roles, me.is_enabled) == ({"coordinator"}, True)


def test_the_users_page_shows_who_has_not_accepted(db, world, client_as):
    world["partner"].password_hash = None
    db.session.commit()
    html = client_as("coordinator").get("/users").get_data(as_text=True)
    assert "Invited" in html
    assert f"/users/{world['partner'].id}/resend-invitation" in html
    assert f"/users/{world['lead'].id}/resend-invitation" not in html


# --- a fixed number of queries however many people there are -------------------------------------

@pytest.fixture
def count_queries(db):
    """count_queries(fn) -> how many SQL statements fn ran."""

    def _count(fn):
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            fn()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    return _count


def test_lists_do_not_grow_their_queries_with_people(db, world, client_as, make_contact, make_user, count_queries):
    client = client_as("coordinator")
    paths = ["/agencies", "/contacts", "/users", f"/agencies/{world['agency'].id}"]
    # One login at the agency first: the first loads every login's roles in one more query, whatever their number.
    make_user(role="viewer", agency=world["agency"], name="First Extra", email="first.extra@example.org")
    before = {path: count_queries(lambda path=path: client.get(path)) for path in paths}
    for n in range(6):
        make_user(role="viewer", agency=world["agency"], name=f"Extra {n}", email=f"extra{n}@example.org")
        make_contact(agency=world["agency"], name=f"Other {n}", email=f"other{n}@example.org")
    db.session.commit()
    after = {path: count_queries(lambda path=path: client.get(path)) for path in paths}
    assert after == before



@pytest.mark.parametrize("agency_id", ["", "999", "abc", None])
def test_the_agency_must_be_chosen(world, client_as, agency_id):
    data = {"name": "Nina", "email": "nina@example.org", "receives_reminders": "yes"}
    if agency_id is not None:
        data["agency_id"] = agency_id
    response = client_as("coordinator").post("/contacts/add", data=data)
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    assert "Select the contact's agency" in html
    assert "could not coerce" not in html and "Not a valid choice" not in html
