"""The board paper's summary against a small plan whose every figure is known (support.plans.sample_plan)."""

from datetime import timedelta

import pytest

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.models import ChangeRecord
from scp_tracker.plans.models import Objective
from scp_tracker.reports.paper import PaperError, build_paper, plan_round
from scp_tracker.rounds.closing import close_due_rounds
from scp_tracker.rounds.models import ReportingRound


def counts(row) -> dict:
    """A summary row as {RAG: (now, change)}."""
    return {count.rag: (count.now, count.change) for count in row.counts}


@pytest.fixture
def eight(sample_plan):
    """sample_plan(8): key priority k holds objectives k-1 and k+3, both red (1), amber (2), green (3) or not set
    (4); each RAG was set five days ago (before: not set); progress on the even objectives ten days ago; every end
    date has passed; funding £1,000 confirmed in "16-17 allocation", TBC for objectives 0, 3 and 6."""
    return sample_plan(8)


def test_summary_since_a_date(eight, db):
    now = utcnow()
    today = today_in_london(now)
    db.session.get(Objective, eight.objective_ids[7]).status = "complete"  # as an edit records it:
    db.session.add(ChangeRecord(objective_id=eight.objective_ids[7], entity="objective", field="status",
                                before="open", after="complete", actor_name="Cora", changed_at=now))
    db.session.commit()
    paper = build_paper(eight.plan, today=today, now=now, since=today - timedelta(days=30))
    rows = paper.summary.rag_rows
    assert [row.key_priority.number for row in rows] == [1, 2, 3, 4]
    # Thirty days ago every objective was open with no RAG; now each key priority's two share one RAG.
    assert counts(rows[0]) == {"red": (2, 2), "amber": (0, 0), "green": (0, 0), None: (0, -2)}
    assert counts(rows[1]) == {"red": (0, 0), "amber": (2, 2), "green": (0, 0), None: (0, -2)}
    assert counts(rows[2]) == {"red": (0, 0), "amber": (0, 0), "green": (2, 2), None: (0, -2)}
    assert counts(rows[3]) == {"red": (0, 0), "amber": (0, 0), "green": (0, 0), None: (1, -1)}
    assert rows[3].complete == 1
    assert [(c.rag, c.now, c.change_words) for c in paper.summary.totals] == [
        ("red", 2, "up 2"), ("amber", 2, "up 2"), ("green", 2, "up 2"), (None, 1, "down 7")]
    assert sorted(o.title for o in paper.summary.overdue) == [f"Objective {i}" for i in range(7)]
    assert sorted(item.objective.title for item in paper.summary.missing) == ["Objective 1", "Objective 3",
                                                                                 "Objective 5"]
    [pot] = paper.summary.funding
    assert (pot.pot, pot.confirmed, pot.tbc, pot.tbc_lines) == ("16-17 allocation", 500000, 0, 3)
    assert (paper.events.held, paper.events.attendance) == (0, 0)


def test_an_objective_added_since_the_date_counts_as_new(eight, db):
    now = utcnow()
    today = today_in_london(now)
    db.session.get(Objective, eight.objective_ids[0]).created_at = now - timedelta(days=1)
    db.session.commit()
    paper = build_paper(eight.plan, today=today, now=now, since=today - timedelta(days=30))
    assert counts(paper.summary.rag_rows[0])["red"] == (2, 2) and counts(paper.summary.rag_rows[0])[None] == (0, -1)
    first = paper.sections[0].objectives[0]
    assert (first.objective.title, first.direction) == ("Objective 0", "new")


def test_a_date_in_the_future_is_refused(eight):
    now = utcnow()
    with pytest.raises(PaperError, match="today or earlier"):
        build_paper(eight.plan, today=today_in_london(now), now=now, since=today_in_london(now) + timedelta(days=1))


def test_a_rounds_paper_compares_with_the_round_before(sample_plan, db, plans_client):
    sample = sample_plan(4)
    now = utcnow()
    today = today_in_london(now)
    for name, days in (("Spring round", 40), ("Summer round", 3)):
        db.session.add(ReportingRound(plan_id=sample.plan.id, name=name, deadline=today - timedelta(days=days)))
    db.session.commit()
    close_due_rounds(today, now)
    db.session.commit()

    paper = build_paper(sample.plan, today=today, now=now)  # the round the board meets about next
    assert paper.round.name == "Summer round" and paper.compared_with == "Spring round"
    # At the spring deadline no RAG was set (they were set five days ago); progress ten days ago is this round's.
    assert counts(paper.summary.rag_rows[0]) == {"red": (1, 1), "amber": (0, 0), "green": (0, 0), None: (0, -1)}
    assert [item.objective.title for item in paper.summary.missing] == ["Objective 1", "Objective 3"]
    first = paper.sections[0].objectives[0]
    assert (first.rag, first.previous_rag, first.direction, first.has_update) == ("red", None, "new", True)

    spring = build_paper(sample.plan, today=today, now=now, round_=plan_round(sample.plan, "spring ROUND"))
    assert spring.compared_with == "the start of the plan" and len(spring.summary.missing) == 4
    # The page shows the round chosen from its form, whose date fields came back empty.
    page = plans_client("viewer").get(f"/report?round={spring.round.id}&since=&since=&since=")
    assert page.status_code == 200 and "Spring round: updates made from" in page.get_data(as_text=True)
