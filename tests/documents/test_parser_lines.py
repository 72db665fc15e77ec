"""The parser fed lines of cells directly, as a reader of a word-processed document (a Word reader) will feed it."""

from datetime import date

from scp_tracker.documents.parser import parse_plan_lines

HEADER = ("OBJECTIVE", "PROGRESS / OUTPUT", "FUNDING", "PROJECT LEAD / AGENCY", "END DATE", "POLICE PRIORITY",
          "PCC PRIORITY")


def test_a_cell_of_several_paragraphs_stays_one_cell():
    """A table cell may hold line breaks (paragraphs of a Word table cell): the row is still one objective."""
    plan = parse_plan_lines([
        ("Safer Colchester Partnership Annual Partnership Plan 2016-2017",),
        ("KEY PRIORITY 1: TO PROTECT VULNERABLE PEOPLE",),
        HEADER,
        ("Run two workshops.\nOne in each town centre.", "Held one\nPlanned the other", "£500", "CBC", "31/03/2017",
         "1", "2"),
        ("Second objective", "", "Nil cost", "CBC", "TBC", "", ""),
        ("",),
        ("Prepared by: Sonia Carr",),
    ], "plan.docx")
    [priority] = plan.priorities
    first, second = priority.objectives
    assert (first.title, first.text, first.progress) == (
        "Run two workshops", "Run two workshops.\nOne in each town centre.", "Held one\nPlanned the other")
    assert (first.row, first.lead_agencies, first.end_date, first.police.numbers, first.pcc.numbers) == (
        4, ["CBC"], date(2017, 3, 31), [1], [2])
    assert (second.row, second.title, second.end_date_status) == (5, "Second objective", "tbc")
    assert (plan.year, plan.prepared_by, plan.filename) == ("2016-17", "Sonia Carr", "plan.docx")
