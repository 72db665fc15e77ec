"""Exporting a plan: the lossless JSON interchange format, spreadsheets, and the printable plan document."""

import csv
import io
import json
from datetime import date, datetime

from flask import render_template
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scp_tracker.documents.cells import formula_safe, leads_text, priority_ref_text
from scp_tracker.documents.column_vocabulary import NOTE_PREFIX
from scp_tracker.documents.plan_data import PriorityRef
from scp_tracker.extensions import db
from scp_tracker.indicators.exporting import indicators_for_export
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import GlossaryTerm, KeyPriority, KeyPriorityLead, Objective, ObjectiveLead, Plan

FORMAT = "scp-tracker/plan@1"
FORMATS = ("json", "csv", "xlsx", "docx", "html")
MIMETYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}

# The objectives table: (header, width, value of an objective's JSON entry). The headers are the ones the
# importer recognises, so an exported spreadsheet imports back to the same plan. People read plain text and
# words; the objective as written (its HTML, for the printable plan) comes last, for re-import only: a
# workbook keeps that column folded away (see AS_WRITTEN_HTML).
AS_WRITTEN_HTML = "Objective as written (HTML)"
OBJECTIVE_COLUMNS = (
    ("Key priority", 8, lambda kp, o: kp["number"]),
    ("Key priority title", 30, lambda kp, o: kp["title"]),
    ("Objective title", 35, lambda kp, o: o["title"]),
    ("Objective", 60, lambda kp, o: o["text"]),
    ("Progress / output", 60, lambda kp, o: o["progress"]),
    ("Progress date", 14, lambda kp, o: _datetime_cell(o["last_progress_at"])),
    ("Funding", 35, lambda kp, o: " + ".join(f["text"] for f in o["funding"])),
    ("Funding amount (£)", 12, lambda kp, o: _amount_pounds(o["funding"])),
    ("Funding status", 14, lambda kp, o: ", ".join(status_words(f["status"]) for f in o["funding"])),
    ("Project lead / agency", 25, lambda kp, o: leads_text(o["lead_agencies"], o["lead_status"])),
    ("Lead (as written)", 20, lambda kp, o: o["lead_text"]),
    ("Lead status", 14, lambda kp, o: status_words(o["lead_status"])),
    ("End date", 12, lambda kp, o: _date_cell(o["end_date"])),
    ("End date (as written)", 12, lambda kp, o: o["end_date_text"]),
    ("End date status", 14, lambda kp, o: status_words(o["end_date_status"])),
    ("Police priority", 10, lambda kp, o: _priority_cell(o["police_priorities"])),
    ("PCC priority", 10, lambda kp, o: _priority_cell(o["pcc_priorities"])),
    ("RAG", 8, lambda kp, o: (o["rag"] or "").capitalize()),
    ("Status", 10, lambda kp, o: status_words(o["status"])),
    ("ID", 6, lambda kp, o: o["id"]),
    (AS_WRITTEN_HTML, 40, lambda kp, o: o["source_html"]),
)

# The stored codes of statuses, in the words the plan's pages use; the importer reads these words back.
STATUS_WORDS = {
    "set": "Set", "tbc": "To be confirmed", "ongoing": "Ongoing", "missing": "Not recorded", "confirmed": "Confirmed",
    "not_applicable": "Not applicable", "nil_cost": "Nil cost",
    "open": "Open", "complete": "Complete", "cancelled": "Cancelled",
    "draft": "Draft", "agreed": "Agreed", "archived": "Archived",
}


def status_words(code: str | None) -> str:
    """A stored status code in words ("tbc" → "To be confirmed"); an unknown one as it is."""
    return STATUS_WORDS.get(code or "", code or "")


def load_plan_for_export(plan_id: int) -> Plan:
    """The plan with everything an export shows, in a fixed number of queries."""
    return db.session.scalars(
        select(Plan).where(Plan.id == plan_id).options(
            selectinload(Plan.priority_items),
            selectinload(Plan.key_priorities).selectinload(KeyPriority.lead_links).selectinload(KeyPriorityLead.agency),
            selectinload(Plan.key_priorities).selectinload(KeyPriority.objectives).options(
                selectinload(Objective.lead_links).selectinload(ObjectiveLead.agency),
                selectinload(Objective.funding_lines),
                selectinload(Objective.progress_updates),
            ),
        )
    ).one()


def plan_to_dict(plan: Plan) -> dict:
    """The plan in the scp-tracker/plan@1 interchange format (DESIGN.md fixes the field names)."""
    plan = load_plan_for_export(plan.id)
    agencies = db.session.scalars(select(Agency).order_by(Agency.abbreviation)).all()
    glossary = db.session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.abbreviation)).all()
    return {
        "format": FORMAT,
        "plan": {
            "year": plan.year, "title": plan.title, "status": plan.status,
            "starts_on": _iso(plan.starts_on), "ends_on": _iso(plan.ends_on),
            "description": plan.description, "prepared_by": plan.prepared_by, "notes": list(plan.notes or []),
        },
        "agencies": [{"abbreviation": a.abbreviation, "name": a.name} for a in agencies],
        "glossary": [{"abbreviation": t.abbreviation, "description": t.description} for t in glossary],
        "police_priorities": _priority_list(plan, "police"),
        "pcc_priorities": _priority_list(plan, "pcc"),
        "priorities": [
            {
                "number": kp.number, "title": kp.title,
                "lead_agencies": [a.abbreviation for a in kp.lead_agencies],
                "lead_text": kp.lead_text, "heading": kp.heading, "description": kp.description,
                "objectives": [_objective_dict(o) for o in kp.objectives],
            }
            for kp in plan.key_priorities
        ],
        "indicators": indicators_for_export(plan.id),
    }


def _objective_dict(o: Objective) -> dict:
    """One objective in the interchange format."""
    latest = o.latest_progress
    return {
        "id": o.id, "title": o.title, "text": o.text, "source_html": o.source_html,
        "progress": latest.text if latest else "",
        "status": o.status, "rag": o.rag,
        "lead_agencies": [a.abbreviation for a in o.lead_agencies],
        "lead_status": o.lead_status, "lead_text": o.lead_text,
        "end_date": _iso(o.end_date), "end_date_text": o.end_date_text, "end_date_status": o.end_date_status,
        "funding": [
            {"amount_pence": f.amount_pence, "source": f.source, "pot": f.pot, "status": f.status, "text": f.text}
            for f in o.funding_lines
        ],
        "police_priorities": {"scope": o.police_scope, "numbers": list(o.police_numbers or []), "text": o.police_text},
        "pcc_priorities": {"scope": o.pcc_scope, "numbers": list(o.pcc_numbers or []), "text": o.pcc_text},
        "last_progress_at": _iso(o.last_progress_at),
        "extra": dict(o.extra or {}),
    }


def _priority_list(plan: Plan, list_name: str) -> list[dict]:
    """A numbered priority list of the plan."""
    return [{"number": i.number, "title": i.title} for i in plan.priority_items if i.list_name == list_name]


def _iso(value: date | datetime | None) -> str | None:
    """ISO 8601, or None."""
    return value.isoformat() if value else None


def _date_cell(value: str | None) -> date | None:
    """A real date for a spreadsheet cell."""
    return date.fromisoformat(value) if value else None


def _datetime_cell(value: str | None) -> datetime | None:
    """A naive UTC datetime for a spreadsheet cell (spreadsheets have no time zones)."""
    return datetime.fromisoformat(value).replace(tzinfo=None) if value else None


def _amount_pounds(funding: list[dict]) -> float | None:
    """The total of the stated amounts, in pounds, or None when no line states one."""
    amounts = [f["amount_pence"] for f in funding if f["amount_pence"] is not None]
    return sum(amounts) / 100 if amounts else None


def _priority_cell(ref: dict) -> int | str:
    """A police or PCC priority as the partnership writes it: one number as a number, else "2, 4", "Multiple"…"""
    if ref["scope"] == "listed" and len(ref["numbers"]) == 1:
        return int(ref["numbers"][0])
    return priority_ref_text(PriorityRef(scope=ref["scope"], numbers=ref["numbers"], text=ref.get("text", "")))


def note_labels(data: dict) -> list[str]:
    """The labels of the objectives' notes (columns kept from an imported plan), in the order first met."""
    return list(dict.fromkeys(label for kp in data["priorities"] for o in kp["objectives"] for label in o["extra"]))


def objective_rows(data: dict) -> list[list]:
    """The objectives table: a header row, then one row per objective, its notes in columns headed "Note: …"."""
    labels = note_labels(data)
    rows: list[list] = [[header for header, _, _ in OBJECTIVE_COLUMNS] + [NOTE_PREFIX + label for label in labels]]
    for kp in data["priorities"]:
        for o in kp["objectives"]:
            rows.append([value(kp, o) for _, _, value in OBJECTIVE_COLUMNS]
                        + [o["extra"].get(label, "") for label in labels])
    return rows


def to_json(data: dict) -> bytes:
    """The interchange format as UTF-8 JSON."""
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def to_csv(data: dict) -> bytes:
    """One row per objective, UTF-8 with a byte-order mark so Excel reads the £ signs."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in objective_rows(data):
        writer.writerow(["" if cell is None else _csv_text(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(cell) -> str:
    """Dates as ISO, amounts without a trailing .0, the rest as text."""
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return formula_safe(cell) if isinstance(cell, str) else str(cell)


def to_xlsx(data: dict) -> bytes:
    """A workbook a spreadsheet user can open: objectives first, then the plan's other tables."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Objectives"
    _write_sheet(sheet, objective_rows(data),
                 [width for _, width, _ in OBJECTIVE_COLUMNS] + [30] * len(note_labels(data)))
    for column, (header, _, _) in enumerate(OBJECTIVE_COLUMNS, start=1):
        if header == "End date":
            for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell[0].number_format = "d mmmm yyyy"
        elif header == "Progress date":
            for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell[0].number_format = "d mmmm yyyy hh:mm:ss"
        elif header == "Funding amount (£)":
            for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell[0].number_format = "£#,##0.00"
        elif header == AS_WRITTEN_HTML:  # for re-import, not for reading: folded away, a click opens it
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].hidden = True
            sheet.column_dimensions[letter].outline_level = 1
    plan = data["plan"]
    plan_rows = [["Field", "Value"], ["Year", plan["year"]], ["Title", plan["title"]],
                 ["Status", status_words(plan["status"])],
                 ["Starts on", _date_cell(plan["starts_on"])], ["Ends on", _date_cell(plan["ends_on"])],
                 ["Description", plan["description"]], ["Prepared by", plan["prepared_by"]]]
    plan_rows += [["Notes", note] for note in plan["notes"]]
    _write_sheet(book.create_sheet("Plan"), plan_rows, [14, 100])
    _write_sheet(book.create_sheet("Key priorities"),
                 [["Number", "Title", "Lead agencies", "Lead as written", "Heading", "Description"]]
                 + [[kp["number"], kp["title"], " / ".join(kp["lead_agencies"]), kp["lead_text"], kp["heading"],
                     kp["description"]] for kp in data["priorities"]], [8, 40, 20, 40, 40, 80])
    _write_sheet(book.create_sheet("Agencies"), [["Abbreviation", "Name"]]
                 + [[a["abbreviation"], a["name"]] for a in data["agencies"]], [16, 50])
    _write_sheet(book.create_sheet("Glossary"), [["Abbreviation", "Description"]]
                 + [[t["abbreviation"], t["description"]] for t in data["glossary"]], [16, 50])
    for title, key in (("Police priorities", "police_priorities"), ("PCC priorities", "pcc_priorities")):
        _write_sheet(book.create_sheet(title), [["Number", "Title"]]
                     + [[p["number"], p["title"]] for p in data[key]], [8, 60])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, rows: list[list], widths: list[int]) -> None:
    """Rows with a bold, frozen header and readable column widths; text is always text, never a formula."""
    for row in rows:
        # Control characters pasted into a field would stop the workbook being saved.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value for value in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def to_html(data: dict) -> bytes:
    """The plan document laid out like the partnership's own, ready to print."""
    plan = data["plan"]
    return render_template("documents/plan.html", data=data, starts_on=_date_cell(plan["starts_on"]),
                           ends_on=_date_cell(plan["ends_on"])).encode("utf-8")


def _to_docx(data: dict) -> bytes:
    """The plan as Word (python-docx, 15 MB once imported, is imported when a file is made: never in the scheduler)."""
    from scp_tracker.documents.word_export import to_docx

    return to_docx(data)


def export_plan(plan: Plan, fmt: str) -> tuple[bytes, str, str]:
    """The plan in one of FORMATS: (content, mimetype, file name)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    data = plan_to_dict(plan)
    content = {"json": to_json, "csv": to_csv, "xlsx": to_xlsx, "docx": _to_docx, "html": to_html}[fmt](data)
    return content, MIMETYPES[fmt], f"scp-plan-{plan.year}.{fmt}"
