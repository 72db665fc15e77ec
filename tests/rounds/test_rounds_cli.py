"""scp-tracker rounds add | list: bad input names its option, exits 2 and stores nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select

from scp_tracker.core.models import ChangeRecord
from scp_tracker.rounds.models import ReportingRound


def _stored():
    from scp_tracker.extensions import db
    return (db.session.scalar(select(func.count()).select_from(ReportingRound)),
            db.session.scalar(select(func.count()).select_from(ChangeRecord)))


def test_add_then_list_shows_the_meeting_in_place_of_the_quarterly_rounds(db, make_plan, runner):
    make_plan("2015-16", status="archived")
    plan = make_plan("2016-17")
    db.session.commit()
    listed = runner.invoke(args=["rounds", "list"])
    assert listed.exit_code == 0, listed.output
    assert "September 2016 round: meeting no meeting set (quarterly); deadline 30 September 2016" in listed.output
    added = runner.invoke(args=["rounds", "add", "--meeting", "2016-09-20"])
    assert added.exit_code == 0, added.output
    assert "Added Board meeting, 20 September 2016 to plan 2016-17: updates due by 6 September 2016." in added.output
    added = runner.invoke(args=["rounds", "add", "--meeting", "2017-01-05", "--deadline", "2016-12-16",
                                "--name", "Winter board", "--plan", "2016-17"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(args=["rounds", "list", "--plan", "2016-17"])
    assert listed.output.splitlines()[1:] == [
        "- Board meeting, 20 September 2016: meeting 20 September 2016; deadline 6 September 2016; "
        "updates from 1 April 2016 to 6 September 2016; open",
        "- Winter board: meeting 5 January 2017; deadline 16 December 2016; updates from 7 September 2016 to "
        "16 December 2016; open",
    ]
    assert db.session.scalars(select(ReportingRound.plan_id)).all() == [plan.id, plan.id]


@pytest.mark.parametrize(("args", "option", "words"), [
    (["--meeting", "20/09/2016"], "'--meeting'", "not a date written YYYY-MM-DD"),
    (["--meeting", "2016-02-30"], "'--meeting'", "not a date"),
    (["--meeting", "2016-09-20", "--deadline", "2016-09-21"], "'--deadline'", "on or before the meeting"),
    (["--meeting", "2016-09-20", "--deadline", "2016-09-06"], "'--deadline'", "already has the update deadline"),
    (["--meeting", "2016-10-20", "--name", "x" * 201], "'--name'", "200 characters"),
    (["--meeting", "2016-10-20", "--plan", "1999-00"], "'--plan'", "no plan for the year"),
    (["--deadline", "2016-10-20"], "'--meeting'", "Missing option"),
], ids=["not ISO", "no such day", "after the meeting", "same deadline", "long name", "unknown plan", "no meeting"])
def test_bad_input_names_the_option_exits_2_and_stores_nothing(db, make_plan, runner, args, option, words):
    make_plan("2016-17")
    db.session.commit()
    assert runner.invoke(args=["rounds", "add", "--meeting", "2016-09-20"]).exit_code == 0
    before = _stored()
    result = runner.invoke(args=["rounds", "add", *args])
    assert result.exit_code == 2, result.output
    assert option in result.output and words in result.output, result.output
    db.session.expire_all()
    assert _stored() == before


def test_without_a_plan_the_commands_say_so(db, runner):
    for args in (["rounds", "list"], ["rounds", "add", "--meeting", "2016-09-20"]):
        result = runner.invoke(args=args)
        assert (result.exit_code, "There is no plan yet" in result.output) == (2, True), result.output


def test_the_default_name_is_the_meeting_in_words(db, make_plan, runner):
    make_plan("2016-17")
    db.session.commit()
    runner.invoke(args=["rounds", "add", "--meeting", "2016-11-01", "--name", "  "])
    assert db.session.scalar(select(ReportingRound.name).where(ReportingRound.meeting_on == date(2016, 11, 1))) \
        == "Board meeting, 1 November 2016"
