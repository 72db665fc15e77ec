"""The events list as a spreadsheet: CSV, and an Excel workbook with dates as dates and money as money."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from scp_tracker.events.models import Event

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text starting with these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of the export: its header, how to read it from an event, its width and Excel format."""

    header: str
    value: Callable[[Event], object]
    width: int
    number_format: str | None = None
    wrap: bool = False


def _pounds(event: Event) -> float | None:
    """The cost in pounds, for a money-formatted cell."""
    return None if event.cost_pence is None else event.cost_pence / 100


def _recorded_by(event: Event) -> str:
    """Who recorded the event, if the login still exists."""
    return event.recorded_by.contact.name if event.recorded_by else ""


COLUMNS = (
    Column("Date", lambda e: e.starts_on, 14, "d mmm yyyy"),
    Column("End date", lambda e: e.ends_on, 14, "d mmm yyyy"),
    Column("Event", lambda e: e.title, 40, wrap=True),
    Column("Kind", lambda e: e.kind_label, 22),
    Column("Status", lambda e: e.status_label, 11),
    Column("Place", lambda e: e.place, 28, wrap=True),
    Column("Organised by", lambda e: e.organising_agency.abbreviation, 14),
    Column("Other agencies involved", lambda e: ", ".join(a.abbreviation for a in e.partner_agencies), 24,
           wrap=True),
    Column("Key priorities", lambda e: ", ".join(
        str(n) for n in sorted({o.key_priority.number for o in e.objectives})), 12),
    Column("Objectives", lambda e: "; ".join(o.title for o in e.objectives), 40, wrap=True),
    Column("Audience", lambda e: e.audience, 24, wrap=True),
    Column("Attendance", lambda e: e.attendance, 12, "#,##0"),
    Column("Cost (£)", _pounds, 12, '"£"#,##0.00'),
    Column("Outcome", lambda e: e.outcome, 50, wrap=True),
    Column("Evaluation", lambda e: e.evaluation, 50, wrap=True),
    Column("Recorded by", _recorded_by, 22),
    Column("Event id", lambda e: e.id, 9),
)


def _row(event: Event) -> list:
    """An event's values, column by column."""
    return [column.value(event) for column in COLUMNS]


def _csv_cell(value) -> str:
    """A value as CSV text: dates ISO, nothing for None, and typed text never run as a formula."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(events: list[Event]) -> str:
    """The events as CSV with a header row (UTF-8 with a byte-order mark, so Excel reads "£" rightly)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in COLUMNS])
    for event in events:
        writer.writerow([_csv_cell(value) for value in _row(event)])
    return buffer.getvalue()


def to_xlsx(events: list[Event]) -> bytes:
    """The events as an Excel workbook: a bold, frozen header row, set widths, dates and money typed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Events"
    sheet.append([column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row_number, event in enumerate(events, start=2):
        for index, (column, value) in enumerate(zip(COLUMNS, _row(event), strict=True), start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters pasted in would stop the save
            cell = sheet.cell(row=row_number, column=index, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed text, never a formula
            if column.number_format and value is not None:
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
