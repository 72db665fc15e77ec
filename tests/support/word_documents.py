"""Word plans for tests, built with python-docx from a plan in the text form, as a partnership would type it.

"#" lines become Heading paragraphs, tab-separated lines tables (a blank line inside a run of them splits the table
over a page break), "1." lines Word's own numbered list (restarted for each list), "- " lines bullets; <b>, **,
<i>, <sup> become run formatting and a <ul> in a cell bullet paragraphs in the cell.
"""

import html
import io
import re

import docx
from docx.enum.text import WD_BREAK

_TOKEN = re.compile(r"(\*\*|<\s*/?\s*(?:b|strong|i|em|sup|sub|ul|li)\b[^>]*>|<br\s*/?>)", re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$")


def add_runs(paragraph, marked: str, *, cell=None) -> None:
    """Add the text form's marked-up text to a paragraph as runs (a cell's <ul> as bullet paragraphs in it)."""
    bold = italic = sup = False
    current = paragraph
    for token in _TOKEN.split(marked):
        tag = token.lower().strip("<> /")
        if token == "**":
            bold = not bold
        elif _TOKEN.fullmatch(token):
            closing = token.replace(" ", "").startswith("</")
            if tag.startswith(("b", "strong")) and not tag.startswith("br"):
                bold = not closing
            elif tag.startswith(("i", "em")):
                italic = not closing
            elif tag.startswith(("sup", "sub")):
                sup = not closing
            elif tag.startswith("br"):
                current.add_run().add_break()
            elif tag.startswith("li") and not closing and cell is not None:
                current = cell.add_paragraph(style="List Bullet")
        elif token:
            text = html.unescape(token)
            if current is not paragraph and not text.strip():
                continue
            if current is not paragraph:
                text = text.strip()
            run = current.add_run(text)
            run.bold, run.italic = bold or None, italic or None
            run.font.superscript = sup or None


def new_list(document) -> int:
    """A new numbering instance of the "List Number" list, restarted at 1 (Word's "Restart at 1"); its id."""
    style_numbering = document.styles["List Number"].element.pPr.numPr
    numbering = document.part.numbering_part.element
    abstract = numbering.xpath(f'./w:num[@w:numId="{style_numbering.numId.val}"]/w:abstractNumId/@w:val')[0]
    num = numbering.add_num(int(abstract))
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def number_paragraph(paragraph, num_id: int) -> None:
    """Put a paragraph in the list numbered by `num_id`, as Word writes each item of a restarted list."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def docx_from_text(text: str, *, bold_headers: bool = True, repeat_header: bool = False) -> bytes:
    """A Word plan made from a text plan. `repeat_header` repeats a table's header row after a page break."""
    document = docx.Document()
    lines = text.splitlines()
    index = 0
    list_id = None
    while index < len(lines):
        line = lines[index]
        if "\t" in line:
            index = _add_table(document, lines, index, bold_headers, repeat_header)
            list_id = None
            continue
        if heading := _HEADING.match(line):
            add_runs(document.add_paragraph(style=f"Heading {len(heading[1])}"), heading[2])
        elif numbered := _NUMBERED.match(line):
            paragraph = document.add_paragraph(style="List Number")
            list_id = list_id or new_list(document)
            number_paragraph(paragraph, list_id)
            add_runs(paragraph, numbered[2])
            index += 1
            continue
        elif line.startswith("- "):
            add_runs(document.add_paragraph(style="List Bullet"), line[2:])
        else:
            add_runs(document.add_paragraph(), line)
        list_id = None
        index += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_table(document, lines: list[str], index: int, bold_headers: bool, repeat_header: bool) -> int:
    """Add the table starting at lines[index] (split where a blank line falls between its rows); the next index."""
    header = lines[index].split("\t")
    table = None
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            if index + 1 < len(lines) and "\t" in lines[index + 1]:
                # A page break between two halves of the table: Word keeps them apart with a paragraph.
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                table = None
                if repeat_header:
                    table = _new_table(document, len(header))
                    _add_row(table, header, bold=bold_headers)
                index += 1
                continue
            return index
        if "\t" not in line:
            return index
        cells = line.split("\t")
        if table is None:
            table = _new_table(document, max(len(cells), len(header)))
        _add_row(table, cells, bold=bold_headers and cells == header)
        index += 1
    return index


def _new_table(document, columns: int):
    """An empty bordered table."""
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    return table


def _add_row(table, cells: list[str], *, bold: bool) -> None:
    """A table row from the text form's cells."""
    row = table.add_row()
    for cell, text in zip(row.cells, cells, strict=False):
        paragraph = cell.paragraphs[0]
        add_runs(paragraph, f"<b>{text}</b>" if bold and text else text, cell=cell)


def merge_cells(content: bytes, table_index: int, first: tuple[int, int], last: tuple[int, int]) -> bytes:
    """The document with the cells of one table from `first` to `last` (row, column) merged, as Word merges them
    (the text of the others moved into the first)."""
    document = docx.Document(io.BytesIO(content))
    table = document.tables[table_index]
    table.cell(*first).merge(table.cell(*last))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def body_texts(content: bytes) -> list[str]:
    """The text of each body paragraph (tables left out), for looking at an export."""
    document = docx.Document(io.BytesIO(content))
    return [paragraph.text for paragraph in document.paragraphs]
