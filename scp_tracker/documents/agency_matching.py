"""Matching the leads a plan names to agencies: by abbreviation or name, the glossary saying which are agencies."""

import re
from dataclasses import dataclass, field, replace

from scp_tracker.documents.cells import name_key
from scp_tracker.documents.plan_data import AgencyData, ParseWarning, TermData

ORGANISATION_NOUNS = {
    "council", "homes", "group", "services", "service", "company", "partnership", "commissioner", "enterprise",
    "police", "trust", "board", "team", "agency", "authority", "limited", "ltd", "cic", "charity", "foundation",
}
_SMALL_WORDS = {"a", "and", "for", "in", "of", "on", "the", "to"}


@dataclass
class LeadTarget:
    """A lead cell or a key priority's lead, waiting to be matched to agencies once the glossary is known."""

    names: list[str]
    is_heading: bool
    where: ParseWarning  # where a guess is reported: the warning, less its message
    abbreviations: list[str] = field(default_factory=list)


def match_agencies(targets: list[LeadTarget], glossary: list[TermData], listed_agencies: list[AgencyData] | None,
                   warnings: list[ParseWarning]) -> tuple[list[AgencyData], list[TermData]]:
    """Which glossary entries are agencies, and each lead's agencies (new ones added by name); guesses are warned.

    `listed_agencies`: the agencies a sheet of our own export lists, when it has one; else the glossary says.
    """
    if listed_agencies is not None:
        book = _AgencyBook(listed_agencies)
    else:
        used = {_abbreviation_key(name) for target in targets for name in target.names}
        is_agency = [bool(term.abbreviation) and (_last_word(term.description) in ORGANISATION_NOUNS
                                                  or _abbreviation_key(term.abbreviation) in used)
                     for term in glossary]
        book = _AgencyBook([AgencyData(term.abbreviation, term.description)
                            for term, agency in zip(glossary, is_agency, strict=True) if agency])
        glossary = [term for term, agency in zip(glossary, is_agency, strict=True) if not agency]
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
                warnings.append(replace(target.where, message=f"Lead “{name}” taken to be {guess.name}"))
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


def _abbreviation_key(text: str) -> str:
    """A comparison key for an abbreviation that ignores case and punctuation ("L-CAPS" is "LCAPS")."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _last_word(text: str) -> str:
    """The last word of a description, in lower case."""
    words = re.findall(r"[^\W\d_]+", text)
    return words[-1].casefold() if words else ""
