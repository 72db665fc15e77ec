"""Reading a plan document (text, CSV, XLSX or JSON) into PlanData, keeping and reporting what it cannot interpret."""

import csv
import io
import json
import os
import re
import warnings
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from scp_tracker.documents.cells import (
    Reading,
    capitalise,
    cell_text,
    clean_html,
    formula_unsafe,
    leads_text,
    name_key,
    parse_day,
    parse_end_date,
    parse_funding,
    parse_leads,
    parse_priority_ref,
    parse_rag,
    parse_status,
    parse_timestamp,
    priority_ref_text,
    title_from_objective,
)
from scp_tracker.documents.limits import (
    ImportLimitError,
    ImportLimits,
    bounded_rows,
    check_file_size,
    check_json_depth,
    check_objective_count,
    check_unpacked_size,
)
from scp_tracker.documents.plan_data import (
    AgencyData,
    FundingData,
    KeyPriorityData,
    NumberedItem,
    ObjectiveData,
    ParseWarning,
    PlanData,
    PriorityRef,
    TermData,
)

PLAN_FORMAT = "scp-tracker/plan@1"


class PlanFileError(ValueError):
    """A file that cannot be read as a plan at all; the message is one line that names the file."""


# ---------------------------------------------------------------- the objectives table's columns

_IGNORED = "ignored"
# Header names after name_key(): case, punctuation and "(£)" do not matter.
_COLUMNS = {
    "objective": ("objective", "objectives", "action", "actions"),
    "source_html": ("objective as written",),
    "title": ("objective title", "title", "short title"),
    "progress": ("progress output", "progress", "update", "output"),
    "funding": ("funding", "resources", "cost", "budget"),
    "lead": ("project lead agency", "lead agency", "lead", "project lead", "owner", "lead agencies"),
    "lead_text": ("lead as written",),
    "end_date": ("end date", "target date", "planned end date", "timescale", "deadline", "due", "due date"),
    "end_date_text": ("end date as written",),
    "police": ("police priority", "police priorities"),
    "pcc": ("pcc priority", "pcc priorities"),
    "rag": ("rag", "rag status", "status rag"),
    "status": ("status", "complete"),
    "progress_at": ("progress date", "last updated"),
    "key_priority": ("key priority",),
    "key_priority_title": ("key priority title",),
    "key_priority_lead": ("key priority lead",),
    # Written by our own export and derived from the other columns, so re-reading them adds nothing.
    _IGNORED: ("id", "funding amount", "funding status", "lead status", "end date status"),
}
_FIELD_OF = {name: column for column, names in _COLUMNS.items() for name in names}
# The cells that, all empty, mark a row as the rest of the row above cut by a page break.
_CONTINUATION_FIELDS = ("lead", "end_date", "end_date_text", "police", "pcc")

_GLOSSARY_TERM = {"abbreviation", "abbreviations", "acronym", "term"}
_GLOSSARY_MEANING = {"description", "meaning", "stands for", "full name", "name"}
_ORGANISATION_NOUNS = {
    "council", "homes", "group", "services", "service", "company", "partnership", "commissioner", "enterprise",
    "police", "trust", "board", "team", "agency", "authority", "limited", "ltd", "cic", "charity", "foundation",
}
_SMALL_WORDS = {"a", "and", "for", "in", "of", "on", "the", "to"}

# ---------------------------------------------------------------- lines of the document

_NUMBER_WORDS = {word: number for number, word in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_KEY_PRIORITY = re.compile(
    r"(?:key\s+)?priority\s+(?P<number>\d{1,2}|[a-z]+)\s*(?:[:.\-–—]\s*(?P<rest>.*))?", re.I | re.S)
_LEAD_IN_HEADING = re.compile(
    r"(?P<title>.*?)[\s\-–—,;]*[(\[]?\s*\b(?:kp\s+)?lead(?:\s+agenc(?:y|ies))?\s*:\s*(?P<lead>[^)\]]*?)\s*[)\]]?",
    re.I | re.S)
_LEAD_LINE = re.compile(r"[(\[]?\s*(?:kp\s+)?lead(?:\s+agenc(?:y|ies))?\s*:\s*(?P<lead>.*?)\s*[)\]]?", re.I | re.S)
_PREPARED_BY = re.compile(r"prepared\s+by\s*:?\s*(?P<name>.+)", re.I | re.S)
_SECTION_HEADING = re.compile(r"\s*(?:#{1,6}\s+.+|\*\*[^*].*\*\*:?|<(b|strong)>.+</\1>:?)\s*", re.I | re.S)
_NUMBERED_ITEM = re.compile(r"(?P<number>\d{1,3})[.)]\s+(?P<title>.+)", re.S)
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s*")
_DRAFT = re.compile(r"\s*(?:[-–—:]\s*)?\(?\bdraft\b\)?\s*(?:[-–—:]\s*)?", re.I)
_YEARS = re.compile(r"(?<!\d)(20\d{2})\s*[-/–—]\s*(20\d{2}|\d{2})(?!\d)")
_SEPARATORS = re.compile(r"^[\s\-–—:;,.(]+|[\s\-–—:;,.(]+$")


@dataclass
class _Table:
    """An objectives table's header row: which column holds what."""

    row: int
    headers: list[str]
    fields: dict[int, str]


@dataclass
class _Row:
    """One objective row as written, before interpretation (the row under it may still continue it)."""

    number: int
    cells: dict[str, object]
    headers: dict[str, str]
    extra: dict[str, str]
    sheet: str | None

    def text(self, column: str) -> str:
        """The cell as text."""
        return cell_text(self.cells.get(column))

    def value(self, column: str) -> str | date:
        """The cell as text, or as the date a spreadsheet gave."""
        value = self.cells.get(column)
        return value if isinstance(value, date) else cell_text(value)


@dataclass
class _Priority:
    """A key priority as it is being read."""

    number: int
    title: str = ""
    heading: list[str] = field(default_factory=list)
    lead_text: str = ""
    lead_names: str = ""  # what to match to agencies, when it differs from the lead as written
    lead_row: int | None = None
    lead_sheet: str | None = None
    description: list[str] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    has_table: bool = False
    is_placeholder: bool = False


@dataclass
class _Section:
    """A headed part after the tables: a numbered priority list, the glossary, or something kept as a note."""

    row: int
    heading: str | None
    kind: str
    lines: list[str] = field(default_factory=list)
    items: list[NumberedItem] = field(default_factory=list)


@dataclass
class _LeadTarget:
    """A lead cell or a key priority's lead, waiting to be matched to agencies once the glossary is known."""

    names: list[str]
    is_heading: bool
    where: ParseWarning  # where a guess is reported: the warning, less its message
    abbreviations: list[str] = field(default_factory=list)


class _Reader:
    """Reads a plan row by row (a text line is a row of tab-separated cells), then settles what needs the whole."""

    def __init__(self, filename: str, *, text_mode: bool):
        self.filename = filename
        self.text_mode = text_mode
        self.sheet: str | None = None
        self.title: str | None = None
        self.status: str | None = None
        self.year: str | None = None
        self.starts_on: date | None = None
        self.ends_on: date | None = None
        self.description: list[str] = []
        self.prepared_by = ""
        self.notes: list[str] = []
        self.listed_agencies: list[AgencyData] | None = None
        self.glossary: list[TermData] = []
        self.police: list[NumberedItem] = []
        self.pcc: list[NumberedItem] = []
        self.priorities: dict[int, _Priority] = {}
        self.warnings: list[ParseWarning] = []
        self._current: _Priority | None = None
        self._table: _Table | None = None
        self._last_row: _Row | None = None
        self._section: _Section | None = None
        self._awaiting_lead: _Priority | None = None
        self._in_glossary = False
        self._body_started = False
        self._blank_before = False
        self._warned_headers: set[str] = set()

    def warn(self, row: int | None, column: str | None, message: str, text: str = "") -> None:
        """Record a warning on the sheet being read."""
        self.warnings.append(ParseWarning(row, column, message, text, self.sheet))

    # ------------------------------------------------------------ rows

    def feed(self, number: int, cells: list) -> None:
        """Read one row (or text line) of the document."""
        texts = [cell_text(cell) for cell in cells]
        # A cell of bare markup ("<b></b>", "**") says nothing: the row counts as blank.
        filled = [index for index, text in enumerate(texts) if clean_html(text)]
        if not filled:
            self._blank_before = True
            return
        is_table_row = len(filled) > 1 or (self.text_mode and len(cells) > 1)
        if (is_table_row or not self.text_mode) and (table := _objective_header(number, texts)):
            self._start_table(table)
        elif _is_glossary_header(texts):
            self._start_glossary()
        elif is_table_row:
            self._table_row(number, cells, texts)
        else:
            self._line(number, texts[filled[0]].strip(), cells, texts)
        self._blank_before = False

    def _start_table(self, table: _Table) -> None:
        """An objectives header row: later rows are objectives of the current key priority."""
        self._close_section()
        self._awaiting_lead = None
        self._in_glossary = False
        self._body_started = True
        self._table, self._last_row = table, None
        if self._current:
            self._current.has_table = True
        for index, header in enumerate(table.headers):
            name = header.strip()
            if name and index not in table.fields and name not in self._warned_headers:
                self._warned_headers.add(name)
                self.warn(table.row, name, "Column not recognised; kept with each objective as extra information")

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
                term = texts[index].strip()
                meaning = texts[index + 1].strip() if index + 1 < len(texts) else ""
                if term or meaning:
                    self.glossary.append(TermData(term, clean_html(meaning)))
        elif self._table is None:
            self._keep_row(number, texts, "Table row before any header row; kept as a note")
        else:
            self._objective_row(number, cells, texts)

    def _keep_row(self, number: int, texts: list[str], message: str) -> None:
        """A row that could not be placed: kept as a note, cells as written, and reported."""
        written = "\t".join(texts).strip()
        self.notes.append(written)
        self.warn(number, None, message, written)

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
            if column == _IGNORED:
                continue
            if column:
                values[column], headers[column] = (cells[index] if index < len(cells) else None), header
            elif header:
                extra[header] = text
            elif text.strip():
                extra[f"Column {index + 1}"] = text
                self.warn(number, f"Column {index + 1}", "Cell under no column header; kept as extra information",
                          text)
        previous = self._last_row
        if self.text_mode and previous and _continues_previous(values, table):
            for target, more in ((previous.cells, values), (previous.extra, extra)):
                for column, value in more.items():
                    if (addition := cell_text(value).strip()):
                        before = cell_text(target.get(column)).strip()
                        target[column] = f"{before} {addition}" if before else addition
            first = next(text.strip() for text in texts if text.strip())
            self.warn(number, None, f"Joined to the objective on row {previous.number} (a table split over a page)",
                      first)
            return
        row = _Row(number, values, headers, extra, self.sheet)
        priority = self._priority_of(row)
        priority.rows.append(row)
        priority.has_table = True
        self._last_row = row

    def _priority_of(self, row: _Row) -> _Priority:
        """The key priority a row belongs to: its "Key priority" cell, else the heading above it."""
        written = clean_html(row.text("key_priority"))
        if written:
            heading = (int(written), "", None) if written.isdigit() else _key_priority_heading(written)
            if heading:
                number, title, lead = heading
                priority = self._priority(number)
                priority.title = priority.title or clean_html(row.text("key_priority_title")) or title
                if not priority.lead_text:
                    priority.lead_text = clean_html(row.text("key_priority_lead")) or lead or ""
                    priority.lead_row, priority.lead_sheet = row.number, row.sheet
                return priority
            self.warn(row.number, row.headers["key_priority"],
                      "Could not read the key priority; the row is kept under the one above it", written)
        if self._current is None:
            self._current = self._priority(1)
            if not self._current.title:
                self._current.title, self._current.is_placeholder = "Objectives", True
        return self._current

    def _priority(self, number: int) -> _Priority:
        """The key priority with this number, started if new."""
        return self.priorities.setdefault(number, _Priority(number))

    # ------------------------------------------------------------ lines

    def _line(self, number: int, text: str, cells: list, texts: list[str]) -> None:
        """A row with one cell: a heading, a lead, the title, a list item, a paragraph, or in a sheet an objective."""
        plain = clean_html(_MARKDOWN_HEADING.sub("", text))
        if heading := _key_priority_heading(plain):
            self._start_priority(number, plain, *heading)
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
            self._section = _Section(number, plain, _section_kind(plain))
        elif not (self._section and self._add_to_section(text, plain)):
            self._paragraph(number, text, plain)

    def _start_priority(self, number: int, plain: str, kp_number: int, title: str, lead: str | None) -> None:
        """A key priority heading: the rows and paragraphs after it are its own."""
        self._close_section()
        self._in_glossary, self._body_started, self._last_row = False, True, None
        priority = self._priority(kp_number)
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

    # ------------------------------------------------------------ the optional sheets of our own export

    def read_plan_sheet(self, rows: list[list]) -> None:
        """The "Plan" sheet: a field and its value on each row."""
        for number, cells in enumerate(rows, 1):
            label, value = (list(cells) + [None, None])[:2]
            key, text = name_key(cell_text(label)), cell_text(value).strip()
            if key in ("", "field"):
                continue
            if key == "year":
                self.year = _plan_year(text)
                if self.year is None:
                    self.warn(number, "Year", "Could not read the year (write it as 2016-17)", text)
            elif key == "title":
                self.title = text
            elif key == "status":
                self.status = text.casefold()
                if self.status not in ("draft", "agreed", "archived"):
                    self.warn(number, "Status", "Not a plan status (draft, agreed or archived); treated as draft", text)
                    self.status = "draft"
            elif key in ("starts on", "ends on"):
                setattr(self, key.replace(" ", "_"), parse_day(value if isinstance(value, date) else text))
            elif key == "description":
                self.description = [text] if text else []
            elif key == "prepared by":
                self.prepared_by = text
            elif key in ("notes", "note"):
                self.notes += [text] if text else []
            else:
                self._keep_row(number, [cell_text(label), text], "Plan field not recognised; kept as a note")

    def records(self, rows: list[list], columns: dict[str, tuple[str, ...]]) -> list[tuple[int, dict[str, object]]]:
        """The rows of a sheet under its header row, by column name; unknown columns are reported."""
        named = [(number, list(cells)) for number, cells in enumerate(rows, 1)
                 if any(cell_text(cell).strip() for cell in cells)]
        if not named:
            return []
        header_row, headers = named[0]
        field_of = {name: column for column, names in columns.items() for name in names}
        positions = {}
        for index, header in enumerate(headers):
            column = field_of.get(name_key(cell_text(header)))
            if column and column not in positions:
                positions[column] = index
            elif cell_text(header).strip():
                self.warn(header_row, cell_text(header), "Column not recognised; not read")
        return [(number, {column: cells[index] if index < len(cells) else None
                          for column, index in positions.items()})
                for number, cells in named[1:]]

    def read_key_priorities(self, rows: list[list]) -> None:
        """The "Key priorities" sheet: number, title, lead agencies, lead as written, description."""
        for number, record in self.records(rows, {
            "number": ("number", "key priority"), "title": ("title",), "names": ("lead agencies", "lead agency"),
            "lead": ("lead as written", "lead"), "description": ("description",), "heading": ("heading",),
        }):
            written = cell_text(record.get("number")).strip()
            if not written.isdigit():
                self._keep_row(number, [cell_text(v) for v in record.values()],
                               "No key priority number; kept as a note")
                continue
            priority = self._priority(int(written))
            priority.title = cell_text(record.get("title")).strip()
            priority.lead_names = cell_text(record.get("names")).strip()
            priority.lead_text = cell_text(record.get("lead")).strip() or priority.lead_names
            priority.lead_row, priority.lead_sheet = number, self.sheet
            priority.description = [text] if (text := cell_text(record.get("description")).strip()) else []
            priority.heading = [text] if (text := cell_text(record.get("heading")).strip()) else []

    def read_numbered(self, rows: list[list], target: list[NumberedItem]) -> None:
        """A "Police priorities" or "PCC priorities" sheet: number and title."""
        for number, record in self.records(rows, {"number": ("number",), "title": ("title", "priority")}):
            written = cell_text(record.get("number")).strip()
            if written.isdigit():
                target.append(NumberedItem(int(written), cell_text(record.get("title")).strip()))
            else:
                self._keep_row(number, [cell_text(v) for v in record.values()], "No priority number; kept as a note")

    def read_pairs(self, rows: list[list], second: str) -> list[tuple[str, str]]:
        """An "Agencies" or "Glossary" sheet: abbreviation and name (or description)."""
        pairs = []
        for _, record in self.records(rows, {"abbreviation": ("abbreviation",), "second": (second,)}):
            abbreviation, text = cell_text(record.get("abbreviation")).strip(), cell_text(record.get("second")).strip()
            if abbreviation or text:
                pairs.append((abbreviation, text))
        return pairs

    # ------------------------------------------------------------ the whole

    def finish(self) -> PlanData:
        """Settle what needs the whole document (year, agencies, leads), interpret the rows, and hand back."""
        self._close_section()
        self.sheet = None
        title, status = _title_and_status(self.title or "")
        if not title:
            self.warn(None, None, "No plan title found")
        year = self.year or _plan_year(title) or _plan_year(self.filename)
        starts_on, ends_on = _financial_year(year) if year else (None, None)
        starts_on, ends_on = self.starts_on or starts_on, self.ends_on or ends_on

        priorities = sorted(self.priorities.values(), key=lambda p: p.number)
        names = [term.description for term in self.glossary] + [a.name for a in self.listed_agencies or []]
        kp_targets = [self._priority_lead(priority, names) for priority in priorities]
        objectives = [[self._objective(row, ends_on, names) for row in priority.rows] for priority in priorities]
        # In document order, so that agencies known only by name are listed in the order they are met.
        targets = [target for kp_target, rows in zip(kp_targets, objectives, strict=True)
                   for target in [kp_target, *(row_target for _, row_target in rows)]]
        agencies, glossary = self._agencies(targets)

        abbreviations = {agency.abbreviation for agency in agencies} | {term.abbreviation for term in glossary}
        key_priorities = []
        for priority, target, rows in zip(priorities, kp_targets, objectives, strict=True):
            if priority.is_placeholder:
                self.warn(None, None, "No key priorities found; objectives put under key priority 1 “Objectives”")
            key_priorities.append(KeyPriorityData(
                number=priority.number,
                title=_sentence_case(priority.title, abbreviations) or f"Key priority {priority.number}",
                heading="\n".join(priority.heading) or f"Key priority {priority.number}: {priority.title}",
                lead_agencies=target.abbreviations, lead_text=priority.lead_text,
                description="\n\n".join(priority.description),
                objectives=[objective for objective, _ in rows]))
            for objective, row_target in rows:
                objective.lead_agencies = row_target.abbreviations

        self.warnings.sort(key=lambda w: (w.sheet or "", w.row is None, w.row or 0))
        return PlanData(
            year=year, title=title, status=self.status or status, starts_on=starts_on, ends_on=ends_on,
            description="\n\n".join(self.description), prepared_by=self.prepared_by, notes=self.notes,
            agencies=agencies, glossary=glossary, police_priorities=self.police, pcc_priorities=self.pcc,
            priorities=key_priorities, warnings=self.warnings, filename=self.filename)

    def _objective(self, row: _Row, ends_on: date | None, names: list[str]) -> tuple[ObjectiveData, _LeadTarget]:
        """Interpret an objective row's cells, warning about each one that cannot be read."""

        def read(column: str, reading: Reading, kept: bool = False):
            """The reading's value; a problem becomes a warning, and with `kept` the cell goes to extra."""
            if reading.problem:
                message = f"{reading.problem}; kept as extra information" if kept else reading.problem
                self.warnings.append(ParseWarning(row.number, row.headers.get(column), message, row.text(column),
                                                  row.sheet))
                if kept:
                    row.extra[row.headers[column]] = row.text(column)
            return reading.value

        source = row.text("objective")
        # Read in the real plan's column order, so that a row's warnings come in the order of its cells.
        title = " ".join(clean_html(row.text("title")).split()) or read("objective", title_from_objective(source))
        funding = read("funding", parse_funding(row.text("funding")))
        leads = parse_leads(row.text("lead"), names)
        lead_text = clean_html(row.text("lead_text") or row.text("lead"))
        end_column = "end_date_text" if row.text("end_date_text").strip() else "end_date"
        end = read(end_column, parse_end_date(row.value(end_column), ends_on))
        objective = ObjectiveData(
            title=title,
            text=clean_html(source),
            source_html=row.text("source_html") or source,
            progress=clean_html(row.text("progress")),
            funding=funding,
            lead_agencies=[],
            lead_status=leads.status,
            lead_text=lead_text,
            end_date=end.on,
            end_date_text=end.text,
            end_date_status=end.status,
            police=read("police", parse_priority_ref(row.text("police"))),
            pcc=read("pcc", parse_priority_ref(row.text("pcc"))),
            rag=read("rag", parse_rag(row.text("rag")), kept=True),
            status=read("status", parse_status(row.text("status")), kept=True),
            progress_at=read("progress_at", parse_timestamp(row.value("progress_at")), kept=True),
            row=row.number,
            extra=row.extra,
        )
        where = ParseWarning(row.number, row.headers.get("lead"), "", lead_text, row.sheet)
        return objective, _LeadTarget(leads.names, False, where)

    def _priority_lead(self, priority: _Priority, names: list[str]) -> _LeadTarget:
        """A key priority's lead, to be matched to agencies; a heading may name one within longer words."""
        leads = parse_leads(priority.lead_names or priority.lead_text, names)
        where = ParseWarning(priority.lead_row, None, "", priority.lead_text, priority.lead_sheet)
        return _LeadTarget(leads.names, not priority.lead_names, where)

    def _agencies(self, targets: list[_LeadTarget]) -> tuple[list[AgencyData], list[TermData]]:
        """Which glossary entries are agencies, and each lead's agencies (new ones added by name)."""
        if self.listed_agencies is not None:
            book, glossary = _AgencyBook(self.listed_agencies), self.glossary
        else:
            used = {_abbreviation_key(name) for target in targets for name in target.names}
            is_agency = [bool(term.abbreviation) and (_last_word(term.description) in _ORGANISATION_NOUNS
                                                      or _abbreviation_key(term.abbreviation) in used)
                         for term in self.glossary]
            book = _AgencyBook([AgencyData(term.abbreviation, term.description)
                                for term, agency in zip(self.glossary, is_agency, strict=True) if agency])
            glossary = [term for term, agency in zip(self.glossary, is_agency, strict=True) if not agency]
        # Names of several words first, so that a single word ("Police") can be matched to the one agency
        # whose name ends with it, wherever in the document that agency is named.
        for target in targets:
            for name in target.names:
                if len(name.split()) > 1 and not book.find(name, target.is_heading):
                    book.add_new(name)
        for target in targets:
            found = []
            for name in target.names:
                matched = book.find(name, target.is_heading)
                if not matched and (guess := book.by_last_word(name)):
                    matched = [guess]
                    self.warnings.append(replace(target.where, message=f"Lead “{name}” taken to be {guess.name}"))
                found += matched or [book.add_new(name)]
            target.abbreviations = list(dict.fromkeys(agency.abbreviation for agency in found))
        return book.agencies, glossary


class _AgencyBook:
    """The agencies a plan names, found by abbreviation or full name; those it has not met are added by name."""

    def __init__(self, agencies: list[AgencyData]):
        self.agencies: list[AgencyData] = []
        self._by_abbreviation: dict[str, AgencyData] = {}
        self._by_name: dict[str, AgencyData] = {}
        for agency in agencies:
            self._add(agency)

    def _add(self, agency: AgencyData) -> AgencyData:
        """Index an agency by its abbreviation and its name."""
        self.agencies.append(agency)
        self._by_abbreviation.setdefault(_abbreviation_key(agency.abbreviation), agency)
        self._by_name.setdefault(name_key(agency.name), agency)
        return agency

    def add_new(self, name: str) -> AgencyData:
        """An agency known only by the name written, in title case if written in capitals."""
        words = name.split()
        if name.isupper() and len(words) > 1:
            name = " ".join(word.lower() if index and word.lower() in _SMALL_WORDS else word.capitalize()
                            for index, word in enumerate(words))
        return self._add(AgencyData(name, name))

    def find(self, name: str, within: bool) -> list[AgencyData]:
        """The agency with this abbreviation or name; with `within`, also those it names inside longer words."""
        exact = self._by_abbreviation.get(_abbreviation_key(name)) or self._by_name.get(name_key(name))
        if exact or not within:
            return [exact] if exact else []
        padded = f" {name_key(name)} "
        return [agency for agency in self.agencies
                if re.search(rf"(?<![\w-]){re.escape(agency.abbreviation)}(?![\w-])", name)
                or f" {name_key(agency.name)} " in padded]

    def by_last_word(self, word: str) -> AgencyData | None:
        """The one agency whose name of several words ends with this single word ("Police": Essex Police)."""
        if len(word.split()) != 1:
            return None
        matches = [agency for agency in self.agencies
                   if len(agency.name.split()) > 1 and name_key(agency.name).split()[-1:] == [name_key(word)]]
        return matches[0] if len(matches) == 1 else None


# ---------------------------------------------------------------- helpers

def _objective_header(number: int, texts: list[str]) -> _Table | None:
    """The objectives table's header row, found by its column names whatever their order and case."""
    fields: dict[int, str] = {}
    for index, text in enumerate(texts):
        column = _FIELD_OF.get(name_key(text))
        if column and (column == _IGNORED or column not in fields.values()):
            fields[index] = column
    named = sum(1 for text in texts if text.strip())
    if "objective" not in fields.values() or len(fields) < min(2, named):
        return None
    return _Table(number, texts, fields)


def _is_glossary_header(texts: list[str]) -> bool:
    """Whether a row heads the glossary: abbreviation and description, maybe twice over."""
    keys = [name_key(text) for text in texts if text.strip()]
    return (len(keys) >= 2 and keys[0] in _GLOSSARY_TERM and keys[1] in _GLOSSARY_MEANING
            and all(key in _GLOSSARY_TERM | _GLOSSARY_MEANING for key in keys))


def _continues_previous(values: dict[str, object], table: _Table) -> bool:
    """Whether a row is the rest of the row above: its lead, end date and priority cells are all empty."""
    present = [column for column in _CONTINUATION_FIELDS if column in table.fields.values()]
    return bool(present) and not any(cell_text(values.get(column)).strip() for column in present)


def _key_priority_heading(text: str) -> tuple[int, str, str | None] | None:
    """(number, title as written, lead or None) of "KEY PRIORITY 1: TITLE (KP LEAD: X)" and its variants."""
    match = _KEY_PRIORITY.fullmatch(text.strip())
    if not match:
        return None
    word = match["number"].casefold()
    number = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    if number is None:
        return None
    rest = (match["rest"] or "").strip()
    if lead := _LEAD_IN_HEADING.fullmatch(rest):
        return number, _SEPARATORS.sub("", lead["title"]), lead["lead"].strip() or None
    return number, _SEPARATORS.sub("", rest), None


def _section_kind(heading: str) -> str:
    """What a bold heading after the tables introduces: the PCC's list, the police's list, the glossary, or a note."""
    if re.search(r"\bPCC\b|commissioner", heading, re.I):
        return "pcc"
    if re.search(r"\bpolice\b.*\b(?:plan|priorit)", heading, re.I | re.S):
        return "police"
    if re.search(r"glossary|abbreviations", heading, re.I):
        return "glossary"
    return "note"


def _add_paragraph(paragraphs: list[str], text: str, starts_paragraph: bool) -> None:
    """Add a line of text: a new paragraph after a blank line, else the next line of the same one."""
    if starts_paragraph or not paragraphs:
        paragraphs.append(text)
    else:
        paragraphs[-1] += "\n" + text


def _title_and_status(line: str) -> tuple[str, str]:
    """The plan's title without its "Draft" mark, and the status the mark gives."""
    title = _SEPARATORS.sub("", " ".join(_DRAFT.sub(" ", line).split()))
    return title, "draft" if re.search(r"\bdraft\b", line, re.I) else "agreed"


def _plan_year(text: str) -> str | None:
    """The financial year a text names ("2016-2017", "2016-17", "2016/17"), written "2016-17"."""
    for match in _YEARS.finditer(text):
        first, second = int(match[1]), int(match[2])
        if second % 100 == (first + 1) % 100:
            return f"{first}-{(first + 1) % 100:02d}"
    return None


def _financial_year(year: str) -> tuple[date, date]:
    """The first and last days of a UK financial year: 1 April to 31 March."""
    first = int(year[:4])
    return date(first, 4, 1), date(first + 1, 3, 31)


def _sentence_case(title: str, abbreviations: set[str]) -> str:
    """A heading written in capitals in sentence case, keeping known abbreviations ("To reduce ASB")."""
    if not title.isupper():
        return capitalise(title)
    lowered = re.sub(r"[\w'-]+", lambda word: word[0] if word[0] in abbreviations else word[0].lower(), title)
    return capitalise(lowered)


def _abbreviation_key(text: str) -> str:
    """A comparison key for an abbreviation that ignores case and punctuation ("L-CAPS" is "LCAPS")."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _last_word(text: str) -> str:
    """The last word of a description, in lower case."""
    words = re.findall(r"[^\W\d_]+", text)
    return words[-1].casefold() if words else ""


# ---------------------------------------------------------------- entry points

def parse_plan_text(text: str, filename: str = "") -> PlanData:
    """Read the plan as the partnership copies it out of its document: headings, tab-separated tables, lists."""
    reader = _Reader(filename, text_mode=True)
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), 1):
        reader.feed(number, line.split("\t"))
    return reader.finish()


_SHEETS = ("plan", "agencies", "glossary", "key priorities", "police priorities", "pcc priorities")


def parse_plan_rows(sheets: dict[str, list[list]], filename: str = "") -> PlanData:
    """Read a spreadsheet (CSV is one sheet): the objectives table, and the other sheets our export writes."""
    by_name = {name.casefold(): name for name in sheets}
    main = (by_name.get("objectives") or next((name for name in sheets if name.casefold() not in _SHEETS), None)
            or next(iter(sheets), None))
    if main is None:
        raise PlanFileError(f"{filename or 'plan'}: no sheet of objectives found")
    _require_objective_header(sheets[main], filename or main)
    reader = _Reader(filename, text_mode=False)

    def rows_of(name: str) -> list[list] | None:
        """The rows of an optional sheet, if the workbook has it besides the objectives."""
        reader.sheet = by_name.get(name) if len(sheets) > 1 else None
        return sheets.get(by_name[name]) if by_name.get(name, main) != main else None

    if (rows := rows_of("plan")) is not None:
        reader.read_plan_sheet(rows)
    if (rows := rows_of("agencies")) is not None:
        reader.listed_agencies = [AgencyData(abbreviation or name, name or abbreviation)
                                  for abbreviation, name in reader.read_pairs(rows, "name")]
    if (rows := rows_of("glossary")) is not None:
        reader.glossary = [TermData(*pair) for pair in reader.read_pairs(rows, "description")]
    if (rows := rows_of("key priorities")) is not None:
        reader.read_key_priorities(rows)
    for name, target in (("police priorities", reader.police), ("pcc priorities", reader.pcc)):
        if (rows := rows_of(name)) is not None:
            reader.read_numbered(rows, target)
    reader.sheet = main if len(sheets) > 1 else None
    for number, cells in enumerate(sheets[main], 1):
        reader.feed(number, list(cells))
    for name in sheets:
        if name != main and name.casefold() not in _SHEETS:
            reader.sheet = name
            reader.warn(None, None, "Sheet not recognised; not read")
    return reader.finish()


def _require_objective_header(rows: list[list], filename: str) -> None:
    """Refuse a table without an objective column: nothing in it could be placed."""
    texts = [[cell_text(cell) for cell in cells] for cells in rows]
    if any(_objective_header(number, row) for number, row in enumerate(texts, 1)):
        return
    filled = [[text.strip() for text in row if text.strip()] for row in texts]
    header = next((row for row in filled if len(row) > 1), None) or next((row for row in filled if row), [])
    raise PlanFileError(f"{filename}: no OBJECTIVE column found in the header row (columns: {', '.join(header)})")


def parse_plan_json(data: dict, filename: str = "") -> PlanData:
    """Read the scp-tracker/plan@1 interchange format our export writes, exactly."""
    name = filename or "plan"
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise PlanFileError(f"{name}: not an SCP Tracker plan export (its format is not {PLAN_FORMAT})")
    try:
        return _plan_from_json(data, filename)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise PlanFileError(f"{name}: not a valid plan export ({type(error).__name__}: {error})") from error


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """A value that must be one of a few words."""
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return value


def _plan_from_json(data: dict, filename: str) -> PlanData:
    """PlanData from a parsed export (KeyError, TypeError or ValueError when it is malformed)."""
    plan = data["plan"]
    _, status_in_title = _title_and_status(plan["title"])
    return PlanData(
        year=plan.get("year"),
        title=plan["title"],
        status=_choice(plan.get("status") or status_in_title, ("draft", "agreed", "archived"), "plan status"),
        starts_on=_iso_date(plan.get("starts_on")),
        ends_on=_iso_date(plan.get("ends_on")),
        description=plan.get("description") or "",
        prepared_by=plan.get("prepared_by") or "",
        notes=list(plan.get("notes") or []),
        agencies=[AgencyData(a["abbreviation"], a["name"]) for a in data.get("agencies", [])],
        glossary=[TermData(t["abbreviation"], t["description"]) for t in data.get("glossary", [])],
        police_priorities=[NumberedItem(int(p["number"]), p["title"]) for p in data.get("police_priorities", [])],
        pcc_priorities=[NumberedItem(int(p["number"]), p["title"]) for p in data.get("pcc_priorities", [])],
        priorities=[_key_priority_from_json(kp) for kp in data.get("priorities", [])],
        filename=filename,
    )


def _key_priority_from_json(kp: dict) -> KeyPriorityData:
    """A key priority of the interchange format."""
    number, title, leads = int(kp["number"]), kp["title"], list(kp.get("lead_agencies", []))
    return KeyPriorityData(
        number=number, title=title,
        heading=kp.get("heading") or f"Key priority {number}: {title}",
        lead_agencies=leads,
        lead_text=kp.get("lead_text", " / ".join(leads)),
        description=kp.get("description") or "",
        objectives=[_objective_from_json(o) for o in kp.get("objectives", [])],
    )


def _objective_from_json(o: dict) -> ObjectiveData:
    """An objective of the interchange format; fields our export may leave out are rebuilt as it writes them."""
    leads, lead_status = list(o.get("lead_agencies", [])), o.get("lead_status", "set")
    progress_at = parse_timestamp(o["last_progress_at"]).value if o.get("last_progress_at") else None
    return ObjectiveData(
        title=o["title"],
        text=o["text"],
        source_html=o.get("source_html", o["text"]),
        progress=o.get("progress") or "",
        funding=[FundingData(f.get("amount_pence"), f.get("source"), f.get("pot"),
                             _choice(f["status"], ("confirmed", "tbc", "not_applicable", "nil_cost", "missing"),
                                     "funding status"), f.get("text", ""))
                 for f in o.get("funding") or [{"status": "missing"}]],
        lead_agencies=leads,
        lead_status=_choice(lead_status, ("set", "tbc", "missing"), "lead status"),
        lead_text=o.get("lead_text", leads_text(leads, lead_status)),
        end_date=_iso_date(o.get("end_date")),
        end_date_text=o.get("end_date_text") or "",
        end_date_status=_choice(o.get("end_date_status", "set" if o.get("end_date") else "missing"),
                                ("set", "tbc", "missing"), "end date status"),
        police=_priority_ref_from_json(o.get("police_priorities")),
        pcc=_priority_ref_from_json(o.get("pcc_priorities")),
        rag=o.get("rag") and _choice(o["rag"], ("red", "amber", "green"), "RAG status"),
        status=_choice(o.get("status") or "open", ("open", "complete", "cancelled"), "status"),
        progress_at=progress_at,
        extra=dict(o.get("extra") or {}),
    )


def _priority_ref_from_json(ref: dict | None) -> PriorityRef:
    """A police or PCC priority reference of the interchange format."""
    ref = ref or {"scope": "none"}
    scope = _choice(ref["scope"], ("listed", "multiple", "all", "none"), "priority scope")
    result = PriorityRef(scope, [int(n) for n in ref.get("numbers", [])])
    result.text = ref.get("text") or priority_ref_text(result)
    return result


def _iso_date(value: str | None) -> date | None:
    """A date written as ISO 8601, or None."""
    return date.fromisoformat(value) if value else None


# ---------------------------------------------------------------- files

def read_plan_file(path_or_bytes: str | os.PathLike | bytes, filename: str = "",
                   limits: ImportLimits | None = None) -> PlanData:
    """Read a plan file (.txt/.md, .csv, .xlsx or .json) from a path or its bytes; PlanFileError if unreadable
    or beyond the limits (ImportLimits' defaults when none are given)."""
    limits = limits or ImportLimits()
    try:
        return _read_plan_file(path_or_bytes, filename, limits)
    except ImportLimitError as error:
        raise PlanFileError(str(error)) from None


def _read_plan_file(path_or_bytes: str | os.PathLike | bytes, filename: str, limits: ImportLimits) -> PlanData:
    """read_plan_file, raising ImportLimitError past a limit."""
    if isinstance(path_or_bytes, bytes):
        content, name = path_or_bytes, filename or "plan"
        check_file_size(len(content), name, limits)
    else:
        name = filename or Path(path_or_bytes).name
        try:
            check_file_size(Path(path_or_bytes).stat().st_size, name, limits)
            content = Path(path_or_bytes).read_bytes()
        except OSError as error:
            raise PlanFileError(f"{name}: could not be read ({error.strerror or error})") from error
    extension = Path(name).suffix.casefold()
    reader = _FILE_READERS.get(extension)
    if reader is None:
        kind = f"cannot read {extension} files" if extension else "has no extension to tell what kind of file it is"
        raise PlanFileError(f"{name}: {kind}; save the plan as .txt, .csv, .xlsx or .json")
    if not content.strip():
        raise PlanFileError(f"{name}: the file is empty")
    return reader(content, name, limits)


def _decode(content: bytes, name: str) -> str:
    """The text of a text or CSV file: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    if b"\x00" in content:
        raise PlanFileError(f"{name}: not a text file (it holds binary data)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanFileError(f"{name}: could not decode the text (it is neither UTF-8 nor Windows-1252)")


def _read_text(content: bytes, name: str, limits: ImportLimits) -> PlanData:
    """A plan copied out of the partnership's document."""
    text = _decode(content, name)
    # Checked line by line as the parser reads them: tabs divide a line into cells.
    bounded_rows((line.split("\t") for line in re.split(r"\r\n|\r|\n", text)), name, limits)
    return parse_plan_text(text, name)


def _read_csv(content: bytes, name: str, limits: ImportLimits) -> PlanData:
    """A CSV file: one sheet named after the file."""
    reader = csv.reader(io.StringIO(_decode(content, name), newline=""))
    try:
        rows, _ = bounded_rows(([formula_unsafe(cell) for cell in row] for row in reader), name, limits)
    except csv.Error as error:
        raise PlanFileError(f"{name}: not a readable CSV file (line {reader.line_num}: {error})") from error
    return parse_plan_rows({Path(name).stem: rows}, name)


def _read_xlsx(content: bytes, name: str, limits: ImportLimits) -> PlanData:
    """An Excel workbook, every worksheet read as values (formulas as last calculated), every row to the end."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise PlanFileError(f"{name}: not an Excel workbook (an .xlsx file is a zip archive; this one is not)")
    check_unpacked_size(content, name, limits)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it skips (data validation, styles); the values still read.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheets, cells = {}, 0
            for sheet in book.worksheets:
                # Read-only mode trusts the sheet's <dimension> record, which other tools leave stale: a sheet
                # would be read short without a word. Without it, rows are read until they end.
                sheet.reset_dimensions()
                sheets[sheet.title], cells = bounded_rows(sheet.iter_rows(values_only=True), name, limits,
                                                          sheet=sheet.title, cells_so_far=cells)
            book.close()
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as error:
        if isinstance(error, ImportLimitError):
            raise
        raise PlanFileError(f"{name}: could not open the workbook ({error})") from error
    return parse_plan_rows(sheets, name)


def _read_json(content: bytes, name: str, limits: ImportLimits) -> PlanData:
    """Our own JSON export."""
    try:
        data = json.loads(_decode(content, name))
    except json.JSONDecodeError as error:
        raise PlanFileError(f"{name}: not valid JSON ({error})") from error
    except RecursionError:
        # Python's parser gives up on nesting about a thousand deep: no plan export comes near it.
        raise PlanFileError(f"{name}: the JSON is nested more than {limits.max_json_depth} levels deep, "
                            f"which no plan export is") from None
    check_json_depth(data, name, limits)
    if isinstance(data, dict) and isinstance(data.get("priorities"), list):
        check_objective_count(sum(len(kp.get("objectives") or []) for kp in data["priorities"]
                                  if isinstance(kp, dict) and isinstance(kp.get("objectives"), list)), name, limits)
    return parse_plan_json(data, name)


_FILE_READERS = {".txt": _read_text, ".md": _read_text, ".text": _read_text, ".csv": _read_csv,
                 ".xlsx": _read_xlsx, ".xlsm": _read_xlsx, ".json": _read_json}
