"""The words plans head their columns with, and the guess of what each column holds, with how sure it is.

Headers are compared by header_key: without case, punctuation, "&" against "and", and with a bracketed aside such
as "(when achieved by)" or "(£)" tried both kept and left out. A header the vocabulary names exactly is a sure
guess; one that contains a phrase of several known words is likely; one that shares a single word is unsure, and
an unsure guess is put to the coordinator (the mapping page, or the CLI's --column).
"""

import functools
import re
from dataclasses import dataclass

from scp_tracker.documents.cells import name_key

IGNORED = "ignored"
NOTE = "note"
SURE, LIKELY, UNSURE = "sure", "likely", "unsure"
# How our exports head a note's column ("Note: Outcomes"), so that it reads back as that note whatever its label.
NOTE_PREFIX = "Note: "

# The fields a column can go to, by the names people choose them with (the mapping page, --column "HEADER=FIELD").
FIELD_NAMES = {
    "objective": "objective", "text": "text", "progress": "progress", "funding": "funding", "lead": "lead",
    "lead officer": "lead_officer", "end date": "end_date", "status": "status", "rag": "rag",
    "police priority": "police", "pcc priority": "pcc", "key priority": "key_priority", "note": NOTE,
    "ignore": IGNORED,
}
FIELD_LABELS = {field: name for name, field in FIELD_NAMES.items()} | {
    "source_html": "objective as written", "title": "objective title", "lead_text": "lead as written",
    "end_date_text": "end date as written", "progress_at": "progress date", "key_priority_title": "key priority title",
    "key_priority_lead": "key priority lead",
}

# Header names after header_key(). Our own export's headers are here too, so an export reads back exactly.
VOCABULARY = {
    "objective": ("objective", "objectives", "action", "actions", "activity", "activities", "project", "projects",
                  "initiative", "initiatives", "task", "tasks", "key action", "key actions", "deliverable",
                  "deliverables", "action plan", "actions to be taken", "specific objective", "what"),
    "text": ("how", "what we will do", "description", "detail", "details", "how we will do it",
             "how will this be achieved", "how will we achieve this", "how we will achieve this", "activity detail",
             "action detail", "description of activity", "what will we do", "what will be done"),
    "source_html": ("objective as written", "objective as written html"),
    "title": ("objective title", "title", "short title"),
    "progress": ("progress output", "progress", "update", "output", "progress to date", "progress update",
                 "latest update", "current position", "position statement", "progress comments", "update on progress",
                 "comments on progress"),
    "funding": ("funding", "resources", "resource", "cost", "costs", "budget", "resources allocated",
                "funding source", "funding required", "resources required", "resource implications",
                "financial implications", "budget allocated", "funding resources"),
    "lead": ("project lead agency", "lead agency", "lead", "project lead", "owner", "lead agencies", "responsible",
             "responsibility", "responsible agency", "delivery led by", "led by", "lead partner", "lead organisation",
             "lead organization", "partner responsible", "lead body", "who", "accountable", "lead responsibility"),
    "lead_officer": ("lead officer", "responsible officer", "named lead", "contact", "lead contact", "officer",
                     "named officer", "lead person", "contact officer", "named contact"),
    "lead_text": ("lead as written",),
    "end_date": ("end date", "target date", "planned end date", "timescale", "timescales", "deadline", "due",
                 "due date", "by when", "milestones", "milestone", "completion date", "target completion date",
                 "when", "timeframe", "time frame", "target end date", "delivery date", "when achieved by",
                 "date for completion", "by"),
    "end_date_text": ("end date as written",),
    "police": ("police priority", "police priorities", "police plan priority"),
    "pcc": ("pcc priority", "pcc priorities", "pfcc priority", "police and crime plan priority",
            "police and crime plan", "police and crime plan priorities"),
    "rag": ("rag", "rag status", "status rag", "rag rating", "rating"),
    "status": ("status", "complete", "completed", "done", "achieved", "current status"),
    "progress_at": ("progress date", "last updated", "date updated", "updated"),
    "key_priority": ("key priority", "priority", "theme", "strategic priority", "priority area", "strategic theme",
                     "key priorities", "themes", "priority theme"),
    "key_priority_title": ("key priority title",),
    "key_priority_lead": ("key priority lead",),
    # Columns no field holds, kept on each objective as a labelled note: named so that they are not "unsure".
    NOTE: ("outcome", "outcomes", "expected outcome", "expected outcomes", "target", "targets", "measure",
           "measures", "performance measure", "performance measures", "indicator", "indicators",
           "national indicator", "national indicators", "ni", "kpi", "kpis", "reference", "references", "ref",
           "ref no", "no", "number", "evidence", "risk", "risks", "comments", "notes", "partners",
           "partners involved", "supporting partners", "other partners", "success measures",
           "how will we measure success", "how success will be measured", "links", "link to strategy"),
    # Written by our own export and derived from the other columns, so re-reading them adds nothing.
    IGNORED: ("id", "funding amount", "funding status", "lead status", "end date status"),
}
_FIELD_OF = {name: column for column, names in VOCABULARY.items() for name in names}
# Single words too common to guess from when they are only part of a longer header.
_WEAK_WORDS = {"by", "no", "what", "who", "when", "how", "due", "number", "done", "updated", "ni", "ref"}
_LONGEST_NAME = max(len(name.split()) for name in _FIELD_OF)
_MAX_HEADER_WORDS = 12  # longer is a sentence, not a header
_ASIDE = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")


@dataclass(frozen=True)
class Guess:
    """What a column holds (a field of VOCABULARY, or None to keep it as a note) and how sure the guess is."""

    field: str | None
    confidence: str

    @property
    def is_unsure(self) -> bool:
        """Whether the coordinator should be asked."""
        return self.confidence == UNSURE


def header_key(header: str) -> str:
    """A header compared without case, punctuation or "&" against "and" ("Lead / Agency" is "lead agency")."""
    return name_key(header)


def _keys(header: str) -> list[str]:
    """The header's key, then without its bracketed asides, then each aside: "Timescale (when achieved by)"."""
    asides = [name_key(a or b) for a, b in _ASIDE.findall(header)]
    keys = [name_key(header), name_key(_ASIDE.sub(" ", header)), *asides]
    return [key for key in dict.fromkeys(keys) if key]


@functools.lru_cache(maxsize=4096)
def guess_field(header: str) -> Guess:
    """The field a column header names, and how sure the guess is (see the module's docstring)."""
    if header.strip().casefold().startswith(NOTE_PREFIX.casefold()):
        return Guess(NOTE, SURE)
    keys = _keys(header)
    exact = [_FIELD_OF[key] for key in keys if key in _FIELD_OF]
    if exact:
        # "Target (when achieved by)": the aside names a field where the rest names only a kind of note.
        return Guess(next((found for found in exact if found != NOTE), exact[0]), SURE)
    # A phrase of the vocabulary inside the header, the longest first: "Lead agency / partner" holds "lead agency".
    # Looked up phrase by phrase (a header is a few words; a data cell, tried as a header, must cost little).
    best: str | None = None
    for key in keys:
        words = key.split()
        if len(words) > _MAX_HEADER_WORDS:
            continue
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + _LONGEST_NAME) + 1):
                name = " ".join(words[start:end])
                if name in _FIELD_OF and name not in _WEAK_WORDS and (best is None or len(name) > len(best)):
                    best = name
    if best is None:
        return Guess(None, SURE)  # nothing of ours: kept as a note, which loses nothing
    return Guess(_FIELD_OF[best], LIKELY if " " in best else UNSURE)


def note_label(header: str) -> str:
    """The label a column's cells are kept under as notes: the header, less our exports' "Note: "."""
    header = header.strip()
    return header[len(NOTE_PREFIX):].strip() if header.casefold().startswith(NOTE_PREFIX.casefold()) else header


def field_for_name(name: str) -> str | None:
    """The field a person names ("end date", "End-date", "PCC priority"), or None if there is none such."""
    key = name_key(name)
    return FIELD_NAMES.get(key) or next((field for field in FIELD_LABELS if name_key(field) == key), None)

