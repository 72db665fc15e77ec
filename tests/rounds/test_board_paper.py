"""The board paper's data: updates in the round or none, RAG this round and last, direction of travel, missing list."""

from datetime import UTC, date, datetime

import pytest

from scp_tracker.plans.models import ProgressUpdate
from scp_tracker.rounds.board_paper import board_paper, direction_of_travel
from scp_tracker.rounds.closing import close_due_rounds
from scp_tracker.rounds.windows import plan_rounds


@pytest.mark.parametrize(("previous", "current", "was_in_previous", "direction"), [
    ("red", "amber", True, "improved"),
    ("amber", "green", True, "improved"),
    ("red", "green", True, "improved"),
    ("green", "amber", True, "worse"),
    ("amber", "red", True, "worse"),
    ("amber", "amber", True, "no_change"),
    (None, "amber", True, "new"),  # no RAG last round
    (None, "red", False, "new"),  # not in the last round (or no last round)
    ("red", None, True, None),  # no RAG now: nothing to say
    ("purple", "red", True, "new"),  # an unknown value last round is no basis for a direction
])
def test_direction_of_travel(previous, current, was_in_previous, direction):
    assert direction_of_travel(previous, current, was_in_previous=was_in_previous) == direction


def _progress(objective, text, rag, day):
    return ProgressUpdate(objective_id=objective.id, text=text, rag=rag,
                          recorded_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC))


@pytest.fixture
def two_rounds(db, make_plan, make_key_priority, make_objective):
    """June closed (a: amber and updated, b: green and updated, c: red, no update); September open."""
    plan = make_plan()
    first, second = make_key_priority(plan=plan, title="Safer streets"), make_key_priority(plan=plan)
    a = make_objective(key_priority=first, title="A", rag="amber")
    b = make_objective(key_priority=first, title="B", rag="green")
    c = make_objective(key_priority=second, title="C", rag="red")
    db.session.add_all([_progress(a, "A in June", "amber", date(2016, 6, 1)),
                        _progress(b, "B in June", "green", date(2016, 6, 2))])
    plan_rounds(plan)
    close_due_rounds(date(2016, 7, 1), datetime(2016, 7, 1, 6, tzinfo=UTC))
    db.session.commit()
    june, september = plan_rounds(plan)[:2]
    return plan, june, september, (a, b, c)


def _lines(paper):
    return [(item.objective.title, item.update_text, item.rag, item.previous_rag, item.direction)
            for section in paper.sections for item in section.items]


def test_an_open_round_reads_the_objectives_as_they_stand_against_last_rounds_snapshot(db, two_rounds):
    _, _, september, (a, b, c) = two_rounds
    a.rag, c.rag = "green", "amber"
    db.session.add(_progress(a, "A in August", "green", date(2016, 8, 1)))
    db.session.commit()
    paper = board_paper(september)
    assert not paper.is_closed
    assert [section.key_priority.title for section in paper.sections] == ["Safer streets", "Key priority 2"]
    assert _lines(paper) == [("A", "A in August", "green", "amber", "improved"),
                             ("B", None, "green", "green", "no_change"),
                             ("C", None, "amber", "red", "improved")]
    assert (paper.by_rag, paper.updated_count) == ({"green": 2, "amber": 1}, 1)
    assert [item.objective.title for item in paper.missing] == ["B", "C"]


def test_a_closed_round_reads_only_its_snapshots(db, two_rounds):
    _, june, _, (a, b, c) = two_rounds
    before = _lines(board_paper(june))
    assert before == [("A", "A in June", "amber", None, "new"), ("B", "B in June", "green", None, "new"),
                      ("C", None, "red", None, "new")]
    a.rag, a.title = "red", "A"
    c.status = "complete"
    db.session.add(_progress(c, "C late", "green", date(2016, 6, 20)))  # inside June's window, after it closed
    db.session.commit()
    paper = board_paper(june)
    assert paper.is_closed and _lines(paper) == before
    assert [item.objective.title for item in paper.missing] == ["C"]


def test_the_paper_takes_the_same_number_of_queries_whatever_its_size(db, two_rounds, make_objective,
                                                                      count_queries):
    plan, june, september, (a, _, _) = two_rounds
    db.session.expire_all()
    with count_queries() as small:
        board_paper(september)
    for n in range(6):
        make_objective(key_priority=a.key_priority, title=f"More {n}")
    db.session.commit()
    db.session.expire_all()
    with count_queries() as large:
        board_paper(september)
    assert len(large) == len(small)

