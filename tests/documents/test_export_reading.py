"""Exports read right: no markup in a cell people read, statuses in words, a single police or PCC priority as a
number; and the spreadsheet and CSV still import back to the same objectives."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from support.database import empty_database

from scp_tracker.documents.export import AS_WRITTEN_HTML, STATUS_WORDS, export_plan
from scp_tracker.extensions import db as _db
from scp_tracker.plans.lookup import current_plan
from scp_tracker.plans.models import Objective

MARKUP = re.compile(r"<\s*/?\s*[a-z][^>]*>|&[a-z]+;|&#\d+;|\*\*", re.I)
CODES = {"set", "tbc", "missing", "confirmed", "not_applicable", "nil_cost", "open", "complete", "cancelled",
         "draft", "agreed", "archived"}


@pytest.fixture
def plan(runner, real_plan_path, db):
    """The real plan, one objective given two PCC priorities (as a plan may write "2, 4")."""
    result = runner.invoke(args=["import-plan", str(real_plan_path), "--as-of", "2016-09-01"])
    assert result.exit_code == 0, result.output
    two = db.session.scalars(select(Objective).where(Objective.title == "Deliver Crucial Crew")).one()
    two.pcc_scope, two.pcc_numbers, two.pcc_text = "listed", [2, 4], "2, 4"
    db.session.commit()
    return current_plan()


def _workbook(plan):
    return load_workbook(io.BytesIO(export_plan(plan, "xlsx")[0]))


def _columns(sheet) -> dict[str, list]:
    headers = [cell.value for cell in sheet[1]]
    return {header: [row[index] for row in sheet.iter_rows(min_row=2)] for index, header in enumerate(headers)}


def test_no_cell_people_read_holds_markup_and_the_objective_as_written_is_folded_away(plan):
    book = _workbook(plan)
    objectives = book["Objectives"]
    headers = [cell.value for cell in objectives[1]]
    html_letter = objectives.cell(row=1, column=headers.index(AS_WRITTEN_HTML) + 1).column_letter
    assert headers[-1] == AS_WRITTEN_HTML and objectives.column_dimensions[html_letter].hidden
    assert any("<b>" in (cell.value or "") for cell in _columns(objectives)[AS_WRITTEN_HTML])  # kept for re-import
    marked = [(sheet.title, cell.coordinate, cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
              if isinstance(cell.value, str) and MARKUP.search(cell.value)
              and not (sheet.title == "Objectives" and cell.column_letter == html_letter)]
    assert marked == []
    campaign = next(cell.value for cell in _columns(objectives)["Objective"] if "social media campaign" in cell.value)
    assert campaign.startswith("Deliver a social media campaign aimed at 16-24")


def test_statuses_are_in_words(plan):
    book = _workbook(plan)
    columns = _columns(book["Objectives"])
    for header in ("Funding status", "Lead status", "End date status", "Status"):
        words = {part for cell in columns[header] if cell.value for part in cell.value.split(", ")}
        assert words and words <= set(STATUS_WORDS.values()) and not words & CODES, (header, words)
    assert {"To be confirmed", "Set"} <= {cell.value for cell in columns["Lead status"]}
    plan_sheet = {row[0].value: row[1].value for row in book["Plan"].iter_rows(min_row=2)}
    assert plan_sheet["Status"] == "Draft"


def test_a_single_police_or_pcc_priority_is_a_number_several_are_as_written(plan):
    columns = _columns(_workbook(plan)["Objectives"])
    titles = [cell.value for cell in columns["Objective title"]]
    for header in ("Police priority", "PCC priority"):
        cells = columns[header]
        single = [cell for cell in cells if isinstance(cell.value, str) and cell.value.strip().isdigit()]
        assert single == [], f"{header}: numbers stored as text"
        assert any(cell.data_type == "n" and isinstance(cell.value, int) for cell in cells)
    crew = columns["PCC priority"][titles.index("Deliver Crucial Crew")]
    assert (crew.value, crew.data_type) == ("2, 4", "s")
    assert {cell.value for cell in columns["Police priority"] if isinstance(cell.value, str)} == {"Multiple", "all"}


def _objectives(db) -> list[tuple]:
    """What an objective's cells say, objective by objective, as stored."""
    return [(o.title, o.text, o.source_html, o.status, o.rag, o.lead_status, o.end_date, o.end_date_status,
             o.police_scope, list(o.police_numbers or []), o.pcc_scope, list(o.pcc_numbers or []),
             [(f.amount_pence, f.status, f.text) for f in o.funding_lines])
            for o in db.session.scalars(select(Objective).order_by(Objective.id))]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_in_words_imports_back_to_the_same_objectives(plan, fmt, runner, tmp_path, db):
    before = _objectives(db)
    path = tmp_path / f"plan.{fmt}"
    path.write_bytes(export_plan(plan, fmt)[0])
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert {row["Lead status"] for row in rows} == {"Set", "To be confirmed"}
        assert not any(MARKUP.search(value) for row in rows for header, value in row.items()
                       if header != AS_WRITTEN_HTML)
    _db.session.remove()
    empty_database()
    result = runner.invoke(args=["import-plan", str(path), "--as-of", "2016-09-01"])
    assert result.exit_code == 0, result.output
    assert "Progress notes the file does not date" not in result.output  # both carry each note's date
    warnings = result.output.split("Warnings (kept as written):", 1)[-1] if "Warnings (kept" in result.output else ""
    # A CSV holds only the objectives: no title or year; nothing about a cell of theirs is a warning.
    assert "row " not in warnings, warnings
    assert _objectives(db) == before
