"""Dates, money and email addresses at their edges: 29 February, £0, £1,000,000.01, amounts past what the database
holds, long and internationalised addresses; ids past what the database holds in every address; numbers, dates and
control characters in query strings and forms. Each is handled, or refused with a message; never a 500."""

import re
from datetime import date

import pytest
from sqlalchemy import select
from support.edits import objective_stamp
from test_role_matrix import MATRIX

from scp_tracker.core.clock import utcnow
from scp_tracker.core.inputs import BoundedIntConverter
from scp_tracker.events.models import Event
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import deliver_due, enqueue
from scp_tracker.people.models import Contact
from scp_tracker.plans.models import FundingLine, Objective


def _edit(objective, **changes) -> dict:
    """The edit page's POST, opened on the objective as it is now."""
    data = {**objective_stamp(objective), "title": "Keep Safe scheme", "text": "Run the scheme", "status": "open",
            "rag": "",
            "end_date_status": "set", "end_date": ["30", "4", "2017"], "police_scope": "none", "pcc_scope": "none"}
    return {**data, **changes}


DATES = [
    (["29", "2", "2017"], "End date must be a real date, like 30 4 2017"),
    (["31", "4", "2017"], "End date must be a real date, like 30 4 2017"),
    (["1", "1", "17"], "Year must include 4 numbers"),
    (["29", "2", ""], "End date must include a year"),
    (["29", "2", "2016"], None),
]


@pytest.fixture
def objective(db, users_by_role, known_agency, make_objective):
    """An objective led by CBC with one confirmed funding line of £5,000."""
    return make_objective(title="Keep Safe scheme", leads=[known_agency("CBC")], end_date=date(2017, 4, 30),
                          funding=[{"status": "confirmed", "amount_pence": 500000, "source": "SCP",
                                    "pot": "16-17 allocation", "text": "£5000 SCP (16-17 allocation)"}])


def test_end_dates_at_the_edges(objective, client_as, db):
    client = client_as("coordinator")
    for day, message in DATES:
        response = client.post(f"/objectives/{objective.id}/edit", data=_edit(objective, end_date=day))
        db.session.expire_all()
        if message:
            assert response.status_code == 200 and message in response.get_data(as_text=True), day
            assert db.session.get(Objective, objective.id).end_date == date(2017, 4, 30)
        else:
            assert response.status_code == 302
            assert db.session.get(Objective, objective.id).end_date == date(2016, 2, 29)
    assert "29 February 2016" in client_as("viewer").get(f"/objectives/{objective.id}").get_data(as_text=True)


def test_an_event_on_29_february(users_by_role, client_as, db, event_form):
    response = client_as("partner").post("/events/new", data=event_form(starts_on=["29", "2", "2016"]))
    assert response.status_code == 302
    assert db.session.scalar(select(Event.starts_on).where(Event.title == "Crucial Crew")) == date(2016, 2, 29)


AMOUNTS = [
    ("1,000,000.001", None, "Enter the amount in pounds, like 5,000 or 1,250.50"),
    ("-5", None, "Enter the amount in pounds, like 5,000 or 1,250.50"),
    ("NaN", None, "Enter the amount in pounds, like 5,000 or 1,250.50"),
    ("99999999999999999999", None, "Enter an amount less than £1,000,000,000"),
    ("1e30", None, "Enter an amount less than £1,000,000,000"),
    ("999,999,999.99", 99_999_999_999, "£999,999,999.99"),
    ("£1,000,000.01", 100_000_001, "£1,000,000.01"),
    ("£0", 0, "£0"),
]


def test_funding_amounts_at_the_edges(objective, client_as, db):
    line_id = objective.funding_lines[0].id
    client = client_as("coordinator")
    for typed, pence, message in AMOUNTS:
        response = client.post(f"/objectives/{objective.id}/edit", data=_edit(objective, **{
            "funding-0-line_id": str(line_id), "funding-0-amount": typed, "funding-0-source": "SCP",
            "funding-0-pot": "16-17 allocation", "funding-0-status": "confirmed"}))
        db.session.expire_all()
        saved = db.session.get(FundingLine, line_id).amount_pence
        if pence is None:
            assert response.status_code == 200 and message in response.get_data(as_text=True), typed
        else:
            assert response.status_code == 302 and saved == pence, typed
            assert message in client.get(f"/objectives/{objective.id}").get_data(as_text=True)


def test_event_costs_at_the_edges(users_by_role, client_as, event_form):
    client = client_as("partner")
    response = client.post("/events/new", data=event_form(cost="99999999999999999999"))
    assert response.status_code == 200
    assert "Cost must be £100,000,000 or less" in response.get_data(as_text=True)
    for typed in ("0", "£1,000,000.01"):
        assert client.post("/events/new", data=event_form(cost=typed, title=f"Cost {typed}")).status_code == 302


LONGEST = "l" * 64 + "@" + ".".join(["d" * 61] * 3) + ".org"  # 254 characters: the most SMTP carries


ADDRESSES = [
    (LONGEST, LONGEST),
    ("x" * 250 + "@example.org", None),  # too long
    ("user@bücher.example", "user@bücher.example"),  # an internationalised domain
    ("Name.Surname+scp@Example.ORG", "Name.Surname+scp@example.org"),
    ("not an address", None),
    ("two@@example.org", None),
]


def test_email_addresses_at_the_edges(users_by_role, known_agency, client_as, db):
    client = client_as("coordinator")
    agency_id = known_agency("CBC").id
    for n, (address, saved) in enumerate(ADDRESSES):
        response = client.post("/contacts/add", data={
            "name": f"Edge Case {n}", "email": address, "agency_id": str(agency_id), "receives_reminders": "yes"})
        found = db.session.scalar(select(Contact.email).where(Contact.name == f"Edge Case {n}"))
        if saved:
            assert response.status_code == 302 and found == saved, address
        else:
            assert response.status_code == 200, address
            assert "Enter an email address in the correct format" in response.get_data(as_text=True), address
            assert found is None


def test_an_address_that_cannot_be_sent_to_fails_alone_and_the_rest_are_delivered(app, db, smtp_server):
    """An accent before the @ needs SMTPUTF8: that one email fails with a reason; it never holds up the others."""
    for n, address in enumerate(["first@example.org", "jörg@example.org", "user@bücher.example", "last@example.org"]):
        enqueue(to=address, subject="Reminder", text_body="Body", key=f"edge:{n}")
    db.session.commit()
    report = deliver_due(utcnow())
    assert (report.sent, report.failed) == (3, 1)
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).one()
    assert failed.to_address == "jörg@example.org" and "characters such as accents" in failed.last_error
    received = sorted(address for email in smtp_server.received for address in email.rcpt_tos)
    assert received == ["first@example.org", "last@example.org", "user@xn--bcher-kva.example"]


# Past PostgreSQL's integer, past SQLite's 64-bit integer, and past both by far.
HUGE_IDS = [2**31, 2**63, 10**30]
INT_ARGUMENT = re.compile(r"<int:(\w+)>")


def test_ids_past_what_the_database_holds_are_not_found_in_every_address(app, world, client_as):
    """Every route with a number in its address, read from app.url_map, given one too large: 404 for GET and POST."""
    assert app.url_map.converters["int"] is BoundedIntConverter
    client = client_as("coordinator")
    tried = 0
    for rule in app.url_map.iter_rules():
        numbers = INT_ARGUMENT.findall(rule.rule)
        if not numbers:
            continue
        others = {name: world.params[value] for name, value in MATRIX[rule.rule][0].params.items()}
        for huge in HUGE_IDS:
            path = rule.build({**others, **dict.fromkeys(numbers, huge)})[1]
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(path, method=method, data={})
                assert response.status_code == 404, f"{method} {path}: {response.status_code}"
                tried += 1
    assert tried >= 20


TEXT_ARGUMENT = re.compile(r"<(?:string:)?(\w+)>")
BAD_PATH_TEXT = ["2016-17\x00", "\x01", "x" * 300]


def test_text_in_every_address_with_a_null_a_control_character_or_too_long_is_not_found(app, world, client_as):
    """Every route with text in its address (a plan's year, a token, a format), read from app.url_map, given text
    no record could hold: never a 500 (PostgreSQL refuses a NUL in a query outright)."""
    client = client_as("coordinator")
    tried = 0
    for rule in app.url_map.iter_rules():
        texts = [name for name in TEXT_ARGUMENT.findall(rule.rule) if name != "filename"]
        if not texts or rule.rule.startswith("/static"):
            continue
        others = {name: world.params[value] for name, value in MATRIX[rule.rule][0].params.items()}
        for bad in BAD_PATH_TEXT:
            path = rule.build({**others, **dict.fromkeys(texts, bad)})[1]
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(path, method=method, data={})
                assert response.status_code < 500, f"{method} {path}: {response.status_code}"
                tried += 1
    assert tried >= 20


QUERY_STRINGS = [
    "/plan?page=100000000000000000000", "/plan?page=-3", "/plan?due_within=100000000000000000000",
    "/plan?no_update_days=9223372036854775808", "/plan?year=2016-17%00", "/plan?year=%01",
    "/events?page=100000000000000000000", "/events?objective=100000000000000000000&agency=%00",
    "/events/new?objective=100000000000000000000", "/events/new?objective=-1",
    "/emails?page=100000000000000000000&status=%00", "/notifications?page=100000000000000000000",
    "/contacts/add?agency_id=100000000000000000000", "/sign-in?next=/plan%00",
    "/reminders/preview?on=31&on=12&on=9999", "/reminders/preview?on=1&on=1&on=0001", "/reminders/preview?on=%00",
    "/report?since=1&since=1&since=9999", "/report?since=1&since=1&since=0000", "/report?since=%00",
]


def test_numbers_dates_and_text_in_query_strings_at_the_edges(world, client_as):
    """Each query-string value the app reads, past what Python or the database holds: a page, never a 500."""
    for role in ("coordinator", "anonymous"):
        client = client_as(role)
        for path in QUERY_STRINGS:
            response = client.get(path)
            assert response.status_code in (200, 302, 404), f"GET {path} as {role}: {response.status_code}"


def test_filter_dates_outside_1900_to_2200_are_ignored_with_a_message(world, client_as):
    dates = "date_from=31&date_from=12&date_from=9999&date_to=1&date_to=1&date_to=0001"
    page = client_as("coordinator").get(f"/events?{dates}").get_data(as_text=True)
    assert "From must be between 1 January 1900 and 31 December 2200" in page
    assert "To must be between 1 January 1900 and 31 December 2200" in page


OUT_OF_RANGE = [["1", "1", "9999"], ["31", "12", "1899"], ["1", "1", "2201"]]


def test_dates_outside_1900_to_2200_are_refused_with_a_message(objective, client_as, db, event_form):
    coordinator = client_as("coordinator")
    for day in OUT_OF_RANGE:
        response = coordinator.post(f"/objectives/{objective.id}/edit", data=_edit(objective, end_date=day))
        assert response.status_code == 200, day
        assert "End date must be between 1 January 1900 and 31 December 2200" in response.get_data(as_text=True)
        response = coordinator.post("/events/new", data=event_form(starts_on=day))
        assert response.status_code == 200, day
        assert "Date must be between 1 January 1900 and 31 December 2200" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Objective, objective.id).end_date == date(2017, 4, 30)
    assert db.session.scalar(select(Event.id)) is None


def test_control_characters_are_removed_and_a_null_is_refused_with_a_message(users_by_role, known_agency, client_as,
                                                                             db):
    """A NUL cannot be stored in PostgreSQL text: refused with a message, on every form, signed in or not."""
    page = client_as("anonymous").post("/sign-in", data={"email": "a\x00@example.org", "password": "x"})
    assert page.status_code == 200 and "must not include a null character" in page.get_data(as_text=True)
    client = client_as("coordinator")
    agency_id = str(known_agency("CBC").id)
    response = client.post("/contacts/add", data={"name": "Nul\x00 Name", "email": "nul@example.org",
                                                  "agency_id": agency_id})
    assert response.status_code == 200
    assert "Full name must not include a null character" in response.get_data(as_text=True)
    assert db.session.scalar(select(Contact.id).where(Contact.email == "nul@example.org")) is None
    response = client.post("/contacts/add", data={"name": "Sam\x01 Spare\x1b", "email": "sam@example.org",
                                                  "agency_id": agency_id, "receives_reminders": "yes"})
    assert response.status_code == 302
    assert db.session.scalar(select(Contact.name).where(Contact.email == "sam@example.org")) == "Sam Spare"
