"""Exports of the real plan: the JSON interchange format, CSV, XLSX and the printable document."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from scp_tracker.documents.export import export_plan, plan_to_dict
from scp_tracker.plans.lookup import current_plan


@pytest.fixture
def plan(runner, real_plan_path):
    """The real plan, imported as of 1 September 2016."""
    result = runner.invoke(args=["import-plan", str(real_plan_path), "--as-of", "2016-09-01"])
    assert result.exit_code == 0, result.output
    return current_plan()


def test_json_has_the_documented_shape(plan, runner):
    """The field names DESIGN.md fixes, with the real plan's values."""
    data = json.loads(runner.invoke(args=["export-plan", "--format", "json"]).output)
    assert data["format"] == "scp-tracker/plan@1"
    assert {k: data["plan"][k] for k in ("year", "starts_on", "ends_on")} == {
        "year": "2016-17", "starts_on": "2016-04-01", "ends_on": "2017-03-31"}
    assert {"abbreviation": "CBC", "name": "Colchester Borough Council"} in data["agencies"]
    assert {"abbreviation": "ASB", "description": "Anti-Social Behaviour"} in data["glossary"]
    assert data["police_priorities"][0] == {"number": 1, "title": "Child abuse and exploitation"}
    assert data["pcc_priorities"][0] == {"number": 1, "title": "Crack down on Anti-Social Behaviour"}
    kp1 = data["priorities"][0]
    assert (kp1["number"], kp1["lead_agencies"]) == (1, ["CBH"])
    campaign, chaotic = kp1["objectives"][:2]
    assert campaign["title"] == "Social media campaign"
    assert campaign["funding"] == [{"amount_pence": None, "source": None, "pot": None, "status": "tbc",
                                    "text": "TBC"}]
    assert (campaign["end_date"], campaign["end_date_text"], campaign["end_date_status"]) == (
        "2017-04-30", "Apr 17", "set")
    assert campaign["police_priorities"]["scope"] == "listed" and campaign["police_priorities"]["numbers"] == [3]
    assert campaign["rag"] is None and campaign["lead_status"] == "set"
    assert campaign["progress"].startswith("Campaign to link in with 16 days of action for DA from 25th November")
    assert campaign["last_progress_at"].startswith("2016-09-01T11:00:00")
    assert chaotic["lead_agencies"] == ["CBH", "Catch 22"]
    assert isinstance(campaign["id"], int)


def test_csv_has_a_row_per_objective(plan):
    """A spreadsheet user's CSV: a header row and 30 rows, with a byte-order mark for Excel."""
    content, mimetype, filename = export_plan(plan, "csv")
    assert content.startswith("\ufeff".encode()) and filename == "scp-plan-2016-17.csv" and "csv" in mimetype
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 30
    assert rows[1]["Funding"] == "£5000 SCP (15-16 allocation)"
    assert rows[1]["Project lead / agency"] == "CBH / Catch 22"
    assert rows[1]["End date"] == "2016-09-30"


def test_xlsx_has_headers_widths_and_real_dates(plan):
    """The workbook opens with a bold header, set widths and end dates as dates."""
    content, _, _ = export_plan(plan, "xlsx")
    book = load_workbook(io.BytesIO(content))
    sheet = book["Objectives"]
    headers = [c.value for c in sheet[1]]
    end_date = sheet.cell(row=3, column=headers.index("End date") + 1).value
    assert end_date.year == 2016 and end_date.month == 9 and end_date.day == 30
    assert sheet.column_dimensions["D"].width >= 40 and sheet["A1"].font.bold
    assert sheet.max_row == 31
    assert {"Plan", "Key priorities", "Agencies", "Glossary", "Police priorities", "PCC priorities"} <= set(
        book.sheetnames)


def test_html_is_the_printable_plan_document(plan):
    """Every key priority and objective, escaped, with print styles."""
    content, mimetype, _ = export_plan(plan, "html")
    html = content.decode()
    assert "text/html" in mimetype and "@media print" in html
    assert "Key priority 4: To reduce crime and the fear of crime" in html
    assert "Colchester Walk &amp; Talk Event" in html
    assert html.count("<tr>") >= 30


def test_export_reads_a_fixed_number_of_queries(plan, db):
    """The export does not query per objective."""
    from sqlalchemy import event

    statements = []

    def count_statement(*args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        plan_to_dict(plan)
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)
    assert len(statements) <= 13  # 12, and one for the plan's indicators (none here)
