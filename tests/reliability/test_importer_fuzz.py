"""The plan importer fuzzed: random and mangled tables, huge cells, binary, Windows-1252 and UTF-8 with a BOM, CRLF,
a million rows of nothing, formula cells in XLSX. It never crashes and never writes half a file: it imports, or
refuses the file with one line naming it, and every cell it could not read is reported with its row and column.
Through import_plan, the import-plan command and the import page."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select
from support.word_documents import docx_from_text
from support.workbooks import with_dimension

from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.plan_data import PlanFileError
from scp_tracker.documents.services import import_plan
from scp_tracker.plans.models import Objective, Plan

ACTOR = Actor(name="Fuzz import", source="import")
AS_OF = date(2016, 9, 1)
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HEADERS = ["OBJECTIVE", "PROGRESS / OUTPUT", "FUNDING", "PROJECT LEAD / AGENCY", "END DATE", "POLICE PRIORITY",
           "PCC PRIORITY", "RAG", "Status", "Key priority", "Objective title", "Progress date", "Notes", ""]
CELLS = st.one_of(
    st.sampled_from(["", "TBC", "N/A", "Nil cost", "£5,000 SCP (15-16 C/F)", "£1,000,000.01", "£0", "Apr 17",
                     "29 Feb 16", "31/02/2017", "Sept 16", "Multiple", "all", "3", "CBC / Essex Police",
                     "<b>Title</b> the rest", "<script>alert(1)</script>", "=1+1", "=HYPERLINK(\"http://x\")",
                     "+44 1206", "@SUM(A1)", "red", "Amber", "complete", "KEY PRIORITY 2: REDUCE ASB (KP LEAD: CBH)",
                     "\"quoted\"", "a\tb", "line\nbreak", "\x00\x01\x1f", "\ufeffBOM", "é£€™", "x" * 5000]),
    st.text(max_size=40),
)
ROWS = st.lists(st.lists(CELLS, max_size=10), max_size=12)
NAMES = ["plan.csv", "plan.txt", "plan.xlsx", "plan.docx", "plan.json"]


def _csv_bytes(header: list[str], rows: list[list[str]], encoding: str, newline: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    for row in [header, *rows]:
        writer.writerow([cell.replace("\x00", "") for cell in row])
    return buffer.getvalue().encode(encoding, errors="replace")


def _text_bytes(header: list[str], rows: list[list[str]], encoding: str, newline: str) -> bytes:
    lines = ["Safer Colchester Partnership Annual Plan 2016-2017", "KEY PRIORITY 1: PROTECT PEOPLE (KP LEAD: CBH)",
             "\t".join(header), *("\t".join(row) for row in rows)]
    return newline.join(lines).encode(encoding, errors="replace")


def _xlsx_bytes(header: list[str], rows: list[list[str]], formulas: bool) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:
        # A text starting with "=" is written as a formula, which nothing ever calculated.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    if formulas:
        sheet.append(["=SUM(1,2)", "=NOW()", "=A1&A2", "=1/0", '=HYPERLINK("http://example.org","x")'])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Records wrong in size (too small, Excel's whole sheet, back to front), then malformed ones.
DIMENSIONS = ["A1", "A1:B2", "A1:XFD1048576", "B3:A1"]
MALFORMED_DIMENSIONS = ["A1:ZZZZ99999999", "nonsense", ""]
SOME = settings(FUZZ, max_examples=25)


def _nested_json(depth: int, opening: str) -> bytes:
    """JSON nested `depth` deep (Python's parser gives up near a thousand)."""
    closing = "]" if opening == "[" else "}"
    return (opening * depth + "1" + closing * depth).encode()


@st.composite
def plan_files(draw):
    """(file name, content) of a plan file as people might upload it, or a mangled or hostile one."""
    header = draw(st.one_of(st.permutations(HEADERS).map(lambda h: h[:draw(st.integers(1, len(h)))]),
                            st.lists(CELLS, max_size=8)))
    rows = draw(ROWS)
    kind = draw(st.sampled_from(["csv", "txt", "xlsx", "docx", "binary", "mangled", "json"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if kind == "xlsx":
        content = _xlsx_bytes(header, rows, draw(st.booleans()))
        if draw(st.booleans()):  # a <dimension> record another tool left wrong: too small, too big, nonsense
            content = with_dimension(content, draw(st.sampled_from(DIMENSIONS + MALFORMED_DIMENSIONS)))
        return "plan.xlsx", content
    if kind == "docx":  # the text form typed into Word (text Word cannot hold, control characters, left out)
        text = ILLEGAL_CHARACTERS_RE.sub("", _text_bytes(header, rows, "utf-8", "\n").decode("utf-8"))
        content = docx_from_text(text)
        if draw(st.booleans()):  # cut short, or with bytes written over
            cut = draw(st.integers(0, len(content)))
            content = content[:cut] + draw(st.binary(max_size=20)) + content[cut:][: draw(st.integers(0, 2000))]
        return "plan.docx", content
    if kind == "json":
        return "plan.json", _nested_json(draw(st.integers(1, 5_000)), draw(st.sampled_from(["[", '{"a":'])))
    if kind == "binary":
        return draw(st.sampled_from(NAMES)), draw(st.binary(max_size=400))
    content = (_csv_bytes if kind in ("csv", "mangled") else _text_bytes)(header, rows, encoding, newline)
    if kind == "mangled":
        cut = draw(st.integers(0, len(content)))
        content = content[:cut] + draw(st.binary(max_size=20)) + content[cut:][: draw(st.integers(0, 200))]
        return draw(st.sampled_from(NAMES)), content
    return f"plan.{kind}", content


def _counts(db) -> tuple[int, int, int]:
    db.session.rollback()
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Plan, Objective, ChangeRecord))


def _check_outcome(name: str, content: bytes, db, *, check_warnings: bool = True) -> None:
    """Import (then roll back), or a PlanFileError of one line naming the file, having written nothing."""
    before = _counts(db)
    try:
        if check_warnings:
            for warning in read_plan_file(content, name).warnings:
                # A warning about a cell says where the cell is.
                assert warning.row is not None or not warning.text, f"no row in {warning}"
        report = import_plan(content, name, actor=ACTOR, as_of=AS_OF, dry_run=True)  # writes, flushes, rolls back
    except PlanFileError as error:
        message = str(error)
        assert message.startswith(f"{name}:")
    else:
        assert report.plan_year
    assert _counts(db) == before


@FUZZ
@given(upload=plan_files())
@example(upload=("plan.csv", _csv_bytes(HEADERS[:7], [["<b>A</b> " + "x" * 200_000, "", "", "CBC"]], "utf-8", "\n")))
@example(upload=("plan.csv", _csv_bytes(HEADERS[:7], [["<b>A</b>", "", "", "L" * 500, "Z" * 300, "9" * 300]],
                                        "utf-8", "\n")))
@example(upload=("plan.txt", "Plan 2016-17\r\nOBJECTIVE\tFUNDING\r\n<b>Caf\xe9</b>\t£5\r\n".encode("cp1252")))
@example(upload=("plan.csv", "\ufeffOBJECTIVE,FUNDING\r\n<b>Café</b>,£5\r\n".encode("utf-8")))
def test_import_plan_never_crashes_nor_writes_half_a_file(db, upload):
    name, content = upload
    _check_outcome(name, content, db)


@pytest.mark.parametrize("name, content", [
    ("nothing.csv", ("OBJECTIVE,FUNDING\r\n" + "\r\n" * 1_000_000).encode()),
    ("nothing.txt", b"\n" * 1_000_000),
])
def test_a_million_rows_of_nothing(db, name, content):
    _check_outcome(name, content, db, check_warnings=False)


@SOME
@example(rows=[["<b>A</b>", "", "", "£ €"], ["<b>B</b>", "", "", "Police"]], ref="A1")  # IndexError before
@given(rows=ROWS, ref=st.sampled_from(DIMENSIONS))
def test_a_workbook_reads_the_same_whatever_its_dimension_record_says(rows, ref):
    content = _xlsx_bytes(HEADERS[:7], rows, formulas=False)
    try:
        expected = read_plan_file(content, "plan.xlsx")
    except PlanFileError as error:
        expected = str(error)
    try:
        found = read_plan_file(with_dimension(content, ref), "plan.xlsx")
    except PlanFileError as error:
        found = str(error)
    assert found == expected


@example(upload=("deep.json", _nested_json(100_000, "[")))
@example(upload=("deep.json", _nested_json(100, '{"a":')))
@SOME
@given(upload=plan_files())
def test_deep_json_and_odd_workbooks_never_crash(db, upload):
    name, content = upload
    _check_outcome(name, content, db, check_warnings=False)


def test_a_workbook_whose_last_row_is_a_million_rows_down(db, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["OBJECTIVE", "FUNDING"])
    sheet.append(["<b>Social media campaign</b>", "£5,000 SCP"])
    sheet.cell(row=1_048_576, column=2, value=" ")  # Excel's last row: everything above it is empty
    buffer = io.BytesIO()
    book.save(buffer)
    _check_outcome("far.xlsx", buffer.getvalue(), db, check_warnings=False)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(upload=plan_files())
def test_the_import_command_never_crashes(runner, tmp_path, upload):
    name, content = upload
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["import-plan", str(path), "--dry-run", "--as-of", "2016-09-01"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.output.startswith(f"Error: {name}:")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(upload=plan_files())
def test_the_import_page_never_crashes(client_as, users_by_role, upload):
    name, content = upload
    response = client_as("coordinator").post("/import", data={"plan_file": (io.BytesIO(content), name)},
                                             content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page or "Import the plan" in page or "Say what each column holds" in page
