"""The change history in words: each kind of recorded value reads as GOV.UK writes it, and nothing reads "None"."""

import re
from types import SimpleNamespace

import pytest

from scp_tracker.core.change_words import KINDS, Field, change_by, change_in_words, describe_fields, described_fields

RAW = re.compile(r"\bNone\b|\b\d{4}-\d{2}-\d{2}\b|changed from (to|$)|to $|Created|Before|Not set|→")


def change(entity, field, before, after):
    """A history row as the pages read it."""
    return SimpleNamespace(entity=entity, field=field, before=before, after=after)


describe_fields("test_thing", {
    "added": Field("Added", "event", sentence="Added to the plan"),
    "carried": Field("Carried", "event", sentence="Carried forward from {after}"),
    "retired": Field("Retired", "event", sentence="Retired from the plan on {after}"),
    "name": Field("Short title"),
    "end": Field("End date", "date"),
    "cost": Field("Funding amount", "money"),
    "state": Field("Status", "choice", {"tbc": "TBC", "complete": "Complete", "open": "Open"}),
    "rag": Field("RAG", "rag"),
    "leads": Field("Lead agencies", "list"),
    "ask": Field("Request to move the end date", "decision"),
    "html": Field("Objective as written", "note", sentence="Objective’s formatting in the plan changed"),
})


@pytest.mark.parametrize("field, before, after, words", [
    ("added", None, "Reduce ASB", "Added to the plan"),
    ("carried", None, "2016-17: Reduce ASB", "Carried forward from 2016-17: Reduce ASB"),
    ("retired", None, "2017-06-30", "Retired from the plan on 30 June 2017"),
    ("name", "Old", "New", "Short title changed from Old to New"),
    ("name", None, "New", "Short title set to New"),
    ("name", "Old", "", "Short title cleared (was Old)"),
    ("end", "2017-04-30", "2017-06-30", "End date moved from 30 April to 30 June 2017"),
    ("end", "2017-04-30", "2018-03-31", "End date moved from 30 April 2017 to 31 March 2018"),
    ("end", None, "2017-06-30", "End date set to 30 June 2017"),
    ("end", "2017-04-30", None, "End date cleared (was 30 April 2017)"),
    ("cost", "500000", "125050", "Funding amount changed from £5,000 to £1,250.50"),
    ("cost", "500000", None, "Funding amount cleared (was £5,000)"),
    ("cost", None, "500000", "Funding amount set to £5,000"),
    ("state", "tbc", "complete", "Status changed from TBC to Complete"),
    ("state", None, "tbc", "Status set to TBC"),
    # a code nobody described is shown as stored
    ("state", "open", "withdrawn", "Status changed from Open to withdrawn"),
    ("rag", None, "amber", "RAG set to Amber"),
    ("rag", "", "red", "RAG set to Red"),
    ("rag", "amber", "green", "RAG changed from Amber to Green"),
    ("rag", "red", None, "RAG cleared (was Red)"),
    ("leads", "EP, CBC", "EP", "Lead agencies changed from EP, CBC to EP"),
    ("leads", "", "EP", "Lead agencies added: EP"),
    ("leads", "EP", None, "Lead agencies removed: EP"),
    ("ask", "Asked for 30 June 2017", "Approved", "Request to move the end date (asked for 30 June 2017): approved"),
    ("html", "<b>Old</b>", "<b>New</b>", "Objective’s formatting in the plan changed"),
    ("name", None, None, "Short title cleared"),  # nothing on either side: still a sentence, never "None"
    ("end", None, None, "End date cleared"),
    ("rag", None, None, "RAG cleared"),
])
def test_each_kind_of_value_reads_in_words(field, before, after, words):
    assert change_in_words(change("test_thing", field, before, after)) == words


def test_every_kind_is_covered_above():
    kinds = {described.kind for (entity, _), described in described_fields().items() if entity == "test_thing"}
    assert kinds == set(KINDS)


def test_a_field_nobody_described_reads_as_its_name_with_dates_in_words():
    assert change_in_words(change("round", "meeting_on", "2026-10-01", "2026-10-08")) == (
        "Meeting on changed from 1 October 2026 to 8 October 2026")
    assert change_in_words(change("round", "deadline", None, "2026-09-24")) == "Deadline set to 24 September 2026"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Field("Label", "colour")


SAMPLES = {  # (before, after) for each kind, as the history stores them
    "text": ("Old words", "New words"), "date": ("2017-04-30", "2017-06-30"), "money": ("500000", "0"),
    "rag": (None, "green"), "list": ("EP, CBC", "EP"), "event": (None, "2017-06-30"),
    "decision": ("Asked for 30 June 2017", "Declined"), "note": ("<b>x</b>", "<b>y</b>"),
}


def test_every_field_the_areas_record_reads_in_words(app):
    # The app is made, so every area has described what it records.
    described = {key: value for key, value in described_fields().items() if key[0] != "test_thing"}
    assert {entity for entity, _ in described} >= {"objective", "lead", "funding", "progress", "plan",
                                                    "key_priority", "event"}
    for (entity, field), description in described.items():
        assert "_" not in description.label and description.label[0].isupper(), (entity, field)
        samples = [SAMPLES.get(description.kind)] if description.kind != "choice" else [
            (code, other) for code, other in zip(description.choices, list(description.choices)[1:], strict=False)]
        for before, after in samples:
            for pair in ((before, after), (None, after), (before, None)):
                words = change_in_words(change(entity, field, *pair))
                assert not RAW.search(words), f"{entity}.{field} {pair}: {words}"
                assert field not in words or "_" not in field, f"{entity}.{field}: {words}"


@pytest.mark.parametrize("field, before, after, actor, words", [
    ("end", "2017-04-30", "2017-06-30", "Alex Morgan",
     "End date moved from 30 April to 30 June 2017 by Alex Morgan"),
    ("added", None, "Reduce ASB", "Import of plan.docx", "Added to the plan by Import of plan.docx"),
    ("rag", None, "red", "", "RAG set to Red"),  # nobody recorded: no dangling "by"
    ("rag", None, "red", None, "RAG set to Red"),
])
def test_a_change_says_who_made_it(field, before, after, actor, words):
    row = SimpleNamespace(entity="test_thing", field=field, before=before, after=after, actor_name=actor)
    assert change_by(row) == words
