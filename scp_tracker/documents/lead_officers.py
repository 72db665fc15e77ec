"""Named officers in lead cells: "CBC - Jane Doe" or "Jane Doe (CBC)", or anyone in a lead officer column.

A name alone in a lead cell stays an agency ("CBC / Beacon House" names two organisations): only a name written
beside an agency, or in a column of officers, is taken to be a person.

A person is told from an agency by the look of the name: two or three capitalised words (after a title such as
"Insp" or "Cllr"), none of them a word organisations are named with, and not the name of an agency the plan lists.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from scp_tracker.documents.agency_matching import ORGANISATION_NOUNS
from scp_tracker.documents.cells import clean_html, name_key

_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Insp|Inspector|Ch\.?\s+Insp|Chief\s+Inspector|Sgt|Sergeant|PC|PCSO" \
         r"|Supt|Superintendent|DS|DI|DC)\.?"
_NAME_WORD = r"(?:Mc|Mac|O')?[A-Z][a-z]+(?:[-'][A-Z][a-z]+)*"
_PERSON = re.compile(rf"(?:{_TITLE}\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}")
# Words in organisations' names besides agency_matching's nouns: "Neighbourhood Watch" is no one's name.
_NOT_PERSONAL = ORGANISATION_NOUNS | {
    "unit", "panel", "watch", "hub", "network", "alliance", "centre", "center", "housing", "health", "safety",
    "community", "youth", "probation", "fire", "rescue", "borough", "county", "city", "district", "court", "school",
    "college", "university", "nhs", "ccg", "partners", "partnership", "forum", "programme", "project", "campaign",
    "officers", "staff", "all", "various", "multiple", "tbc", "colchester", "essex", "london", "street", "action",
    "op", "operation", "road", "house", "lane", "place",
}
_BESIDE = re.compile(r"(?P<first>.+?)\s+[-–—:]\s+(?P<second>.+)", re.S)
_BRACKETED = re.compile(r"(?P<first>[^()]+?)\s*\((?P<second>[^()]+)\)", re.S)


@dataclass
class LeadCell:
    """A lead cell read for people: the agencies it names, and each officer with the agency written beside them."""

    agencies: list[str] = field(default_factory=list)
    officers: list[tuple[str, str | None]] = field(default_factory=list)


def is_person(text: str, agency_names: Iterable[str] = ()) -> bool:
    """Whether a piece of a lead cell names a person rather than an organisation."""
    text = " ".join(text.split())
    if not _PERSON.fullmatch(text):
        return False
    words = {word.casefold().strip(".") for word in text.split()}
    return not words & _NOT_PERSONAL and name_key(text) not in {name_key(name) for name in agency_names}


def read_lead_cell(text: str, agency_names: Iterable[str] = (), *, officer_column: bool = False) -> LeadCell:
    """The agencies and officers of a lead cell; in a lead officer column, a name alone is an officer."""
    names = list(agency_names)
    cell = LeadCell()
    pieces = [piece.strip() for piece in re.split(r"\s*[/,;\n]\s*|\s+and\s+", clean_html(text)) if piece.strip()]
    for piece in pieces:
        pair = _BESIDE.fullmatch(piece) or _BRACKETED.fullmatch(piece)
        if pair and is_person(pair["second"], names) != is_person(pair["first"], names):
            person, agency = ((pair["second"], pair["first"]) if is_person(pair["second"], names)
                              else (pair["first"], pair["second"]))
            cell.officers.append((" ".join(person.split()), agency.strip()))
            cell.agencies.append(agency.strip())
        else:
            cell.agencies.append(piece)
    if officer_column:
        # A lead officer column names people: a name alone there is an officer of the row's agency.
        cell.officers += [(" ".join(piece.split()), None) for piece in cell.agencies if is_person(piece, names)]
        cell.agencies = [piece for piece in cell.agencies if not is_person(piece, names)]
    return cell
