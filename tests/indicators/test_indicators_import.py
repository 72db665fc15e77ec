"""scp-tracker indicators import PATH: figures from CSV or XLSX; re-imports update; bad rows stop everything."""

import csv
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from support.workbooks import with_dimension

from scp_tracker.indicators.models import Indicator, IndicatorFigure

HEADER = ["Indicator", "Period", "Value", "Key priority", "Unit", "Better", "Baseline", "Baseline period", "Target",
          "Note"]


@pytest.fixture
def plan_with_priorities(make_plan, make_key_priority, db):
    plan = make_plan("2016-17")
    make_key_priority(plan, 1, "To protect vulnerable people")
    make_key_priority(plan, 2, "To reduce violence")
    db.session.commit()
    return plan


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def figures(db):
    return {(f.indicator.name, f.period): (f.value, f.note) for f in db.session.scalars(select(IndicatorFigure))}


def test_an_import_creates_indicators_and_their_figures(runner, db, tmp_path, plan_with_priorities):
    path = write_csv(tmp_path / "figures.csv", [
        ["Domestic abuse incidents", "Q1 2016/17", "1,204", "1", "incidents", "lower", "1300", "2015-Q2", "1200", ""],
        ["Domestic abuse incidents", "Jul-Sep 2016", "1180", "", "", "", "", "", "", "Summer peak lower"],
        ["Repeat victims", "2016-04", "31%", "Key priority 1", "%", "lower", "", "", "28", ""],
    ])
    result = runner.invoke(args=["indicators", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 new figures, 0 updated, 2 new indicators" in result.output
    assert figures(db) == {("Domestic abuse incidents", "2016-Q2"): (1204, ""),
                           ("Domestic abuse incidents", "2016-Q3"): (1180, "Summer peak lower"),
                           ("Repeat victims", "2016-04"): (31, "")}
    incidents = db.session.scalar(select(Indicator).where(Indicator.name == "Domestic abuse incidents"))
    assert (incidents.unit, incidents.better, incidents.baseline_value, incidents.baseline_period,
            incidents.target_value, incidents.frequency, incidents.key_priority.number) == (
        "incidents", "lower", 1300, "2015-Q2", 1200, "quarterly", 1)
    assert db.session.scalar(select(Indicator.frequency).where(Indicator.name == "Repeat victims")) == "monthly"


def test_re_importing_updates_figures_never_duplicates(runner, db, tmp_path, plan_with_priorities):
    first = write_csv(tmp_path / "first.csv", [["Knife crime", "2016-Q3", "40", "2", "", "", "", "", "", ""]])
    assert runner.invoke(args=["indicators", "import", str(first)]).exit_code == 0
    again = write_csv(tmp_path / "again.csv", [
        ["knife crime", "Q2 2016/17", "42", "", "", "higher", "", "", "", "Revised"],
        ["Knife crime", "2016-Q4", "38", "", "", "", "", "", "", ""]])
    result = runner.invoke(args=["indicators", "import", str(again)])
    assert result.exit_code == 0, result.output
    assert "1 new figures, 1 updated, 0 new indicators" in result.output
    assert figures(db) == {("Knife crime", "2016-Q3"): (42, "Revised"), ("Knife crime", "2016-Q4"): (38, "")}
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == 1
    assert db.session.scalar(select(Indicator.better)) == "higher"


@pytest.mark.parametrize(("row", "column", "words"), [
    (["", "2016-Q3", "40", "1", "", "", "", "", "", ""], "indicator", "name"),
    (["Knife crime", "2016-Q5", "40", "1", "", "", "", "", "", ""], "period", "not a period"),
    (["Knife crime", "2016-Q3", "forty", "1", "", "", "", "", "", ""], "value", "number"),
    (["Knife crime", "2016-Q3", "", "1", "", "", "", "", "", ""], "value", "Enter the figure"),
    (["Knife crime", "2016-Q3", "1e400", "1", "", "", "", "", "", ""], "value", "number"),
    (["Hate crime", "2016-Q3", "40", "", "", "", "", "", "", ""], "key priority", "new indicator"),
    (["Knife crime", "2016-Q3", "40", "9", "", "", "", "", "", ""], "key priority", "no key priority 9"),
    (["Knife crime", "2016-Q3", "40", "1", "", "sideways", "", "", "", ""], "better", "lower or higher"),
    (["Knife crime", "2016-Q3", "40", "1", "", "", "many", "", "", ""], "baseline", "number"),
    (["Knife crime", "2016-Q3", "40", "1", "", "", "", "last year", "", ""], "baseline period", "not a period"),
    (["Knife crime", "2016-Q3", "40", "1", "", "", "", "", "lots", ""], "target", "number"),
    (["Knife crime", "2016-10", "40", "1", "", "", "", "", "", ""], "period", "enter a quarter"),
    (["Knife crime", "2016-Q3", "40", "1", "u" * 61, "", "", "", "", ""], "unit", "60 characters"),
])
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_written(runner, db, tmp_path, plan_with_priorities,
                                                                        row, column, words):
    path = write_csv(tmp_path / "bad.csv", [["Knife crime", "2016-Q2", "41", "1", "", "", "", "", "", ""], row,
                                            ["Arson", "2016-Q3", "7", "2", "", "", "", "", "", ""]])
    result = runner.invoke(args=["indicators", "import", str(path)])
    assert result.exit_code == 1
    problem = next(line for line in result.output.splitlines() if line.startswith("Row "))
    assert problem.startswith(f"Row 3, column {column}: ") and words in problem, result.output
    assert "Nothing was imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == 0
    assert figures(db) == {}


def test_every_bad_row_is_reported_at_once_and_a_repeated_period_too(runner, db, tmp_path, plan_with_priorities):
    path = write_csv(tmp_path / "bad.csv", [["Arson", "2016-Q3", "7", "2", "", "", "", "", "", ""],
                                            ["Arson", "Q2 2016/17", "8", "", "", "", "", "", "", ""],
                                            ["Arson", "2016-Q4", "x", "", "", "", "", "", "", ""]])
    result = runner.invoke(args=["indicators", "import", str(path)])
    assert result.exit_code == 1
    assert "Row 3, column period: Row 2 already gives Arson for Jul to Sep 2016" in result.output
    assert "Row 4, column value:" in result.output
    assert figures(db) == {}


def test_a_missing_column_is_reported_on_the_header_row(runner, tmp_path, plan_with_priorities):
    path = write_csv(tmp_path / "bad.csv", [["Arson", "7"]], header=["indicator", "amount"])
    result = runner.invoke(args=["indicators", "import", str(path)])
    assert result.exit_code == 1
    assert "Row 1, column period: This column is missing" in result.output
    assert "Row 1, column value: This column is missing" in result.output


def test_an_xlsx_import_reads_every_row_even_with_a_stale_dimension_and_date_cells(runner, db, tmp_path,
                                                                                  plan_with_priorities):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "period", "value", "key_priority"])
    sheet.append(["ASB incidents", datetime(2016, 10, 1), 310, 2])
    sheet.append(["ASB incidents", "Nov 2016", 295.5, None])
    sheet.append(["ASB incidents", "2016-12", 280, None])
    workbook.save(tmp_path / "plain.xlsx")
    (tmp_path / "figures.xlsx").write_bytes(with_dimension((tmp_path / "plain.xlsx").read_bytes(), "A1:D2"))
    result = runner.invoke(args=["indicators", "import", str(tmp_path / "figures.xlsx"), "--plan", "2016-17"])
    assert result.exit_code == 0, result.output
    assert figures(db) == {("ASB incidents", "2016-10"): (310, ""), ("ASB incidents", "2016-11"): (295.5, ""),
                           ("ASB incidents", "2016-12"): (280, "")}


@pytest.mark.parametrize(("name", "content", "words"), [
    ("figures.txt", b"indicator,period,value", "not a CSV or XLSX"),
    ("figures.xlsx", b"not a zip at all", "not a readable XLSX"),
])
def test_a_file_that_is_not_a_table_is_refused(runner, tmp_path, plan_with_priorities, name, content, words):
    (tmp_path / name).write_bytes(content)
    result = runner.invoke(args=["indicators", "import", str(tmp_path / name)])
    assert result.exit_code == 1 and words in result.output


def test_a_sheet_whose_only_far_down_cell_is_blank_is_read_at_once(runner, db, tmp_path, plan_with_priorities):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "period", "value", "key priority"])
    sheet.append(["Arson", "2016-Q3", 7, 2])
    sheet.cell(row=1_048_576, column=1, value=" ")
    workbook.save(tmp_path / "far.xlsx")
    result = runner.invoke(args=["indicators", "import", str(tmp_path / "far.xlsx")])
    assert result.exit_code == 0, result.output
    assert figures(db) == {("Arson", "2016-Q3"): (7, "")}


def test_a_row_holding_something_past_the_limit_is_refused(runner, db, tmp_path, plan_with_priorities, monkeypatch):
    from scp_tracker.indicators import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    path = write_csv(tmp_path / "long.csv", [["Arson", "2016-Q3", "7", "2", "", "", "", "", "", ""], [], [],
                                             ["Arson", "2016-Q4", "8", "", "", "", "", "", "", ""]])
    result = runner.invoke(args=["indicators", "import", str(path)])
    assert result.exit_code == 1 and "more than 3 rows (row 5 holds something)" in result.output
    assert figures(db) == {}
