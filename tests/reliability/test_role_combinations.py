"""Several roles at once, on every page of the role matrix: a person holding two roles gets, on each page, what the
better of the two gets alone: the page where either role may open it, a refusal only where both are refused."""

import pytest
from test_role_matrix import MATRIX, _path, _rules

from scp_tracker.people.models import UserRole


# The second role is the viewer's, which reaches no further at one agency than another: the lead's and the partner's
# rights are their own agency's, so a lead at EP who also became a partner is still not EFRS's partner.
@pytest.mark.parametrize("holder, also", [("lead", "viewer"), ("partner", "viewer")])
def test_two_roles_open_every_page_either_role_may(app, db, world, client_as, users_by_role, holder, also):
    person = users_by_role[holder]
    person.role_links.append(UserRole(role=also))
    db.session.commit()
    client = client_as(holder)
    wrong = []
    for rule, methods in _rules(app):
        for entry in MATRIX[rule.rule] if "GET" in methods else ():
            if entry.get is None:
                continue
            path = _path(rule, entry.params, world)
            alone = {entry.get[holder], entry.get[also]}
            expected = {200} if 200 in alone else alone
            response = client.get(path)
            response.close()
            if response.status_code not in expected:
                wrong.append(f"GET {path} as {holder}+{also}: {response.status_code}, expected {sorted(expected)}")
    assert wrong == []
