"""End dates written beyond months, read by the one parser whatever the file's format: quarters (calendar and
financial), the year's end, "Ongoing" (no end date, and not a missing one: no reminders, not on the dashboard's or
the chasing list's "no end date"); each reading in words is said in the import's warnings (the preview's list)."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from support.word_documents import docx_from_text

from scp_tracker.core.history import Actor
from scp_tracker.documents.cells import EndDate, parse_end_date
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.parser import parse_plan_rows, parse_plan_text
from scp_tracker.documents.services import import_plan
from scp_tracker.plans.chasing_list import chasing_list
from scp_tracker.plans.dashboard_figures import dashboard
from scp_tracker.plans.models import Objective, Plan
from scp_tracker.plans.queries import has_no_end_date
from scp_tracker.reminders.rules import ContactFacts, ObjectiveFacts, find_reminders

PLAN_END = date(2017, 3, 31)


@pytest.mark.parametrize(("written", "on", "status", "said"), [
    # Calendar quarters: "Q3 2017" is the end of September 2017.
    ("Q1 2017", date(2017, 3, 31), "set", "Read as 31 March 2017, the end of the first quarter of 2017"),
    ("Q2 2017", date(2017, 6, 30), "set", "Read as 30 June 2017, the end of the second quarter of 2017"),
    ("Q3 2017", date(2017, 9, 30), "set", "Read as 30 September 2017, the end of the third quarter of 2017"),
    ("q4 17", date(2017, 12, 31), "set", "Read as 31 December 2017, the end of the fourth quarter of 2017"),
    ("Quarter 3 2017", date(2017, 9, 30), "set", None),
    ("end of Q2 2017", date(2017, 6, 30), "set", None),
    # Financial quarters (April to March): "Q3 2017/18" is the end of December 2017.
    ("Q3 2017/18", date(2017, 12, 31), "set",
     "Read as 31 December 2017, the end of the third quarter of the financial year 2017-18"),
    ("Q1 2016-17", date(2016, 6, 30), "set", None),
    ("Q2 16/17", date(2016, 9, 30), "set", None),
    ("Q4 2016-2017", date(2017, 3, 31), "set", None),
    ("by Q4 16-17", date(2017, 3, 31), "set", None),
    # The plan's year's end.
    ("End of year", PLAN_END, "set", "Read as 31 March 2017, the end of the plan's year"),
    ("by the end of the financial year", PLAN_END, "set", None),
    ("Year end", PLAN_END, "set", None),
    ("Year-end", PLAN_END, "set", None),
    # Ongoing: no end date, and none missing.
    ("Ongoing", None, "ongoing", "Read as ongoing: no end date, so no due-date reminders, and not listed as missing"),
    ("On-going", None, "ongoing", None),
    ("on going", None, "ongoing", None),
    # What months already meant, with words before them.
    ("End of March 2017", date(2017, 3, 31), "set", ""),
    ("by Apr 17", date(2017, 4, 30), "set", ""),
    ("Apr 17", date(2017, 4, 30), "set", ""),
    ("TBC", None, "tbc", ""),
    ("", None, "missing", ""),
    # Not quarters or not readable: kept and chased as to be confirmed.
    ("Q3 2016-18", None, "tbc", "Could not read the end date; kept as written and treated as to be confirmed"),
    ("Q5 2017", None, "tbc", "Could not read the end date; kept as written and treated as to be confirmed"),
    ("Ongoing until funding ends", None, "tbc", "Could not read the end date; kept as written and treated as to be "
                                                "confirmed"),
])
def test_end_dates_in_words(written, on, status, said):
    reading = parse_end_date(written, PLAN_END)
    assert reading.value == EndDate(on, status, written)
    if said is not None:
        assert (reading.problem or "") == said


def test_the_year_end_without_a_plan_year_is_to_be_confirmed_and_said():
    reading = parse_end_date("End of year")
    assert reading.value == EndDate(None, "tbc", "End of year")
    assert "does not give" in (reading.problem or "")


_HEADER = ["OBJECTIVE", "PROJECT LEAD / AGENCY", "END DATE"]
_ROWS = [["<b>Quarterly</b> one", "CBC", "Q3 2016"], ["<b>Financial</b> one", "CBC", "Q3 2016/17"],
         ["<b>Year end</b> one", "CBC", "End of year"], ["<b>Going on</b> one", "CBC", "Ongoing"],
         ["<b>To confirm</b> one", "CBC", "TBC"], ["<b>Not given</b> one", "CBC", ""]]
_TEXT = "\n".join(["# Annual Partnership Plan 2016-17", "KEY PRIORITY 1: TO KEEP PEOPLE SAFE (KP LEAD: CBC)", "",
                   *("\t".join(cells) for cells in [_HEADER, *_ROWS])])
_EXPECTED = [(date(2016, 9, 30), "set"), (date(2016, 12, 31), "set"), (date(2017, 3, 31), "set"), (None, "ongoing"),
             (None, "tbc"), (None, "missing")]


@pytest.mark.parametrize("read", [
    pytest.param(lambda: parse_plan_text(_TEXT, "plan.txt"), id="text"),
    pytest.param(lambda: read_plan_file(docx_from_text(_TEXT), "plan.docx"), id="word"),
    pytest.param(lambda: parse_plan_rows({"Objectives": [_HEADER, *_ROWS]}, "Plan 2016-17.csv"), id="sheet"),
])
def test_every_format_reads_the_end_dates_alike_and_says_each_reading(read):
    plan = read()
    assert [(o.end_date, o.end_date_status) for o in plan.objectives()] == _EXPECTED
    said = [w.message for w in plan.warnings if w.column == "END DATE"]
    assert said == ["Read as 30 September 2016, the end of the third quarter of 2016",
                    "Read as 31 December 2016, the end of the third quarter of the financial year 2016-17",
                    "Read as 31 March 2017, the end of the plan's year",
                    "Read as ongoing: no end date, so no due-date reminders, and not listed as missing"]


def test_the_preview_shows_each_reading(client_as, db):
    import io
    response = client_as("coordinator").post("/import", data={"plan_file": (io.BytesIO(_TEXT.encode()), "plan.txt")},
                                             content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Read as 31 December 2016, the end of the third quarter of the financial year 2016-17" in page
    assert "Read as ongoing: no end date" in page


def test_ongoing_work_gets_no_end_date_reminders_at_any_time():
    lead = ContactFacts(1, "lead@example.org", "Lee Lead", 10)
    ongoing = ObjectiveFacts(id=7, title="Going on", key_priority_number=1, key_priority_title="Safe",
                             end_date=None, end_date_status="ongoing", lead_status="set",
                             last_progress_at=datetime(2016, 4, 1, 9, tzinfo=UTC), latest_progress_text="",
                             lead_agency_ids=(10,), lead_agency_names=("CBC",), key_priority_lead_agency_ids=(10,),
                             created_on=date(2016, 4, 1))
    kinds = {"end_date_missing", "due_soon", "overdue"}
    for day in (date(2016, 5, 2), date(2016, 6, 1), date(2017, 3, 31), date(2017, 5, 1)):
        assert not kinds & {r.kind for r in find_reminders([ongoing], [lead], [], day)}
        # The same objective with no end date recorded is chased for one: the rule that is kept.
        missing = replace(ongoing, end_date_status="missing")
        assert "end_date_missing" in {r.kind for r in find_reminders([missing], [lead], [], date(2016, 5, 2))}


def test_ongoing_is_not_a_missing_end_date_on_the_dashboard_the_chasing_list_or_the_filter(db):
    import_plan(_TEXT.encode(), "plan.txt", actor=Actor(name="Import", source="import"), as_of=date(2016, 9, 1))
    db.session.commit()
    plan = db.session.scalars(select(Plan)).one()
    now = datetime(2016, 10, 1, 9, tzinfo=UTC)
    assert dashboard(plan, today=now.date(), now=now).no_end_date == 2
    chased = {item.objective.title: item.reasons for item in chasing_list(plan, today=now.date(), now=now)}
    assert "No end date" not in chased.get("Going on", [])
    assert "No end date" in chased["To confirm"] and "No end date" in chased["Not given"]
    without = db.session.scalars(select(Objective.title).where(has_no_end_date()).order_by(Objective.title)).all()
    assert without == ["Not given", "To confirm"]
    going_on = db.session.scalars(select(Objective).where(Objective.title == "Going on")).one()
    assert (going_on.end_date, going_on.end_date_status, going_on.end_date_text) == (None, "ongoing", "Ongoing")
