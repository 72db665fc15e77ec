"""The column guesser: the vocabulary of other partnerships' headers, each guess with how sure it is; and properties
that hold whatever the columns' order and the headers' spelling."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from scp_tracker.documents.column_mapping import ImportChoices, assign_columns, parse_column_option
from scp_tracker.documents.column_vocabulary import LIKELY, NOTE, SURE, UNSURE, VOCABULARY, guess_field
from scp_tracker.documents.file_readers import read_plan_file


@pytest.mark.parametrize(("header", "field", "confidence"), [
    ("Objective", "objective", SURE), ("ACTION", "objective", SURE), ("Activity", "objective", SURE),
    ("Project", "objective", SURE), ("Initiative", "objective", SURE),
    ("How", "text", SURE), ("What we will do", "text", SURE), ("Description", "text", SURE),
    ("Lead", "lead", SURE), ("Lead agency", "lead", SURE), ("Responsible", "lead", SURE),
    ("Delivery led by:", "lead", SURE), ("Lead officer", "lead_officer", SURE),
    ("End date", "end_date", SURE), ("Target date", "end_date", SURE), ("Timescale(s)", "end_date", SURE),
    ("Timescales", "end_date", SURE), ("By when?", "end_date", SURE), ("Deadline", "end_date", SURE),
    ("Milestones", "end_date", SURE), ("Timescale (when achieved by)", "end_date", SURE),
    ("Target (when achieved by)", "end_date", SURE),
    ("Funding", "funding", SURE), ("Budget", "funding", SURE), ("Cost(s)", "funding", SURE),
    ("Costs", "funding", SURE), ("Resources (allocated)", "funding", SURE), ("Resources", "funding", SURE),
    ("Key priority", "key_priority", SURE), ("Theme", "key_priority", SURE),
    ("Status", "status", SURE), ("Complete?", "status", SURE), ("RAG rating", "rag", SURE),
    ("Police priority", "police", SURE), ("PCC priority", "pcc", SURE),
    ("Outcomes", NOTE, SURE), ("Targets", NOTE, SURE), ("National indicators", NOTE, SURE), ("Ref.", NOTE, SURE),
    ("Note: Anything at all", NOTE, SURE),
    # a phrase of several known words inside a longer header: likely
    ("Lead agency / partner", "lead", LIKELY), ("Funding source and amount", "funding", LIKELY),
    # one known word among others: unsure, so asked (and kept as a note until answered)
    ("Progress Q1", "progress", UNSURE), ("Initiative description", "text", UNSURE),
    ("Cost centre", "funding", UNSURE),
    # nothing known: kept as a note, which loses nothing
    ("Colour", None, SURE), ("", None, SURE),
])
def test_the_guesser_knows_the_vocabulary_with_a_confidence(header, field, confidence):
    assert (guess_field(header).field, guess_field(header).confidence) == (field, confidence)


def test_a_field_guessed_twice_is_unsure_the_second_time_and_a_choice_wins():
    columns = assign_columns(["Action", "Project", "Who"], {})
    assert [(c.field, c.confidence) for c in columns] == [("objective", SURE), ("objective", UNSURE), ("lead", SURE)]
    columns = assign_columns(["Action", "Project", "Who"], {"project": "objective", "action": "note"})
    assert [(c.field, c.confidence) for c in columns] == [("note", "chosen"), ("objective", "chosen"),
                                                           ("lead", SURE)]


def test_without_an_objective_column_the_detail_column_holds_the_objectives():
    columns = assign_columns(["What we will do", "Lead"], {})
    assert [(c.field, c.confidence) for c in columns] == [("objective", LIKELY), ("lead", SURE)]


@pytest.mark.parametrize(("option", "parsed"), [
    ("Action=objective", ("action", "objective")), ("Lead / officer = lead officer", ("lead officer", "lead_officer")),
    ("By when=End date", ("by when", "end_date")), ("Ref=note", ("ref", NOTE)),
    ("Colour=ignore", ("colour", "ignored")),
    ("A=B=police priority", ("a b", "police")), ("Theme=key priority", ("theme", "key_priority")),
    ("PCC=PCC priority", ("pcc", "pcc")), ("RAG=rag", ("rag", "rag")), ("S=status", ("s", "status")),
    ("How=text", ("how", "text")), ("P=progress", ("p", "progress")), ("F=funding", ("f", "funding")),
])
def test_column_options_name_a_header_and_a_field(option, parsed):
    assert parse_column_option(option) == parsed


@pytest.mark.parametrize(("option", "message"), [
    ("Action", 'write it as "HEADER=FIELD"'), ("=objective", 'write it as "HEADER=FIELD"'),
    ("Action=colour", "no field “colour”; the fields are: objective, text, progress"),
])
def test_a_wrong_column_option_says_how_to_write_it(option, message):
    with pytest.raises(ValueError, match=message):
        parse_column_option(option)


# ---- properties: whatever the order of the columns and the spelling of their headers

_FIELDS = ("objective", "text", "progress", "funding", "lead", "end_date", "status", "rag")
_VALUES = {
    "objective": ["Run youth diversion sessions", "Close the alley behind the high street"],
    "text": ["Weekly sessions in the parks", ""],
    "progress": ["Two sessions held", ""],
    "funding": ["£3k (PCC grant)", "Nil"],
    "lead": ["CBC - Jane Doe", "Essex Police / CBC"],
    "end_date": ["Sept 18", "Annually in May"],
    "status": ["No", "Yes"],
    "rag": ["G", "A"],
}
_NOTE_VALUES = ["Fewer reports", "Alley closed"]


@st.composite
def spelling(draw, names: tuple[str, ...]) -> str:
    """A header as people write it: any name of the vocabulary, in any case, with stray punctuation or an aside."""
    name = draw(st.sampled_from(names))
    case = draw(st.sampled_from([str.upper, str.lower, str.title, str.capitalize]))
    dressing = draw(st.sampled_from(["{}", " {} ", "{}:", "{} *", "{} (£)", "{}?", "{} (see notes)", "{}."]))
    return dressing.format(case(name))


_SAFE_NAMES = {field: VOCABULARY[field] for field in _FIELDS}
_SAFE_NAMES[NOTE] = ("outcomes", "expected outcome", "national indicators", "comments", "references")


def _table(headers: list[str], fields: list[str], order: list[int]) -> list[list[str]]:
    """The plan's rows with the columns in `order`: a grouping row, then two objectives."""
    rows = [[headers[i] for i in order], ["Priority 1 – Reducing harm"]]
    for n in range(2):
        rows.append([_NOTE_VALUES[n] if fields[i] == NOTE else _VALUES[fields[i]][n] for i in order])
    return rows


def _file(rows: list[list[str]], kind: str) -> tuple[bytes, str]:
    if kind == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode(), "plan-2018-19.csv"
    book = Workbook()
    book.active.title = "Plan 2018-19"
    for row in rows:
        book.active.append(row)
    binary = io.BytesIO()
    book.save(binary)
    return binary.getvalue(), "plan.xlsx"


def _meaning(plan) -> list[tuple]:
    """What a reading says, whatever the columns were called: every field of every objective, notes by value."""
    return [(kp.number, kp.title, o.title, o.text, o.progress, [(f.amount_pence, f.status) for f in o.funding],
             o.lead_agencies, [(c.name, c.agency) for c in o.lead_contacts], o.end_date, o.end_date_text,
             o.status, o.rag, sorted(o.extra.values())) for kp in plan.priorities for o in kp.objectives]


_CANONICAL = ["Objective", "How", "Progress", "Funding", "Lead", "End date", "Status", "RAG", "Outcomes"]
_CANONICAL_FIELDS = [*_FIELDS, NOTE]


def _canonical_meaning(kind: str):
    content, name = _file(_table(_CANONICAL, _CANONICAL_FIELDS, list(range(len(_CANONICAL)))), kind)
    return _meaning(read_plan_file(content, name))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), kind=st.sampled_from(["csv", "xlsx"]))
def test_any_order_and_spelling_of_known_headers_reads_the_same(data, kind):
    headers = [data.draw(spelling(_SAFE_NAMES[field]), label=field) for field in _CANONICAL_FIELDS]
    order = data.draw(st.permutations(range(len(headers))), label="order")
    content, name = _file(_table(headers, _CANONICAL_FIELDS, list(order)), kind)
    plan = read_plan_file(content, name)
    assert plan.year == "2018-19"
    assert _meaning(plan) == _canonical_meaning(kind)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), kind=st.sampled_from(["csv", "xlsx"]))
def test_any_order_and_any_headers_read_the_same_once_the_columns_are_named(data, kind):
    """Headers nobody could guess ("Column 1", words of another language) read the same when each is named."""
    words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=3, max_size=12).filter(str.strip)
    headers = data.draw(st.lists(words, min_size=len(_CANONICAL_FIELDS), max_size=len(_CANONICAL_FIELDS),
                                 unique_by=lambda text: " ".join(text.split())), label="headers")
    order = data.draw(st.permutations(range(len(headers))), label="order")
    content, name = _file(_table(headers, _CANONICAL_FIELDS, list(order)), kind)
    choices = ImportChoices({" ".join(header.split()): field for header, field in zip(headers, _CANONICAL_FIELDS,
                                                                                      strict=True)})
    assert _meaning(read_plan_file(content, name, choices=choices)) == _canonical_meaning(kind)
