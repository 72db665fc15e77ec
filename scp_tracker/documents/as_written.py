"""A plan as written, before interpretation: its rows under key priorities, its lists, and the warnings so far."""

from dataclasses import dataclass, field
from datetime import date

from scp_tracker.documents.cells import cell_text
from scp_tracker.documents.plan_data import AgencyData, NumberedItem, ParseWarning, TermData


@dataclass
class RowAsWritten:
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
class PriorityAsWritten:
    """A key priority as it is being read."""

    number: int
    title: str = ""
    heading: list[str] = field(default_factory=list)
    lead_text: str = ""
    lead_names: str = ""  # what to match to agencies, when it differs from the lead as written
    lead_row: int | None = None
    lead_sheet: str | None = None
    description: list[str] = field(default_factory=list)
    rows: list[RowAsWritten] = field(default_factory=list)
    has_table: bool = False
    is_placeholder: bool = False


class PlanAsWritten:
    """What a document says, gathered row by row; the parser fills it and interpretation turns it into PlanData."""

    def __init__(self, filename: str):
        self.filename = filename
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
        self.priorities: dict[int, PriorityAsWritten] = {}
        self.warnings: list[ParseWarning] = []
        self.columns: list = []  # the first objectives table's columns (column_mapping.ColumnGuess)
        self.sheet_names: list[str] = []

    def warn(self, row: int | None, column: str | None, message: str, text: str = "") -> None:
        """Record a warning on the sheet being read."""
        self.warnings.append(ParseWarning(row, column, message, text, self.sheet))

    def keep_row(self, number: int, texts: list[str], message: str) -> None:
        """A row that could not be placed: kept as a note, cells as written, and reported."""
        written = "\t".join(texts).strip()
        self.notes.append(written)
        self.warn(number, None, message, written)

    def priority(self, number: int) -> PriorityAsWritten:
        """The key priority with this number, started if new."""
        return self.priorities.setdefault(number, PriorityAsWritten(number))
