"""Imported progress is dated by when it was written (the file's own dates, the date the person importing gives,
else the plan's own date), never by the clock at the import: a 2016 plan imported in 2026 must not look freshly
updated. Through the command line, the import page and a re-import of a revised plan."""

import io
import json
import re
from datetime import date, datetime, time

import time_machine
from sqlalchemy import select

from scp_tracker.core.clock import LONDON
from scp_tracker.documents.export import export_plan
from scp_tracker.plans.models import Objective, Plan, ProgressUpdate

IMPORTED_ON = datetime(2026, 12, 4, 9, 30, tzinfo=LONDON)  # the day of the import, years after the plan


def progress_days(db) -> set[date]:
    """The London dates of every stored progress note, and of every objective's latest progress."""
    notes = {update.recorded_at.astimezone(LONDON).date() for update in db.session.scalars(select(ProgressUpdate))}
    latest = {o.last_progress_at.astimezone(LONDON).date()
              for o in db.session.scalars(select(Objective)) if o.last_progress_at is not None}
    return notes | latest


def test_without_as_of_the_real_plan_s_progress_is_dated_by_the_plan_not_the_import(runner, real_plan_path, db):
    with time_machine.travel(IMPORTED_ON, tick=False):
        result = runner.invoke(args=["import-plan", str(real_plan_path)])
    assert result.exit_code == 0, result.output
    assert progress_days(db) == {date(2016, 4, 1)}
    assert "dated 1 April 2016, the start of plan 2016-17" in result.output


def test_as_of_dates_the_real_plan_s_progress(runner, real_plan_path, db):
    with time_machine.travel(IMPORTED_ON, tick=False):
        result = runner.invoke(args=["import-plan", str(real_plan_path), "--as-of", "2016-09-30"])
    assert result.exit_code == 0, result.output
    assert progress_days(db) == {date(2016, 9, 30)}
    assert {u.recorded_at for u in db.session.scalars(select(ProgressUpdate))} == {
        datetime.combine(date(2016, 9, 30), time(12), LONDON)}
    assert "dated 30 September 2016, as given" in result.output


def test_a_revised_plan_s_new_progress_is_dated_as_of_and_the_rest_keep_their_dates(runner, real_plan_path, db):
    runner.invoke(args=["import-plan", str(real_plan_path), "--as-of", "2016-09-01"])
    plan = db.session.scalars(select(Plan)).one()
    exported = json.loads(export_plan(plan, "json")[0])
    exported["priorities"][0]["objectives"][0]["progress"] = "Campaign ran; 40 reports in December."
    exported["priorities"][0]["objectives"][0]["last_progress_at"] = None
    revised = real_plan_path.parent.parent / "revised-dating.json"
    try:
        revised.write_text(json.dumps(exported))
        with time_machine.travel(IMPORTED_ON, tick=False):
            result = runner.invoke(args=["import-plan", str(revised), "--as-of", "2016-12-20"])
    finally:
        revised.unlink()
    assert result.exit_code == 0, result.output
    new = db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.text.like("Campaign ran%"))).one()
    assert new.recorded_at.astimezone(LONDON).date() == date(2016, 12, 20)
    assert progress_days(db) == {date(2016, 9, 1), date(2016, 12, 20)}


def _preview(client, content: bytes, **progress_on: str):
    date_parts = [progress_on.get(part, "") for part in ("day", "month", "year")]
    data = {"plan_file": (io.BytesIO(content), "plan.txt"), "progress_on": date_parts}
    return client.post("/import", data=data, content_type="multipart/form-data")


def _confirm(client, preview):
    body = preview.get_data(as_text=True)
    fields = dict(re.findall(r'name="(upload|filename|progress_on)" type="hidden" value="([^"]*)"', body))
    return client.post("/import/confirm", data=fields)


def test_the_import_page_dates_progress_by_the_date_given(real_plan_path, plans_client, db):
    with time_machine.travel(IMPORTED_ON, tick=False):
        client = plans_client("coordinator")
        preview = _preview(client, real_plan_path.read_bytes(), day="30", month="9", year="2016")
        assert "dated 30 September 2016, as given" in preview.get_data(as_text=True)
        assert _confirm(client, preview).status_code == 302
    assert progress_days(db) == {date(2016, 9, 30)}


def test_the_import_page_without_a_date_dates_progress_by_the_plan(real_plan_path, plans_client, db):
    with time_machine.travel(IMPORTED_ON, tick=False):
        client = plans_client("coordinator")
        preview = _preview(client, real_plan_path.read_bytes())
        assert "dated 1 April 2016, the start of plan 2016-17" in preview.get_data(as_text=True)
        assert _confirm(client, preview).status_code == 302
    assert progress_days(db) == {date(2016, 4, 1)}


def test_the_import_page_refuses_a_date_that_is_not_one(real_plan_path, plans_client, db):
    response = _preview(plans_client("coordinator"), real_plan_path.read_bytes(), day="31", month="9", year="2016")
    assert response.status_code == 200
    assert "The date the progress notes were written must be a real date" in response.get_data(as_text=True)
    assert db.session.scalars(select(Plan)).first() is None
