"""Plans laid out as other partnerships lay them out, written for these tests, with what each must read as.

Each has grouping rows (or a theme column), named officers, a status, and columns no field holds. Two read by their
headers alone; two need the coordinator to say which column holds the objectives (and one the plan's year).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import docx
from openpyxl import Workbook

from scp_tracker.documents.column_mapping import ImportChoices
from scp_tracker.documents.column_vocabulary import header_key
from scp_tracker.documents.plan_data import PlanData


@dataclass
class Layout:
    """A plan file, the choices that read it, and what it must read as."""

    filename: str
    content: bytes
    columns: dict[str, str]  # header as written -> field name as people choose it (the CLI's --column)
    year: str | None  # the year given, when the file does not say it
    needs_choices: bool  # whether its headers alone leave the objectives unread
    plan_year: str
    priorities: list[tuple[int, str]]
    objectives: list[dict]
    headers: list[str] = field(default_factory=list)

    def choices(self) -> ImportChoices:
        """The choices as the import takes them."""
        from scp_tracker.documents.column_vocabulary import field_for_name

        return ImportChoices({header_key(header): field_for_name(name) for header, name in self.columns.items()},
                             self.year)

    def options(self) -> list[str]:
        """The choices as command-line options."""
        options = [f"--column={header}={name}" for header, name in self.columns.items()]
        return options + (["--year", self.year] if self.year else [])


def objective(**values) -> dict:
    """An objective as expected, every field named; what is not given is blank."""
    base = dict(text=None, progress="", funding=[], lead_agencies=[], lead_status="set", lead_text="", contacts=[],
                end_date=None, end_date_text="", end_date_status="missing", rag=None, status="open", extra={})
    base.update(values)
    if base["text"] is None:
        base["text"] = base["title"]
    return base


def read_back(plan: PlanData) -> tuple[str | None, list[tuple[int, str]], list[dict]]:
    """The plan as the expectations say it: year, key priorities, and each objective's every field."""
    objectives = [
        dict(kp=kp.number, title=o.title, text=o.text, progress=o.progress,
             funding=[(f.amount_pence, f.status, f.text) for f in o.funding], lead_agencies=o.lead_agencies,
             lead_status=o.lead_status, lead_text=o.lead_text, contacts=[(c.name, c.agency) for c in o.lead_contacts],
             end_date=o.end_date, end_date_text=o.end_date_text, end_date_status=o.end_date_status, rag=o.rag,
             status=o.status, extra=o.extra)
        for kp in plan.priorities for o in kp.objectives]
    return plan.year, [(kp.number, kp.title) for kp in plan.priorities], objectives


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(title: str, rows: list[list], merged: list[str] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def borough_csv() -> Layout:
    """A CSV with a title naming the year, "Priority N – …" rows within the table, officers beside agencies."""
    headers = ["Ref", "Action", "How (what we will do)", "Lead agency / officer", "Timescale (when achieved by)",
               "Resources", "Outcome", "Status"]
    rows = [
        ["Safer Borough Community Safety Partnership: action plan 2018/19"], [],
        headers,
        ["Priority 1 – Reducing anti-social behaviour"],
        ["1.1", "Run youth diversion sessions", "Weekly sessions in the parks most reported", "CBC - Jane Doe",
         "31/07/2018", "£3k (PCC grant)", "Fewer ASB reports in the parks", "On track"],
        ["1.2", "Publish the ASB case review leaflet", "", "Essex Police", "Complete", "Mainstream",
         "Victims know how to ask for a review", ""],
        ["Priority 2 – Protecting vulnerable people"],
        ["2.1", "Train taxi drivers to spot exploitation", "Two sessions a year", "Jane Doe (CBC)", "Annually in May",
         "within existing resources", "200 drivers trained", "Complete"],
    ]
    return Layout(
        "borough-plan.csv", _csv(rows),
        {"Ref": "note", "Action": "objective", "How (what we will do)": "text", "Lead agency / officer": "lead",
         "Timescale (when achieved by)": "end date", "Resources": "funding", "Outcome": "note", "Status": "status"},
        None, False, "2018-19", [(1, "Reducing anti-social behaviour"), (2, "Protecting vulnerable people")],
        [objective(kp=1, title="Run youth diversion sessions",
                   text="Run youth diversion sessions\nWeekly sessions in the parks most reported",
                   funding=[(300000, "confirmed", "£3k (PCC grant)")], lead_agencies=["CBC"],
                   lead_text="CBC - Jane Doe", contacts=[("Jane Doe", "CBC")], end_date=date(2018, 7, 31),
                   end_date_text="31/07/2018", end_date_status="set",
                   extra={"Ref": "1.1", "Outcome": "Fewer ASB reports in the parks"}),
         objective(kp=1, title="Publish the ASB case review leaflet",
                   funding=[(None, "confirmed", "Mainstream")], lead_agencies=["Essex Police"],
                   lead_text="Essex Police", end_date_text="Complete", status="complete",
                   extra={"Ref": "1.2", "Outcome": "Victims know how to ask for a review"}),
         objective(kp=2, title="Train taxi drivers to spot exploitation",
                   text="Train taxi drivers to spot exploitation\nTwo sessions a year",
                   funding=[(None, "confirmed", "within existing resources")], lead_agencies=["CBC"],
                   lead_text="Jane Doe (CBC)", contacts=[("Jane Doe", "CBC")], end_date=date(2018, 5, 31),
                   end_date_text="Annually in May", end_date_status="set", status="complete",
                   extra={"Ref": "2.1", "Outcome": "200 drivers trained"})],
        headers)


def workstreams_csv() -> Layout:
    """A CSV whose objectives sit under "Workstream" (no word we know), themes in a column, officers in another."""
    headers = ["Theme", "Workstream", "Partner(s)", "Lead officer", "When", "Budget", "Progress Q1", "KPI"]
    rows = [
        headers,
        ["Reducing ASB", "Extend the street pastors scheme to Fridays", "Street Pastors", "Sam Smith", "Mar 20",
         "£1,200 CBC", "Two new volunteers recruited", "Volunteer hours"],
        ["Reducing ASB", "Close the alley behind the high street", "CBC / Highways", "", "Sept 19", "Nil", "Complete",
         ""],
        ["Safer night-time economy", "Best Bar None accreditation for ten venues", "Licensing", "Insp Ann Lee",
         "Annually in May", "TBC", "", "Venues accredited"],
    ]
    return Layout(
        "csp-plan-2019-20.csv", _csv(rows),
        {"Workstream": "objective", "Partner(s)": "lead", "Progress Q1": "progress"},
        None, True, "2019-20", [(1, "Reducing ASB"), (2, "Safer night-time economy")],
        [objective(kp=1, title="Extend the street pastors scheme to Fridays", progress="Two new volunteers recruited",
                   funding=[(120000, "confirmed", "£1,200 CBC")], lead_agencies=["Street Pastors"],
                   lead_text="Street Pastors – Sam Smith", contacts=[("Sam Smith", "Street Pastors")],
                   end_date=date(2020, 3, 31), end_date_text="Mar 20", end_date_status="set",
                   extra={"KPI": "Volunteer hours"}),
         objective(kp=1, title="Close the alley behind the high street", progress="Complete",
                   funding=[(0, "nil_cost", "Nil")], lead_agencies=["CBC", "Highways"], lead_text="CBC / Highways",
                   end_date=date(2019, 9, 30), end_date_text="Sept 19", end_date_status="set", status="complete",
                   extra={"KPI": ""}),
         objective(kp=2, title="Best Bar None accreditation for ten venues", funding=[(None, "tbc", "TBC")],
                   lead_agencies=["Licensing"], lead_text="Licensing – Insp Ann Lee",
                   contacts=[("Insp Ann Lee", "Licensing")], end_date=date(2019, 5, 31),
                   end_date_text="Annually in May", end_date_status="set", extra={"KPI": "Venues accredited"})],
        headers)


def town_xlsx() -> Layout:
    """A workbook whose sheet names the year, "Theme: …" rows merged across the table, a "Complete?" column."""
    headers = ["Project", "Lead Agency", "Lead Officer", "Deadline", "Funding", "RAG", "National indicators",
               "Complete?"]
    rows = [
        ["Safer Town Partnership delivery plan"], [],
        headers,
        ["Theme: Domestic abuse"],
        ["Run a White Ribbon campaign in November", "Essex Police", "Insp Ann Lee", datetime(2020, 11, 30), "£500",
         "G", "NI 32", "No"],
        ["Commission a refuge outreach worker", "CBC - Jane Doe", None, "Annually in May", "£2,500 (PCC grant)", "A",
         None, "Yes"],
        ["Theme: Drug harm"],
        ["Map county lines in the town centre", "Essex Police", None, datetime(2021, 3, 31), "Mainstream", "R",
         "NI 38", None],
    ]
    return Layout(
        "town.xlsx", _xlsx("Action plan 2020-21", rows, ["A4:H4", "A7:H7"]),
        {"Project": "objective", "Lead Agency": "lead", "Lead Officer": "lead officer", "Deadline": "end date",
         "Funding": "funding", "RAG": "rag", "National indicators": "note", "Complete?": "status"},
        None, False, "2020-21", [(1, "Domestic abuse"), (2, "Drug harm")],
        [objective(kp=1, title="Run a White Ribbon campaign in November", funding=[(50000, "confirmed", "£500")],
                   lead_agencies=["Essex Police"], lead_text="Essex Police – Insp Ann Lee",
                   contacts=[("Insp Ann Lee", "Essex Police")], end_date=date(2020, 11, 30),
                   end_date_text="30 November 2020", end_date_status="set", rag="green",
                   extra={"National indicators": "NI 32"}),
         objective(kp=1, title="Commission a refuge outreach worker",
                   funding=[(250000, "confirmed", "£2,500 (PCC grant)")], lead_agencies=["CBC"],
                   lead_text="CBC - Jane Doe", contacts=[("Jane Doe", "CBC")], end_date=date(2020, 5, 31),
                   end_date_text="Annually in May", end_date_status="set", rag="amber", status="complete",
                   extra={"National indicators": ""}),
         objective(kp=2, title="Map county lines in the town centre", funding=[(None, "confirmed", "Mainstream")],
                   lead_agencies=["Essex Police"], lead_text="Essex Police", end_date=date(2021, 3, 31),
                   end_date_text="31 March 2021", end_date_status="set", rag="red",
                   extra={"National indicators": "NI 38"})],
        headers)


def county_xlsx() -> Layout:
    """A workbook saying no year, objectives under "Initiative description", "Strategic priority N: …" rows."""
    headers = ["Initiative description", "Delivery led by", "Milestones", "Resources (allocated)", "Targets",
               "Current status", "Progress to date"]
    rows = [
        headers,
        ["Strategic priority 1: Tackling drug harm"],
        ["Fund a drug outreach worker in custody", "Jo Bloggs (CCC)", "Complete", "£3k (PCC grant)", "20 referrals",
         "Achieved", "Worker in post since June"],
        ["Train door staff in naloxone", "CCC / Fire Service", "Sept 21", "within existing resources", None,
         "On track", None],
        ["Strategic priority 2: Safer roads"],
        ["Speed watch in five villages", "Fire Service", "Annually in May", "Nil", "5 villages", None, None],
    ]
    return Layout(
        "county.xlsx", _xlsx("Sheet1", rows),
        {"Initiative description": "objective"}, "2021-22", True, "2021-22",
        [(1, "Tackling drug harm"), (2, "Safer roads")],
        [objective(kp=1, title="Fund a drug outreach worker in custody", progress="Worker in post since June",
                   funding=[(300000, "confirmed", "£3k (PCC grant)")], lead_agencies=["CCC"],
                   lead_text="Jo Bloggs (CCC)", contacts=[("Jo Bloggs", "CCC")], end_date_text="Complete",
                   status="complete", extra={"Targets": "20 referrals"}),
         objective(kp=1, title="Train door staff in naloxone",
                   funding=[(None, "confirmed", "within existing resources")], lead_agencies=["CCC", "Fire Service"],
                   lead_text="CCC / Fire Service", end_date=date(2021, 9, 30), end_date_text="Sept 21",
                   end_date_status="set", extra={"Targets": ""}),
         objective(kp=2, title="Speed watch in five villages", funding=[(0, "nil_cost", "Nil")],
                   lead_agencies=["Fire Service"], lead_text="Fire Service", end_date=date(2021, 5, 31),
                   end_date_text="Annually in May", end_date_status="set", extra={"Targets": "5 villages"})],
        headers)


LAYOUTS = {"borough_csv": borough_csv, "workstreams_csv": workstreams_csv, "town_xlsx": town_xlsx,
           "county_xlsx": county_xlsx}


def _docx(blocks: list) -> bytes:
    """A Word document: a string is a paragraph ("# " a heading), a list of rows a table (a row of one string is
    merged across the table, as a grouping row is)."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            if block.startswith("#"):
                level = len(block) - len(block.lstrip("#"))
                document.add_heading(block.lstrip("# "), level=level)
            else:
                document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=len(block), cols=width)
        for row, cells in zip(table.rows, block, strict=True):
            if len(cells) == 1:
                merged = row.cells[0].merge(row.cells[-1])
                merged.text = cells[0]
                continue
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def district_docx() -> Layout:
    """A Word plan naming its year in its title, key priorities as headings, a grouping row merged in a table."""
    headers = ["Objective", "What we will do", "Lead", "By when", "Cost(s)", "RAG", "Targets"]
    blocks = [
        "# Safer District Partnership Plan 2022-23",
        "Our plan for the year.",
        "## Priority 1: Tackling violence against women and girls",
        [headers,
         ["Safe spaces in pubs", "Train bar staff to help", "CBC - Jane Doe", "31 October 2022", "£3k (PCC grant)",
          "G", "30 venues"],
         ["Theme: Night-time economy"],
         ["Taxi marshals on Saturdays", "", "Essex Police", "Complete", "Mainstream", "", ""]],
        "## Priority 2: Reducing reoffending",
        [headers,
         ["Housing advice in prison", "A weekly surgery", "Jo Bloggs (Probation Service)", "Annually in May", "Nil",
          "A", ""]],
    ]
    return Layout(
        "district-plan.docx", _docx(blocks),
        {"Objective": "objective", "What we will do": "text", "Lead": "lead", "By when": "end date",
         "Cost(s)": "funding", "RAG": "rag", "Targets": "note"},
        None, False, "2022-23",
        [(1, "Tackling violence against women and girls"), (2, "Reducing reoffending"), (3, "Night-time economy")],
        [objective(kp=1, title="Safe spaces in pubs", text="Safe spaces in pubs\nTrain bar staff to help",
                   funding=[(300000, "confirmed", "£3k (PCC grant)")], lead_agencies=["CBC"],
                   lead_text="CBC - Jane Doe", contacts=[("Jane Doe", "CBC")], end_date=date(2022, 10, 31),
                   end_date_text="31 October 2022", end_date_status="set", rag="green",
                   extra={"Targets": "30 venues"}),
         objective(kp=2, title="Housing advice in prison", text="Housing advice in prison\nA weekly surgery",
                   funding=[(0, "nil_cost", "Nil")], lead_agencies=["Probation Service"],
                   lead_text="Jo Bloggs (Probation Service)", contacts=[("Jo Bloggs", "Probation Service")],
                   end_date=date(2022, 5, 31), end_date_text="Annually in May", end_date_status="set", rag="amber",
                   extra={"Targets": ""}),
         objective(kp=3, title="Taxi marshals on Saturdays", funding=[(None, "confirmed", "Mainstream")],
                   lead_agencies=["Essex Police"], lead_text="Essex Police", end_date_text="Complete",
                   status="complete", extra={"Targets": ""})],
        headers)


def reoffending_docx() -> Layout:
    """A Word plan saying no year, objectives under "Workstream", "Objective N: …" rows merged in its table."""
    headers = ["Workstream", "Who", "Timescale", "Resources", "Status", "Evidence"]
    blocks = [
        "# Reducing Reoffending Board delivery plan",
        [headers,
         ["Objective 1: Fewer young people entering the justice system"],
         ["Triage every first-time young offender", "YOS - Sam Smith", "Sept 23", "£500", "In progress",
          "Triage records"],
         ["Objective 2: Stable homes on release"],
         ["Tenancy support for prison leavers", "Housing Team", "Mar 24", "TBC", "Complete", ""]],
    ]
    return Layout(
        "reoffending.docx", _docx(blocks), {"Workstream": "objective"}, "2023-24", True, "2023-24",
        [(1, "Fewer young people entering the justice system"), (2, "Stable homes on release")],
        [objective(kp=1, title="Triage every first-time young offender", funding=[(50000, "confirmed", "£500")],
                   lead_agencies=["YOS"], lead_text="YOS - Sam Smith", contacts=[("Sam Smith", "YOS")],
                   end_date=date(2023, 9, 30), end_date_text="Sept 23", end_date_status="set",
                   extra={"Evidence": "Triage records"}),
         objective(kp=2, title="Tenancy support for prison leavers", funding=[(None, "tbc", "TBC")],
                   lead_agencies=["Housing Team"], lead_text="Housing Team", end_date=date(2024, 3, 31),
                   end_date_text="Mar 24", end_date_status="set", status="complete", extra={"Evidence": ""})],
        headers)


LAYOUTS |= {"district_docx": district_docx, "reoffending_docx": reoffending_docx}
