"""How a plan document words things: the objectives table's column names, key priority headings, years, titles."""

import re
from dataclasses import dataclass
from datetime import date

from scp_tracker.documents.cells import capitalise, cell_text, name_key
from scp_tracker.documents.column_mapping import CHOSEN, ColumnGuess, assign_columns
from scp_tracker.documents.column_vocabulary import IGNORED, NOTE, SURE, UNSURE

__all__ = ["IGNORED", "TableHeader", "objective_header"]

# The cells that, all empty, mark a row as the rest of the row above cut by a page break.
_CONTINUATION_FIELDS = ("lead", "end_date", "end_date_text", "police", "pcc")

_GLOSSARY_TERM = {"abbreviation", "abbreviations", "acronym", "term"}
_GLOSSARY_MEANING = {"description", "meaning", "stands for", "full name", "name"}

_NUMBER_WORDS = {word: number for number, word in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_KEY_PRIORITY = re.compile(
    r"(?:key\s+)?priority\s+(?P<number>\d{1,2}|[a-z]+)\s*(?:[:.\-–—]\s*(?P<rest>.*))?", re.I | re.S)
_LEAD_IN_HEADING = re.compile(
    r"(?P<title>.*?)[\s\-–—,;]*[(\[]?\s*\b(?:kp\s+)?lead(?:\s+agenc(?:y|ies))?\s*:\s*(?P<lead>[^)\]]*?)\s*[)\]]?",
    re.I | re.S)
_DRAFT = re.compile(r"\s*(?:[-–—:]\s*)?\(?\bdraft\b\)?\s*(?:[-–—:]\s*)?", re.I)
_YEARS = re.compile(r"(?<!\d)(20\d{2})\s*[-/–—]\s*(20\d{2}|\d{2})(?!\d)")
_BOLD_TITLE = re.compile(r"<(b|strong)\b[^>]*>\s*[^<\s]|\*\*\s*[^*\s]", re.I)
_SEPARATORS = re.compile(r"^[\s\-–—:;,.(]+|[\s\-–—:;,.(]+$")


@dataclass
class TableHeader:
    """An objectives table's header row: which column holds what."""

    row: int
    headers: list[str]
    fields: dict[int, str]
    columns: list[ColumnGuess]


def objective_header(number: int, texts: list[str], chosen: dict[str, str] | None = None) -> TableHeader | None:
    """The objectives table's header row, found by its column names whatever their order and case.

    `chosen`: fields the coordinator gave for headers (by header key), before any guess.
    """
    columns = assign_columns(texts, chosen or {})
    # An unsure guess is only a suggestion until someone confirms it: the column is kept as a note meanwhile. So a
    # row of data holding header words ("Objective 12", "Priority 3") does not make a header row either.
    fields = {column.index: column.field for column in columns
              if column.field and column.field != NOTE and column.confidence != UNSURE}
    named = sum(1 for text in texts if text.strip())
    if "objective" not in fields.values() or len(fields) < min(2, named):
        return None
    if named == 1 and not any(c.field == "objective" and c.confidence in (SURE, CHOSEN) for c in columns):
        return None  # a title such as "Action plan 2018/19" holds a header's words, but is no header
    return TableHeader(number, texts, fields, columns)


def is_glossary_header(texts: list[str]) -> bool:
    """Whether a row heads the glossary: abbreviation and description, maybe twice over."""
    keys = [name_key(text) for text in texts if text.strip()]
    return (len(keys) >= 2 and keys[0] in _GLOSSARY_TERM and keys[1] in _GLOSSARY_MEANING
            and all(key in _GLOSSARY_TERM | _GLOSSARY_MEANING for key in keys))


def continues_previous(values: dict[str, object], table: TableHeader) -> bool:
    """Whether a row is the rest of the row above: its lead, end date and priority cells are all empty, and its
    objective has no bold short title (an objective with nothing else filled in yet starts with one)."""
    present = [column for column in _CONTINUATION_FIELDS if column in table.fields.values()]
    if _BOLD_TITLE.search(cell_text(values.get("objective"))):
        return False
    return bool(present) and not any(cell_text(values.get(column)).strip() for column in present)


def key_priority_heading(text: str) -> tuple[int, str, str | None] | None:
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


_GROUPING = re.compile(
    r"(?P<word>objective|theme|strategic\s+priority|priority\s+area|outcome|aim|strand)\s*(?P<number>\d{1,2})?"
    r"\s*(?:[:.\-–—]\s*(?P<rest>.*))?", re.I | re.S)


def grouping_heading(text: str, *, in_table: bool = False) -> tuple[int | None, str, str | None] | None:
    """(number or None, title, lead) of a key priority heading, or of a grouping row within a table.

    Besides "Key priority 1: ..." and "Priority 2 – ...", "Objective 1: ...", "Theme 3 - ..." group the rows after
    them; inside a table, so does an unnumbered "Theme: ..." (its number is the next free one).
    """
    if heading := key_priority_heading(text):
        return heading
    match = _GROUPING.fullmatch(text.strip())
    if not match or not (match["rest"] or "").strip() or not (match["number"] or in_table):
        return None
    rest = match["rest"].strip()
    if lead := _LEAD_IN_HEADING.fullmatch(rest):
        title, lead_text = _SEPARATORS.sub("", lead["title"]), lead["lead"].strip() or None
    else:
        title, lead_text = _SEPARATORS.sub("", rest), None
    return (int(match["number"]) if match["number"] else None), title, lead_text


def section_kind(heading: str) -> str:
    """What a bold heading after the tables introduces: the PCC's list, the police's list, the glossary, or a note."""
    if re.search(r"\bPCC\b|commissioner", heading, re.I):
        return "pcc"
    if re.search(r"\bpolice\b.*\b(?:plan|priorit)", heading, re.I | re.S):
        return "police"
    if re.search(r"glossary|abbreviations", heading, re.I):
        return "glossary"
    return "note"


def title_and_status(line: str) -> tuple[str, str]:
    """The plan's title without its "Draft" mark, and the status the mark gives."""
    title = _SEPARATORS.sub("", " ".join(_DRAFT.sub(" ", line).split()))
    return title, "draft" if re.search(r"\bdraft\b", line, re.I) else "agreed"


def plan_year(text: str) -> str | None:
    """The financial year a text names ("2016-2017", "2016-17", "2016/17"), written "2016-17"."""
    for match in _YEARS.finditer(text):
        first, second = int(match[1]), int(match[2])
        if second % 100 == (first + 1) % 100:
            return f"{first}-{(first + 1) % 100:02d}"
    return None


def financial_year(year: str) -> tuple[date, date]:
    """The first and last days of a UK financial year: 1 April to 31 March."""
    first = int(year[:4])
    return date(first, 4, 1), date(first + 1, 3, 31)


def sentence_case(title: str, abbreviations: set[str]) -> str:
    """A heading written in capitals in sentence case, keeping known abbreviations ("To reduce ASB")."""
    if not title.isupper():
        return capitalise(title)
    lowered = re.sub(r"[\w'-]+", lambda word: word[0] if word[0] in abbreviations else word[0].lower(), title)
    return capitalise(lowered)
