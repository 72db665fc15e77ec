"""How much of a file an import reads: file size, rows, cells, a workbook's unpacked size and JSON nesting are
bounded (settings IMPORT_MAX_*), a workbook is read to its last row whatever its <dimension> record says, and a
refusal names the file and the limit, through import_plan, the import-plan command and the import page, having
changed nothing already stored."""

import csv
import io
import json
import zipfile
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select
from support.workbooks import with_dimension

from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.limits import ImportLimits
from scp_tracker.documents.plan_data import PlanFileError
from scp_tracker.documents.services import import_plan
from scp_tracker.plans.models import Objective, Plan

ACTOR = Actor(name="Import", source="import")
HEADER = ["OBJECTIVE", "FUNDING", "PROJECT LEAD / AGENCY", "END DATE"]


def _rows(count: int) -> list[list[str]]:
    return [HEADER] + [[f"<b>Objective {n}</b> the rest", "£5,000 SCP", "CBC", "May 17"] for n in range(count)]


def _csv(count: int) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_rows(count))
    return buffer.getvalue().encode()


def _xlsx(rows: list[list], extra_members: dict[str, bytes] | None = None) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if not extra_members:
        return buffer.getvalue()
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, content in extra_members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _stored(db) -> tuple:
    """What the database holds, to show a refused import changed nothing."""
    db.session.rollback()
    counts = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Plan, Objective, ChangeRecord))
    return counts, sorted(db.session.scalars(select(Objective.title)))


@pytest.fixture
def stored_plan(db):
    """A plan already imported, which a refused import must leave as it is."""
    import_plan(_csv(3), "plan.csv", actor=ACTOR, as_of=date(2016, 9, 1))
    db.session.commit()
    return _stored(db)


def test_a_workbook_is_read_to_its_last_row_whatever_its_dimension_record_says(db):
    content = with_dimension(_xlsx(_rows(30)), "A1:D3")  # says three rows; there are thirty-one
    assert b'<dimension ref="A1:D3"' in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    data = read_plan_file(content, "stale.xlsx")
    assert [o.title for o in data.objectives()] == [f"Objective {n}" for n in range(30)]


def test_a_dimension_record_claiming_a_huge_sheet_costs_nothing(db):
    # Read-only openpyxl pads every row to the declared width: 16,384 columns by a million rows.
    content = with_dimension(_xlsx(_rows(2)), "A1:XFD1048576")
    data = read_plan_file(content, "huge.xlsx", ImportLimits(max_cells=1_000))
    assert len(list(data.objectives())) == 2


@pytest.mark.parametrize("name, content", [
    ("long.csv", _csv(12)),
    ("long.xlsx", _xlsx(_rows(12))),
    ("long.txt", ("Plan 2016-17\nKEY PRIORITY 1: PROTECT PEOPLE (KP LEAD: CBC)\n"
                  + "\n".join("\t".join(row) for row in _rows(12))).encode()),
])
def test_rows_beyond_the_limit_are_refused_naming_the_file_the_limit_and_the_row(db, stored_plan, name, content):
    with pytest.raises(PlanFileError) as refused:
        import_plan(content, name, actor=ACTOR, as_of=date(2016, 9, 1), limits=ImportLimits(max_rows=10))
    assert str(refused.value).startswith(f"{name}: more than 10 rows (row 11")
    assert _stored(db) == stored_plan


def test_blank_rows_beyond_the_limit_cost_nothing(db):
    content = _csv(3) + b"\r\n" * 100 + b",,  ,\r\n"
    data = read_plan_file(content, "blank.csv", ImportLimits(max_rows=10))
    assert len(list(data.objectives())) == 3


def test_cells_beyond_the_limit_are_refused(db, stored_plan):
    rows = _rows(3)
    rows[2] = rows[2] + [None] * 500 + ["far right"]
    with pytest.raises(PlanFileError, match=r"^wide\.xlsx: more than 300 cells \(reached at row 3 of sheet"):
        import_plan(_xlsx(rows), "wide.xlsx", actor=ACTOR, as_of=date(2016, 9, 1),
                    limits=ImportLimits(max_cells=300))
    assert _stored(db) == stored_plan


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_unpacked(db, stored_plan):
    bomb = _xlsx(_rows(3), {"xl/media/padding.bin": b"\0" * (21 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(PlanFileError, match=r"^bomb\.xlsx: the workbook unpacks to 21 MB, more than the 20 MB"):
        import_plan(bomb, "bomb.xlsx", actor=ACTOR, as_of=date(2016, 9, 1))
    assert _stored(db) == stored_plan


def test_a_file_too_large_is_refused(db, stored_plan):
    with pytest.raises(PlanFileError,
                       match=r"^big\.csv: the file is [\d.]+ KB, more than the 1,000 bytes an import reads$"):
        import_plan(_csv(40), "big.csv", actor=ACTOR, as_of=date(2016, 9, 1), limits=ImportLimits(max_bytes=1000))
    assert _stored(db) == stored_plan


DEEP = b"[" * 100_000 + b"]" * 100_000
NESTED = json.dumps({"format": "scp-tracker/plan@1", "plan": {"title": "x"}, "notes": [[[[[[[[[[]]]]]]]]]]}).encode()


@pytest.mark.parametrize("content", [DEEP, NESTED])
def test_deep_json_is_refused_with_a_message(db, stored_plan, content):
    with pytest.raises(PlanFileError, match=r"^deep\.json: the JSON is nested more than 8 levels deep"):
        import_plan(content, "deep.json", actor=ACTOR, as_of=date(2016, 9, 1), limits=ImportLimits(max_json_depth=8))
    assert _stored(db) == stored_plan


def test_the_settings_bound_the_command(app, db, runner, tmp_path, stored_plan):
    app.config.update(IMPORT_MAX_ROWS=10, IMPORT_MAX_BYTES=2_000)
    for name, content, message in (("long.csv", _csv(12), "Error: long.csv: more than 10 rows (row 11"),
                                   ("big.csv", _csv(60), "Error: big.csv: the file is "),
                                   ("deep.json", DEEP[:900] + DEEP[-900:], "Error: deep.json: the JSON is nested")):
        path = tmp_path / name
        path.write_bytes(content)
        for dry_run in ([], ["--dry-run"]):
            result = runner.invoke(args=["import-plan", str(path), *dry_run])
            assert result.exit_code == 1, result.output
            assert result.output.startswith(message), result.output
            assert "Traceback" not in result.output
    assert _stored(db) == stored_plan


def test_the_settings_bound_the_import_page(app, db, client_as, stored_plan):
    app.config.update(IMPORT_MAX_ROWS=10)
    client = client_as("coordinator")
    for name, content, message in (("long.csv", _csv(12), "long.csv: more than 10 rows (row 11"),
                                   ("long.xlsx", _xlsx(_rows(12)), "long.xlsx: more than 10 rows (row 11"),
                                   ("deep.json", DEEP, "deep.json: the JSON is nested too deeply")):
        response = client.post("/import", data={"plan_file": (io.BytesIO(content), name)},
                               content_type="multipart/form-data")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "There is a problem" in page and message in page
    assert _stored(db) == stored_plan
