"""Interpreting a plan as written: each objective's cells read, leads matched to agencies, the year settled."""

import re
from datetime import date

from scp_tracker.documents.agency_matching import LeadTarget, match_agencies
from scp_tracker.documents.as_written import PlanAsWritten, PriorityAsWritten, RowAsWritten
from scp_tracker.documents.cells import (
    EndDate,
    Leads,
    Reading,
    clean_html,
    parse_end_date,
    parse_funding,
    parse_leads,
    parse_priority_ref,
    parse_rag,
    parse_status,
    parse_timestamp,
    title_from_objective,
)
from scp_tracker.documents.column_readings import annual_end_date, says_complete
from scp_tracker.documents.lead_officers import read_lead_cell
from scp_tracker.documents.plan_data import ContactData, KeyPriorityData, ObjectiveData, ParseWarning, PlanData
from scp_tracker.documents.plan_wording import financial_year, plan_year, sentence_case, title_and_status

# Cells whose words are the objective's own: "Complete" there is part of a sentence, not the status.
_TEXT_COLUMNS = {"objective", "text", "title", "source_html"}
_SHORT_TITLE = 200
_BOLD = re.compile(r"<\s*(?:b|strong)\b|\*\*", re.I)


def interpret(plan: PlanAsWritten, year: str | None = None) -> PlanData:
    """Settle what needs the whole document (year, agencies, leads), interpret the rows, and hand back.

    `year`: the plan's year as the coordinator gave it, over what the file says (its title, sheets or name).
    """
    plan.sheet = None
    title, status = title_and_status(plan.title or "")
    if not title:
        plan.warn(None, None, "No plan title found")
    year = (year or plan.year or plan_year(title) or next(filter(None, map(plan_year, plan.sheet_names)), None)
            or plan_year(plan.filename))
    if year and year != plan.year:
        plan.starts_on = plan.ends_on = None  # the dates of the year given, not those of the file's
    starts_on, ends_on = financial_year(year) if year else (None, None)
    starts_on, ends_on = plan.starts_on or starts_on, plan.ends_on or ends_on

    priorities = sorted(plan.priorities.values(), key=lambda p: p.number)
    names = [term.description for term in plan.glossary] + [a.name for a in plan.listed_agencies or []]
    kp_targets = [_priority_lead(priority, names) for priority in priorities]
    bolds_titles = any(_BOLD.search(row.text("objective")) for priority in priorities for row in priority.rows)
    objectives = [[_objective(row, ends_on, names, plan.warnings, bolds_titles) for row in priority.rows]
                  for priority in priorities]
    # In document order, so that agencies known only by name are listed in the order they are met.
    targets = [target for kp_target, rows in zip(kp_targets, objectives, strict=True)
               for target in [kp_target, *(row_target for _, row_target, _ in rows)]]
    officer_targets = [target for rows in objectives for _, _, officers in rows for _, target in officers]
    agencies, glossary = match_agencies(targets + officer_targets, plan.glossary, plan.listed_agencies, plan.warnings)

    abbreviations = {agency.abbreviation for agency in agencies} | {term.abbreviation for term in glossary}
    key_priorities = []
    for priority, target, rows in zip(priorities, kp_targets, objectives, strict=True):
        if priority.is_placeholder:
            plan.warn(None, None, "No key priorities found; objectives put under key priority 1 “Objectives”")
        key_priorities.append(KeyPriorityData(
            number=priority.number,
            title=sentence_case(priority.title, abbreviations) or f"Key priority {priority.number}",
            heading="\n".join(priority.heading) or f"Key priority {priority.number}: {priority.title}",
            lead_agencies=target.abbreviations, lead_text=priority.lead_text,
            description="\n\n".join(priority.description),
            objectives=[objective for objective, _, _ in rows]))
        for objective, row_target, officers in rows:
            objective.lead_agencies = row_target.abbreviations
            objective.lead_contacts = [ContactData(name, target.abbreviations[0]) for name, target in officers]

    plan.warnings.sort(key=lambda w: (w.sheet or "", w.row is None, w.row or 0))
    return PlanData(
        year=year, title=title, status=plan.status or status, starts_on=starts_on, ends_on=ends_on,
        description="\n\n".join(plan.description), prepared_by=plan.prepared_by, notes=plan.notes,
        agencies=agencies, glossary=glossary, police_priorities=plan.police, pcc_priorities=plan.pcc,
        priorities=key_priorities, warnings=plan.warnings, filename=plan.filename, columns=plan.columns)


def _objective(row: RowAsWritten, ends_on: date | None, names: list[str], warnings: list[ParseWarning],
               bolds_titles: bool = True) -> tuple[ObjectiveData, LeadTarget, list[tuple[str, LeadTarget]]]:
    """Interpret an objective row's cells, warning about each one that cannot be read."""

    def read(column: str, reading: Reading, kept: bool = False):
        """The reading's value; a problem becomes a warning, and with `kept` the cell goes to extra."""
        if reading.problem:
            message = f"{reading.problem}; kept as extra information" if kept else reading.problem
            warnings.append(ParseWarning(row.number, row.headers.get(column), message, row.text(column), row.sheet))
            if kept:
                row.extra[row.headers[column]] = row.text(column)
        return reading.value

    source = row.text("objective")
    # "Complete" in any column of facts (an end date, a RAG, a status) is the objective's status.
    done = [column for column in row.cells if column not in _TEXT_COLUMNS and says_complete(row.text(column))]
    # Read in the real plan's column order, so that a row's warnings come in the order of its cells.
    title = " ".join(clean_html(row.text("title")).split())
    if not title and "text" in row.cells and len(clean_html(source)) <= _SHORT_TITLE:
        title = " ".join(clean_html(source).split())  # the detail has a column of its own: the objective is a title
    if not title and not bolds_titles and (whole := title_from_objective(source)).value == " ".join(
            clean_html(source).split()):
        title = whole.value  # a plan that bolds no titles writes each objective as its title: nothing to warn of
    title = title or read("objective", title_from_objective(source))
    funding = read("funding", parse_funding("" if "funding" in done else row.text("funding")))
    leads, officers, lead_text = _leads(row, names, warnings)
    end_column = "end_date_text" if row.text("end_date_text").strip() else "end_date"
    if end_column in done:
        end = EndDate(None, "missing", clean_html(row.text(end_column)))
    else:
        end = read(end_column, annual_end_date(row.text(end_column), ends_on)
                   or parse_end_date(row.value(end_column), ends_on))
    objective = ObjectiveData(
        title=title,
        text="\n".join(part for part in (clean_html(source), clean_html(row.text("text"))) if part),
        source_html=row.text("source_html") or source,
        progress=clean_html(row.text("progress")),
        funding=funding,
        lead_agencies=[],
        lead_status=leads.status,
        lead_text=lead_text,
        end_date=end.on,
        end_date_text=end.text,
        end_date_status=end.status,
        police=read("police", parse_priority_ref(row.text("police"))),
        pcc=read("pcc", parse_priority_ref(row.text("pcc"))),
        rag=None if "rag" in done else read("rag", parse_rag(row.text("rag")), kept=True),
        status="complete" if done else read("status", parse_status(row.text("status")), kept=True),
        progress_at=read("progress_at", parse_timestamp(row.value("progress_at")), kept=True),
        row=row.number,
        extra=row.extra,
    )
    where = ParseWarning(row.number, row.headers.get("lead"), "", lead_text, row.sheet)
    return objective, LeadTarget(leads.names, False, where), [
        (name, LeadTarget([agency], False, where)) for name, agency in officers]


def _leads(row: RowAsWritten, names: list[str], warnings: list[ParseWarning]
           ) -> tuple[Leads, list[tuple[str, str]], str]:
    """The lead agencies, the named officers (each with the agency written beside them, else the row's first) and
    the lead as written, from the lead cell and any lead officer column."""
    written = row.text("lead")
    cell = read_lead_cell(written, names)
    column = read_lead_cell(row.text("lead_officer"), names, officer_column=True)
    lead_text = clean_html(row.text("lead_text") or " – ".join(filter(None, (written, row.text("lead_officer")))))
    if not cell.officers and not column.officers:
        return parse_leads(written, names), [], lead_text
    agencies = list(dict.fromkeys(cell.agencies + column.agencies))
    leads = parse_leads("\n".join(agencies), names)
    officers = []
    for name, agency in cell.officers + column.officers:
        agency = agency or next(iter(leads.names), None)
        if agency is None:
            warnings.append(ParseWarning(row.number, row.headers.get("lead_officer") or row.headers.get("lead"),
                                         f"Named lead {name} has no agency beside them; kept as written", name,
                                         row.sheet))
        else:
            officers.append((name, agency))
    return leads, officers, lead_text


def _priority_lead(priority: PriorityAsWritten, names: list[str]) -> LeadTarget:
    """A key priority's lead, to be matched to agencies; a heading may name one within longer words."""
    leads = parse_leads(priority.lead_names or priority.lead_text, names)
    where = ParseWarning(priority.lead_row, None, "", priority.lead_text, priority.lead_sheet)
    return LeadTarget(leads.names, not priority.lead_names, where)
