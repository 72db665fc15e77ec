"""The plan as read from a document: plain data the parser produces and the loader and exporter consume."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime


class PlanFileError(ValueError):
    """A file that cannot be read as a plan at all; the message is one line that names the file."""


@dataclass
class ParseWarning:
    """Something kept verbatim but not (fully) interpreted, or a decision the user should see."""

    row: int | None
    column: str | None
    message: str
    text: str = ""
    sheet: str | None = None

    def __str__(self) -> str:
        """Where, what and the cell as written: "row 12, FUNDING: Could not read ... ('£5x')"."""
        where = ", ".join(part for part in (self.sheet, self.row and f"row {self.row}", self.column) if part)
        said = f" ({self.text!r})" if self.text else ""
        return f"{where}: {self.message}{said}" if where else f"{self.message}{said}"


@dataclass
class FundingData:
    """One funding line: how much, who pays, from which pot, and whether it is agreed."""

    amount_pence: int | None
    source: str | None
    pot: str | None
    status: str
    text: str


@dataclass
class PriorityRef:
    """Which numbered police or PCC priorities an objective serves."""

    scope: str
    numbers: list[int] = field(default_factory=list)
    text: str = ""


@dataclass
class ObjectiveData:
    """One row of a key priority's table, interpreted, with what could not be interpreted kept."""

    title: str
    text: str
    source_html: str
    progress: str
    funding: list[FundingData]
    lead_agencies: list[str]
    lead_status: str
    lead_text: str
    end_date: date | None
    end_date_text: str
    end_date_status: str
    police: PriorityRef
    pcc: PriorityRef
    rag: str | None = None
    status: str = "open"
    progress_at: datetime | None = None
    row: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    lead_contacts: list["ContactData"] = field(default_factory=list)


@dataclass
class ContactData:
    """A named officer written in a lead cell ("CBC - Jane Doe"): the objective's named lead contact."""

    name: str
    agency: str  # the agency's abbreviation once matched; as written before


@dataclass
class KeyPriorityData:
    """A key priority: its heading, lead agencies, description and objectives."""

    number: int
    title: str
    heading: str
    lead_agencies: list[str]
    lead_text: str
    description: str
    objectives: list[ObjectiveData] = field(default_factory=list)


@dataclass
class AgencyData:
    """An organisation that can lead: abbreviation (or its name when it has none) and full name."""

    abbreviation: str
    name: str


@dataclass
class TermData:
    """A glossary term that is not an organisation (ASB, DA)."""

    abbreviation: str
    description: str


@dataclass
class NumberedItem:
    """An entry of the police or PCC numbered priority list."""

    number: int
    title: str


@dataclass
class PlanData:
    """A whole plan document: what it says, and the warnings about what could not be read."""

    year: str | None
    title: str
    status: str
    starts_on: date | None
    ends_on: date | None
    description: str = ""
    prepared_by: str = ""
    notes: list[str] = field(default_factory=list)
    agencies: list[AgencyData] = field(default_factory=list)
    glossary: list[TermData] = field(default_factory=list)
    police_priorities: list[NumberedItem] = field(default_factory=list)
    pcc_priorities: list[NumberedItem] = field(default_factory=list)
    priorities: list[KeyPriorityData] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    filename: str = ""
    # The objectives table's columns (column_mapping.ColumnGuess): how the file was read, not what it says.
    columns: list = field(default_factory=list, compare=False)

    def objectives(self) -> Iterator[ObjectiveData]:
        """Every objective, key priority by key priority, in the order written."""
        for priority in self.priorities:
            yield from priority.objectives
