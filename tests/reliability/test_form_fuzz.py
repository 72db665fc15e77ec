"""Every form of every blueprint fuzzed through the test client: each POST route of app.url_map, as a role that may
use it, with the form's own field names (read from its page) and random ones, filled with junk, partial dates,
huge numbers and lists. The answer is a page with messages, a redirect or a refusal; never a 500 (in testing an
exception propagates and fails the test)."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from test_role_matrix import MATRIX, ROLES

# 409: an edit form saved without the version it was opened at is refused (site/edits.py), never applied
ANSWERS = {200, 302, 400, 403, 404, 409, 410}
VALUES = st.one_of(
    st.sampled_from(["", " ", "0", "1", "2", "-1", "99999999999999999999", "1e400", "NaN", "29", "2", "2017",
                     "yes", "no", "y", "on", "approve", "decline", "red", "open", "set", "tbc", "listed", "all",
                     "confirmed", "lead", "coordinator", "£1,000,000.01", "07:00", "25:99", "28, 14, 7, 1",
                     "name@example.org", "jörg@bücher.example", "<script>alert(1)</script>", "\x00", "a" * 5000,
                     "../../etc/passwd", "x.csv"]),
    st.text(max_size=20),
)
EXTRA_FIELDS = ["csrf_token", "submit", "decision", "new", "turn_off", "objectives", "funding-0-amount",
                "funding-9-status", "starts_on", "end_date", "upload", "filename", "next"]
FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def _targets(app, world, client_as) -> list[tuple[str, str, list[str]]]:
    """(path, role, field names) for every POST route: a role the matrix lets in, the names on its page."""
    targets = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        for entry in MATRIX[rule.rule]:
            if not entry.post:
                continue
            values = {name: world.params[value] for name, value in entry.params.items()}
            path = rule.build({**(rule.defaults or {}), **values})[1]
            allowed = [role for role in ROLES if entry.post[role] not in (403, 404, 410)]
            role = allowed[0] if allowed else "coordinator"
            names = []
            if "GET" in rule.methods:
                page = client_as(role).get(path)
                names = sorted(set(FIELD_NAME.findall(page.get_data(as_text=True))))
                page.close()
            targets.append((path, role, names + EXTRA_FIELDS))
    return targets


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_every_form_answers_fuzzed_posts_without_a_500(app, world, client_as, data):
    if "fuzz_targets" not in app.extensions:  # once per test, not once per example
        app.extensions["fuzz_targets"] = _targets(app, world, client_as)
    targets = app.extensions["fuzz_targets"]
    path, role, names = data.draw(st.sampled_from(targets), label="route")
    form = data.draw(st.dictionaries(st.sampled_from(names), st.lists(VALUES, max_size=4), max_size=len(names)),
                     label="form")
    response = client_as(role).post(path, data=MultiDict([(k, v) for k, values in form.items() for v in values]))
    assert response.status_code in ANSWERS, f"POST {path} as {role}: {response.status_code}"
    response.close()
