"""Interpreters of single cells of a plan's table: each says what a cell means, or why it could not tell."""

import html
import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Generic, NamedTuple, TypeVar

import nh3
from dateutil import parser as dateutil_parser

from scp_tracker.documents import date_words
from scp_tracker.documents.plan_data import FundingData, PriorityRef

T = TypeVar("T")


@dataclass(frozen=True)
class Reading(Generic[T]):
    """A cell's meaning, and the reason it could not be (fully) read, if any, for a warning."""

    value: T
    problem: str | None = None


class EndDate(NamedTuple):
    """An end date cell: the date meant, whether one is set, and the cell as written."""

    on: date | None
    status: str
    text: str


class Leads(NamedTuple):
    """A lead cell: whether a lead is set, and the names written, not yet matched to agencies."""

    status: str
    names: list[str]


# ---------------------------------------------------------------- text

_SUPERSCRIPT = re.compile(r"\s*<\s*(sup|sub)\b[^>]*>(.*?)<\s*/\s*\1\s*>", re.I | re.S)
_LINE_BREAK = re.compile(r"<\s*/?\s*(?:br|p|div|ul|ol|li|tr|h[1-6])\b[^>]*>", re.I)
_MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


def clean_html(value: str) -> str:
    """Plain text of a cell: tags and scripts gone, entities decoded, list items on lines of their own."""
    if not value or value.isspace():
        return ""  # most cells of a sheet are empty: a million of them must not each cost an HTML parse
    text = _SUPERSCRIPT.sub(r"\2", value)  # "25 <sup>th</sup>" is one word: "25th"
    text = _LINE_BREAK.sub("\n", text)
    text = _MARKDOWN_BOLD.sub(r"\1", text)
    # nh3 drops every tag, and the content of <script> and <style>; it answers in HTML, hence unescape.
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = (re.sub(r"\s+", " ", line).replace(" ,", ",").strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# Text starting with these is run as a formula by spreadsheet programs: exports write it as text (CSV with a
# leading apostrophe, which the CSV reader takes off again), so a cell someone typed is never run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """A CSV cell that a spreadsheet program shows as the text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def formula_unsafe(text: str) -> str:
    """A CSV cell as it was before formula_safe."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text


def name_key(name: str) -> str:
    """A comparison key for a name that ignores case, punctuation and "&" against "and"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold().replace("&", " and ")).split())


def govuk_date(day: date) -> str:
    """A date as GOV.UK writes it: "30 April 2017"."""
    return f"{day.day} {day:%B %Y}"


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: numbers without ".0", dates in GOV.UK style, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        written = govuk_date(value.date())
        return written if value.time() == time() else f"{written} {value:%H:%M}"
    if isinstance(value, date):
        return govuk_date(value)
    return str(value)


# ---------------------------------------------------------------- objective title

_BOLD = re.compile(r"<(b|strong)\b[^>]*>(.*?)<\s*/\s*\1\s*>|\*\*(.+?)\*\*", re.I | re.S)
_TITLE_END = re.compile(r"\s+e\.g\.|\s[-–—]\s|;|[.!?](?=\s|$)", re.I)
_TRAILING_PUNCTUATION = re.compile(r"[\s\-–—:;,.]+$")
_TITLE_LENGTH = 80


def title_from_objective(source: str) -> Reading[str]:
    """The short title: the first bold phrase, else the objective's opening words (with a warning)."""
    for match in _BOLD.finditer(source):
        phrase = _TRAILING_PUNCTUATION.sub("", " ".join(clean_html(match[2] or match[3] or "").split()))
        if phrase:
            return Reading(capitalise(phrase))
    text = " ".join(clean_html(source).split())
    if not text:
        return Reading("", "The objective is blank")
    end = _TITLE_END.search(text)
    words = text[: end.start()] if end else text
    if len(words) > _TITLE_LENGTH:
        cut = words[: _TITLE_LENGTH + 1]
        words = cut.rsplit(" ", 1)[0] if " " in cut else cut[:_TITLE_LENGTH]
    return Reading(capitalise(_TRAILING_PUNCTUATION.sub("", words)), "No bold title; title taken from the text")


def capitalise(text: str) -> str:
    """The first letter in capitals, the rest as written ("social media campaign" reads as a title)."""
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- funding

_TBC_WORDS = r"tbc|tba|to be (?:confirmed|agreed|arranged)"
_TBC = re.compile(rf"(?:{_TBC_WORDS})\.?", re.I)
_TBC_WORD = re.compile(rf"\b(?:{_TBC_WORDS})\b", re.I)
_NOT_APPLICABLE = re.compile(r"n\s*/\s*a|n\.?a\.?|not\s+applicable", re.I)
_NIL = re.compile(r"(?:nil(?:\s+cost)?|no\s+cost|none)(?:\s+(?:to|for)\s+(?P<source>.+?))?\.?", re.I)
_AMOUNT = re.compile(
    r"£?\s*(?P<number>\d[\d,]*(?:\.\d{1,2})?)(?P<thousands>k)?(?![\w\-/])\s*"
    r"(?P<source>[^()]*?)\s*(?:\((?P<pot>[^()]*)\))?",
    re.I,
)
_WITHOUT_AMOUNT = re.compile(
    r"mainstream|existing\s+budgets?|within\s+existing\s+resources|officer\s+time|in[\s-]kind|core\s+funding", re.I
)
_SOURCE_NOISE = re.compile(r"^(?:from|by)\s+|\s*\b(?:funding|funds|funded)$", re.I)
_POT_IN_SOURCE = re.compile(r"^(?P<source>.*?)\s*(?P<pot>\b\d{2}[-/]\d{2}\b.*)$")
_CARRIED_FORWARD = re.compile(r"\bC\s*/\s*F(?:\s+funds?)?(?!\w)", re.I)
_MOST_PENCE = 2**63 - 1  # what a funding line's amount column can hold
_FUNDING_NOT_READ = "Could not read the funding; kept as written and treated as to be confirmed"


def parse_funding(text: str) -> Reading[list[FundingData]]:
    """Funding lines of a cell: one per amount joined with "+" (or per line), never none."""
    cleaned = clean_html(text)
    if not cleaned:
        return Reading([FundingData(None, None, None, "missing", "")])
    parts = [part.strip() for part in re.split(r"[+\n]", cleaned) if part.strip()] or [cleaned]
    readings = [_funding_line(part) for part in parts]
    lines = [reading.value for reading in readings]
    priced = [line for line in lines if line.amount_pence is not None]
    for index, line in enumerate(priced):
        # "£2000 SCP (15-16 C/F) + £3000 (16-17 PCC funds)": a part that leaves out who pays or the pot
        # shares them with its neighbours, nearest before first.
        neighbours = priced[:index][::-1] + priced[index + 1:]
        line.source = line.source or next((n.source for n in neighbours if n.source), None)
        line.pot = line.pot or next((n.pot for n in neighbours if n.pot), None)
    problem = _FUNDING_NOT_READ if any(reading.problem for reading in readings) else None
    return Reading(lines, problem)


def _funding_line(part: str) -> Reading[FundingData]:
    """One funding line from its text."""
    if _TBC.fullmatch(part):
        return Reading(FundingData(None, None, None, "tbc", part))
    if _NOT_APPLICABLE.fullmatch(part):
        return Reading(FundingData(None, None, None, "not_applicable", part))
    if nil := _NIL.fullmatch(part):
        return Reading(FundingData(0, nil["source"], None, "nil_cost", part))
    is_tbc = bool(_TBC_WORD.search(part))
    amount = _AMOUNT.fullmatch(re.sub(r"\(\s*\)", "", _TBC_WORD.sub("", part)).strip())
    pence = amount and int(Decimal(amount["number"].replace(",", "")) * (1000 if amount["thousands"] else 1) * 100)
    if amount and pence is not None and pence <= _MOST_PENCE:
        source, pot = _SOURCE_NOISE.sub("", amount["source"]).strip(), amount["pot"]
        if pot is None and (split := _POT_IN_SOURCE.match(source)):
            source, pot = split["source"], split["pot"]
        status = "tbc" if is_tbc else "nil_cost" if pence == 0 else "confirmed"
        return Reading(FundingData(pence, source or None, _pot(pot), status, part))
    if _WITHOUT_AMOUNT.search(part):
        return Reading(FundingData(None, None, None, "confirmed", part))
    return Reading(FundingData(None, None, None, "tbc", part), _FUNDING_NOT_READ)


def _pot(text: str | None) -> str | None:
    """A pot's name: "(from 16-17 PCC funds)" is "16-17 PCC funds"; "C/F funds" and "C/F" are one pot."""
    if not text:
        return None
    pot = _CARRIED_FORWARD.sub("C/F", re.sub(r"^from\s+", "", text.strip(), flags=re.I))
    return pot or None


# ---------------------------------------------------------------- leads

_NO_LEAD = re.compile(r"-+|n\s*/\s*a|none", re.I)


def parse_leads(text: str, names: Iterable[str] = ()) -> Leads:
    """The names in a lead cell, split at "/", ",", ";" and " and " except inside a known agency's name."""
    cleaned = clean_html(text)
    if not cleaned or _NO_LEAD.fullmatch(cleaned):
        return Leads("missing", [])
    known = {name_key(name) for name in names}
    if name_key(cleaned) in known:
        return Leads("set", [cleaned])
    found = []
    for piece in re.split(r"\s*[/,;\n]\s*", cleaned):
        found.extend([piece] if name_key(piece) in known else re.split(r"\s+and\s+", piece, flags=re.I))
    found = [name.strip() for name in found if name.strip() and not _TBC.fullmatch(name.strip())]
    return Leads("set" if found else "tbc", found)


def leads_text(abbreviations: list[str], status: str) -> str:
    """A lead cell written back: abbreviations joined with " / ", "TBC", or blank."""
    return "TBC" if status == "tbc" else " / ".join(abbreviations)


# ---------------------------------------------------------------- dates

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_YEAR = re.compile(r"(?P<month>[a-z]{3,})\.?[\s\-/']*(?P<year>\d{2}|\d{4})", re.I)


def parse_end_date(value: str | date, plan_ends_on: date | None = None) -> Reading[EndDate]:
    """The date an objective is due: a month means its last day, a quarter its last day, "end of year" the plan's
    end; "Ongoing" has none and is not missing either. A reading in words is said (a note for the preview)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Reading(EndDate(value, "set", govuk_date(value)))
    text = " ".join(clean_html(value).split())
    if not text:
        return Reading(EndDate(None, "missing", ""))
    if _TBC.fullmatch(text):
        return Reading(EndDate(None, "tbc", text))
    if date_words.is_ongoing(text):
        return Reading(EndDate(None, "ongoing", text),
                       "Read as ongoing: no end date, so no due-date reminders, and not listed as missing")
    if date_words.is_year_end(text):
        if plan_ends_on is None:
            return Reading(EndDate(None, "tbc", text), "“End of year” means the end of the plan's year, which the "
                                                       "file does not give; treated as to be confirmed")
        return Reading(EndDate(plan_ends_on, "set", text), f"Read as {govuk_date(plan_ends_on)}, the end of the "
                                                           f"plan's year")
    words = date_words.without_lead_in(text)
    if quarter := date_words.quarter_end(words):
        quarter_day, meaning = quarter
        return Reading(EndDate(quarter_day, "set", text), f"Read as {govuk_date(quarter_day)}, the end of {meaning}")
    day = _month_end(words) or parse_day(words)
    if day is None:
        return Reading(EndDate(None, "tbc", text),
                       "Could not read the end date; kept as written and treated as to be confirmed")
    return Reading(EndDate(day, "set", text))


def _year(digits: str) -> int:
    """A year written with two or four digits (the plans are all this century)."""
    return int(digits) + (2000 if len(digits) == 2 else 0)


def _month_end(text: str) -> date | None:
    """The last day of a month written as "Apr 17", "Sept 16", "Sep '17" or "April 2017"."""
    if not (match := _MONTH_YEAR.fullmatch(text)):
        return None
    word = match["month"].lower()
    month = next((number for number, name in enumerate(_MONTHS, 1) if name.startswith(word)), None)
    if month is None:
        return None
    year = _year(match["year"])
    return date(year, month, monthrange(year, month)[1])


def parse_day(value: str | date) -> date | None:
    """A day written in full ("30/04/2017", "30 April 2017", "2017-04-30") or a date cell; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    moment = _full_date(" ".join(clean_html(value).split()))
    return moment.date() if moment else None


def _full_date(text: str) -> datetime | None:
    """A date written with its day, month and year ("30/04/2017", "30.4.17", "30 April 2017"), day first."""
    try:
        return datetime.fromisoformat(text)  # year first: dateutil's dayfirst would swap its month and day
    except ValueError:
        pass
    try:
        # Parsed against two different defaults: if they disagree, the text left out a part of the date.
        first = dateutil_parser.parse(text, dayfirst=True, default=datetime(2000, 1, 1))
        second = dateutil_parser.parse(text, dayfirst=True, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        return None
    return first if first == second else None


def parse_timestamp(value: str | date | None) -> Reading[datetime | None]:
    """A "Progress date" or "Last updated" cell as an aware UTC time; a time without a zone is taken as UTC."""
    moment: datetime | None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = " ".join(clean_html(value or "").split())
        if not text:
            return Reading(None)
        moment = _full_date(text)
        if moment is None:
            return Reading(None, "Could not read the date")
    if moment.tzinfo is None:
        return Reading(moment.replace(tzinfo=UTC))
    return Reading(moment.astimezone(UTC))


# ---------------------------------------------------------------- priorities, RAG, status

_PRIORITY_NUMBERS = re.compile(r"\d+(?:\s*(?:,|&|and|/|\+)\s*\d+)*", re.I)


def parse_priority_ref(text: str) -> Reading[PriorityRef]:
    """A police or PCC priority cell: "3", "2, 4", "2 & 4", "Multiple", "all" or blank."""
    cleaned = " ".join(clean_html(text).split())
    word = cleaned.casefold()
    if not cleaned:
        return Reading(PriorityRef("none"))
    if word in ("multiple", "all"):
        return Reading(PriorityRef(word, [], cleaned))
    if _PRIORITY_NUMBERS.fullmatch(cleaned):
        numbers = list(dict.fromkeys(int(number) for number in re.findall(r"\d+", cleaned)))
        return Reading(PriorityRef("listed", numbers, cleaned))
    return Reading(PriorityRef("none", [], cleaned), "Could not read the priority numbers; kept as written")


def priority_ref_text(ref: PriorityRef) -> str:
    """A priority cell written back so it reads the same: "3", "2, 4", "Multiple", "all", or what was written."""
    written = {"listed": ", ".join(str(number) for number in ref.numbers), "multiple": "Multiple", "all": "all"}
    return written.get(ref.scope, ref.text)


_RAG = {"r": "red", "red": "red", "a": "amber", "amber": "amber", "g": "green", "green": "green"}


def parse_rag(text: str) -> Reading[str | None]:
    """A RAG cell: red, amber, green (or R, A, G), or blank."""
    word = clean_html(text).casefold()
    if not word:
        return Reading(None)
    if word in _RAG:
        return Reading(_RAG[word])
    return Reading(None, "Could not read the RAG status (red, amber or green)")


_STATUSES = {
    "open": ("open", "in progress", "ongoing", "not started", "no", "n", "false", "on track", "started", "underway",
             "delayed", "behind", "live", "active"),
    "complete": ("complete", "completed", "done", "closed", "yes", "y", "x", "true", "✓", "✔", "achieved",
                 "finished"),
    "cancelled": ("cancelled", "canceled", "withdrawn", "dropped"),
}


def parse_status(text: str) -> Reading[str]:
    """A status or "Complete" cell: open (also blank or "No"), complete ("Yes", "Done") or cancelled."""
    word = clean_html(text).casefold()
    if not word:
        return Reading("open")
    status = next((status for status, words in _STATUSES.items() if word in words), None)
    if status is None:
        return Reading("open", "Could not read the status (open, complete or cancelled); treated as open")
    return Reading(status)
