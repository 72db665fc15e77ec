"""One real CSRF round trip: with protection on, a POST needs the token from the rendered form."""

import re

import pytest
from sqlalchemy import select
from support.people import PASSWORD

from scp_tracker.people.models import Agency


@pytest.fixture
def csrf_app(app):
    """The test app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def test_a_form_post_needs_its_token(csrf_app, db, client_as):
    client = client_as("coordinator")
    form_page = client.get("/agencies/add").get_data(as_text=True)
    token = _token(form_page)

    refused = client.post("/agencies/add", data={"abbreviation": "NEW", "name": "New Agency"})
    assert refused.status_code == 400
    assert "Your form expired" in refused.get_data(as_text=True)
    assert db.session.execute(select(Agency).filter_by(abbreviation="NEW")).scalar_one_or_none() is None

    accepted = client.post("/agencies/add", data={"abbreviation": "NEW", "name": "New Agency", "csrf_token": token})
    assert accepted.status_code == 302
    assert db.session.execute(select(Agency).filter_by(abbreviation="NEW")).scalar_one().name == "New Agency"


def test_sign_in_and_sign_out_need_tokens(csrf_app, users_by_role):
    client = csrf_app.test_client()
    assert client.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD}).status_code == 400
    token = _token(client.get("/sign-in").get_data(as_text=True))
    signed_in = client.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302

    # Another site cannot sign people out: the sign-out button carries the token.
    assert client.post("/sign-out").status_code == 400
    token = _token(client.get("/agencies").get_data(as_text=True))
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/agencies").status_code == 302
