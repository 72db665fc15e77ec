"""The plan as a Word document, in the partnership's own layout, that the Word reader reads back to the same plan.

Title; the plan's description and who prepared it; each key priority's heading with its lead and description, then
its seven-column table (OBJECTIVE, PROGRESS / OUTPUT, FUNDING, PROJECT LEAD / AGENCY, END DATE, POLICE PRIORITY,
PCC PRIORITY; RAG and STATUS columns only when an objective has them, SHORT TITLE only when an objective's text no
longer says its title) with the short title in bold; the PCC's and
the police's numbered priorities; the notes; the glossary. Landscape A4, as the partnership prints it.
"""

import html
import io
import re
from datetime import date

import docx
import nh3
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from scp_tracker.documents.cells import (
    clean_html,
    govuk_date,
    leads_text,
    priority_ref_text,
    title_from_objective,
)
from scp_tracker.documents.plan_data import PriorityRef
from scp_tracker.documents.plan_wording import key_priority_heading

_COLUMNS = ("OBJECTIVE", "PROGRESS / OUTPUT", "FUNDING", "PROJECT LEAD / AGENCY", "END DATE", "POLICE PRIORITY",
            "PCC PRIORITY")
_WIDTHS_MM = (72, 58, 32, 30, 22, 23, 23)
_KEPT_TAGS = {"b", "strong", "i", "em", "sup", "sub", "br", "p", "div", "ul", "ol", "li"}
_TOKEN = re.compile(r"(<[^>]+>)")


def to_docx(data: dict) -> bytes:
    """The plan (the scp-tracker/plan@1 dictionary) as a .docx file."""
    document = docx.Document()
    _page(document)
    plan = data["plan"]
    title = document.add_paragraph(style="Title")
    title.add_run(plan["title"] or f"Annual Partnership Plan {plan['year']}")
    if plan["status"] == "draft":
        title.add_run(" – ")
        title.add_run("Draft").bold = True
    _paragraphs(document, plan["description"])
    if plan["prepared_by"]:
        document.add_paragraph(f"Prepared by: {plan['prepared_by']}")
    for kp in data["priorities"]:
        _key_priority(document, kp)
    for heading, key in (("PCC priorities", "pcc_priorities"), ("Police priorities", "police_priorities")):
        if data[key]:
            _numbered_list(document, heading, data[key])
    for note in plan["notes"]:
        _note(document, note)
    _glossary(document, data)
    for table in document.tables:  # Normal's space after paragraphs would pad every cell
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.space_after = Pt(1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document) -> None:
    """Landscape A4 with the narrow margins of the partnership's plan; Arial 10."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(12))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    document.styles["Heading 2"].paragraph_format.space_before = Pt(18)
    for name in ("Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        fonts = style.element.rPr.rFonts
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{theme}"), None)  # a theme font would win over Arial


def _paragraphs(document, text: str) -> None:
    """Paragraphs of text, kept with what follows: a blank paragraph between two (the reader's paragraph break),
    line breaks within one."""
    for index, paragraph in enumerate(part for part in (text or "").split("\n\n") if part.strip()):
        if index:
            document.add_paragraph().paragraph_format.keep_with_next = True
        added = document.add_paragraph()
        added.paragraph_format.keep_with_next = True
        for number, line in enumerate(paragraph.split("\n")):
            if number:
                added.add_run().add_break()
            added.add_run(line)


def _bold_heading(document, text: str):
    """A bold line heading what follows (the reader takes a bold line for a section's heading)."""
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _key_priority(document, kp: dict) -> None:
    """A key priority's heading (as the plan wrote it, unless its title has changed since), lead, description and
    table of objectives."""
    lines = [line for line in (kp["heading"] or "").split("\n") if line.strip()]
    written = key_priority_heading(lines[0]) if lines else None
    lead = kp["lead_text"] or " / ".join(kp["lead_agencies"])
    kept = (written is not None and written[0] == kp["number"] and written[1].casefold() == kp["title"].casefold()
            and lead in kp["heading"])
    if not kept:
        lines = [f"KEY PRIORITY {kp['number']}: {kp['title'].upper()}"] + ([f"(KP LEAD: {lead})"] if lead else [])
    document.add_paragraph(lines[0], style="Heading 2")
    for line in lines[1:]:
        _bold_heading(document, line).paragraph_format.space_before = Pt(0)
    _paragraphs(document, kp["description"])
    if kp["objectives"]:
        _objectives_table(document, kp["objectives"])


def _objectives_table(document, objectives: list[dict]) -> None:
    """The seven columns, and RAG and STATUS where an objective has them; the header repeats on every page."""
    columns = list(_COLUMNS)
    widths = list(_WIDTHS_MM)
    cells_html = [_objective_html(o) for o in objectives]
    with_title = not all(title_read for _, title_read in cells_html)
    with_rag = any(o["rag"] for o in objectives)
    with_status = any(o["status"] != "open" for o in objectives)
    if with_title:
        columns.insert(0, "SHORT TITLE")
        widths.insert(0, 30)
        widths[1] -= 20
    if with_rag:
        columns.append("RAG")
        widths.append(14)
    if with_status:
        columns.append("STATUS")
        widths.append(18)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, name in zip(header.cells, columns, strict=True):
        run = cell.paragraphs[0].add_run(name)
        run.bold, run.font.size = True, Pt(9)
        _shade(cell, "F3F2F1")
    for o, (objective_html, _) in zip(objectives, cells_html, strict=True):
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row is never split across two pages
        cells = row.cells
        if with_title:
            title_cell, *cells = cells
            title_cell.paragraphs[0].add_run(o["title"]).bold = True
        add_html(cells[0], objective_html)
        _lines(cells[1], o["progress"])
        _lines(cells[2], " + ".join(f["text"] for f in o["funding"] if f["text"]))
        _lines(cells[3], o["lead_text"] or leads_text(o["lead_agencies"], o["lead_status"]))
        end = o["end_date_text"] or (govuk_date(date.fromisoformat(o["end_date"])) if o["end_date"] else "")
        _lines(cells[4], end)
        for cell, ref in ((cells[5], o["police_priorities"]), (cells[6], o["pcc_priorities"])):
            _lines(cell, ref.get("text") or priority_ref_text(PriorityRef(ref["scope"], ref["numbers"], "")))
        if with_rag:
            _lines(cells[7], (o["rag"] or "").capitalize())
        if with_status:
            _lines(cells[-1], o["status"].capitalize())
    _widths(table, widths)


def _objective_html(o: dict) -> tuple[str, bool]:
    """The objective's cell, and whether its short title reads from it: as written when that still says its text
    and title, else the text with the title in bold where the text says it. A title the text does not say (edited
    in the app) needs a column of its own."""
    source = o["source_html"] or ""
    says_text = bool(source) and clean_html(source) == o["text"]
    if says_text and title_from_objective(source).value == o["title"] and re.search(r"<(b|strong)\b", source, re.I):
        return source, True
    title, text = html.escape(o["title"], quote=False), html.escape(o["text"] or "", quote=False)
    at = text.casefold().find(title.casefold()) if title else -1
    if at >= 0:
        marked = f"{text[:at]}<b>{text[at:at + len(title)]}</b>{text[at + len(title):]}".replace("\n", "<br>")
        if title_from_objective(marked).value == o["title"]:
            return marked, True
    return (source if says_text else text.replace("\n", "<br>")), False


def _lines(cell, text: str) -> None:
    """Plain text into a cell, its lines as line breaks."""
    paragraph = cell.paragraphs[0]
    for number, line in enumerate((text or "").split("\n")):
        if number:
            paragraph.add_run().add_break()
        paragraph.add_run(line)


def add_html(cell, marked: str) -> None:
    """A cell's text as written (the small HTML the importer keeps) as Word runs: bold, italics, super- and
    subscripts, line breaks, and lists as bullet paragraphs in the cell."""
    cleaned = nh3.clean(marked, tags=_KEPT_TAGS, attributes={})
    paragraph = cell.paragraphs[0]
    bold = italic = False
    position = ""
    for token in _TOKEN.split(cleaned):
        if not token:
            continue
        if token.startswith("<"):
            closing = token.startswith("</")
            tag = token.strip("</>").split()[0].lower()
            if tag in ("b", "strong"):
                bold = not closing
            elif tag in ("i", "em"):
                italic = not closing
            elif tag in ("sup", "sub"):
                position = "" if closing else tag
            elif tag == "br":
                paragraph.add_run().add_break()
            elif tag == "li" and not closing:
                paragraph = cell.add_paragraph(style="List Bullet")
            elif tag in ("p", "div", "ul", "ol") and closing:
                paragraph = cell.add_paragraph()
            continue
        text = html.unescape(token)
        if paragraph.style.name == "List Bullet" or (paragraph is not cell.paragraphs[0] and not paragraph.runs):
            text = text.lstrip() if not paragraph.runs else text
            if not text.strip():
                continue
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        # Both are Word's one vertical alignment: setting either to None would clear the other.
        if position == "sup":
            run.font.superscript = True
        elif position == "sub":
            run.font.subscript = True
    for extra in cell.paragraphs[1:]:
        if not extra.text.strip():
            extra._p.getparent().remove(extra._p)


def _numbered_list(document, heading: str, items: list[dict]) -> None:
    """A numbered priority list under a bold heading, numbered as the plan numbers it."""
    _bold_heading(document, heading)
    for item in items:
        document.add_paragraph(f"{item['number']}. {item['title']}").paragraph_format.space_after = Pt(2)


def _note(document, note: str) -> None:
    """A part of the plan kept as a note: its first line as a bold heading, the rest as written."""
    lines = note.split("\n")
    _bold_heading(document, lines[0])
    for line in lines[1:]:
        added = document.add_paragraph(line[2:], style="List Bullet") if line.startswith("- ") \
            else document.add_paragraph(line)
        added.paragraph_format.space_after = Pt(2)


def _glossary(document, data: dict) -> None:
    """The glossary, two entries a row as the plan has it: its terms, and the agencies' names."""
    entries = sorted([(t["abbreviation"], t["description"]) for t in data["glossary"]]
                     + [(a["abbreviation"], a["name"]) for a in data["agencies"] if a["abbreviation"] != a["name"]],
                     key=lambda entry: entry[0].casefold())
    if not entries:
        return
    _bold_heading(document, "Glossary")
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    _repeat_as_header(table.rows[0])
    for cell, name in zip(table.rows[0].cells, ("Abbreviation", "Description") * 2, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
        _shade(cell, "F3F2F1")
    for first in range(0, len(entries), 2):
        cells = table.add_row().cells
        for offset, (term, meaning) in enumerate(entries[first:first + 2]):
            cells[offset * 2].paragraphs[0].add_run(term)
            cells[offset * 2 + 1].paragraphs[0].add_run(meaning)
    _widths(table, [30, 100, 30, 100])


def _widths(table, widths: list[int]) -> None:
    """Column widths in millimetres: on the grid (LibreOffice reads those) and on each cell (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _repeat_as_header(row) -> None:
    """Word repeats this row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _shade(cell, fill: str) -> None:
    """A cell's background colour."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)
