"""Rounds of a plan: quarterly by default, windows from one deadline to the next, updates counted per window."""

from datetime import UTC, date, datetime

from scp_tracker.plans.lookup import in_use
from scp_tracker.plans.models import Plan
from scp_tracker.rounds.models import ReportingRound
from scp_tracker.rounds.schedule import default_deadline, quarterly_deadlines, working_days_before
from scp_tracker.rounds.windows import drop_open_default_rounds, plan_windows, updated_objective_ids


def test_quarterly_deadlines_end_june_september_december_march():
    assert quarterly_deadlines(date(2016, 4, 1), date(2017, 3, 31)) == [
        date(2016, 6, 30), date(2016, 9, 30), date(2016, 12, 31), date(2017, 3, 31)]


def test_default_deadline_is_ten_working_days_before_skipping_bank_holidays():
    # 5 January 2017: ten working days back crosses Christmas, Boxing Day's substitute (27th) and 2 January.
    assert default_deadline(date(2017, 1, 5)) == date(2016, 12, 19)
    assert working_days_before(date(2016, 9, 20), 10) == date(2016, 9, 6)  # no holiday: two weeks


def test_a_plan_without_meetings_gets_quarterly_windows_that_follow_each_other(db, make_plan):
    plan = make_plan()
    windows = plan_windows(plan)
    assert [(w.opens_on, w.deadline) for w in windows] == [
        (date(2016, 4, 1), date(2016, 6, 30)), (date(2016, 7, 1), date(2016, 9, 30)),
        (date(2016, 10, 1), date(2016, 12, 31)), (date(2017, 1, 1), date(2017, 3, 31))]
    assert all(w.round.is_default for w in windows)
    assert plan_windows(plan)[0].round.id == windows[0].round.id  # made once
    drop_open_default_rounds(plan)
    db.session.add(ReportingRound(plan_id=plan.id, name="Board", meeting_on=date(2016, 9, 20),
                                  deadline=date(2016, 9, 6)))
    db.session.flush()
    assert [w.deadline for w in plan_windows(plan)] == [date(2016, 9, 6)]


def test_updates_count_in_the_window_they_fall_in_by_london_date(db, make_plan, make_key_priority, make_objective):
    plan = make_plan()
    key_priority = make_key_priority(plan=plan)
    early, late, never = (make_objective(key_priority=key_priority, title=t) for t in ("Early", "Late", "Never"))
    db.session.flush()
    from scp_tracker.plans.models import ProgressUpdate
    # 30 June 23:30 in London is 22:30 UTC: still June's round. 1 July 00:30 London is 30 June 23:30 UTC.
    db.session.add_all([
        ProgressUpdate(objective_id=early.id, text="a", recorded_at=datetime(2016, 6, 30, 22, 30, tzinfo=UTC)),
        ProgressUpdate(objective_id=late.id, text="b", recorded_at=datetime(2016, 6, 30, 23, 30, tzinfo=UTC)),
    ])
    db.session.flush()
    june, september = plan_windows(plan)[:2]
    assert updated_objective_ids(june) == {early.id}
    assert updated_objective_ids(september) == {late.id}
    assert never.id not in updated_objective_ids(june) | updated_objective_ids(september)


def test_next_years_draft_is_not_in_use_until_agreed(db, make_plan):
    old = make_plan(year="2016-17", status="agreed")
    new = make_plan(year="2017-18", status="draft")
    db.session.flush()
    in_use_ids = lambda: set(db.session.scalars(db.select(Plan.id).where(in_use())))  # noqa: E731
    assert in_use_ids() == {old.id}
    new.status = "agreed"
    assert in_use_ids() == {old.id, new.id}
    old.status = "archived"
    assert in_use_ids() == {new.id}
    new.status = "draft"  # a first import, a draft and nothing agreed: it is the plan in use
    assert in_use_ids() == {new.id}


def test_several_rounds_updates_are_read_in_one_query_each_by_its_own_window(
        db, make_plan, make_key_priority, make_objective, count_queries):
    from scp_tracker.plans.models import ProgressUpdate
    from scp_tracker.rounds.windows import stored_windows_in_use, updated_in_windows, windows_in_use
    first, second = make_plan(year="2016-17", status="agreed"), make_plan(year="2017-18", status="agreed")
    mine = make_objective(key_priority=make_key_priority(plan=first), title="Mine")
    theirs = make_objective(key_priority=make_key_priority(plan=second), title="Theirs")
    imported = make_objective(key_priority=make_key_priority(plan=first, number=2), title="Imported")
    db.session.flush()
    assert stored_windows_in_use()[1] == [first, second]  # no rounds stored yet: both plans get their defaults
    windows = windows_in_use()
    assert stored_windows_in_use()[1] == []
    at = lambda *day: datetime(*day, 12, tzinfo=UTC)  # noqa: E731
    db.session.add_all([
        ProgressUpdate(objective_id=mine.id, text="a", recorded_at=at(2016, 8, 1)),
        ProgressUpdate(objective_id=mine.id, text="again", recorded_at=at(2016, 8, 2)),
        ProgressUpdate(objective_id=theirs.id, text="b", recorded_at=at(2017, 8, 1)),
        ProgressUpdate(objective_id=imported.id, text="c", recorded_at=at(2016, 8, 1), source="import"),
    ])
    db.session.flush()
    rounds = {(w.round.plan_id, w.deadline): w for w in windows}
    first_september, second_september = rounds[first.id, date(2016, 9, 30)], rounds[second.id, date(2017, 9, 30)]
    first_june = rounds[first.id, date(2016, 6, 30)]
    with count_queries() as statements:
        updated = updated_in_windows([first_september, second_september, first_june, first_september])
    assert len(statements) == 1
    assert updated == {first_september.round.id: {mine.id}, second_september.round.id: {theirs.id},
                       first_june.round.id: frozenset()}
    assert updated_in_windows([]) == {}
