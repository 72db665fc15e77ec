"""A password link (reset or invitation) dies when its login's email address changes: it went to the old one."""

import pytest
from sqlalchemy import select
from support.people import emailed_path

from scp_tracker.people.models import PasswordToken

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

NEW_PASSWORD = "a brand new passphrase"


def test_a_reset_link_dies_when_the_address_changes(db, client, users_by_role, outbox_rows):
    client.post("/sign-in/forgotten", data={"email": "lead@example.org"})
    path = emailed_path(outbox_rows()[0], "/reset-password/")
    assert client.get(path).status_code == 200
    users_by_role["lead"].contact.email = "lead@new-employer.example.org"
    db.session.commit()

    assert client.get(path).status_code == 410
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    db.session.expire_all()
    assert db.session.scalar(select(PasswordToken.used_at)) is None  # refused, not used up
