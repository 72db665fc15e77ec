"""The partnership's real 2016-17 draft plan, read as a person reading the document would state it."""

from datetime import date
from pathlib import Path

import pytest

from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.parser import parse_plan_text

FILENAME = "scp-annual-plan-2016-17-draft.txt"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "plans" / FILENAME
ORIGINAL = Path(__file__).parents[2].parent / "shared" / "plans" / FILENAME
LEAD = "PROJECT LEAD / AGENCY"


@pytest.fixture(scope="module")
def plan():
    """The fixture copy of the real plan, read once for the module."""
    return read_plan_file(FIXTURE)


def test_the_fixture_is_the_shared_plan_byte_for_byte():
    """The fixture the project ships is the partnership's file, unchanged."""
    if not ORIGINAL.exists():
        pytest.skip("the shared folder with the original plan is not beside this checkout")
    assert FIXTURE.read_bytes() == ORIGINAL.read_bytes()


def test_the_plan_itself(plan):
    """Title, draft status, year and who prepared it."""
    assert plan.year == "2016-17"
    assert plan.title == "Safer Colchester Partnership Annual Partnership Plan 2016-2017"
    assert plan.status == "draft"
    assert (plan.starts_on, plan.ends_on) == (date(2016, 4, 1), date(2017, 3, 31))
    assert plan.description.startswith("The Safer Colchester Partnership (SCP) work to reduce crime")
    assert plan.prepared_by == "Sonia Carr (☎ 01206 282978)"
    assert plan.filename == FILENAME


def test_four_key_priorities(plan):
    """Each key priority's title, lead and description as the document states them."""
    assert [(kp.number, kp.title, kp.lead_agencies, kp.lead_text) for kp in plan.priorities] == [
        (1, "To protect vulnerable people", ["CBH"], "COLCHESTER BOROUGH HOMES"),
        (2, "To reduce reoffending", ["CRC"], "ESSEX CRC - COMMUNITY REHABILITATION COMPANY LIMITED"),
        (3, "To address alcohol & drug misuse", ["CCG"], "ESSEX CCG"),
        (4, "To reduce crime and the fear of crime", ["Essex Police"], "ESSEX POLICE"),
    ]
    assert plan.priorities[1].heading == ("KEY PRIORITY 2: TO REDUCE REOFFENDING\n"
                                          "(KP LEAD: ESSEX CRC - COMMUNITY REHABILITATION COMPANY LIMITED)")
    descriptions = [kp.description for kp in plan.priorities]
    assert descriptions[0].startswith("This priority will include raising awareness of issues such as domestic")
    assert descriptions[1].startswith("This priority will deliver jointly agreed initiatives")
    assert descriptions[2].endswith("alongside working in partnership to encourage behaviour change")
    assert descriptions[3].startswith("This priority seeks to address the emerging themes of modern slavery")
    assert [len(kp.objectives) for kp in plan.priorities] == [9, 2, 9, 10]


N = ("none", [])
M = ("multiple", [])
ALL = ("all", [])
TBC = [(None, None, None, "tbc")]
NA = [(None, None, None, "not_applicable")]
BLANK = [(None, None, None, "missing")]


def L(*numbers):
    """A priority listed by number."""
    return ("listed", list(numbers))


def scp(pounds, pot):
    """A funding line paid by SCP."""
    return [(pounds * 100, "SCP", pot, "confirmed")]


# row, key priority, title, funding, leads, lead status, end date, end date status, police, PCC
OBJECTIVES = [
    (16, 1, "Social media campaign", TBC, ["CBC"], "set", date(2017, 4, 30), "set", L(3), L(2)),
    (17, 1, "Supporting People With Chaotic Lifestyles", scp(5000, "15-16 allocation"), ["CBH", "Catch 22"], "set",
     date(2016, 9, 30), "set", M, L(1)),
    (18, 1, "The Keep Safe", TBC, ["CBC"], "set", date(2017, 4, 30), "set", N, N),
    (19, 1, "Network Speed Dating Events", NA, ["ECFRS"], "set", date(2016, 4, 30), "set", N, N),
    (22, 1, "Colchester Walk & Talk Event", NA, ["ECFRS"], "set", date(2016, 4, 30), "set", N, N),
    (23, 1, "Dementia Alliance work", NA, ["CCVS"], "set", None, "tbc", N, N),
    (24, 1, "Gangs awareness training", TBC, ["Essex Police"], "set", None, "tbc", L(4), L(1)),
    (25, 1, "Local Assessment Process review", scp(2000, "15-16 C/F"), ["CBC"], "set", None, "tbc", L(4), L(4)),
    (26, 1, "'Hidden Harms' event", scp(5000, "16-17 PCC funds"), ["CBC"], "set", date(2017, 4, 30), "set", M, L(4)),
    (35, 2, "IOM Statutory duty", NA, ["CRC", "NPS"], "set", None, "missing", M, L(3)),
    (36, 2, "DRIVE PERPETRATOR PROGRAMME", NA, ["Drive Steering Group"], "set", None, "missing", M, L(4)),
    (45, 3, "High intensity users of services", BLANK, ["CCG"], "set", date(2017, 4, 30), "set", M, L(4)),
    (46, 3, "Primary care to support", TBC, ["CCG"], "set", date(2017, 4, 30), "set", M, L(1)),
    (47, 3, "Reduce the number of people that reach crisis point", BLANK, ["CCG"], "set", date(2017, 4, 30), "set",
     M, L(1)),
    (48, 3, "Engage health and social care", BLANK, ["CCG", "CRC"], "set", date(2017, 4, 30), "set", M, L(1)),
    (49, 3, "Psychoactive (legal/illegal) Highs Awareness", BLANK, ["CCG"], "set", None, "missing", M, L(1)),
    (50, 3, "Reduce street drinking", BLANK, ["CBC", "Beacon House"], "set", None, "missing", M, L(1)),
    (51, 3, "The additional deployment of the SOS Bus", scp(586, "15-16 C/F"), ["CSP", "Open Road"], "set", None,
     "missing", M, L(1)),
    (52, 3, "Share data to inform focus of which pubs and clubs people are known to drink", BLANK, ["CCG"], "set",
     None, "missing", M, L(1)),
    (53, 3, "Improve access to psychological therapies", BLANK, ["CCG"], "set", None, "missing", M, L(1)),
    (62, 4, "Modern Slavery / Human Trafficking awareness", NA, ["Essex Police"], "set", date(2017, 4, 30), "set",
     L(2), L(3)),
    (63, 4, "Gangs awareness", TBC, [], "tbc", None, "missing", L(2), L(4)),
    (64, 4, "Multi-agency community safety partnership hub", scp(5911, "16-17 PCC funds"), ["Essex Police"], "set",
     None, "missing", ALL, L(5)),
    (65, 4, "Deliver Crucial Crew", scp(800, "15-16 C/F"), ["ECFRS"], "set", date(2016, 4, 30), "set", M, L(5)),
    (66, 4, "Younger Peoples Crucial Crew", scp(6000, "16-17 PCC funds"), ["CBC"], "set", date(2016, 6, 30), "set",
     M, L(5)),
    (67, 4, "Community Days Of Action", scp(1000, "16-17 PCC funds"), ["CBC"], "set", date(2017, 3, 31), "set", M,
     L(5)),
    (68, 4, "2 Safer Colchester legacy Projects", scp(1000, "16-17 PCC funds"), ["CBC"], "set", date(2017, 6, 30),
     "set", M, L(5)),
    (69, 4, "Local Community Action Panels", scp(500, "16-17 PCC funds"), ["CBC"], "set", date(2017, 4, 30), "set",
     M, L(5)),
    (70, 4, "SCP Website", scp(2650, "16-17 PCC funds"), ["SCP", "CBC"], "set", None, "missing", M, L(5)),
    (73, 4, "NTE Licensing Conference", [(0, "SCP", None, "nil_cost")], ["Essex Police"], "set", date(2016, 9, 30),
     "set", M, L(5)),
]


def test_all_thirty_objectives_are_read_in_order(plan):
    """No row of the plan is lost, and the order is the document's."""
    assert [o.row for o in plan.objectives()] == [row[0] for row in OBJECTIVES]


@pytest.mark.parametrize(
    ("row", "kp", "title", "funding", "leads", "lead_status", "end_date", "end_status", "police", "pcc"),
    OBJECTIVES, ids=[f"row {row[0]}" for row in OBJECTIVES])
def test_objective(plan, row, kp, title, funding, leads, lead_status, end_date, end_status, police, pcc):
    """Each objective as a person reading the document would state it."""
    priority = next(p for p in plan.priorities if any(o.row == row for o in p.objectives))
    objective = next(o for o in priority.objectives if o.row == row)
    assert priority.number == kp
    assert objective.title == title
    assert [(f.amount_pence, f.source, f.pot, f.status) for f in objective.funding] == funding
    assert (objective.lead_agencies, objective.lead_status) == (leads, lead_status)
    assert (objective.end_date, objective.end_date_status) == (end_date, end_status)
    assert (objective.police.scope, objective.police.numbers) == police
    assert (objective.pcc.scope, objective.pcc.numbers) == pcc
    assert (objective.rag, objective.status, objective.progress_at, objective.extra) == (None, "open", None, {})


def _objective(plan, row):
    """The objective that starts on this line."""
    return next(o for o in plan.objectives() if o.row == row)


def test_cells_as_written_are_kept(plan):
    """What was written stays beside what it was read as."""
    first = _objective(plan, 16)
    assert first.source_html.startswith("Deliver a <b>social media campaign</b> aimed at 16-24 age group")
    assert first.text.startswith("Deliver a social media campaign aimed at 16-24 age group")
    assert first.progress == "Campaign to link in with 16 days of action for DA from 25th November 2016"
    assert (first.end_date_text, first.lead_text, first.funding[0].text) == ("Apr 17", "CBC", "TBC")
    assert _objective(plan, 17).funding[0].text == "£5000 SCP (15-16 allocation)"
    assert _objective(plan, 51).lead_text == "CSP/ Open Road"
    assert _objective(plan, 73).funding[0].text == "Nil cost to SCP"


def test_html_is_cleaned(plan):
    """Entities, superscripts and lists in cells become plain text."""
    assert _objective(plan, 22).text.startswith("Colchester Walk & Talk Event in Colchester")
    assert _objective(plan, 25).progress == "Review taking place 27th September 2016"
    assert _objective(plan, 62).text.startswith("Modern Slavery / Human Trafficking awareness, education")
    assert _objective(plan, 46).text == ("Work with primary care to support\n"
                                         "the reduction of individuals addicted to prescription drugs\n"
                                         "the reduction of prescription drugs available on the street")
    assert _objective(plan, 45).progress == ("Reduced attendance at hospital Reduced contact with police and "
                                             "ambulance trust")


def test_rows_split_over_a_page_are_joined(plan):
    """The two rows cut by page breaks are whole again."""
    speed_dating = _objective(plan, 19)
    assert speed_dating.text.endswith("for 6 minutes a time. This gives the opportunity to either make up to 24 new "
                                      "contacts or renew friendships with old contacts")
    website = _objective(plan, 70)
    assert website.text.endswith("information and advice for residents, visitors and businesses")
    assert website.progress.endswith("constant monitoring via SCP Community Safety Team")
    assert [f.text for f in website.funding] == ["£2650 SCP (from 16-17 PCC funds)"]
    assert (website.lead_text, website.lead_agencies) == ("SCP/CBC", ["SCP", "CBC"])


def test_numbered_lists(plan):
    """The PCC's and the police's numbered priorities."""
    assert [(item.number, item.title) for item in plan.pcc_priorities] == [
        (1, "Crack down on Anti-Social Behaviour"),
        (2, "Be tough on Domestic Violence"),
        (3, "Reverse the trend in serious violent crime"),
        (4, "Tackle gangs and organised crime"),
        (5, "Make Essex Police more local, visible, and accessible"),
    ]
    assert [item.number for item in plan.police_priorities] == list(range(1, 11))
    assert plan.police_priorities[0].title == "Child abuse and exploitation"
    assert plan.police_priorities[9].title == "Repeat high harm ASB"


def test_the_previous_pccs_areas_of_focus_are_kept_as_a_note(plan):
    """A section the model has no place for is kept word for word."""
    assert len(plan.notes) == 1
    lines = plan.notes[0].split("\n")
    assert lines[0] == "PCC'S (Nick Alston) KEY AREAS OF FOCUS UP TO MAY 2016"
    assert lines[1:] == [
        "- Ensuring local solutions meet local problems",
        "- Reducing domestic abuse and all other hidden harms",
        "- Supporting victims of crime",
        "- Reducing youth offending and all types of re-offending",
        "- Tackling the consequences of alcohol and drug abuse and mental health issues",
        "- Improving road safety",
        "- Improving crime prevention",
        "- Increasing efficiency in policing through collaborative working and innovation",
    ]


def test_agencies_and_glossary(plan):
    """Glossary entries that are organisations are agencies; the rest stay terms."""
    glossary_agencies = ["ACE", "CBC", "CBH", "CCG", "CCVS", "CRC", "CSP", "ECFRS", "NPS", "PCC", "SCOG", "SCP"]
    named_only = ["Catch 22", "Drive Steering Group", "Beacon House", "Open Road", "Essex Police"]
    assert [a.abbreviation for a in plan.agencies] == glossary_agencies + named_only
    assert [a.name for a in plan.agencies if a.abbreviation == "ECFRS"] == ["Essex County Fire & Rescue Service"]
    assert all(a.name == a.abbreviation for a in plan.agencies if a.abbreviation in named_only)
    assert [t.abbreviation for t in plan.glossary] == ["ASB", "CDoA", "CJS", "CSE", "DA", "DHR", "IOM", "L-CAPS",
                                                       "NTE", "OCG"]
    assert plan.glossary[-1].description == "Organised Crime Groups"


def test_no_agency_is_made_up_from_a_name_the_glossary_already_has(plan):
    """Leads written out in full are matched, not added again."""
    names = [a.name.casefold() for a in plan.agencies]
    assert len(set(names)) == len(names)
    assert names.count("colchester borough homes") == 1
    assert not {"essex ccg", "essex crc - community rehabilitation company limited", "police"} & set(names)


def test_every_warning(plan):
    """Exactly these warnings: a new spurious one fails here."""
    assert sorted(((w.row, w.column) for w in plan.warnings), key=str) == sorted([
        (21, None), (72, None),
        (24, LEAD), (64, LEAD),
        (52, "OBJECTIVE"),
        (83, None),
    ], key=str)
    messages = {w.row: w.message for w in plan.warnings}
    assert messages[21] == "Joined to the objective on row 19 (a table split over a page)"
    assert messages[72] == "Joined to the objective on row 70 (a table split over a page)"
    assert messages[24] == messages[64] == "Lead “Police” taken to be Essex Police"
    assert messages[52] == "No bold title; title taken from the text"
    assert messages[83] == "Section kept as a note: PCC'S (Nick Alston) KEY AREAS OF FOCUS UP TO MAY 2016"


def test_the_text_reads_the_same_from_a_string_with_windows_line_endings():
    """A copy saved on Windows reads the same."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert parse_plan_text(text.replace("\n", "\r\n"), FILENAME) == read_plan_file(FIXTURE)
