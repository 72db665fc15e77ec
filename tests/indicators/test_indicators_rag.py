"""The RAG and direction of travel rules, table-driven (issue 21)."""

import pytest

from scp_tracker.indicators.rag import RAG_WORDS, assess, direction_for, effective_target, rag_for


@pytest.mark.parametrize(("actual", "target", "better", "tolerance", "rag"), [
    # lower is better: at or under target green; over by no more than the tolerance amber; more red
    (90, 100, "lower", 5, "green"), (100, 100, "lower", 5, "green"), (105, 100, "lower", 5, "amber"),
    (105.01, 100, "lower", 5, "red"), (130, 100, "lower", 5, "red"), (110, 100, "lower", 10, "amber"),
    (101, 100, "lower", 0, "red"),
    # higher is better: the mirror
    (110, 100, "higher", 5, "green"), (100, 100, "higher", 5, "green"), (95, 100, "higher", 5, "amber"),
    (94.99, 100, "higher", 5, "red"), (50, 100, "higher", 60, "amber"),
    # a target of nought: any figure over it (lower better) is red, the tolerance of nothing being nothing
    (0, 0, "lower", 5, "green"), (1, 0, "lower", 5, "red"),
    # nothing to compare
    (None, 100, "lower", 5, "none"), (90, None, "lower", 5, "none"),
])
def test_rag_from_target_against_actual_with_the_tolerance(actual, target, better, tolerance, rag):
    assert rag_for(actual, target, better, tolerance) == rag


@pytest.mark.parametrize(("latest", "earlier", "better", "tolerance", "direction"), [
    (80, 100, "lower", 5, "improving"), (120, 100, "lower", 5, "worsening"), (103, 100, "lower", 5, "steady"),
    (97, 100, "lower", 5, "steady"), (120, 100, "higher", 5, "improving"), (80, 100, "higher", 5, "worsening"),
    (106, 100, "higher", 5, "improving"), (101, 100, "higher", 0, "improving"), (100, 100, "higher", 0, "steady"),
    (5, 0, "lower", 5, "worsening"), (None, 100, "lower", 5, "none"), (100, None, "lower", 5, "none"),
])
def test_direction_of_travel_against_the_period_before(latest, earlier, better, tolerance, direction):
    assert direction_for(latest, earlier, better, tolerance) == direction


@pytest.mark.parametrize(("value", "change", "baseline", "target"), [
    (90, None, 100, 90), (90, -50, 100, 90),  # a value wins over a change
    (None, -10, 200, 180), (None, 5, 200, 210), (None, -10, None, None), (None, None, 200, None),
])
def test_a_target_is_a_value_or_a_change_against_the_baseline(value, change, baseline, target):
    worked_out = effective_target(value, change, baseline)
    assert worked_out is None if target is None else worked_out == pytest.approx(target)


def test_the_rag_is_shown_in_words_as_well_as_colour():
    assessment = assess(104, 110, 100, "lower", 5)
    assert (assessment.rag, assessment.rag_words, assessment.rag_colour, assessment.direction_words) == (
        "amber", "Near target", "yellow", "Improving")
    assert all(RAG_WORDS.values())
