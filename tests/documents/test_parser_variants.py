"""The plan parser on small made-up text plans: each way users write a plan's title, key priorities, table, lists
and glossary (spreadsheets, CSV, JSON and unreadable files: test_parser_files.py)."""

from datetime import UTC, date, datetime

import pytest
from support.plan_text import GLOSSARY, HEADER, doc, only_objective, plan_with, row, where

from scp_tracker.documents.parser import parse_plan_text

# ---------------------------------------------------------------- the text form: the plan and its headings

@pytest.mark.parametrize(("title_line", "title", "status", "year"), [
    ("## Safer Colchester Partnership - **Draft** Annual Partnership Plan 2016-2017",
     "Safer Colchester Partnership Annual Partnership Plan 2016-2017", "draft", "2016-17"),
    ("Annual Plan 2017/18 (Draft)", "Annual Plan 2017/18", "draft", "2017-18"),
    ("# DRAFT: Annual Plan 2018-19", "Annual Plan 2018-19", "draft", "2018-19"),
    ("**Annual Partnership Plan 2016-17**", "Annual Partnership Plan 2016-17", "agreed", "2016-17"),
])
def test_title_status_and_year(title_line, title, status, year):
    """The title line gives the title, the draft mark and the financial year."""
    plan = parse_plan_text(doc("", title_line, "", "Intro line one.", "Intro line two.", "", "Second paragraph.",
                               "Prepared by: A Person (01206 000000)"))
    assert (plan.title, plan.status, plan.year) == (title, status, year)
    start = int(year[:4])
    assert (plan.starts_on, plan.ends_on) == (date(start, 4, 1), date(start + 1, 3, 31))
    assert plan.description == "Intro line one.\nIntro line two.\n\nSecond paragraph."
    assert plan.prepared_by == "A Person (01206 000000)"


def test_the_year_comes_from_the_file_name_when_the_title_has_none():
    """A title without a year falls back on the file name."""
    plan = parse_plan_text("Annual plan", "scp-plan-2019-20.txt")
    assert (plan.year, plan.starts_on) == ("2019-20", date(2019, 4, 1))
    assert (parse_plan_text("Annual plan").year, parse_plan_text("Annual plan").ends_on) == (None, None)


def test_a_document_without_a_title_says_so():
    """A missing title is reported, not invented."""
    plan = parse_plan_text(doc("KEY PRIORITY 1: ONE", HEADER, row()))
    assert plan.title == ""
    assert [w.message for w in plan.warnings] == ["No plan title found"]


@pytest.mark.parametrize(("heading", "title", "lead_text", "leads"), [
    ("### KEY PRIORITY 1: TO PROTECT VULNERABLE PEOPLE (KP LEAD: COLCHESTER BOROUGH HOMES)",
     "To protect vulnerable people", "COLCHESTER BOROUGH HOMES", ["CBH"]),
    ("Priority One – Protecting vulnerable people", "Protecting vulnerable people", "", []),
    ("Priority 1: Protecting people - KP lead: CBC", "Protecting people", "CBC", ["CBC"]),
    ("Key Priority 1 - Reduce reoffending. Lead: CBC", "Reduce reoffending", "CBC", ["CBC"]),
    ("**Key priority 1: reduce harm**", "Reduce harm", "", []),
    ("###### Priority 1: Reduce harm (Lead: Colchester Borough Council)", "Reduce harm",
     "Colchester Borough Council", ["CBC"]),
    ("KEY PRIORITY 1: TO REDUCE OCG HARM (KP LEAD: ESSEX CCG)", "To reduce OCG harm", "ESSEX CCG", ["CCG"]),
])
def test_key_priority_heading_styles(heading, title, lead_text, leads):
    """Headings in every style the partnership uses, with the lead on the same line."""
    plan = plan_with(row(), heading=heading)
    (priority,) = plan.priorities
    assert (priority.number, priority.title, priority.lead_text, priority.lead_agencies) == (1, title, lead_text, leads)
    assert priority.description == "A description."
    assert len(priority.objectives) == 1


@pytest.mark.parametrize("lead_line", ["(KP LEAD: COLCHESTER BOROUGH HOMES)", "KP lead: Colchester Borough Homes",
                                       "Lead: CBH"])
def test_key_priority_lead_on_the_next_non_blank_line(lead_line):
    """The lead may sit on its own line under the heading."""
    plan = parse_plan_text(doc("Plan 2016-17", "", "Key Priority 2 - Support victims", "", lead_line, "",
                               "It supports victims.", "", HEADER, row(), *GLOSSARY))
    (priority,) = plan.priorities
    assert (priority.number, priority.title, priority.lead_agencies) == (2, "Support victims", ["CBH"])
    assert priority.heading == f"Key Priority 2 - Support victims\n{lead_line}"
    assert priority.description == "It supports victims."


def test_a_paragraph_starting_with_priority_is_not_a_heading():
    """Prose that starts with "Priority 1" is not taken for a heading."""
    plan = parse_plan_text(doc("Plan 2016-17", "KEY PRIORITY 1: ONE", "Priority 1 will be reviewed in May.",
                               HEADER, row()))
    assert len(plan.priorities) == 1
    assert plan.priorities[0].description == "Priority 1 will be reviewed in May."


def test_a_key_priority_headed_twice_keeps_its_objectives_together():
    """A repeated heading does not split or drop objectives."""
    plan = parse_plan_text(doc("Plan 2016-17", "KEY PRIORITY 1: ONE", HEADER, row("<b>A</b>"),
                               "KEY PRIORITY 1: ONE AGAIN", row("<b>B</b>")))
    assert [o.title for o in plan.priorities[0].objectives] == ["A", "B"]
    assert [w.message for w in plan.warnings] == ["Key priority 1 is headed twice; its objectives are kept together"]


# ---------------------------------------------------------------- the text form: the table

def test_header_found_by_names_in_any_order_case_and_synonym():
    """The table is read by its column names, not their places."""
    header = ("due", "Owner", "ACTION", "Budget", "Update", "pcc / priority", "Police Priority", "RAG status",
              "Complete", "Last updated")
    plan = plan_with(("Sept 16", "CBH", "<b>Act</b> now", "£500 SCP", "Started", "2", "3", "Amber", "Yes",
                      "01/09/2016"), header=header)
    objective = only_objective(plan)
    assert (objective.title, objective.text, objective.progress) == ("Act", "Act now", "Started")
    assert [(f.amount_pence, f.source) for f in objective.funding] == [(50000, "SCP")]
    assert (objective.lead_agencies, objective.end_date) == (["CBH"], date(2016, 9, 30))
    assert (objective.police.numbers, objective.pcc.numbers) == ([3], [2])
    assert (objective.rag, objective.status) == ("amber", "complete")
    assert objective.progress_at == datetime(2016, 9, 1, tzinfo=UTC)
    assert plan.warnings == []


@pytest.mark.parametrize(("names", "column"), [
    (("Objectives", "Resources"), "funding"), (("Action", "Cost"), "funding"), (("Objective", "Output"), "progress"),
    (("Objective", "Lead agency"), "lead"), (("Objective", "Project lead"), "lead"), (("objective", "owner"), "lead"),
    (("Objective", "Target date"), "end"), (("Objective", "Planned end date"), "end"),
    (("Objective", "Timescale"), "end"), (("Objective", "Deadline"), "end"), (("Objective", "Status (RAG)"), "rag"),
    (("Objective", "Progress date"), "progress_at"), (("Objective", "Status"), "status"),
])
def test_header_synonyms(names, column):
    """Each column's other names."""
    values = {"funding": "£10", "progress": "Done so far", "lead": "CBC", "end": "Apr 17", "rag": "Red",
              "progress_at": "2016-09-01", "status": "Cancelled"}
    objective = only_objective(plan_with(("<b>Do</b>", values[column]), header=names))
    read = {"funding": objective.funding[0].amount_pence, "progress": objective.progress,
            "lead": objective.lead_agencies, "end": objective.end_date, "rag": objective.rag,
            "progress_at": objective.progress_at, "status": objective.status}[column]
    assert read == {"funding": 1000, "progress": "Done so far", "lead": ["CBC"], "end": date(2017, 4, 30),
                    "rag": "red", "progress_at": datetime(2016, 9, 1, tzinfo=UTC),
                    "status": "cancelled"}[column]


def test_missing_columns_are_blank():
    """A table with fewer columns still reads, with blanks for the rest."""
    plan = plan_with(("<b>First</b>", "Going well"), ("<b>Second</b>", ""), header=("Objective", "Progress"))
    first, second = plan.objectives()
    assert (first.title, first.progress, second.title) == ("First", "Going well", "Second")
    assert [f.status for f in first.funding] == ["missing"]
    assert (first.lead_status, first.end_date_status, first.police.scope, first.pcc.scope) == (
        "missing", "missing", "none", "none")
    assert plan.warnings == []


def test_unknown_columns_are_kept_with_one_warning_each():
    """Columns we do not know are kept with each objective and reported once."""
    header = ("Objective", "Notes", "Lead", "Cost centre")
    lines = ["Plan 2016-17", "KEY PRIORITY 1: ONE", header, ("<b>A</b>", "note A", "CBC", "X1"),
             "KEY PRIORITY 2: TWO", header, ("<b>B</b>", "", "CBC", "X2"), ("<b>C</b>", "long row", "CBC", "", "spare")]
    plan = parse_plan_text(doc(*lines))
    assert [o.extra for o in plan.objectives()] == [
        {"Notes": "note A", "Cost centre": "X1"}, {"Notes": "", "Cost centre": "X2"},
        {"Notes": "long row", "Cost centre": "", "Column 5": "spare"}]
    assert where(plan) == [(3, "Notes"), (3, "Cost centre"), (8, "Column 5")]
    assert plan.warnings[0].message == "Column not recognised; kept with each objective as extra information"


def test_export_only_columns_are_recognised_and_not_kept():
    """Columns our export derives are not kept twice."""
    header = ("ID", "Objective", "Funding", "Funding amount (£)", "Funding status", "Lead", "Lead status",
              "End date", "End date (as written)", "End date status")
    objective = only_objective(plan_with(("7", "<b>A</b>", "£5k", "5000", "confirmed", "CBC", "set", "2017-04-30",
                                          "Apr 17", "set"), header=header))
    assert (objective.extra, objective.end_date, objective.end_date_text) == ({}, date(2017, 4, 30), "Apr 17")


def test_rows_split_over_a_page_are_joined_cell_by_cell():
    """A row cut by a page break is joined back, even after blank lines."""
    plan = plan_with(
        row("<b>Website</b> for residents,", "Launched", "£2650 SCP (from 16-17", "SCP/CBC", "", "1", ""),
        "", "",
        ("visitors and businesses", "by the team", "PCC funds)", "", "", "", ""),
        row("<b>Next</b>"),
    )
    first, second = plan.objectives()
    assert first.text == "Website for residents, visitors and businesses"
    assert first.source_html == "<b>Website</b> for residents, visitors and businesses"
    assert (first.progress, first.funding[0].text) == ("Launched by the team", "£2650 SCP (from 16-17 PCC funds)")
    assert first.funding[0].pot == "16-17 PCC funds"
    assert second.title == "Next"
    assert where(plan) == [(9, None)]
    assert plan.warnings[0].message == "Joined to the objective on row 6 (a table split over a page)"


def test_a_first_row_with_empty_lead_date_and_priorities_is_an_objective():
    """With no row above, a sparse row is an objective of its own."""
    plan = plan_with(row("<b>Alone</b>", lead="", end=""))
    assert only_objective(plan).title == "Alone"
    assert plan.warnings == []


def test_cells_that_cannot_be_read_are_kept_and_reported_with_row_and_column():
    """Nothing unreadable is dropped, and each is reported where it is."""
    header = (*HEADER, "RAG", "Status", "Last updated")
    plan = plan_with((*row("Plain objective text", funding="£5x", end="Summer", police="see notes"),
                      "Purple", "paused", "sometime"), header=header)
    objective = only_objective(plan)
    assert [(w.row, w.column, w.text) for w in plan.warnings] == [
        (6, "FUNDING", "£5x"), (6, "END DATE", "Summer"),
        (6, "POLICE PRIORITY", "see notes"), (6, "RAG", "Purple"), (6, "Status", "paused"),
        (6, "Last updated", "sometime")]
    assert (objective.funding[0].status, objective.funding[0].text) == ("tbc", "£5x")
    assert (objective.end_date_status, objective.end_date_text) == ("tbc", "Summer")
    assert objective.police.text == "see notes"
    assert (objective.rag, objective.status, objective.progress_at) == (None, "open", None)
    assert objective.extra == {"RAG": "Purple", "Status": "paused", "Last updated": "sometime"}


def test_ongoing_means_no_end_date_and_none_missing_and_is_said():
    """"Ongoing" is read as work with no end, with or without the plan's year, and the reading is said."""
    for plan in (plan_with(row(end="Ongoing")),
                 parse_plan_text(doc("Annual plan", "KEY PRIORITY 1: ONE", HEADER, row(end="Ongoing")))):
        objective = only_objective(plan)
        assert (objective.end_date, objective.end_date_status, objective.end_date_text) == (None, "ongoing", "Ongoing")
        assert [w.column for w in plan.warnings if w.message.startswith("Read as ongoing")] == ["END DATE"]


def test_html_in_cells_is_cleaned_and_nothing_executable_survives():
    """Imported HTML becomes plain text, scripts gone."""
    objective = only_objective(plan_with(row(
        "<b>Safe &amp; sound</b><script>alert('x')</script> on 25 <sup>th</sup> May <img src=x onerror=alert(1)>",
        progress="<ul><li>one</li><li>two <i>more</i></li></ul>", funding="<b>£5000</b> SCP")))
    assert (objective.title, objective.text) == ("Safe & sound", "Safe & sound on 25th May")
    assert objective.progress == "one\ntwo more"
    assert objective.funding[0].text == "£5000 SCP"


def test_no_priority_information_puts_objectives_under_one_priority():
    """A table without key priorities still imports, under one."""
    plan = parse_plan_text(doc("Annual plan 2016-17", "", HEADER, row("<b>A</b>"), row("<b>B</b>")))
    (priority,) = plan.priorities
    assert (priority.number, priority.title, len(priority.objectives)) == (1, "Objectives", 2)
    assert [w.message for w in plan.warnings] == [
        "No key priorities found; objectives put under key priority 1 “Objectives”"]


def test_a_table_row_before_any_header_is_kept_as_a_note():
    """A row that cannot be placed is kept and reported."""
    plan = parse_plan_text(doc("Plan 2016-17", "KEY PRIORITY 1: ONE", ("a", "b"), HEADER, row()))
    assert plan.notes == ["a\tb"]
    assert where(plan) == [(3, None)]


# ---------------------------------------------------------------- the text form: lists, notes, glossary

def test_numbered_lists_and_sections_kept_as_notes():
    """Numbered lists go to their places; other sections are kept as notes."""
    plan = parse_plan_text(doc(
        "Plan 2016-17", "KEY PRIORITY 1: ONE", HEADER, row(),
        "", "**Police and Crime Commissioner's priorities**", "", "1. Tackle ASB", "2) Support victims.",
        "", "Some words after the list.",
        "", "**Essex Police Plan: Priorities**", "1. Child abuse", "2. Gangs",
        "", "**PCC areas of focus up to May**", "- Local solutions", "- Road safety",
        "", "**Other PCC list**", "1. Would replace the first",
        "", "# Appendix", "Contact the team.", "",
    ))
    assert [(i.number, i.title) for i in plan.pcc_priorities] == [(1, "Tackle ASB"), (2, "Support victims")]
    assert [(i.number, i.title) for i in plan.police_priorities] == [(1, "Child abuse"), (2, "Gangs")]
    assert plan.notes == ["Some words after the list.",
                          "PCC areas of focus up to May\n- Local solutions\n- Road safety",
                          "Other PCC list\n1. Would replace the first",
                          "Appendix\nContact the team."]
    assert [(w.row, w.message) for w in plan.warnings] == [
        (11, "Text kept as a note"), (17, "Section kept as a note: PCC areas of focus up to May"),
        (21, "Section kept as a note: Other PCC list"), (24, "Section kept as a note: Appendix")]


def test_glossary_entries_that_are_organisations_or_leads_are_agencies():
    """An entry is an agency by its last word or by leading an objective."""
    plan = plan_with(row(lead="IOM"), row(lead="CBH"))
    assert [a.abbreviation for a in plan.agencies] == ["CBC", "CBH", "CCG", "IOM", "YOT"]
    assert [t.abbreviation for t in plan.glossary] == ["OCG"]


def test_leads_are_matched_to_agencies_once_the_whole_document_is_read():
    """Leads match agencies by abbreviation, full name, or a last word; others are added by name."""
    plan = plan_with(
        row(lead="colchester borough homes"),
        row(lead="Police"),
        row(lead="ESSEX FIRE SERVICE / Catch 22"),
        row(lead="C.B.C."),
        row(lead="Team"),
        row(lead="Probation Service"),
        row(lead="Service and Police"),
        row(lead="Clinical Commissioning Group and Essex Police"),
        heading="KEY PRIORITY 1: ONE (KP LEAD: ESSEX POLICE)",
    )
    assert [o.lead_agencies for o in plan.objectives()] == [
        ["CBH"], ["Essex Police"], ["Essex Fire Service", "Catch 22"], ["CBC"], ["YOT"], ["Probation Service"],
        ["Service", "Essex Police"], ["CCG", "Essex Police"]]
    assert plan.priorities[0].lead_agencies == ["Essex Police"]
    assert [a.abbreviation for a in plan.agencies] == [
        "CBC", "CBH", "CCG", "YOT", "Essex Police", "Essex Fire Service", "Catch 22", "Probation Service", "Service"]
    assert [(w.row, w.message) for w in plan.warnings] == [
        (7, "Lead “Police” taken to be Essex Police"), (10, "Lead “Team” taken to be Youth Offending Team"),
        (12, "Lead “Police” taken to be Essex Police")]
