"""Board meetings: adding, changing and removing the rounds they make, and every refusal, with their history."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.rounds.meetings import Meeting, RoundError, add_meeting, change_meeting, remove_meeting
from scp_tracker.rounds.windows import plan_rounds, plan_windows

ACTOR = Actor(name="Test Coordinator", source="web")
CLOSED_AT = datetime(2016, 7, 1, 6, tzinfo=UTC)


def test_a_meeting_takes_the_default_deadline_and_name_and_replaces_the_open_quarterly_rounds(db, make_plan):
    plan = make_plan()
    june = plan_rounds(plan)[0]
    june.closed_at = CLOSED_AT  # June's round closed: it stays
    round_ = add_meeting(plan, Meeting(date(2016, 9, 20)), ACTOR)
    assert (round_.name, round_.deadline, round_.is_default) == ("Board meeting, 20 September 2016",
                                                                 date(2016, 9, 6), False)
    assert [w.round.name for w in plan_windows(plan)] == ["June 2016 round", "Board meeting, 20 September 2016"]
    assert plan_windows(plan)[1].opens_on == date(2016, 7, 1)
    later = add_meeting(plan, Meeting(date(2017, 1, 5), date(2016, 12, 16), "December board"), ACTOR)
    assert [w.round.id for w in plan_windows(plan)] == [june.id, round_.id, later.id]  # the second drops nothing
    history = db.session.scalars(select(ChangeRecord).where(ChangeRecord.entity == "round")).all()
    assert [(r.entity_id, r.source) for r in history] == [(round_.id, "web"), (later.id, "web")]


@pytest.mark.parametrize(("meeting", "field", "words"), [
    (Meeting(date(2016, 9, 20), date(2016, 9, 21)), "deadline", "on or before the meeting"),
    (Meeting(date(2016, 9, 30), date(2016, 9, 6)), "deadline", "already has the update deadline"),  # the first one
    (Meeting(date(2016, 7, 5), date(2016, 6, 20)), "deadline", "June 2016 round is closed"),
    (Meeting(date(2016, 6, 30), date(2016, 6, 30)), "deadline", "is closed"),
    (Meeting(date(2016, 10, 20), None, "x" * 201), "name", "200 characters or fewer"),
    (Meeting(date(2016, 10, 20), None, "Two\nlines"), "name", "one line"),
    (Meeting(date(2300, 10, 20)), "meeting_on", "real date"),
], ids=["after the meeting", "same deadline", "before a closed round", "a closed round's deadline", "long name",
        "two lines", "year 2300"])
def test_a_meeting_that_cannot_be_set_is_refused_naming_what_to_correct(db, make_plan, meeting, field, words):
    plan = make_plan()
    plan_rounds(plan)[0].closed_at = CLOSED_AT
    add_meeting(plan, Meeting(date(2016, 9, 20)), ACTOR)  # deadline 6 September
    with pytest.raises(RoundError) as refused:
        add_meeting(plan, meeting, ACTOR)
    assert (refused.value.field, words in refused.value.message) == (field, True), refused.value.message


def test_a_meeting_on_a_quarterly_deadline_replaces_that_open_default(db, make_plan):
    plan = make_plan()
    plan_rounds(plan)
    round_ = add_meeting(plan, Meeting(date(2016, 10, 4), date(2016, 9, 30)), ACTOR)
    assert [w.round.id for w in plan_windows(plan)] == [round_.id]


def test_an_open_meeting_changes_and_is_removed_a_closed_one_is_not(db, make_plan):
    plan = make_plan()
    first = add_meeting(plan, Meeting(date(2016, 9, 20)), ACTOR)
    second = add_meeting(plan, Meeting(date(2016, 12, 13)), ACTOR)
    assert change_meeting(second, Meeting(date(2016, 12, 14), date(2016, 12, 1), "Winter board"), ACTOR) == [
        "name", "meeting_on", "deadline"]
    assert (second.name, second.meeting_on, second.deadline) == ("Winter board", date(2016, 12, 14),
                                                                 date(2016, 12, 1))
    with pytest.raises(RoundError, match="already has"):
        change_meeting(second, Meeting(date(2016, 12, 14), date(2016, 9, 6)), ACTOR)
    first.closed_at = CLOSED_AT
    for refused in (lambda: change_meeting(first, Meeting(date(2016, 9, 21)), ACTOR),
                    lambda: remove_meeting(first, ACTOR)):
        with pytest.raises(RoundError, match="is closed"):
            refused()
    remove_meeting(second, ACTOR)
    assert [w.round.id for w in plan_windows(plan)] == [first.id]
    fields = [r.field for r in db.session.scalars(select(ChangeRecord).where(
        ChangeRecord.entity == "round", ChangeRecord.entity_id == second.id).order_by(ChangeRecord.id))]
    assert fields == ["meeting", "name", "meeting_on", "deadline", "meeting"]


def test_a_quarterly_default_is_not_changed_or_removed_only_replaced(db, make_plan):
    default = plan_rounds(make_plan())[0]
    with pytest.raises(RoundError, match="add a board meeting"):
        remove_meeting(default, ACTOR)
