"""The change history in plain English: "Added to the plan", "End date moved from 30 April to 30 June 2017", never
"None" and never a column's name.

The history stores each value as text (core.history): dates as ISO, lists joined with commas, codes as stored.
Each area says here what its recorded fields are called and what kind of value they hold (describe_fields),
and every page that shows the history writes a change through change_in_words, so a field reads the same on
an objective's page, an event's page and the board report, whichever area recorded it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from scp_tracker.core.formatting import gov_date, money, rag_label

# What a recorded value is, and so how it is written and how its change reads.
KINDS = (
    "text",      # as written; "Short title changed from Old to New"
    "date",      # ISO → "30 April 2017"; "End date moved from 30 April to 30 June 2017"
    "money",     # pence → "£5,000"
    "choice",    # a code → its words (Field.choices)
    "rag",       # "red" → "Red", nothing → "Not set"
    "list",      # names joined; gained and lost read "added" and "removed"
    "event",     # a fixed sentence (Field.sentence), which may name the value: "Added to the plan"
    "decision",  # "Request to move the end date (asked for 30 June 2017): approved"
    "note",      # a fixed sentence, the values left out (stored HTML, another key priority's id)
)


@dataclass(frozen=True)
class Field:
    """How one recorded field is written."""

    label: str
    kind: str = "text"
    choices: Mapping[str, str] = field(default_factory=dict)
    sentence: str = ""  # for "event" and "note": may contain {after}, written in words

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown kind of recorded field: {self.kind}")


class Change(Protocol):
    """What a history row must have to be written in words (a ChangeRecord, or a row selected from one)."""

    entity: str
    field: str
    before: str | None
    after: str | None


_FIELDS: dict[tuple[str, str], Field] = {}


def describe_fields(entity: str, fields: Mapping[str, Field]) -> None:
    """Say how an entity's recorded fields are written (each area, for what it records)."""
    for name, description in fields.items():
        _FIELDS[(entity, name)] = description


def described_fields() -> dict[tuple[str, str], Field]:
    """Every field described so far, by (entity, field): for tests that check each is written in words."""
    return dict(_FIELDS)


def field_for(entity: str, name: str) -> Field:
    """How a field is written; one nobody described reads as its name in words, its values guessed."""
    return _FIELDS.get((entity, name)) or Field(label=name.removesuffix("_id").replace("_", " ").capitalize())


def value_words(description: Field, value: str | None) -> str:
    """A stored value in words; blank when there was none (RAG: "Not set")."""
    if description.kind == "rag":
        return rag_label(value)
    if value is None or value == "":
        return ""
    if description.kind == "money" and value.lstrip("-").isdigit():
        return money(int(value))
    if description.kind == "choice":
        return description.choices.get(value, value)
    if description.kind in ("date", "text", "event"):
        return _date_words(value) or value
    return value


def change_in_words(change: Change) -> str:
    """One recorded change as a sentence a coordinator reads without knowing the database."""
    description = field_for(change.entity, change.field)
    before, after = value_words(description, change.before), value_words(description, change.after)
    if description.kind in ("event", "note"):
        return description.sentence.format(after=after, before=before)
    if description.kind == "decision":
        asked = f" ({before[0].lower()}{before[1:]})" if before else ""
        return f"{description.label}{asked}: {after.lower() or 'decided'}"
    label = description.label
    if description.kind == "rag":  # "Not set" is a value's absence here, not a value
        before, after = (before if change.before else ""), (after if change.after else "")
    if before and after:
        if description.kind == "date":
            return f"{label} moved from {_shortened(before, after)} to {after}"
        return f"{label} changed from {before} to {after}"
    if description.kind == "list":
        return f"{label} added: {after}" if after else f"{label} removed: {before}"
    if after:
        return f"{label} set to {after}"
    return f"{label} cleared (was {before})" if before else f"{label} cleared"


def change_by(change: Change) -> str:
    """A change in words and who made it: "End date moved from 30 April to 30 June 2017 by Alex Morgan"."""
    actor = getattr(change, "actor_name", None)
    return f"{change_in_words(change)} by {actor}" if actor else change_in_words(change)


def _shortened(before: str, after: str) -> str:
    """The earlier of two dates in words without its year when both share it ("30 April" to "30 June 2017")."""
    before_year, after_year = before.rsplit(" ", 1), after.rsplit(" ", 1)
    if len(before_year) == 2 == len(after_year) and before_year[1] == after_year[1] and before_year[1].isdigit():
        return before_year[0]
    return before


def _date_words(value: str) -> str | None:
    """An ISO date or moment as GOV.UK writes it; None when the value is not one."""
    if not (len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit()):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return gov_date(moment.date() if len(value) == 10 else moment)
