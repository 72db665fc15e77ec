"""Reading a Word (.docx) plan: its paragraphs and tables, in the order written, as the lines the parser reads.

A paragraph is a line of one cell, a table row a line of several, as in a plan copied out as text. Formatting the
parser reads is kept as the text form writes it: bold runs as <b>, italics as <i>, superscripts as <sup>, line breaks
within a cell as <br>, lists within a cell as <ul><li>, headings as "#". Word's automatic numbering is written out
("1. "), since the priority lists are read by their numbers. A merged cell, which python-docx repeats in every grid
column and row it covers, is read once: where it starts.
"""

import html
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from scp_tracker.documents.column_mapping import ImportChoices
from scp_tracker.documents.limits import ImportLimitError, ImportLimits, bounded_rows, check_unpacked_size
from scp_tracker.documents.parser import parse_plan_lines
from scp_tracker.documents.plan_data import ParseWarning, PlanData, PlanFileError

# The run containers a paragraph may hold besides plain runs; their text is the paragraph's text too.
_RUNS = "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r | ./w:customXml/w:r" \
        " | ./w:sdt/w:sdtContent/w:r"
_HEADING = re.compile(r"heading\s*(?P<level>[1-6])$", re.I)


@dataclass
class _Lines:
    """The lines read so far, and what the reader itself has to say about them."""

    lines: list[list[str]] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    numbering: dict[tuple[int, int], int] = field(default_factory=dict)


def read_docx(content: bytes, name: str, limits: ImportLimits, choices: ImportChoices | None = None) -> PlanData:
    """A Word document read into lines, checked against the limits, and parsed by the one parser (with the
    coordinator's `choices` of columns and year, if any)."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise PlanFileError(f"{name}: not a Word document (a .docx file is a zip archive; this one is not)")
    check_unpacked_size(content, name, limits, kind="document")
    try:
        document = docx.Document(io.BytesIO(content))
        read = _Lines()
        for block in _blocks(document):
            if isinstance(block, Table):
                _table(block, read)
            else:
                _paragraph(block, read, document)
    except (PackageNotFoundError, KeyError, ValueError, etree.LxmlError, zipfile.BadZipFile, RecursionError) as error:
        if isinstance(error, ImportLimitError):
            raise
        raise PlanFileError(f"{name}: could not open the Word document ({error})") from error
    bounded_rows(read.lines, name, limits)
    plan = parse_plan_lines(read.lines, name, choices)
    plan.warnings.extend(read.warnings)
    plan.warnings.sort(key=lambda w: (w.sheet or "", w.row is None, w.row or 0))
    return plan


def _blocks(document: Document) -> Iterator[Paragraph | Table]:
    """The body's paragraphs and tables in order, those inside content controls too."""
    body = document.element.body

    def walk(parent) -> Iterator[Paragraph | Table]:
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                yield Paragraph(child, document._body)
            elif child.tag == qn("w:tbl"):
                yield Table(child, document._body)
            elif child.tag == qn("w:sdt"):
                yield from walk(child.find(qn("w:sdtContent")) if child.find(qn("w:sdtContent")) is not None
                                else child)

    yield from walk(body)


def _paragraph(paragraph: Paragraph, read: _Lines, document: Document) -> None:
    """A body paragraph: one line per line of it (a soft line break starts a line, as in the text form)."""
    marked = runs_html(paragraph)
    style = paragraph.style.name if paragraph.style is not None else ""
    prefix = ""
    if style == "Title":
        prefix = "# "
    elif heading := _HEADING.match(style or ""):
        prefix = "#" * int(heading["level"]) + " "
    elif (number := _list_number(paragraph, read, document)) is not None:
        prefix = f"{number}. " if number else "- "
    pieces = marked.split("<br>") if marked else [""]
    for index, piece in enumerate(pieces):
        text = (prefix if index == 0 and piece.strip() else "") + piece
        # Tabs divide a line into cells, as in a plan copied out as text.
        read.lines.append(text.split("\t"))


def _table(table: Table, read: _Lines) -> None:
    """A table's rows as lines; a merged cell read once, where it starts."""
    headers: list[str] = []
    above: dict[int, int] = {}  # grid column -> the line where a vertically merged cell starts
    for tr in table._tbl.tr_lst:
        cells: list[str] = [""] * tr.grid_before
        for tc in tr.tc_lst:
            column = len(cells)
            merge = tc.vMerge
            if merge == "continue":
                text = ""
                if column in above:
                    header = headers[column] if column < len(headers) and headers[column] else f"Column {column + 1}"
                    said = f"Cell merged with the one above; read once, on row {above[column]}"
                    read.warnings.append(ParseWarning(len(read.lines) + 1, header, said))
            else:
                text = _cell_html(tc, table)
                if merge == "restart" and text:
                    above[column] = len(read.lines) + 1
                else:
                    above.pop(column, None)
            cells.append(text)
            cells.extend([""] * (tc.grid_span - 1))
        if not headers:
            headers = [re.sub(r"<[^>]*>", "", cell).strip() for cell in cells]
        read.lines.append(cells)


def _cell_html(tc, table: Table) -> str:
    """A cell's content: its paragraphs joined by line breaks, list paragraphs as a list, nested tables flattened."""
    from docx.table import _Cell

    parts: list[str] = []
    items: list[str] = []
    for block in _Cell(tc, table).iter_inner_content():
        if isinstance(block, Table):
            rows = [" ".join(cell for cell in (_cell_html(inner, block) for inner in tr.tc_lst) if cell)
                    for tr in block._tbl.tr_lst]
            parts.append("<br>".join(row for row in rows if row))
            continue
        marked = runs_html(block)
        style = block.style.name if block.style is not None else ""
        if block._p.pPr is not None and block._p.pPr.numPr is not None or "List" in (style or ""):
            items.append(marked)
            continue
        if items:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items = []
        parts.append(marked)
    if items:
        parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
    text = ""
    for part in parts:
        if not part.strip():
            continue
        text += part if not text or text.endswith("</ul>") or part.startswith("<ul>") else "<br>" + part
    return text


def runs_html(paragraph: Paragraph) -> str:
    """A paragraph's text with the formatting the parser reads marked as the text form marks it.

    Runs of the same formatting are joined (Word splits text into runs at will), and spaces between two runs of
    the same formatting take it, so "<b>Walk</b> <b>Talk</b>" is the one bold phrase it looks like.
    """
    pieces: list[tuple[str, tuple[bool, bool, str]]] = []
    for element in paragraph._p.xpath(_RUNS):
        run = Run(element, paragraph)
        text = run.text
        if not text:
            continue
        pieces.append((text, _format(run, paragraph)))
    for index in range(1, len(pieces) - 1):
        text, _ = pieces[index]
        if not text.strip() and "\n" not in text and pieces[index - 1][1] == pieces[index + 1][1]:
            pieces[index] = (text, pieces[index - 1][1])
    joined: list[tuple[str, tuple[bool, bool, str]]] = []
    for text, form in pieces:
        if joined and joined[-1][1] == form:
            joined[-1] = (joined[-1][0] + text, form)
        else:
            joined.append((text, form))
    out = []
    for text, (bold, italic, position) in joined:
        marked = html.escape(text, quote=False).replace("\n", "<br>")
        for on, tag in ((position != "", position), (italic, "i"), (bold, "b")):
            if on:
                marked = f"<{tag}>{marked}</{tag}>"
        out.append(marked)
    return "".join(out)


def _format(run: Run, paragraph: Paragraph) -> tuple[bool, bool, str]:
    """Whether a run shows bold and italic (set on it, its character style or its paragraph's style), and whether
    it is raised or lowered ("sup", "sub" or "")."""

    def inherited(attribute: str) -> bool:
        value = getattr(run.font, attribute)
        for style in (run.style, paragraph.style):
            while value is None and style is not None:
                value, style = getattr(style.font, attribute), style.base_style
        return bool(value)

    position = "sup" if run.font.superscript else "sub" if run.font.subscript else ""
    return inherited("bold"), inherited("italic"), position


def _list_number(paragraph: Paragraph, read: _Lines, document: Document) -> int | None:
    """A list paragraph's number as Word shows it (0 for a bullet), or None for a paragraph outside a list.

    The numbering is the paragraph's own or its style's ("List Number"); each list (numbering instance) counts from
    its start, as a list restarted at 1 does in Word.
    """
    num_pr: Any = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None  # CT_NumPr, untyped
    style = paragraph.style
    while (num_pr is None or num_pr.numId is None) and style is not None:
        p_pr = style.element.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None or num_pr.numId.val == 0:
        return None  # not a list, or numbering switched off
    num_id, level = int(num_pr.numId.val), int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
    number_format, start = _numbering(document, num_id, level)
    if number_format in ("bullet", "none"):
        return 0
    key = (num_id, level)
    read.numbering[key] = read.numbering.get(key, start - 1) + 1
    for deeper in [other for other in read.numbering if other[0] == num_id and other[1] > level]:
        del read.numbering[deeper]  # a sub-list counts afresh under each item
    return read.numbering[key]


def _numbering(document: Document, num_id: int, level: int) -> tuple[str, int]:
    """The numbering format ("decimal", "bullet", ...) of a list's level and the number it starts at."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return "decimal", 1
    override = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:lvlOverride[@w:ilvl="{level}"]'
                               f'/w:startOverride/@w:val')
    abstract = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
    if not abstract:
        return "decimal", 1
    lvl = f'./w:abstractNum[@w:abstractNumId="{int(abstract[0])}"]/w:lvl[@w:ilvl="{level}"]'
    formats = numbering.xpath(f"{lvl}/w:numFmt/@w:val")
    starts = override or numbering.xpath(f"{lvl}/w:start/@w:val")
    return (str(formats[0]) if formats else "decimal"), (int(starts[0]) if starts else 1)
