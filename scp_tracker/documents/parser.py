"""The one parser of a plan's meaning: lines or rows as written into key priorities, objectives and warnings.

A reader per format (file_readers) turns a file into the lines of a document or the rows of its sheets; this
module walks them, and interpretation settles what they mean into PlanData.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scp_tracker.documents.as_written import PlanAsWritten, PriorityAsWritten, RowAsWritten
from scp_tracker.documents.cells import cell_text, clean_html
from scp_tracker.documents.column_mapping import CHOSEN, ImportChoices, add_samples
from scp_tracker.documents.column_survey import columns_needed, require_objective_header
from scp_tracker.documents.column_vocabulary import LIKELY, NOTE, UNSURE, note_label
from scp_tracker.documents.export_sheets import read_key_priorities, read_numbered, read_pairs, read_plan_sheet
from scp_tracker.documents.interpretation import interpret
from scp_tracker.documents.plan_data import AgencyData, NumberedItem, PlanData, PlanFileError, TermData
from scp_tracker.documents.plan_wording import (
    IGNORED,
    TableHeader,
    continues_previous,
    grouping_heading,
    is_glossary_header,
    objective_header,
    section_kind,
)

_LEAD_LINE = re.compile(r"[(\[]?\s*(?:kp\s+)?lead(?:\s+agenc(?:y|ies))?\s*:\s*(?P<lead>.*?)\s*[)\]]?", re.I | re.S)
_PREPARED_BY = re.compile(r"prepared\s+by\s*:?\s*(?P<name>.+)", re.I | re.S)
_SECTION_HEADING = re.compile(r"\s*(?:#{1,6}\s+.+|\*\*[^*].*\*\*:?|<(b|strong)>.+</\1>:?)\s*", re.I | re.S)
_NUMBERED_ITEM = re.compile(r"(?P<number>\d{1,3})[.)]\s+(?P<title>.+)", re.S)
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s*")


@dataclass
class _Section:
    """A headed part after the tables: a numbered priority list, the glossary, or something kept as a note."""

    row: int
    heading: str | None
    kind: str
    lines: list[str] = field(default_factory=list)
    items: list[NumberedItem] = field(default_factory=list)


class _Reader(PlanAsWritten):
    """Reads a plan row by row (a text line is a row of tab-separated cells), then settles what needs the whole."""

    def __init__(self, filename: str, *, text_mode: bool, choices: ImportChoices | None = None):
        super().__init__(filename)
        self.text_mode = text_mode
        self.choices = choices or ImportChoices()
        self._unplaced: list[list[str]] = []  # table rows before any header: the header may be among them
        self._numbered_here: set[int] = set()  # numbers given to unnumbered themes, not written in the file
        self._current: PriorityAsWritten | None = None
        self._table: TableHeader | None = None
        self._last_row: RowAsWritten | None = None
        self._section: _Section | None = None
        self._awaiting_lead: PriorityAsWritten | None = None
        self._in_glossary = False
        self._body_started = False
        self._blank_before = False
        self._warned_headers: set[str] = set()

    # Rows

    def feed(self, number: int, cells: list) -> None:
        """Read one row (or text line) of the document."""
        texts = [cell_text(cell) for cell in cells]
        # A cell of bare markup ("<b></b>", "**") says nothing: the row counts as blank. Header cells are read
        # without their markup: a Word table's header row is often bold.
        plain = [clean_html(text) for text in texts]
        filled = [index for index, text in enumerate(plain) if text]
        if not filled:
            self._blank_before = True
            return
        if len(filled) > 1 and len({texts[index].strip() for index in filled}) == 1 and self._table is not None:
            filled = filled[:1]  # cells merged across the table repeat their text in each: one heading cell
        # A row of one cell inside a table ("Priority 2 – ...", "Theme: ..."), merged across it or not, groups the rows
        # after it: read as a heading even where a document's table rows have several cells.
        is_grouping = (len(filled) == 1 and self._table is not None
                       and grouping_heading(plain[filled[0]], in_table=True) is not None)
        is_table_row = not is_grouping and (len(filled) > 1 or (self.text_mode and len(cells) > 1))
        if (is_table_row or not self.text_mode) and (
                table := objective_header(number, plain, self.choices.columns)):
            self._start_table(table)
        elif is_glossary_header(plain):
            self._start_glossary()
        elif is_table_row:
            self._table_row(number, cells, texts)
        else:
            self._line(number, texts[filled[0]].strip(), cells, texts)
        self._blank_before = False

    def _start_table(self, table: TableHeader) -> None:
        """An objectives header row: later rows are objectives of the current key priority."""
        self._close_section()
        self._awaiting_lead = None
        self._in_glossary = False
        self._body_started = True
        # The same header again straight after the table's rows is a table split by a page break with its header
        # repeated: the table goes on, and its next row may still be the rest of the last.
        repeated = self._table is not None and self._last_row is not None and self._table.headers == table.headers
        self._table, self._last_row = table, self._last_row if repeated else None
        if self._current:
            self._current.has_table = True
        if not self.columns:
            self.columns = table.columns
        for column in table.columns:
            name = column.header.strip()
            if not name or name in self._warned_headers:
                continue
            self._warned_headers.add(name)
            if column.field is None or (column.field == NOTE and note_label(name) == name
                                        and column.confidence != CHOSEN):
                self.warn(table.row, name, "Column not recognised; kept with each objective as extra information")
            elif column.confidence == UNSURE:
                self.warn(table.row, name, f"Column might hold the {column.label}; kept with each objective as extra "
                                           f"information until you say so")
            elif column.confidence == LIKELY:
                self.warn(table.row, name, f"Column read as the {column.label} (a likely guess)")

    def _start_glossary(self) -> None:
        """The glossary's header row: later rows are pairs of abbreviation and description."""
        if self._section and self._section.kind == "glossary" and not self._section.lines:
            self._section = None  # its heading only names the table that follows
        self._close_section()
        self._table, self._last_row = None, None
        self._in_glossary = self._body_started = True

    def _table_row(self, number: int, cells: list, texts: list[str]) -> None:
        """A row of several cells: a glossary entry, an objective, or a row of a table we cannot place."""
        self._close_section()
        self._awaiting_lead = None
        if self._in_glossary:
            for index in range(0, len(texts), 2):
                term = clean_html(texts[index])
                meaning = texts[index + 1].strip() if index + 1 < len(texts) else ""
                if term or meaning:
                    self.glossary.append(TermData(term, clean_html(meaning)))
        elif self._table is None:
            if len(self._unplaced) < 4:
                self._unplaced.append(texts)
            self.keep_row(number, texts, "Table row before any header row; kept as a note")
        else:
            self._objective_row(number, cells, texts)

    def _objective_row(self, number: int, cells: list, texts: list[str]) -> None:
        """An objective row, or in a text document the rest of the row above cut by a page break."""
        table = self._table
        assert table is not None  # both callers have a table (a header row came first)
        self._body_started = True
        values: dict[str, object] = {}
        headers: dict[str, str] = {}
        extra: dict[str, str] = {}
        for index in range(max(len(texts), len(table.headers))):
            text = texts[index] if index < len(texts) else ""
            header = table.headers[index].strip() if index < len(table.headers) else ""
            column = table.fields.get(index)
            if column == IGNORED:
                continue
            if column and column in values:
                # Two columns chosen for one field: their texts together ("Lead agency" and "Lead officer").
                if text.strip():
                    before = cell_text(values[column]).strip()
                    values[column] = f"{before}\n{text.strip()}" if before else text
            elif column:
                values[column], headers[column] = (cells[index] if index < len(cells) else None), header
            elif header:
                extra[note_label(header)] = text
            elif text.strip():
                extra[f"Column {index + 1}"] = text
                self.warn(number, f"Column {index + 1}", "Cell under no column header; kept as extra information",
                          text)
        previous = self._last_row
        if self.text_mode and previous and continues_previous(values, table):
            for target, more in ((previous.cells, values), (previous.extra, extra)):
                for column, value in more.items():
                    if (addition := cell_text(value).strip()):
                        before = cell_text(target.get(column)).strip()
                        target[column] = f"{before} {addition}" if before else addition
            first = next(text.strip() for text in texts if text.strip())
            self.warn(number, None, f"Joined to the objective on row {previous.number} (a table split over a page)",
                      first)
            return
        if table.columns is self.columns:
            add_samples(table.columns, texts)
        row = RowAsWritten(number, values, headers, extra, self.sheet)
        priority = self._priority_of(row)
        priority.rows.append(row)
        priority.has_table = True
        self._last_row = row

    def _priority_of(self, row: RowAsWritten) -> PriorityAsWritten:
        """The key priority a row belongs to: its "Key priority" cell, else the heading above it."""
        written = " ".join(clean_html(row.text("key_priority")).split())
        if written:
            # A number, a heading ("Priority 2: ..."), or a theme's name: rows naming one theme share a key priority.
            number, title, lead = ((int(written), "", None) if written.isdigit()
                                   else grouping_heading(written, in_table=True) or (None, written, None))
            priority = self.priority(self._number_for(number, title))
            priority.title = priority.title or clean_html(row.text("key_priority_title")) or title
            if not priority.lead_text:
                priority.lead_text = clean_html(row.text("key_priority_lead")) or lead or ""
                priority.lead_row, priority.lead_sheet = row.number, row.sheet
            return priority
        if self._current is None:
            self._current = self.priority(1)
            if not self._current.title:
                self._current.title, self._current.is_placeholder = "Objectives", True
        return self._current

    def _number_for(self, number: int | None, title: str) -> int:
        """A key priority's number: as written, else that of the one with this title, else the next one free.

        A number given to an unnumbered theme is given up to a key priority written later with that number.
        """
        if number is not None:
            if number in self._numbered_here and self.priorities[number].title.casefold() != title.casefold():
                moved = self.priorities.pop(number)
                moved.number = max(self.priorities.keys() | {number}) + 1
                self.priorities[moved.number] = moved
                self._numbered_here.discard(number)
                self._numbered_here.add(moved.number)
            return number
        same = next((p.number for p in self.priorities.values() if p.title.casefold() == title.casefold()), None)
        if same:
            return same
        self._numbered_here.add(new := max(self.priorities, default=0) + 1)
        return new

    # Lines of one cell

    def _line(self, number: int, text: str, cells: list, texts: list[str]) -> None:
        """A row with one cell: a heading, a lead, the title, a list item, a paragraph, or in a sheet an objective."""
        plain = clean_html(_MARKDOWN_HEADING.sub("", text))
        if heading := grouping_heading(plain, in_table=self._table is not None):
            kp_number, title, heading_lead = heading
            self._start_priority(number, plain, self._number_for(kp_number, title), title, heading_lead)
            return
        if self._awaiting_lead and (lead := _LEAD_LINE.fullmatch(plain)):
            priority, self._awaiting_lead = self._awaiting_lead, None
            priority.heading.append(plain)
            priority.lead_text, priority.lead_row, priority.lead_sheet = lead["lead"], number, self.sheet
            return
        self._awaiting_lead = None
        self._in_glossary = False
        if not self.text_mode and self._table is not None:
            self._objective_row(number, cells, texts)
        elif prepared := _PREPARED_BY.fullmatch(plain):
            self.prepared_by = prepared["name"].strip()
        elif self.title is None and not self._body_started:
            self.title = plain
        elif _SECTION_HEADING.fullmatch(text):
            self._close_section()
            self._table, self._last_row, self._body_started = None, None, True
            self._section = _Section(number, plain, section_kind(plain))
        elif not (self._section and self._add_to_section(text, plain)):
            self._paragraph(number, text, plain)

    def _start_priority(self, number: int, plain: str, kp_number: int, title: str, lead: str | None) -> None:
        """A key priority heading: the rows and paragraphs after it are its own."""
        self._close_section()
        self._in_glossary, self._body_started, self._last_row = False, True, None
        priority = self.priority(kp_number)
        if priority.heading:
            self.warn(number, None, f"Key priority {kp_number} is headed twice; its objectives are kept together",
                      plain)
        elif priority.is_placeholder or not priority.title:
            priority.title, priority.is_placeholder = title, False
        priority.heading.append(plain)
        if lead:
            priority.lead_text, priority.lead_row, priority.lead_sheet = lead, number, self.sheet
        self._awaiting_lead = None if lead else priority
        self._current = priority

    def _add_to_section(self, text: str, plain: str) -> bool:
        """Add a line to the open section; False when the line ends a numbered list instead."""
        section = self._section
        assert section is not None  # the caller adds only to an open section
        if section.kind in ("pcc", "police"):
            if item := _NUMBERED_ITEM.fullmatch(plain):
                section.items.append(NumberedItem(int(item["number"]), item["title"].strip().rstrip(".")))
                section.lines.append(text)
                return True
            if section.items:
                self._close_section()
                return False
            section.kind = "note"
        section.lines.append(text)
        return True

    def _close_section(self) -> None:
        """File the open section: a numbered list into its place, anything else into the notes."""
        section, self._section = self._section, None
        if section is None:
            return
        target = {"pcc": self.pcc, "police": self.police}.get(section.kind)
        if target is not None and section.items and not target:
            target.extend(section.items)
            return
        self.notes.append("\n".join(([section.heading] if section.heading else []) + section.lines))
        if section.heading:
            self.warn(section.row, None, f"Section kept as a note: {section.heading}")
        else:
            self.warn(section.row, None, "Text kept as a note", section.lines[0])

    def _paragraph(self, number: int, text: str, plain: str) -> None:
        """Plain text: the plan's or a key priority's description, or a note."""
        if not self._body_started:
            _add_paragraph(self.description, plain, self._blank_before)
        elif self._current is not None and not self._current.has_table:
            _add_paragraph(self._current.description, plain, self._blank_before)
        else:
            self._section = _Section(number, None, "note", [text])

    def finish(self) -> PlanData:
        """The plan as written, interpreted: the open section filed first."""
        self._close_section()
        if self._unplaced and not any(priority.rows for priority in self.priorities.values()):
            columns_needed(self.filename or "plan", self._unplaced, self.choices)
        return interpret(self, self.choices.year)


def _add_paragraph(paragraphs: list[str], text: str, starts_paragraph: bool) -> None:
    """Add a line of text: a new paragraph after a blank line, else the next line of the same one."""
    if starts_paragraph or not paragraphs:
        paragraphs.append(text)
    else:
        paragraphs[-1] += "\n" + text


def parse_plan_lines(lines: Iterable[Sequence], filename: str = "", choices: ImportChoices | None = None) -> PlanData:
    """Read a document line by line, each line a list of cells: a paragraph one cell, a table row several.

    What a reader of a word-processed document hands over: headings, paragraphs and tables in the order written.
    """
    reader = _Reader(filename, text_mode=True, choices=choices)
    for number, cells in enumerate(lines, 1):
        reader.feed(number, list(cells))
    return reader.finish()


def parse_plan_text(text: str, filename: str = "", choices: ImportChoices | None = None) -> PlanData:
    """Read the plan as the partnership copies it out of its document: headings, tab-separated tables, lists."""
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    return parse_plan_lines((line.split("\t") for line in lines), filename, choices)


_SHEETS = ("plan", "agencies", "glossary", "key priorities", "police priorities", "pcc priorities")


def parse_plan_rows(sheets: dict[str, list[list]], filename: str = "",
                    choices: ImportChoices | None = None) -> PlanData:
    """Read a spreadsheet (CSV is one sheet): the objectives table, and the other sheets our export writes."""
    by_name = {name.casefold(): name for name in sheets}
    main = (by_name.get("objectives") or next((name for name in sheets if name.casefold() not in _SHEETS), None)
            or next(iter(sheets), None))
    if main is None:
        raise PlanFileError(f"{filename or 'plan'}: no sheet of objectives found")
    choices = choices or ImportChoices()
    require_objective_header(sheets[main], filename or main, choices)
    reader = _Reader(filename, text_mode=False, choices=choices)
    reader.sheet_names = list(sheets)

    def rows_of(name: str) -> list[list] | None:
        """The rows of an optional sheet, if the workbook has it besides the objectives."""
        reader.sheet = by_name.get(name) if len(sheets) > 1 else None
        return sheets.get(by_name[name]) if by_name.get(name, main) != main else None

    if (rows := rows_of("plan")) is not None:
        read_plan_sheet(reader, rows)
    if (rows := rows_of("agencies")) is not None:
        reader.listed_agencies = [AgencyData(abbreviation or name, name or abbreviation)
                                  for abbreviation, name in read_pairs(reader, rows, "name")]
    if (rows := rows_of("glossary")) is not None:
        reader.glossary = [TermData(*pair) for pair in read_pairs(reader, rows, "description")]
    if (rows := rows_of("key priorities")) is not None:
        read_key_priorities(reader, rows)
    for name, target in (("police priorities", reader.police), ("pcc priorities", reader.pcc)):
        if (rows := rows_of(name)) is not None:
            read_numbered(reader, rows, target)
    reader.sheet = main if len(sheets) > 1 else None
    for number, cells in enumerate(sheets[main], 1):
        reader.feed(number, list(cells))
    for name in sheets:
        if name != main and name.casefold() not in _SHEETS:
            reader.sheet = name
            reader.warn(None, None, "Sheet not recognised; not read")
    return reader.finish()
