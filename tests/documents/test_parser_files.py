"""The plan parser on spreadsheets, CSV and our JSON made up here, and on files it cannot read."""

import copy
import csv
import io
import json
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from support.plan_text import HEADER, REAL_PLAN, doc, only_objective, row

from scp_tracker.documents.cells import leads_text, priority_ref_text
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.parser import parse_plan_rows
from scp_tracker.documents.plan_data import PlanFileError
from scp_tracker.documents.plan_json import PLAN_FORMAT, parse_plan_json

# ---------------------------------------------------------------- CSV

CSV_ROWS = [
    "Safer Colchester Partnership Annual Plan 2016-17",
    "",
    "Key Priority 1: To protect people (KP lead: CBC)",
    "Objective,Funding,Lead,End date,Police priority,PCC priority",
    '"<b>Hub</b> – at the station",£1\xa0000 SCP (16-17 PCC funds),CBC,Sept 16,"2, 4",1',
    "Priority 2: Reduce harm",
    "<b>Second</b> thing,,TBC,,,",
]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_csv_in_utf8_or_windows_encoding_with_crlf(encoding):
    """A CSV saved by Excel on Windows, in either encoding it uses."""
    content = "\r\n".join(CSV_ROWS).replace("\xa0", "").encode(encoding)
    plan = read_plan_file(content, "plan.csv")
    assert (plan.title, plan.year, plan.filename) == ("Safer Colchester Partnership Annual Plan 2016-17", "2016-17",
                                                      "plan.csv")
    assert [(p.number, p.title, p.lead_agencies) for p in plan.priorities] == [
        (1, "To protect people", ["CBC"]), (2, "Reduce harm", [])]
    hub, second = plan.objectives()
    assert (hub.title, hub.text, hub.row) == ("Hub", "Hub – at the station", 5)
    assert [(f.amount_pence, f.pot) for f in hub.funding] == [(100000, "16-17 PCC funds")]
    assert (hub.end_date, hub.police.numbers, hub.pcc.numbers) == (date(2016, 9, 30), [2, 4], [1])
    assert (second.title, second.lead_status, second.row) == ("Second", "tbc", 7)
    assert plan.warnings == []


def test_csv_with_a_key_priority_column():
    """A "Key priority" column places each row, in any order."""
    content = (b"Key priority,Key priority title,Key priority lead,Objective,Lead\n"
               b"2,To reduce reoffending,CBC,<b>B</b>,CBC\n"
               b"Key priority 1: TO PROTECT PEOPLE,,,<b>A</b>,CBC\n"
               b"2,,,<b>C</b>,CBC\n")
    plan = read_plan_file(content, "plan.csv")
    assert [(p.number, p.title, p.lead_text, [o.title for o in p.objectives]) for p in plan.priorities] == [
        (1, "To protect people", "", ["A"]), (2, "To reduce reoffending", "CBC", ["B", "C"])]
    assert plan.priorities[1].lead_agencies == ["CBC"]


def test_csv_without_priorities_gets_one_with_a_warning():
    """A bare list of objectives still imports, with the reasons stated."""
    plan = read_plan_file(b"Objective,Lead\nDo a thing,CBC\n", "things-2016-17.csv")
    assert [(p.number, p.title) for p in plan.priorities] == [(1, "Objectives")]
    assert only_objective(plan).title == "Do a thing"
    assert {w.message for w in plan.warnings} == {
        "No plan title found", "No key priorities found; objectives put under key priority 1 “Objectives”"}
    assert plan.year == "2016-17"


def test_a_spreadsheet_objective_row_is_never_taken_for_a_description():
    """In a sheet, a row under the header is an objective, even a sparse one."""
    plan = parse_plan_rows({"Sheet1": [["Plan 2016-17"], ["Objective", "Lead"], ["<b>Only text</b>"],
                                       [None, "CBC"]]})
    assert [(o.title, o.lead_agencies) for o in plan.objectives()] == [("Only text", []), ("", ["CBC"])]


# ---------------------------------------------------------------- XLSX

def workbook(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx file made in memory, one sheet per entry."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for values in rows:
            sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_dates_numbers_and_the_optional_sheets():
    """A workbook's typed cells and the sheets our export adds."""
    content = workbook({
        "Notes for the board": [["anything"]],
        "Objectives": [
            ["Key priority", "Objective", "Funding", "Lead", "End date", "Police priority", "PCC priority",
             "Progress date", "RAG"],
            [1, "<b>Dated</b> thing", 5000, "CBH", datetime(2017, 4, 30), 3, 2.0, datetime(2016, 10, 1, 9, 30), "G"],
            [2, "<b>Text date</b>", "£1,250.50 SCP", "Essex Police", "Q3 2016-17", "Multiple", "all", None, None],
        ],
        "Plan": [["Field", "Value"], ["Year", "2016-17"], ["Title", "Annual Plan"], ["Status", "agreed"],
                 ["Starts on", datetime(2016, 4, 1)], ["Ends on", datetime(2017, 3, 31)],
                 ["Description", "What we do."], ["Prepared by", "Sonia"], ["Notes", "First note"],
                 ["Notes", "Second\nnote"], ["Colour", "blue"]],
        "Key priorities": [["Number", "Title", "Lead agencies", "Lead as written", "Description"],
                           [1, "To protect people", "CBH", "COLCHESTER BOROUGH HOMES", "Protecting."],
                           [2, "To reduce crime", "Essex Police", "ESSEX POLICE", "Reducing."]],
        "Agencies": [["Abbreviation", "Name"], ["CBH", "Colchester Borough Homes"], ["Essex Police", "Essex Police"]],
        "Glossary": [["Abbreviation", "Description"], ["ASB", "Anti-Social Behaviour"]],
        "Police priorities": [["Number", "Title"], [1, "Child abuse"], [2, "Modern slavery"]],
        "PCC priorities": [["Number", "Title"], [1, "Crack down on ASB"]],
    })
    plan = read_plan_file(content, "plan.xlsx")
    assert (plan.year, plan.title, plan.status, plan.starts_on, plan.ends_on) == (
        "2016-17", "Annual Plan", "agreed", date(2016, 4, 1), date(2017, 3, 31))
    assert (plan.description, plan.prepared_by) == ("What we do.", "Sonia")
    assert plan.notes == ["First note", "Second\nnote", "Colour\tblue"]
    assert [(a.abbreviation, a.name) for a in plan.agencies] == [("CBH", "Colchester Borough Homes"),
                                                                ("Essex Police", "Essex Police")]
    assert [(t.abbreviation, t.description) for t in plan.glossary] == [("ASB", "Anti-Social Behaviour")]
    assert [i.title for i in plan.police_priorities] == ["Child abuse", "Modern slavery"]
    assert [i.title for i in plan.pcc_priorities] == ["Crack down on ASB"]
    assert [(p.number, p.title, p.lead_agencies, p.lead_text, p.description) for p in plan.priorities] == [
        (1, "To protect people", ["CBH"], "COLCHESTER BOROUGH HOMES", "Protecting."),
        (2, "To reduce crime", ["Essex Police"], "ESSEX POLICE", "Reducing.")]
    dated, text_date = plan.objectives()
    assert (dated.end_date, dated.end_date_text, dated.end_date_status) == (date(2017, 4, 30), "30 April 2017", "set")
    assert [(f.amount_pence, f.text) for f in dated.funding] == [(500000, "5000")]
    assert (dated.police.numbers, dated.pcc.numbers, dated.pcc.text, dated.rag) == ([3], [2], "2", "green")
    assert dated.progress_at == datetime(2016, 10, 1, 9, 30, tzinfo=UTC)
    assert (text_date.end_date, text_date.lead_agencies) == (date(2016, 12, 31), ["Essex Police"])
    assert text_date.funding[0].amount_pence == 125050
    assert [(w.sheet, w.row, w.message) for w in plan.warnings] == [
        ("Notes for the board", None, "Sheet not recognised; not read"),
        ("Objectives", 3, "Read as 31 December 2016, the end of the third quarter of the financial year 2016-17"),
        ("Plan", 11, "Plan field not recognised; kept as a note")]


def _export_workbook(plan) -> bytes:
    """The real plan written the way our XLSX export writes it (scp_tracker/documents/export.py)."""
    headers = ["Key priority", "Key priority title", "Objective title", "Objective", "Progress / output",
               "Progress date", "Funding", "Funding amount (£)", "Funding status", "Project lead / agency",
               "Lead status", "End date", "End date (as written)", "End date status", "Police priority",
               "PCC priority", "RAG", "Status", "ID", "Objective (as written)", "Lead (as written)"]
    objectives = [headers] + [
        [kp.number, kp.title, o.title, o.text, o.progress, o.progress_at and o.progress_at.replace(tzinfo=None),
         " + ".join(f.text for f in o.funding), None, ", ".join(f.status for f in o.funding),
         leads_text(o.lead_agencies, o.lead_status), o.lead_status, o.end_date, o.end_date_text, o.end_date_status,
         priority_ref_text(o.police), priority_ref_text(o.pcc), (o.rag or "").capitalize(), o.status, index,
         o.source_html, o.lead_text]
        for index, (kp, o) in enumerate(((kp, o) for kp in plan.priorities for o in kp.objectives), 1)]
    return workbook({
        "Objectives": objectives,
        "Plan": [["Field", "Value"], ["Year", plan.year], ["Title", plan.title], ["Status", plan.status],
                 ["Starts on", plan.starts_on], ["Ends on", plan.ends_on], ["Description", plan.description],
                 ["Prepared by", plan.prepared_by]] + [["Notes", note] for note in plan.notes],
        "Key priorities": [["Number", "Title", "Lead agencies", "Lead as written", "Description", "Heading"]] + [
            [kp.number, kp.title, " / ".join(kp.lead_agencies), kp.lead_text, kp.description, kp.heading]
            for kp in plan.priorities],
        "Agencies": [["Abbreviation", "Name"]] + [[a.abbreviation, a.name] for a in plan.agencies],
        "Glossary": [["Abbreviation", "Description"]] + [[t.abbreviation, t.description] for t in plan.glossary],
        "Police priorities": [["Number", "Title"]] + [[i.number, i.title] for i in plan.police_priorities],
        "PCC priorities": [["Number", "Title"]] + [[i.number, i.title] for i in plan.pcc_priorities],
    })


def _meaning(plan):
    """What a plan says and how its cells were written; not where (row numbers) nor the warnings."""
    return (
        (plan.year, plan.title, plan.status, plan.starts_on, plan.ends_on, plan.description, plan.prepared_by,
         plan.notes, plan.agencies, plan.glossary, plan.police_priorities, plan.pcc_priorities),
        [(kp.number, kp.title, kp.heading, kp.lead_agencies, kp.lead_text, kp.description) for kp in plan.priorities],
        [(o.title, o.text, o.source_html, o.lead_text, o.progress,
          [(f.amount_pence, f.source, f.pot, f.status, f.text) for f in o.funding],
          o.lead_agencies, o.lead_status, o.end_date, o.end_date_text, o.end_date_status, o.police.scope,
          o.police.numbers, o.pcc.scope, o.pcc.numbers, o.rag, o.status, o.progress_at, o.extra)
         for o in plan.objectives()],
    )


def test_our_xlsx_export_of_the_real_plan_reads_back_the_same():
    """An exported workbook imports back to the same plan."""
    original = read_plan_file(REAL_PLAN)
    first = next(original.objectives())
    first.rag, first.status, first.progress_at = "amber", "complete", datetime(2016, 10, 1, 9, tzinfo=UTC)
    again = read_plan_file(_export_workbook(original), "scp-plan-2016-17.xlsx")
    assert _meaning(again) == _meaning(original)
    assert again.warnings == []


def test_our_csv_export_reads_back_the_same_objectives():
    """An exported CSV imports back to the same objectives."""
    original = read_plan_file(REAL_PLAN)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    book = load_workbook(io.BytesIO(_export_workbook(original)), read_only=True)
    for values in book["Objectives"].iter_rows(values_only=True):
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v for v in values])
    book.close()
    again = read_plan_file(("\ufeff" + buffer.getvalue()).encode("utf-8"), "scp-plan-2016-17.csv")
    assert _meaning(again)[2] == _meaning(original)[2]
    assert [w.message for w in again.warnings] == ["No plan title found"]
    assert [(kp.number, kp.title) for kp in again.priorities] == [(kp.number, kp.title) for kp in original.priorities]


# ---------------------------------------------------------------- JSON

def _json_export(plan) -> dict:
    """The real plan in the scp-tracker/plan@1 shape (DESIGN.md)."""
    def ref(r):
        """A priority reference in the interchange format."""
        return {"scope": r.scope, "numbers": r.numbers, "text": r.text}

    return {
        "format": PLAN_FORMAT,
        "plan": {"year": plan.year, "title": plan.title, "status": plan.status,
                 "starts_on": plan.starts_on.isoformat(), "ends_on": plan.ends_on.isoformat(),
                 "description": plan.description, "prepared_by": plan.prepared_by, "notes": plan.notes},
        "agencies": [{"abbreviation": a.abbreviation, "name": a.name} for a in plan.agencies],
        "glossary": [{"abbreviation": t.abbreviation, "description": t.description} for t in plan.glossary],
        "police_priorities": [{"number": i.number, "title": i.title} for i in plan.police_priorities],
        "pcc_priorities": [{"number": i.number, "title": i.title} for i in plan.pcc_priorities],
        "priorities": [{
            "number": kp.number, "title": kp.title, "lead_agencies": kp.lead_agencies, "lead_text": kp.lead_text,
            "heading": kp.heading, "description": kp.description,
            "objectives": [{
                "id": index, "title": o.title, "text": o.text, "source_html": o.source_html, "progress": o.progress,
                "status": o.status, "rag": o.rag, "lead_agencies": o.lead_agencies, "lead_status": o.lead_status,
                "lead_text": o.lead_text, "end_date": o.end_date and o.end_date.isoformat(),
                "end_date_text": o.end_date_text, "end_date_status": o.end_date_status,
                "funding": [{"amount_pence": f.amount_pence, "source": f.source, "pot": f.pot, "status": f.status,
                             "text": f.text} for f in o.funding],
                "police_priorities": ref(o.police), "pcc_priorities": ref(o.pcc),
                "last_progress_at": o.progress_at and o.progress_at.isoformat(), "extra": o.extra,
            } for index, o in enumerate(kp.objectives, 1)],
        } for kp in plan.priorities],
    }


def test_json_export_of_the_real_plan_reads_back_exactly():
    """The JSON interchange format is lossless."""
    original = read_plan_file(REAL_PLAN)
    first = next(original.objectives())
    first.rag, first.progress_at, first.extra = "red", datetime(2016, 10, 1, 8, tzinfo=UTC), {"Notes": "x"}
    content = json.dumps(_json_export(original)).encode()
    expected = replace(original, warnings=[], filename="plan.json")
    for objective in expected.objectives():
        objective.row = None
    assert read_plan_file(content, "plan.json") == expected


def test_json_fills_what_a_shorter_export_leaves_out():
    """Fields an export may leave out are rebuilt as the export writes them."""
    data = {"format": PLAN_FORMAT,
            "plan": {"year": "2016-17", "title": "Draft plan 2016-17", "starts_on": "2016-04-01",
                     "ends_on": "2017-03-31"},
            "priorities": [{"number": 1, "title": "One", "lead_agencies": ["CBC"], "description": "",
                            "objectives": [{"title": "A", "text": "A thing", "progress": "", "status": "open",
                                            "rag": None, "lead_agencies": [], "lead_status": "tbc",
                                            "end_date": None, "end_date_text": "", "end_date_status": "missing",
                                            "funding": [], "police_priorities": {"scope": "listed", "numbers": [3]},
                                            "pcc_priorities": {"scope": "multiple", "numbers": []},
                                            "last_progress_at": "2016-10-01T09:00:00+01:00"}]}]}
    plan = parse_plan_json(data)
    assert plan.status == "draft"
    (objective,) = plan.objectives()
    assert (objective.source_html, objective.lead_text, objective.police.text, objective.pcc.text) == (
        "A thing", "TBC", "3", "Multiple")
    assert [f.status for f in objective.funding] == ["missing"]
    assert objective.progress_at == datetime(2016, 10, 1, 8, tzinfo=UTC)
    assert plan.priorities[0].heading == "Key priority 1: One"


@pytest.mark.parametrize(("data", "says"), [
    ({"format": "other/plan@2", "plan": {}}, "not an SCP Tracker plan export"),
    ([1, 2], "not an SCP Tracker plan export"),
    ({"format": PLAN_FORMAT}, "not a valid plan export (KeyError: 'plan')"),
    ({"format": PLAN_FORMAT, "plan": {"title": "T"}, "priorities": [{"number": 1, "title": "x", "objectives": [
        {"title": "A", "text": "A", "lead_status": "maybe"}]}]}, "lead status 'maybe' is not one of"),
])
def test_json_that_is_not_our_format_is_refused(data, says):
    """JSON of another format or shape is refused in one line."""
    with pytest.raises(PlanFileError, match="^plan.json: ") as error:
        parse_plan_json(copy.deepcopy(data), "plan.json")
    assert says in str(error.value) and "\n" not in str(error.value)


# ---------------------------------------------------------------- files that cannot be read

def _zip_without_a_workbook() -> bytes:
    """A zip archive that is not a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plan.txt", b"", "plan.txt: the file is empty"),
    ("plan.csv", b" \r\n\r\n", "plan.csv: the file is empty"),
    ("plan.txt", b"PK\x03\x04\x00\x00binary", "plan.txt: not a text file (it holds binary data)"),
    ("plan.txt", b"\x81\x8d\x90\x9d", "plan.txt: could not decode the text (it is neither UTF-8 nor Windows-1252)"),
    ("plan.csv", b"Name,Colour\r\nA,Red\r\n", "plan.csv: no OBJECTIVE column found in the header row "
                                              "(columns: Name, Colour)"),
    ("plan.xlsx", b"this is not a workbook",
     "plan.xlsx: not an Excel workbook (an .xlsx file is a zip archive; this one is not)"),
    ("plan.xlsx", _zip_without_a_workbook(), "plan.xlsx: could not open the workbook"),
    ("plan.json", b"{not json", "plan.json: not valid JSON"),
    ("plan.docx", b"whatever", "plan.docx: not a Word document (a .docx file is a zip archive; this one is not)"),
    ("plan.docx", _zip_without_a_workbook(), "plan.docx: could not open the Word document"),
    ("plan.doc", b"whatever", "plan.doc: cannot read .doc files; save the plan as .txt, .csv, .xlsx, .docx or .json"),
])
def test_unreadable_files_raise_one_line_naming_the_file(name, content, message):
    """A file that cannot be read at all gets one clear line naming it."""
    with pytest.raises(PlanFileError) as error:
        read_plan_file(content, name)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_a_workbook_without_an_objective_column_names_its_columns():
    """The user sees which columns the header row has."""
    with pytest.raises(PlanFileError, match=r"^plan.xlsx: no OBJECTIVE column found in the header row "
                                            r"\(columns: A, B, C\)$"):
        read_plan_file(workbook({"Sheet": [["Title of the sheet"], ["A", "B", "C"], [1, 2, 3]]}), "plan.xlsx")


def test_read_plan_file_reads_a_path(tmp_path):
    """A path is read, named after its file."""
    path = tmp_path / "plan-2016-17.md"
    path.write_text(doc("# Plan 2016-17", "KEY PRIORITY 1: ONE", HEADER, row()), encoding="utf-8")
    plan = read_plan_file(path)
    assert (plan.filename, plan.year, len(list(plan.objectives()))) == ("plan-2016-17.md", "2016-17", 1)
    with pytest.raises(PlanFileError, match="^missing.txt: could not be read"):
        read_plan_file(tmp_path / "missing.txt")


def test_a_missing_bold_title_is_warned_of_only_in_a_plan_that_bolds_its_titles():
    """A plan whose objectives are titles as they stand (another partnership's) is not warned row by row."""
    plain = read_plan_file(b"Objective,Lead\nDo a thing,CBC\nDo another thing,CBC\n", "plan-2016-17.csv")
    assert [o.title for o in plain.objectives()] == ["Do a thing", "Do another thing"]
    assert not [w for w in plain.warnings if w.message.startswith("No bold title")]
    bolded = read_plan_file(b"Objective,Lead\n<b>Do a thing</b> well,CBC\nDo another thing,CBC\n", "plan-2016-17.csv")
    assert [(w.row, w.message) for w in bolded.warnings if w.message.startswith("No bold title")] == [
        (3, "No bold title; title taken from the text")]
