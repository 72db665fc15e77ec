"""Which column of a plan's table holds what: the guesses, the coordinator's choices, and the question when unsure.

A choice is kept by the header's key (column_vocabulary.header_key), so it applies wherever that header heads a
table (a text or Word plan repeats its table under each key priority), whatever the column's position.
"""

import dataclasses
import hashlib
import json
from dataclasses import dataclass

from scp_tracker.documents.column_vocabulary import (
    FIELD_LABELS,
    FIELD_NAMES,
    IGNORED,
    LIKELY,
    NOTE,
    SURE,
    UNSURE,
    field_for_name,
    guess_field,
    header_key,
)
from scp_tracker.documents.plan_data import PlanFileError

CHOSEN = "chosen"
_MAX_SAMPLES = 3


@dataclass
class ImportChoices:
    """What the coordinator settled for an import: fields for columns (by header key), and the plan's year."""

    columns: dict[str, str] = dataclasses.field(default_factory=dict)
    year: str | None = None

    def to_json(self) -> str:
        """The choices as text for a hidden form field."""
        return json.dumps({"columns": self.columns, "year": self.year}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> "ImportChoices":
        """Choices written by to_json; anything else (a crafted form) counts as no choice."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        columns = data.get("columns")
        columns = columns if isinstance(columns, dict) else {}
        year = data.get("year") if isinstance(data.get("year"), str) else None
        return cls({str(k): v for k, v in columns.items() if v in FIELD_LABELS or v in (NOTE, IGNORED)}, year)


@dataclass
class ColumnGuess:
    """One column of the objectives table: its header, where it goes (None: kept as a note) and how sure that is."""

    index: int
    header: str
    field: str | None
    confidence: str
    samples: list[str] = dataclasses.field(default_factory=list)

    @property
    def label(self) -> str:
        """Where the column goes, in words."""
        if self.field in (None, NOTE):
            return "keep as a note"
        return "ignore" if self.field == IGNORED else FIELD_LABELS.get(self.field, self.field)

    @property
    def option(self) -> str:
        """The --column option that says this column's field."""
        return f'--column "{self.header.strip()}={self.label if self.field not in (None, NOTE) else "note"}"'


@dataclass
class ColumnSurvey:
    """The objectives table's columns as read (or the likeliest header row, when none names the objective)."""

    columns: list[ColumnGuess]
    has_objective: bool

    @property
    def headers(self) -> list[str]:
        """The header of each column."""
        return [column.header for column in self.columns]

    @property
    def unsure(self) -> list[ColumnGuess]:
        """Columns whose guess the coordinator should confirm."""
        return [column for column in self.columns if column.confidence == UNSURE]

    def needs_choices(self) -> bool:
        """Whether the import must ask which column is which before the preview."""
        return not self.has_objective or bool(self.unsure)

    def likeliest_objective(self) -> ColumnGuess | None:
        """The column that most likely holds the objectives: the one with the longest text beneath it."""
        named = [column for column in self.columns if column.header.strip()]
        return max(named, key=lambda column: sum(len(text) for text in column.samples), default=None)


class ColumnsNeeded(PlanFileError):
    """No column holds the objective: the file cannot be read until someone says which does."""

    def __init__(self, message: str, survey: ColumnSurvey):
        super().__init__(message)
        self.survey = survey


def assign_columns(headers: list[str], chosen: dict[str, str]) -> list[ColumnGuess]:
    """Each column's field: the coordinator's choice, else the guess; a field guessed twice is unsure the second time.

    Without an objective column, a column of detail ("Description", "How") holds the objectives.
    """
    columns, taken = [], set()
    for index, header in enumerate(headers):
        key = header_key(header)
        if key and key in chosen:
            columns.append(ColumnGuess(index, header, chosen[key], CHOSEN))
            continue
        guess = guess_field(header)
        if guess.field in taken and guess.field not in (NOTE, IGNORED):
            columns.append(ColumnGuess(index, header, guess.field, UNSURE))  # asked, kept as a note meanwhile
            continue
        if guess.field:
            taken.add(guess.field)
        columns.append(ColumnGuess(index, header, guess.field, guess.confidence))
    if "objective" not in taken and not any(c.field == "objective" for c in columns):
        detail = next((c for c in columns if c.field == "text" and c.confidence != CHOSEN), None)
        if detail:
            detail.field, detail.confidence = "objective", min(detail.confidence, LIKELY, key=_RANK.index)
    return columns


_RANK = [UNSURE, LIKELY, SURE, CHOSEN]


def parse_column_option(text: str) -> tuple[str, str]:
    """(header key, field) of a --column "HEADER=FIELD" option; ValueError saying what is wrong."""
    header, sep, name = text.rpartition("=")
    if not sep or not header.strip():
        raise ValueError(f'--column "{text}": write it as "HEADER=FIELD", e.g. --column "Action=objective"')
    found = field_for_name(name)
    if found is None:
        raise ValueError(f'--column "{text}": no field “{name.strip()}”; the fields are: {", ".join(FIELD_NAMES)}')
    return header_key(header), found


def headers_signature(headers: list[str]) -> str:
    """What identifies a layout: its headers' keys, in any order (a column moved is the same layout)."""
    keys = sorted({header_key(header) for header in headers if header_key(header)})
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def add_samples(columns: list[ColumnGuess], row: list[str]) -> None:
    """Keep a row's cells as the first values of their columns (a few each, shortened)."""
    for column in columns:
        text = " ".join(row[column.index].split()) if column.index < len(row) else ""
        if text and len(column.samples) < _MAX_SAMPLES:
            column.samples.append(text if len(text) <= 80 else text[:79] + "…")
