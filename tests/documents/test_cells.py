"""Each cell interpreter of the plan parser on its own: what users type in one cell, and what it means."""

from datetime import UTC, date, datetime

import pytest

from scp_tracker.documents.cells import (
    EndDate,
    cell_text,
    clean_html,
    leads_text,
    name_key,
    parse_day,
    parse_end_date,
    parse_funding,
    parse_leads,
    parse_priority_ref,
    parse_rag,
    parse_status,
    parse_timestamp,
    priority_ref_text,
    title_from_objective,
)
from scp_tracker.documents.plan_data import FundingData, ParseWarning, PriorityRef

# ---------------------------------------------------------------- clean_html

@pytest.mark.parametrize(("written", "clean"), [
    ("Walk &amp; Talk", "Walk & Talk"),
    ("from 25 <sup>th</sup> November", "from 25th November"),
    ("1 <sup>st</sup> meeting", "1st meeting"),
    ("<b>Bold</b> and <i>italic</i>", "Bold and italic"),
    ("<strong>Strong</strong>", "Strong"),
    ("**Markdown bold** text", "Markdown bold text"),
    ("awareness</b> , education", "awareness, education"),
    ("too   many\tspaces", "too many spaces"),
    ("a&nbsp;b", "a b"),
    ("Tracy Rudling & Pam D", "Tracy Rudling & Pam D"),
    ("fewer than <10 referrals", "fewer than <10 referrals"),
    ("", ""),
])
def test_clean_html_gives_plain_text(written, clean):
    """Cells hold bits of HTML and markdown; what is stored and shown is plain text."""
    assert clean_html(written) == clean


def test_clean_html_puts_list_items_on_lines_of_their_own():
    """A bulleted objective keeps its items apart, one a line."""
    written = ('Work with <b>primary care</b> <ul style="list-style-type: none"> <li>the reduction of one</li> '
               '<li>the reduction of two</li> </ul>')
    assert clean_html(written) == "Work with primary care\nthe reduction of one\nthe reduction of two"


@pytest.mark.parametrize("written", [
    "Hello <script>alert('x')</script>world",
    "Hello <SCRIPT type='text/javascript'>alert('x')</SCRIPT>world",
    "Hello <style>body{display:none}</style>world",
    "Hello <img src=x onerror=\"alert('x')\">world",
    "Hello <a href=\"javascript:alert('x')\">world</a>",
])
def test_clean_html_leaves_nothing_executable(written):
    """An imported cell can never carry a script into a page or an email."""
    clean = clean_html(written)
    assert clean.replace(" ", "") == "Helloworld"
    assert "alert" not in clean and "<" not in clean


def test_name_key_ignores_case_punctuation_and_ampersand():
    """Agency names match however they are capitalised or punctuated."""
    assert name_key("Essex County Fire & Rescue Service") == name_key("ESSEX COUNTY FIRE AND RESCUE SERVICE.")


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (3, "3"), (3.0, "3"), (1250.5, "1250.5"), (True, "Yes"), ("x", "x"),
    (date(2017, 4, 30), "30 April 2017"), (datetime(2017, 4, 30), "30 April 2017"),
    (datetime(2017, 4, 30, 9, 5), "30 April 2017 09:05"),
])
def test_cell_text_writes_spreadsheet_values_as_people_read_them(value, text):
    """Spreadsheet numbers and dates read as a person would type them."""
    assert cell_text(value) == text


# ---------------------------------------------------------------- title_from_objective

@pytest.mark.parametrize(("written", "title"), [
    ("Deliver a <b>social media campaign</b> aimed at 16-24", "Social media campaign"),
    ("<b>Supporting People With Chaotic Lifestyles</b> - Project continues",
     "Supporting People With Chaotic Lifestyles"),
    ("<b>Modern Slavery / Human Trafficking awareness</b> , education", "Modern Slavery / Human Trafficking awareness"),
    ("SCP <b>'Hidden Harms' event</b> to deliver", "'Hidden Harms' event"),
    ("<b>DRIVE PERPETRATOR PROGRAMME</b> aimed at", "DRIVE PERPETRATOR PROGRAMME"),
    ("<strong>Strong title:</strong> rest", "Strong title"),
    ("**Markdown title** – rest", "Markdown title"),
    ("<b>Dash title -</b> rest", "Dash title"),
    ("<b> </b> then <b>second bold</b>", "Second bold"),
    ("<b>Colchester Walk &amp; Talk Event</b> in", "Colchester Walk & Talk Event"),
])
def test_title_is_the_first_bold_phrase(written, title):
    """The partnership's short name for an objective is its bold phrase."""
    reading = title_from_objective(written)
    assert (reading.value, reading.problem) == (title, None)


@pytest.mark.parametrize(("written", "title"), [
    ("<i>Share data to inform focus of which pubs and clubs people are known to drink e.g. Police and NHS data</i>",
     "Share data to inform focus of which pubs and clubs people are known to drink"),
    ("Run a campaign - details to follow", "Run a campaign"),
    ("Run a campaign; then review", "Run a campaign"),
    ("Run a campaign. Then review.", "Run a campaign"),
    ("hold an event", "Hold an event"),
])
def test_title_without_bold_is_taken_from_the_text_with_a_warning(written, title):
    """An objective without bold still gets a title, and the user is told."""
    reading = title_from_objective(written)
    assert reading.value == title
    assert reading.problem == "No bold title; title taken from the text"


def test_title_from_a_long_text_is_cut_at_a_word_boundary():
    """A title taken from text stays short and never cuts a word."""
    reading = title_from_objective("word " * 40)
    assert len(reading.value) <= 80
    assert reading.value.endswith("word") and "  " not in reading.value


def test_blank_objective_has_no_title():
    """A blank objective gets no made-up title."""
    assert title_from_objective("") == title_from_objective("   ")
    assert title_from_objective("").value == ""


# ---------------------------------------------------------------- parse_funding

def _funding(text):
    """(amount, source, pot, status) of each line, and the problem if any."""
    reading = parse_funding(text)
    return [(line.amount_pence, line.source, line.pot, line.status) for line in reading.value], reading.problem


@pytest.mark.parametrize(("written", "lines"), [
    ("<b>£5000</b> SCP (15-16 allocation)", [(500000, "SCP", "15-16 allocation", "confirmed")]),
    ("£2000 SCP (15-16 C/F)", [(200000, "SCP", "15-16 C/F", "confirmed")]),
    ("<b>£586</b> SCP (15-16 C/F funds)", [(58600, "SCP", "15-16 C/F", "confirmed")]),
    ("£5000 SCP (from 16-17 PCC funds)", [(500000, "SCP", "16-17 PCC funds", "confirmed")]),
    ("£5911 SCP (16-17 PCC funds)", [(591100, "SCP", "16-17 PCC funds", "confirmed")]),
    ("<b>£800</b> SCP funding (15-16 C/F funds)", [(80000, "SCP", "15-16 C/F", "confirmed")]),
    ("5000 SCP", [(500000, "SCP", None, "confirmed")]),
    ("£1,250.50", [(125050, None, None, "confirmed")]),
    ("£5k SCP", [(500000, "SCP", None, "confirmed")]),
    ("£1.5k", [(150000, None, None, "confirmed")]),
    ("£5000 SCP 15-16 allocation", [(500000, "SCP", "15-16 allocation", "confirmed")]),
    ("£5000 (TBC)", [(500000, None, None, "tbc")]),
    ("TBC", [(None, None, None, "tbc")]),
    ("tbc", [(None, None, None, "tbc")]),
    ("To be confirmed", [(None, None, None, "tbc")]),
    ("N/A", [(None, None, None, "not_applicable")]),
    ("n/a", [(None, None, None, "not_applicable")]),
    ("Nil cost", [(0, None, None, "nil_cost")]),
    ("Nil cost to SCP", [(0, "SCP", None, "nil_cost")]),
    ("£0", [(0, None, None, "nil_cost")]),
    ("None", [(0, None, None, "nil_cost")]),
    ("", [(None, None, None, "missing")]),
    ("   ", [(None, None, None, "missing")]),
    ("Mainstream", [(None, None, None, "confirmed")]),
    ("Existing budgets", [(None, None, None, "confirmed")]),
    ("Within existing resources", [(None, None, None, "confirmed")]),
    ("Officer time", [(None, None, None, "confirmed")]),
    ("In kind", [(None, None, None, "confirmed")]),
    ("Core funding", [(None, None, None, "confirmed")]),
])
def test_funding_forms(written, lines):
    """Every way the plan writes money, or its absence."""
    assert _funding(written) == (lines, None)


def test_several_amounts_joined_with_plus_are_one_line_each_sharing_source_and_pot():
    """Money from two pots is two lines; a part that leaves out who pays shares it."""
    lines, problem = _funding("£2000 SCP (15-16 C/F) + £3000 (16-17 PCC funds)")
    assert problem is None
    assert lines == [(200000, "SCP", "15-16 C/F", "confirmed"), (300000, "SCP", "16-17 PCC funds", "confirmed")]
    lines, _ = _funding("£1000 + £500 SCP (16-17 PCC funds)")
    assert lines == [(100000, "SCP", "16-17 PCC funds", "confirmed"), (50000, "SCP", "16-17 PCC funds", "confirmed")]


def test_each_funding_line_keeps_its_own_text():
    """The export writes each line's text, so each keeps its own part."""
    lines = parse_funding("<b>£2000</b> SCP (15-16 C/F) + £3000 (16-17 PCC funds)").value
    assert [line.text for line in lines] == ["£2000 SCP (15-16 C/F)", "£3000 (16-17 PCC funds)"]


def test_a_blank_funding_cell_is_one_missing_line():
    """Blank funding is recorded as missing, so it can be chased."""
    assert parse_funding("").value == [FundingData(None, None, None, "missing", "")]


@pytest.mark.parametrize("written", ["£5x", "Ask the council", "16-17 PCC funds", "lots"])
def test_unreadable_funding_is_kept_as_written_and_treated_as_to_be_confirmed(written):
    """Funding that cannot be read is chased, never lost."""
    reading = parse_funding(written)
    assert [(line.status, line.text) for line in reading.value] == [("tbc", written)]
    assert reading.problem == "Could not read the funding; kept as written and treated as to be confirmed"


# ---------------------------------------------------------------- parse_leads

@pytest.mark.parametrize(("written", "status", "names"), [
    ("CBC", "set", ["CBC"]),
    ("CBH / Catch 22", "set", ["CBH", "Catch 22"]),
    ("CSP/ Open Road", "set", ["CSP", "Open Road"]),
    ("CBC, ECFRS; CCG", "set", ["CBC", "ECFRS", "CCG"]),
    ("CBC and Essex Police", "set", ["CBC", "Essex Police"]),
    ("Essex County Fire &amp; Rescue Service", "set", ["Essex County Fire & Rescue Service"]),
    ("TBC", "tbc", []),
    ("", "missing", []),
    ("N/A", "missing", []),
])
def test_leads(written, status, names):
    """Lead cells name one or more agencies, or nobody yet."""
    assert parse_leads(written) == (status, names)


def test_a_whole_cell_naming_one_known_agency_is_not_split():
    """An agency whose name has "and" or "/" in it stays one agency."""
    names = ["Police and Crime Commissioner", "Modern Slavery / Trafficking Team"]
    assert parse_leads("Police and Crime Commissioner", names).names == ["Police and Crime Commissioner"]
    assert parse_leads("Modern Slavery / Trafficking Team", names).names == ["Modern Slavery / Trafficking Team"]
    assert parse_leads("CBC / Police and Crime Commissioner", names).names == ["CBC", "Police and Crime Commissioner"]


def test_leads_text_writes_a_cell_that_reads_back_the_same():
    """What the export writes for leads reads back as the same leads."""
    for abbreviations, status in ((["CBH", "Catch 22"], "set"), ([], "tbc"), ([], "missing")):
        assert parse_leads(leads_text(abbreviations, status)) == (status, abbreviations)


# ---------------------------------------------------------------- parse_end_date

PLAN_END = date(2017, 3, 31)


@pytest.mark.parametrize(("written", "day"), [
    ("Apr 17", date(2017, 4, 30)),
    ("Sept 16", date(2016, 9, 30)),
    ("Sep '17", date(2017, 9, 30)),
    ("Apr-17", date(2017, 4, 30)),
    ("April 2017", date(2017, 4, 30)),
    ("June 16", date(2016, 6, 30)),
    ("March 17", date(2017, 3, 31)),
    ("Feb 16", date(2016, 2, 29)),
    ("30/04/2017", date(2017, 4, 30)),
    ("30.4.17", date(2017, 4, 30)),
    ("30 April 2017", date(2017, 4, 30)),
    ("5/4/2017", date(2017, 4, 5)),
    ("2017-04-05", date(2017, 4, 5)),
])
def test_end_date_forms(written, day):
    """Every way the plan writes a due date; a month means its last day."""
    assert parse_end_date(written, PLAN_END).value == EndDate(day, "set", written)
    assert parse_end_date(written, PLAN_END).problem is None


def test_end_date_tbc_blank_and_ongoing():
    """No date yet, no date at all, and "Ongoing" (no end date, and none missing: test_end_dates has the rest)."""
    assert parse_end_date("TBC").value == EndDate(None, "tbc", "TBC")
    assert parse_end_date("").value == EndDate(None, "missing", "")
    assert parse_end_date("Ongoing", PLAN_END).value == EndDate(None, "ongoing", "Ongoing")
    assert parse_end_date("Ongoing").value == EndDate(None, "ongoing", "Ongoing")


def test_end_date_cells_from_a_spreadsheet():
    """A spreadsheet's date cell is that day, written in GOV.UK style."""
    assert parse_end_date(date(2017, 4, 30)).value == EndDate(date(2017, 4, 30), "set", "30 April 2017")
    assert parse_end_date(datetime(2017, 4, 30)).value == EndDate(date(2017, 4, 30), "set", "30 April 2017")


@pytest.mark.parametrize("written", ["Summer 2017", "13th Apr", "soon", "Q3 2016-18", "Q5 2016"])
def test_unreadable_end_date_is_kept_and_treated_as_to_be_confirmed(written):
    """A date that cannot be read is chased, never lost."""
    reading = parse_end_date(written, PLAN_END)
    assert reading.value == EndDate(None, "tbc", written)
    assert reading.problem == "Could not read the end date; kept as written and treated as to be confirmed"


def test_parse_day_needs_a_whole_date():
    """The plan's start and end are days; a month alone is not one."""
    assert parse_day("1 April 2016") == date(2016, 4, 1)
    assert parse_day(datetime(2016, 4, 1, 12)) == date(2016, 4, 1)
    assert parse_day("April 2016") is None


def test_timestamps_are_aware_utc():
    """Progress times are stored in UTC; a time without a zone is UTC, as our export writes it."""
    assert parse_timestamp("2016-10-01T09:00:00+01:00").value == datetime(2016, 10, 1, 8, tzinfo=UTC)
    assert parse_timestamp("2016-10-01 09:00:00").value == datetime(2016, 10, 1, 9, tzinfo=UTC)
    assert parse_timestamp("01/10/2016").value == datetime(2016, 10, 1, tzinfo=UTC)
    assert parse_timestamp(datetime(2016, 10, 1, 9)).value == datetime(2016, 10, 1, 9, tzinfo=UTC)
    assert parse_timestamp(date(2016, 10, 1)).value == datetime(2016, 10, 1, tzinfo=UTC)
    assert parse_timestamp("").value is None
    assert parse_timestamp("last week").problem


# ---------------------------------------------------------------- parse_priority_ref

@pytest.mark.parametrize(("written", "scope", "numbers"), [
    ("3", "listed", [3]),
    ("2, 4", "listed", [2, 4]),
    ("2 & 4", "listed", [2, 4]),
    ("2 and 4", "listed", [2, 4]),
    ("2,4,2", "listed", [2, 4]),
    ("Multiple", "multiple", []),
    ("multiple", "multiple", []),
    ("all", "all", []),
    ("All", "all", []),
    ("", "none", []),
])
def test_priority_forms(written, scope, numbers):
    """Every way the plan refers to police and PCC priorities."""
    reading = parse_priority_ref(written)
    assert (reading.value.scope, reading.value.numbers, reading.problem) == (scope, numbers, None)
    assert reading.value.text == written


def test_unreadable_priority_is_kept_as_written():
    """A reference that cannot be read keeps its words."""
    reading = parse_priority_ref("see notes")
    assert reading.value == PriorityRef("none", [], "see notes")
    assert reading.problem == "Could not read the priority numbers; kept as written"


@pytest.mark.parametrize("written", ["3", "2, 4", "Multiple", "all", "", "see notes"])
def test_priority_ref_text_reads_back_the_same(written):
    """What the export writes for a priority reads back the same."""
    ref = parse_priority_ref(written).value
    again = parse_priority_ref(priority_ref_text(ref)).value
    assert (again.scope, again.numbers) == (ref.scope, ref.numbers)


# ---------------------------------------------------------------- parse_rag, parse_status

@pytest.mark.parametrize(("written", "rag"), [
    ("Red", "red"), ("R", "red"), ("amber", "amber"), ("A", "amber"), ("GREEN", "green"), ("g", "green"), ("", None),
])
def test_rag(written, rag):
    """RAG cells in words or initials."""
    assert parse_rag(written).value == rag and parse_rag(written).problem is None


def test_unreadable_rag():
    """A RAG cell that is not red, amber or green is reported."""
    assert parse_rag("Red/Amber").value is None and parse_rag("Red/Amber").problem


@pytest.mark.parametrize(("written", "status"), [
    ("", "open"), ("Open", "open"), ("No", "open"), ("Complete", "complete"), ("Yes", "complete"),
    ("done", "complete"), ("Cancelled", "cancelled"), ("withdrawn", "cancelled"),
])
def test_status(written, status):
    """Status and "Complete" cells."""
    assert parse_status(written).value == status and parse_status(written).problem is None


def test_unreadable_status_is_open_with_a_warning():
    """An unknown status leaves the objective open and tells the user."""
    assert parse_status("paused").value == "open" and parse_status("paused").problem


# ---------------------------------------------------------------- ParseWarning

def test_a_warning_reads_as_where_what_and_the_cell():
    """Warnings print as the coordinator reads them: where, what, and the cell."""
    warning = ParseWarning(12, "FUNDING", "Could not read the funding", "£5x")
    assert str(warning) == "row 12, FUNDING: Could not read the funding ('£5x')"
    assert str(ParseWarning(None, None, "No plan title found")) == "No plan title found"
    assert str(ParseWarning(3, None, "Sheet note", sheet="Plan")) == "Plan, row 3: Sheet note"
