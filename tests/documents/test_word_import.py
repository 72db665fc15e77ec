"""Word plans: a .docx read by its own reader into the lines the one parser reads gives the same plan, field by
field, as the text form of the same plan, for the real plan and for plans written other ways; merged cells are
read once; the import limits apply; the command and the import page take Word files."""

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select
from support.word_documents import docx_from_text, merge_cells

from scp_tracker.documents.cells import clean_html
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.limits import ImportLimits
from scp_tracker.documents.parser import parse_plan_text
from scp_tracker.documents.plan_data import PlanFileError
from scp_tracker.documents.uploads import UploadError, check
from scp_tracker.plans.models import Objective

REAL_PLAN = Path(__file__).parents[1] / "fixtures" / "plans" / "scp-annual-plan-2016-17-draft.txt"
REAL_TEXT = REAL_PLAN.read_text(encoding="utf-8")
OBJECTIVE_FIELDS = ("title", "text", "progress", "funding", "lead_agencies", "lead_status", "lead_text", "end_date",
                    "end_date_text", "end_date_status", "police", "pcc", "rag", "status", "progress_at", "extra")


def _objective_fields(plan) -> list[dict]:
    """Every field of every objective; the objective as written compared by what it says (a Word cell's markup is
    Word's, not the text form's spacing)."""
    return [{**{name: getattr(objective, name) for name in OBJECTIVE_FIELDS},
             "source": clean_html(objective.source_html)} for objective in plan.objectives()]


def _plan_fields(plan) -> dict:
    """What a plan says besides its objectives."""
    return {"title": plan.title, "year": plan.year, "status": plan.status, "description": plan.description,
            "prepared_by": plan.prepared_by, "notes": plan.notes, "glossary": plan.glossary,
            "agencies": plan.agencies, "police": plan.police_priorities, "pcc": plan.pcc_priorities,
            "priorities": [(kp.number, kp.title, kp.heading, kp.lead_agencies, kp.lead_text, kp.description,
                            len(kp.objectives)) for kp in plan.priorities]}


def _said(plan) -> list[tuple]:
    """The warnings, with what they say (the rows of a Word file are its paragraphs and table rows)."""
    return [(w.column, re.sub(r"row \d+", "row N", w.message), clean_html(w.text)) for w in plan.warnings]


def _both(text: str, **options):
    """The text import and the Word import of one plan."""
    return parse_plan_text(text, "plan.txt"), read_plan_file(docx_from_text(text, **options), "plan.docx")


def test_the_real_plan_in_word_reads_as_its_text_form_does():
    text_plan, word_plan = _both(REAL_TEXT)
    assert len(_objective_fields(word_plan)) == 30
    assert _objective_fields(word_plan) == _objective_fields(text_plan)
    assert _plan_fields(word_plan) == _plan_fields(text_plan)
    assert _said(word_plan) == _said(text_plan)
    first = next(word_plan.objectives())
    assert first.title == "Social media campaign"  # the bold run
    assert "25th November" in first.progress  # the superscript ordinal
    assert [item.number for item in word_plan.police_priorities] == list(range(1, 11))  # Word's own numbering


def _tables(text: str, change) -> str:
    """The plan with every objectives-table line (seven cells) changed by `change`, a list of cells to a list."""
    return "\n".join("\t".join(change(line.split("\t"))) if line.count("\t") == 6 else line
                     for line in text.splitlines())


_ORDER = (4, 0, 3, 2, 1, 6, 5)
_HEADINGS = re.compile(r"KEY PRIORITY (\d):", re.I)


def _with_rag(cells: list[str]) -> list[str]:
    """A RAG column after the objective: red, amber or green by the objective's length (blank when continued)."""
    rag = "RAG" if cells[0] == "OBJECTIVE" else "" if not cells[3] else "RAG"[len(cells[0]) % 3]
    return [cells[0], rag, *cells[1:]]


@pytest.mark.parametrize("variant", [
    pytest.param(lambda text: _tables(text, lambda cells: [cells[i] for i in _ORDER]), id="columns-reordered"),
    pytest.param(lambda text: _tables(text, lambda cells: cells[:5]), id="without-priority-columns"),
    pytest.param(lambda text: _tables(text, lambda cells: [cells[0], cells[3], cells[4]]), id="three-columns"),
    pytest.param(lambda text: _HEADINGS.sub(r"Priority \1 –", text), id="other-heading-wording"),
    pytest.param(lambda text: _tables(text, _with_rag), id="rag-column"),
])
def test_plans_written_other_ways_read_in_word_as_in_text(variant):
    text = variant(REAL_TEXT)
    text_plan, word_plan = _both(text)
    assert len(_objective_fields(word_plan)) == 30
    assert _objective_fields(word_plan) == _objective_fields(text_plan)
    assert _plan_fields(word_plan) == _plan_fields(text_plan)
    assert _said(word_plan) == _said(text_plan)


def test_the_rag_column_is_read():
    _, word_plan = _both(_tables(REAL_TEXT, _with_rag))
    assert {objective.rag for objective in word_plan.objectives()} == {"red", "amber", "green"}


@pytest.mark.parametrize("bold_headers", [True, False])
def test_a_table_split_by_a_page_break_goes_on_with_its_header_repeated_or_not(bold_headers):
    text_plan = parse_plan_text(REAL_TEXT, "plan.txt")
    word_plan = read_plan_file(docx_from_text(REAL_TEXT, repeat_header=True, bold_headers=bold_headers), "plan.docx")
    assert _objective_fields(word_plan) == _objective_fields(text_plan)
    website = next(o for o in word_plan.objectives() if o.title == "SCP Website")
    assert website.text.endswith("for residents, visitors and businesses")
    assert website.progress.endswith("monitoring via SCP Community Safety Team")
    assert [m for _, m, _ in _said(word_plan) if m.startswith("Joined")] == [
        "Joined to the objective on row N (a table split over a page)"] * 2


_SMALL = "\n".join([
    "# Annual Partnership Plan 2016-17", "KEY PRIORITY 1: TO KEEP PEOPLE SAFE (KP LEAD: CBC)", "A description.", "",
    "OBJECTIVE\tPROGRESS / OUTPUT\tFUNDING\tPROJECT LEAD / AGENCY\tEND DATE\tPOLICE PRIORITY\tPCC PRIORITY",
    "<b>First</b> objective\tStarted 1 <sup>st</sup> May<br>Second line\t\tCBC\tApr 17\t3\t2",
    "<b>Second</b> objective\tNothing yet\t£500 SCP\tCBC\tMay 17\t\t4",
])


def test_line_breaks_within_a_cell_read_as_in_the_text_form():
    text_plan, word_plan = _both(_SMALL)
    first = next(word_plan.objectives())
    assert first.progress == "Started 1st May\nSecond line"
    assert _objective_fields(word_plan) == _objective_fields(text_plan)


def test_a_cell_merged_across_columns_is_read_once():
    # PROGRESS and FUNDING of the first objective made one cell: python-docx gives it for both columns.
    content = merge_cells(docx_from_text(_SMALL), 0, (1, 1), (1, 2))
    assert docx.Document(io.BytesIO(content)).tables[0].rows[1].cells[2].text.startswith("Started")
    first = next(read_plan_file(content, "plan.docx").objectives())
    assert first.progress == "Started 1st May\nSecond line"
    assert first.funding[0].status == "missing"


def test_a_cell_merged_down_rows_is_read_once_with_a_warning():
    # The POLICE PRIORITY of the first objective merged down into the second's (blank) cell.
    content = merge_cells(docx_from_text(_SMALL), 0, (1, 5), (2, 5))
    plan = read_plan_file(content, "plan.docx")
    first, second = plan.objectives()
    assert (first.police.numbers, second.police.scope) == ([3], "none")
    assert second.pcc.numbers == [4]
    assert ("POLICE PRIORITY", "Cell merged with the one above; read once, on row N", "") in _said(plan)


def test_a_numbered_list_counts_from_where_it_starts_and_bullets_are_marked():
    plan = read_plan_file(docx_from_text(REAL_TEXT), "plan.docx")
    assert [item.number for item in plan.pcc_priorities] == [1, 2, 3, 4, 5]
    assert plan.notes[0].splitlines()[1] == "- Ensuring local solutions meet local problems"


def _bomb() -> bytes:
    """A Word document with a part that unpacks far beyond the limit."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_from_text(_SMALL))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        target.writestr("word/media/padding.bin", b"\0" * (21 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "limits", "message"), [
    ("bomb.docx", _bomb(), None, r"^bomb\.docx: the document unpacks to [\d.]+ MB, more than the 20 MB"),
    ("plain.docx", b"OBJECTIVE\tFUNDING\n", None, r"^plain\.docx: not a Word document \(a \.docx file is a zip"),
    ("other.docx", b"PK\x03\x04" + b"\0" * 40, None, r"^other\.docx: "),
    ("long.docx", docx_from_text(_SMALL), ImportLimits(max_rows=5), r"^long\.docx: more than 5 rows"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 40, None, r"^old\.doc: cannot read \.doc files; .*\.docx"),
])
def test_word_files_beyond_the_limits_or_not_word_are_refused_naming_the_file(name, content, limits, message):
    with pytest.raises(PlanFileError, match=message):
        read_plan_file(content, name, limits)


def test_the_upload_check_takes_word_files_and_refuses_others_named_docx():
    check("plan.docx", docx_from_text(_SMALL))
    with pytest.raises(UploadError, match="not a Word document"):
        check("plan.docx", b"OBJECTIVE\tFUNDING\n")


def test_import_plan_reads_a_word_file(runner, db, tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(docx_from_text(REAL_TEXT))
    dry = runner.invoke(args=["import-plan", str(path), "--as-of", "2016-09-01", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert db.session.scalar(select(func.count()).select_from(Objective)) == 0
    result = runner.invoke(args=["import-plan", str(path), "--as-of", "2016-09-01"])
    assert result.exit_code == 0, result.output
    assert "Joined to the objective on row" in result.output
    titles = db.session.scalars(select(Objective.title)).all()
    assert len(titles) == 30 and "Social media campaign" in titles
    assert db.session.scalars(select(Objective.end_date).where(Objective.title == "Social media campaign")).one() \
        == date(2017, 4, 30)


def test_the_import_page_previews_a_word_file(client_as, db):
    client = client_as("coordinator")
    response = client.post("/import", data={"plan_file": (io.BytesIO(docx_from_text(REAL_TEXT)), "plan.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" not in page
    assert "Social media campaign" in page and "Import the plan" in page
