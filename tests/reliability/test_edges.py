"""Dates, money and email addresses at their edges: 29 February, £0, £1,000,000.01, amounts past what the database
holds, long and internationalised addresses. Each is handled, or refused with a message; never a 500."""

from datetime import date

import pytest
from sqlalchemy import select
from support.edits import objective_stamp

from scp_tracker.clock import utcnow
from scp_tracker.events.models import Event
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import deliver_due, enqueue
from scp_tracker.people.models import Contact
from scp_tracker.plans.models import FundingLine, Objective


def _edit(objective, **changes) -> dict:
    """The edit page's POST, opened on the objective as it is now."""
    data = {**objective_stamp(objective), "title": "Keep Safe scheme", "text": "Run the scheme", "status": "open", "rag": "",
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
