"""Importing the real plan into the database: once, again, revised, and bad files that must change nothing."""

import io
import json
from datetime import date

import pytest
from sqlalchemy import event, func, select
from support.database import empty_database

from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.documents import plan_loader
from scp_tracker.documents.export import export_plan
from scp_tracker.documents.services import import_plan
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import GlossaryTerm, KeyPriority, Objective, Plan, PriorityListItem, ProgressUpdate

ACTOR = Actor(name="Test import", source="import")


def count(db, model) -> int:
    """Rows in a table."""
    return db.session.scalar(select(func.count()).select_from(model))


def objective_titled(db, title) -> Objective:
    """The one objective with this title."""
    return db.session.scalars(select(Objective).where(Objective.title == title)).one()


@pytest.fixture
def imported(runner, real_plan_path):
    """The real plan imported through the command line, as of 1 September 2016."""
    result = runner.invoke(args=["import-plan", str(real_plan_path), "--as-of", "2016-09-01"])
    assert result.exit_code == 0, result.output
    return result


def test_real_plan_import_creates_everything(imported, db):
    """4 key priorities, 30 objectives, both priority lists, agencies apart from glossary terms."""
    assert "30 created" in imported.output
    assert count(db, Plan) == 1
    plan = db.session.scalars(select(Plan)).one()
    assert (plan.year, plan.status, plan.starts_on, plan.ends_on) == ("2016-17", "draft", date(2016, 4, 1),
                                                                      date(2017, 3, 31))
    assert count(db, KeyPriority) == 4
    assert count(db, Objective) == 30
    lists = db.session.scalars(select(PriorityListItem)).all()
    assert sum(i.list_name == "police" for i in lists) == 10
    assert sum(i.list_name == "pcc" for i in lists) == 5
    abbreviations = set(db.session.scalars(select(Agency.abbreviation)))
    assert {"CBC", "CBH", "CCG", "CRC", "ECFRS", "NPS", "CCVS", "Essex Police", "Catch 22"} <= abbreviations
    assert not {"ASB", "DA", "IOM", "NTE", "Colchester Borough Homes", "Police"} & abbreviations
    assert {"ASB", "DA", "IOM", "NTE"} <= set(db.session.scalars(select(GlossaryTerm.abbreviation)))


def test_real_plan_objectives_carry_their_data(imported, db):
    """Leads in order, funding lines, end dates and progress dated as of the import date."""
    chaotic = objective_titled(db, "Supporting People With Chaotic Lifestyles")
    assert [a.abbreviation for a in chaotic.lead_agencies] == ["CBH", "Catch 22"]
    assert [(f.amount_pence, f.source, f.pot, f.status) for f in chaotic.funding_lines] == [
        (500000, "SCP", "15-16 allocation", "confirmed")]
    assert (chaotic.end_date, chaotic.end_date_text, chaotic.end_date_status) == (date(2016, 9, 30), "Sept 16", "set")
    assert chaotic.police_scope == "multiple" and chaotic.pcc_numbers == [1]
    assert chaotic.latest_progress.source == "import"
    assert chaotic.last_progress_at.date() == date(2016, 9, 1)

    schools = objective_titled(db, "Gangs awareness")
    assert schools.lead_status == "tbc" and schools.lead_agencies == []
    assert schools.end_date_status == "missing"


def test_importing_the_same_file_again_changes_nothing(imported, runner, real_plan_path, db):
    """A second import is a no-op and says so."""
    before = (count(db, Objective), count(db, ChangeRecord), count(db, ProgressUpdate), count(db, Agency))
    result = runner.invoke(args=["import-plan", str(real_plan_path), "--as-of", "2016-10-01"])
    assert result.exit_code == 0, result.output
    assert "no changes" in result.output
    assert (count(db, Objective), count(db, ChangeRecord), count(db, ProgressUpdate), count(db, Agency)) == before


def test_a_revised_plan_updates_matching_objectives_and_records_each_change(imported, runner, real_plan_path,
                                                                             tmp_path, db):
    """End date, funding, lead and progress changes are applied, recorded and reported; nothing duplicated."""
    text = real_plan_path.read_text(encoding="utf-8")
    revised = (text
               .replace("16-24 age group to promote reporting of Domestic Abuse (DA) with the aim of reducing "
                        "occurrences of DA\tCampaign to link in with 16 days of action for DA from 25 <sup>th</sup> "
                        "November 2016\tTBC\tCBC\tApr 17",
                        "16-24 age group to promote reporting of Domestic Abuse (DA) with the aim of reducing "
                        "occurrences of DA\tCampaign launched 25th November 2016\t£750 SCP (16-17 PCC funds)"
                        "\tCBC / CBH\tMay 17"))
    assert revised != text
    path = tmp_path / "plan-revised.txt"
    path.write_text(revised, encoding="utf-8")
    result = runner.invoke(args=["import-plan", str(path), "--as-of", "2016-12-01"])
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output and "29 unchanged" in result.output
    assert count(db, Objective) == 30

    campaign = objective_titled(db, "Social media campaign")
    assert campaign.end_date == date(2017, 5, 31)
    assert [a.abbreviation for a in campaign.lead_agencies] == ["CBC", "CBH"]
    assert campaign.funding_lines[0].amount_pence == 75000
    assert campaign.latest_progress.text == "Campaign launched 25th November 2016"
    fields = set(db.session.scalars(select(ChangeRecord.field).where(ChangeRecord.objective_id == campaign.id)))
    assert {"end_date", "end_date_text", "lead_agencies", "funding"} <= fields
    assert "end date “30 April 2017” → “31 May 2017”" in result.output


def test_what_a_revised_plan_adds_is_recorded(imported, db):
    """A key priority, a police priority or an agency the plan adds is recorded like every other change: the
    history is what tells the kept pages (dashboard, plan list, objective pages) to draw again."""
    plan = db.session.scalars(select(Plan)).one()
    revised = json.loads(export_plan(plan, "json")[0])
    revised["priorities"].append({"number": len(revised["priorities"]) + 1, "title": "Tackle fraud", "objectives": []})
    number = max(item["number"] for item in revised["police_priorities"]) + 1
    revised["police_priorities"].append({"number": number, "title": "Fraud"})
    revised["agencies"].append({"abbreviation": "ZZB", "name": "Fraud Partnership"})
    before = count(db, ChangeRecord)
    import_plan(json.dumps(revised).encode(), "revised.json", actor=ACTOR, as_of=date(2016, 12, 1))
    db.session.commit()
    added = db.session.execute(select(ChangeRecord.entity, ChangeRecord.field, ChangeRecord.after)
                               .order_by(ChangeRecord.id).offset(before)).all()
    assert sorted(added) == [("agency", "created", "Fraud Partnership"), ("key_priority", "created", "Tackle fraud"),
                             ("police_priority", "created", f"{number}. Fraud")]

    import_plan(json.dumps(revised).encode(), "revised.json", actor=ACTOR, as_of=date(2016, 12, 2))
    db.session.commit()
    assert count(db, ChangeRecord) == before + 3  # nothing added the second time, nothing recorded


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty"),
    ("binary.txt", bytes(range(256)) * 4, "not"),
    ("columns.csv", b"Name,Colour\nA,Red\n", "OBJECTIVE"),
    ("broken.xlsx", b"this is not a workbook", "xlsx"),
])
def test_bad_files_get_one_clear_line_and_change_nothing(imported, runner, tmp_path, db, name, content, message):
    """An unreadable file exits non-zero with one line naming the file, and the stored plan is untouched."""
    before = (count(db, Objective), count(db, ChangeRecord))
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["import-plan", str(path)])
    assert result.exit_code != 0
    error_lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(error_lines) == 1 and name in error_lines[0] and message.lower() in error_lines[0].lower()
    assert (count(db, Objective), count(db, ChangeRecord)) == before


def test_a_failure_half_way_leaves_the_database_as_it_was(runner, real_plan_path, db, monkeypatch):
    """The loader writes in one transaction: a crash on the 10th objective writes none of them."""
    real_create = plan_loader._create_objective
    calls = []

    def failing_create(*args, **kwargs):
        calls.append(1)
        if len(calls) == 10:
            raise RuntimeError("disk on fire")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(plan_loader, "_create_objective", failing_create)
    result = runner.invoke(args=["import-plan", str(real_plan_path)])
    assert result.exit_code != 0
    db.session.rollback()
    assert count(db, Objective) == 0 and count(db, Plan) == 0 and count(db, Agency) == 0


def test_dry_run_reports_without_writing(db, real_plan_path):
    """The import page's preview: a full report, nothing stored."""
    report = import_plan(real_plan_path, real_plan_path.name, actor=ACTOR, as_of=date(2016, 9, 1), dry_run=True)
    assert len(report.created) == 30 and report.dry_run
    assert "would be" in report.summary()
    assert count(db, Objective) == 0


def test_warnings_are_printed_with_row_and_column(imported):
    """Whatever the importer could not interpret is listed, with where it was."""
    assert "Warnings (kept as written):" in imported.output
    assert "row " in imported.output.split("Warnings (kept as written):")[1]


def test_json_round_trip_through_an_empty_database(imported, runner, tmp_path, db, app):
    """Export JSON, empty the database, import that JSON, export again: the same JSON."""
    first = tmp_path / "first.json"
    assert runner.invoke(args=["export-plan", "--format", "json", "-o", str(first)]).exit_code == 0
    db.session.remove()
    empty_database()
    result = runner.invoke(args=["import-plan", str(first)])
    assert result.exit_code == 0, result.output
    second = tmp_path / "second.json"
    assert runner.invoke(args=["export-plan", "--format", "json", "-o", str(second)]).exit_code == 0
    assert json.loads(second.read_text()) == json.loads(first.read_text())


def test_xlsx_round_trip_through_an_empty_database(imported, runner, tmp_path, db):
    """Export XLSX, empty the database, import that workbook, export JSON: the same JSON as before."""
    before = tmp_path / "before.json"
    workbook = tmp_path / "plan.xlsx"
    assert runner.invoke(args=["export-plan", "--format", "json", "-o", str(before)]).exit_code == 0
    assert runner.invoke(args=["export-plan", "--format", "xlsx", "-o", str(workbook)]).exit_code == 0
    db.session.remove()
    empty_database()
    result = runner.invoke(args=["import-plan", str(workbook)])
    assert result.exit_code == 0, result.output
    after = tmp_path / "after.json"
    assert runner.invoke(args=["export-plan", "--format", "json", "-o", str(after)]).exit_code == 0
    assert json.loads(after.read_text()) == json.loads(before.read_text())


def test_a_file_with_no_plan_in_it_is_refused(runner, tmp_path, db):
    """A table with an objective column but no rows is not an empty plan: it is refused, nothing stored."""
    path = tmp_path / "empty-plan.csv"
    path.write_text("Objective,Lead agency,End date\n", encoding="utf-8")
    result = runner.invoke(args=["import-plan", str(path)])
    assert result.exit_code != 0
    assert "no key priorities or objectives could be read" in result.output
    assert count(db, Plan) == 0


def _workbook(rows: int) -> bytes:
    """A spreadsheet plan of `rows` objectives in three key priorities, each led by a named agency."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(("Key priority", "Key priority title", "Objective", "Progress / output", "Funding",
                  "Project lead / agency", "End date"))
    for n in range(rows):
        sheet.append((n % 3 + 1, f"Priority {n % 3 + 1}", f"Objective {n}", f"Progress {n}", "TBC",
                      ("CBC", "Essex Police", "CBH")[n % 3], "March 2018"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_bigger_spreadsheet_takes_no_more_lookups_or_flushes(db, count_queries):
    """New objectives are written in one flush and their leads looked up once: a plan of 200 rows makes as many
    queries and flushes as one of 20. (SQLite still inserts row by row to read back ids: those are not counted.)"""
    flushes = []

    def flushed(*_):
        flushes.append(1)

    event.listen(db.session, "after_flush", flushed)
    counted = {}
    try:
        for rows, year in ((20, "2017-18"), (200, "2018-19")):
            flushes.clear()
            with count_queries() as executed:
                report = import_plan(_workbook(rows), f"plan-{year}.xlsx", actor=ACTOR,
                                     as_of=date(int(year[:4]), 9, 1))
            assert len(report.created) == rows, report.summary()
            counted[rows] = (len([s for s in executed if not s.lstrip().upper().startswith("INSERT")]), len(flushes))
            db.session.commit()
    finally:
        event.remove(db.session, "after_flush", flushed)
    (queries_20, flushes_20), (queries_200, flushes_200) = counted[20], counted[200]
    assert queries_200 == queries_20 and flushes_200 <= flushes_20, counted
    created = db.session.scalars(select(ChangeRecord.objective_id).where(ChangeRecord.entity == "objective",
                                                                ChangeRecord.field == "created")).all()
    assert len(created) == 220 and None not in created
