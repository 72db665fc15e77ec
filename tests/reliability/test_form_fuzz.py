"""Every form of every blueprint fuzzed through the test client: each POST route of app.url_map, as a role that may
use it, with the form's own field names (read from its page) and random ones, filled with junk, partial dates,
out-of-range dates, huge numbers, control characters and lists. Then every route of app.url_map, signed in and
not, with ids past what the database holds in its address and the same junk in its query string. The answer is a
page with messages, a redirect or a refusal; never a 500 (in testing an exception propagates and fails the test).
"""

import re
from pathlib import Path

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_role_matrix import MATRIX, ROLES
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields.core import UnboundField

import scp_tracker
from scp_tracker.core.fields import GovDateField
from scp_tracker.core.forms import BaseForm, BaseSubform

# 409: an edit form saved without the version it was opened at is refused (core/edits.py), never applied
ANSWERS = {200, 302, 400, 403, 404, 409, 410}
VALUES = st.one_of(
    st.sampled_from(["", " ", "0", "1", "2", "-1", "99999999999999999999", "1e400", "NaN", "29", "2", "2017",
                     "yes", "no", "y", "on", "approve", "decline", "red", "open", "set", "tbc", "listed", "all",
                     "confirmed", "lead", "coordinator", "£1,000,000.01", "07:00", "25:99", "28, 14, 7, 1",
                     "name@example.org", "jörg@bücher.example", "<script>alert(1)</script>", "\x00", "a" * 5000,
                     "../../etc/passwd", "x.csv"]),
    st.sampled_from(["0", "0000", "1899", "2201", "9999", "99999", "0001-01-01", "9999-12-31", "2016-02-30",
                     str(2**31), str(2**63), "-" + str(2**63), "1" * 30]),
    st.builds("".join, st.lists(st.sampled_from(["a", " ", "\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\t",
                                                 "\r\n", "é"]), min_size=1, max_size=6)),
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


# Each sent in every field of every form at once: what Hypothesis might draw too rarely to hit every form.
EVERY_FIELD = [["a\x00b\x01\x1b\x7f"], ["1", "1", "9999"], ["9999-12-31"], [str(2**63)]]


def test_every_form_answers_a_null_huge_numbers_and_out_of_range_dates_in_every_field(app, world, client_as):
    """Every POST route of app.url_map, each value of EVERY_FIELD in all its fields, as a role that may use it and
    as nobody: a page with messages, a redirect or a refusal."""
    for path, role, names in _targets(app, world, client_as):
        for values in EVERY_FIELD:
            form = MultiDict([(name, value) for name in names for value in values])
            for who in (role, "anonymous"):
                response = client_as(who).post(path, data=form)
                assert response.status_code in ANSWERS, f"POST {path} as {who} with {values}: {response.status_code}"
                response.close()


# WTForms' own words for a value that is not among a field's choices: each form must say which field instead.
GENERIC_CHOICE_ERRORS = ("Not a valid choice", "could not coerce", "is not a valid choice for")


def test_every_form_names_the_field_whose_choice_was_not_offered(app, world, client_as):
    """Every POST route, every field on its page given a value no list offers (an old bookmark, a changed page):
    the messages name the field, never WTForms' "Not a valid choice"."""
    for path, role, names in _targets(app, world, client_as):
        response = client_as(role).post(path, data=MultiDict([(name, "not-offered") for name in names]))
        page = response.get_data(as_text=True)
        response.close()
        for generic in GENERIC_CHOICE_ERRORS:
            assert generic not in page, f"POST {path} as {role}: {generic!r}"


SOURCE = Path(scp_tracker.__file__).parent
# Every query-string value the app reads by name (through core.inputs), found in the code so a new one is fuzzed too.
QUERY_NAMES = sorted(set(re.findall(r'arg_(?:int|date|text)\("(\w+)"', "\n".join(
    path.read_text() for path in SOURCE.rglob("*.py")))))
HUGE_IDS = [2**31, 2**63, 10**30]
BAD_TEXT = ["\x00", "a\x00b", "\x1b[0m", "%00", "x" * 300]


def _route_targets(app, world, client_as) -> list[tuple]:
    """(rule, the world's values for its parameters, query names) for every route, the names its page shows."""
    targets = []
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods & {"GET", "POST"})
        values = {name: world.params[value] for name, value in MATRIX[rule.rule][0].params.items()}
        names = [*QUERY_NAMES, "page", "id", "q"]  # and a few any page might read
        if "GET" in methods and not rule.rule.startswith("/static"):
            page = client_as("coordinator").get(rule.build({**(rule.defaults or {}), **values})[1])
            if page.mimetype == "text/html":
                names += FIELD_NAME.findall(page.get_data(as_text=True))
            page.close()
        targets.append((rule, values, methods, sorted(set(names))))
    return targets


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_every_route_answers_bad_addresses_and_query_strings_without_a_500(app, world, client_as, data):
    """Every rule of app.url_map: huge ids in the address, NUL and control characters in its text parameters,
    huge numbers, out-of-range dates and control characters in its query string; signed in and anonymous."""
    if "route_targets" not in app.extensions:  # once per test, not once per example
        app.extensions["route_targets"] = _route_targets(app, world, client_as)
    rule, known, methods, names = data.draw(st.sampled_from(app.extensions["route_targets"]), label="route")
    values = {**(rule.defaults or {}), **known}
    converters = {name: "int" if f"<int:{name}>" in rule.rule else "text"
                  for name in rule.arguments - set(rule.defaults or {})}
    for name, kind in converters.items():
        bad = HUGE_IDS if kind == "int" else BAD_TEXT
        values[name] = data.draw(st.sampled_from([values[name], *bad]), label=name)
    path = rule.build(values)[1]
    query = data.draw(st.lists(st.tuples(st.sampled_from(names), VALUES), max_size=4), label="query")
    role = data.draw(st.sampled_from(["coordinator", "coordinator", "anonymous"]), label="role")
    method = data.draw(st.sampled_from(methods), label="method")
    response = client_as(role).open(path, method=method, query_string=MultiDict(query),
                                    data=MultiDict(query) if method == "POST" else None)
    assert response.status_code in ANSWERS | {405}, f"{method} {path} {query} as {role}: {response.status_code}"
    assert b"Traceback" not in response.get_data()
    response.close()


def test_query_strings_are_read_only_through_the_bounded_helpers():
    """A value read straight from request.args escapes the bounds (a page number past the database's integer):
    the app reads them through core.inputs (arg_int, arg_date, arg_text) or a form, which the tests above fuzz."""
    direct = [f"{path.relative_to(SOURCE)}:{number}" for path in SOURCE.rglob("*.py") if path.name != "inputs.py"
              for number, line in enumerate(path.read_text().splitlines(), 1)
              if re.search(r"request\.(args|values)(\.get\b|\[)", line)]
    assert not direct, f"query-string values read directly: {direct}"
    assert {"page", "objective", "agency_id"} <= set(QUERY_NAMES)


def _subclasses(cls) -> set[type]:
    """Every subclass of a class, however deep."""
    return {sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))}


def test_every_form_gets_the_input_rules(app):
    """The text and date rules live in core.forms' Meta: a form on FlaskForm or Form itself would not have them."""
    forms = [cls for cls in _subclasses(Form) if cls.__module__.startswith("scp_tracker.")]
    assert len(forms) >= 20
    bare = [f"{cls.__module__}.{cls.__qualname__}" for cls in forms if not issubclass(cls, BaseForm | BaseSubform)]
    assert not bare, f"forms without the input rules (derive from core.forms.BaseForm): {bare}"
    direct = [f"{path.relative_to(SOURCE)}:{number}" for path in SOURCE.rglob("*.py") if path.name != "forms.py"
              or path.parent.name != "core" for number, line in enumerate(path.read_text().splitlines(), 1)
              if "FlaskForm" in line]
    assert not direct, f"FlaskForm used directly: {direct}"


def test_every_date_input_takes_a_post_lacking_parts_of_the_date(app):
    """GovDateInput unpacks exactly three raw values (PITFALLS): every field drawn with it must be a GovDateField,
    which always keeps three."""
    fields = [(cls, name, value) for cls in _subclasses(Form) if cls.__module__.startswith("scp_tracker.")
              for name, value in vars(cls).items() if isinstance(value, UnboundField)]
    drawn = [(cls, name, unbound) for cls, name, unbound in fields if isinstance(
        unbound.kwargs.get("widget") or getattr(unbound.field_class, "widget", None), GovDateInput)]
    assert len(drawn) >= 4
    unguarded = [f"{cls.__qualname__}.{name}" for cls, name, unbound in drawn
                 if not issubclass(unbound.field_class, GovDateField)]
    assert not unguarded, f"date inputs a POST lacking a part would break: {unguarded}"
