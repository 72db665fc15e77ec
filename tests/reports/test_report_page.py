"""The board report page: who opens it, what it says since a date, its downloads, and its bounded queries."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from support.notifications import objective_values

from scp_tracker.core.clock import utcnow
from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.plans.models import Objective
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.plans.services import update_objective


def flat(body: str) -> str:
    """A page's text without tags or extra spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def since_args(day) -> str:
    return f"since={day.day}&since={day.month}&since={day.year}"


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("lead", 200), ("viewer", 200),
                                               ("partner", 403), ("anonymous", 302)])
def test_leads_and_board_viewers_open_the_report(sample_plan, plans_client, role, status):
    sample_plan(2)
    assert plans_client(role).get("/report").status_code == status


def test_the_report_shows_changes_since_a_date_in_plain_english(sample_plan, plans_client, db):
    sample = sample_plan(4)
    old = datetime.now(UTC) - timedelta(days=200)
    db.session.add(ChangeRecord(objective_id=sample.objective_ids[0], entity="objective", field="title",
                                before="Ancient", after="Objective 0", actor_name="Old Hand", changed_at=old))
    db.session.commit()
    client = plans_client("viewer")
    body = flat(client.get("/report").get_data(as_text=True))
    assert "RAG set to Red by Sample Coordinator" in body
    assert "Progress on objective 0" in body and "Sample Lead" in body  # the latest progress, with its author
    assert "Ancient" not in body  # older than three months
    since = (datetime.now(UTC) - timedelta(days=300)).date()
    body = flat(client.get(f"/report?{since_args(since)}").get_data(as_text=True))
    assert "Short title changed from Ancient to Objective 0 by Old Hand" in body
    body = flat(client.get(f"/report?{since_args(datetime.now(UTC).date())}").get_data(as_text=True))
    assert "No changes" in body
    assert not re.search(r"\bNone\b|→|changed from None", body)


def test_a_moved_end_date_reads_as_a_sentence_with_who_moved_it(db, sample_plan, plans_client):
    sample = sample_plan(1)
    objective = db.session.get(Objective, sample.objective_ids[0])
    old_end = objective.end_date
    update_objective(objective, objective_values(objective, end_date=old_end + timedelta(days=400)),
                     Actor(name="Alex Morgan"))
    db.session.commit()
    new_end = objective.end_date
    body = flat(plans_client("viewer").get("/report").get_data(as_text=True))
    assert (f"End date moved from {old_end.day} {old_end:%B %Y} to {new_end.day} {new_end:%B %Y} by Alex Morgan"
            in body)


def test_a_bad_or_future_date_is_an_error_on_the_page(sample_plan, plans_client):
    sample_plan(2)
    client = plans_client("coordinator")
    assert "Date must include a year" in client.get("/report?since=40&since=13").get_data(as_text=True)
    future = datetime.now(UTC).date() + timedelta(days=30)
    body = client.get(f"/report?{since_args(future)}").get_data(as_text=True)
    assert "must be today or earlier" in body and "govuk-error-summary" in body


def test_an_unknown_round_is_an_error_not_a_crash(sample_plan, plans_client):
    sample_plan(2)
    response = plans_client("coordinator").get("/report?round=No+such+round")
    assert response.status_code == 200 and "has no round" in response.get_data(as_text=True)


def test_progress_is_said_once(sample_plan, plans_client, db):
    """The latest progress has its own column; earlier progress in the period is a line of what changed, with its
    RAG; the RAG change a progress update made is not listed again beside it."""
    sample = sample_plan(2)
    objective = db.session.get(Objective, sample.objective_ids[1])
    for text, rag, author in (("Started", "amber", "Gill Green"), ("Going better", "green", "Gill Green")):
        add_progress(objective, ProgressValues(text=text, rag=rag), Actor(name=author, source="web"), now=utcnow())
    db.session.commit()
    body = flat(plans_client("viewer").get("/report").get_data(as_text=True))
    assert "Going better" in body and body.count("Gill Green") == 2  # the latest's author, the earlier line
    assert "Progress from Gill Green (RAG Amber)" in body and "(RAG Green)" not in body
    assert "Amber by Gill Green" not in body and "Green by Gill Green" not in body


@pytest.mark.parametrize(("fmt", "mimetype", "magic"), [
    ("pdf", "application/pdf", b"%PDF-"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
])
def test_the_page_downloads_the_paper(sample_plan, plans_client, fmt, mimetype, magic):
    sample_plan(4)
    client = plans_client("lead")
    page = client.get("/report").get_data(as_text=True)
    link = re.search(rf'href="([^"]*format={fmt}[^"]*)"', page)
    assert link, f"no {fmt} link on the page"
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.data.startswith(magic)
    assert re.match(rf'attachment; filename="board-paper-2016-17-\d{{4}}-\d{{2}}-\d{{2}}\.{fmt}"',
                    response.headers["Content-Disposition"])


def test_the_page_is_printable(sample_plan, plans_client):
    sample_plan(2)
    body = plans_client("coordinator").get("/report").get_data(as_text=True)
    assert "/static/plans/plans.css" in body
    assert 'class="app-no-print"' in body


def test_the_report_reads_in_a_fixed_number_of_queries(sample_plan, plans_client, count_queries, db):
    client = plans_client("viewer")
    sample_plan(4)
    client.get("/report")
    with count_queries() as small:
        assert client.get("/report").status_code == 200
    sample_plan(40, year="2017-18")  # a plan ten times the size
    client.get("/report?year=2017-18")
    with count_queries() as big:
        assert client.get("/report?year=2017-18").status_code == 200
    assert len(big) == len(small), "\n".join(big)
    assert len(big) <= 25
