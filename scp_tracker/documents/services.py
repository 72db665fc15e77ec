"""Importing a plan: read a file, check it fits the database, then load it as one unit (or preview the load)."""

from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.orm import InstrumentedAttribute

from scp_tracker.core.history import Actor
from scp_tracker.documents.column_mapping import CHOSEN, ColumnsNeeded, ColumnSurvey, ImportChoices
from scp_tracker.documents.column_memory import recall, remember
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.documents.import_report import ImportReport
from scp_tracker.documents.limits import ImportLimits
from scp_tracker.documents.models import ColumnMapping
from scp_tracker.documents.plan_data import PlanData, PlanFileError
from scp_tracker.documents.plan_loader import load_plan
from scp_tracker.documents.preview import writes_thrown_away
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.models import FundingLine, GlossaryTerm, KeyPriority, Objective, Plan, PriorityListItem


class ChoicesNeeded(Exception):
    """The import must ask which column is which (none holds the objectives, or a guess is unsure), or the year."""

    def __init__(self, survey: ColumnSurvey, choices: ImportChoices, year_missing: bool, message: str = ""):
        super().__init__(message or "Say which column holds what")
        self.survey, self.choices, self.year_missing = survey, choices, year_missing


def import_plan(source: bytes | str | Path, filename: str, *, actor: Actor, as_of: date | None,
                dry_run: bool = False, limits: ImportLimits | None = None, choices: ImportChoices | None = None,
                ask: bool = False) -> ImportReport:
    """Parse and load a plan file. Raises PlanFileError for an unreadable file; the caller commits.

    With dry_run the report says what an import would do, and nothing is kept; the import is computed where it
    holds no write lock others would wait for (see documents.preview).
    `as_of`: the day the file's undated progress notes were written (None: the plan's own date; see load_plan).
    `limits`: how much of a file is read (default: the app's IMPORT_MAX_* settings).
    `choices`: the fields the coordinator gave columns, and the year; remembered for the next file with the same
    headers once imported. Without them, the choices remembered for these headers apply, if any.
    `ask`: raise ChoicesNeeded rather than import when no column holds the objectives, a guess is unsure, or the
    file does not say the plan's year (the import page asks; the command line refuses or guesses instead).
    """
    limits = limits or ImportLimits.from_config(current_app.config)
    data, choices, recalled = _read(source, filename, limits, choices, ask)
    survey = ColumnSurvey(data.columns, True)
    unsure = [column for column in survey.unsure if column.confidence != CHOSEN]
    if not any(kp.objectives for kp in data.priorities):
        # Without this an empty or unrelated file would "import" as an empty plan with no changes.
        raise PlanFileError(f"{filename}: no key priorities or objectives could be read: check it is the plan")
    if ask and (unsure or data.year is None):
        raise ChoicesNeeded(survey, choices, data.year is None)
    check_lengths(data)
    if not dry_run:
        report = load_plan(data, actor=actor, as_of=as_of)
        if choices.columns and not recalled:
            remember(survey.headers, choices.columns, actor.name)
    else:
        # The same code imports, on writes thrown away: the preview is what confirming would do.
        with writes_thrown_away():
            report = load_plan(data, actor=actor, as_of=as_of)
        report.dry_run = True
    if recalled:
        report.columns_note = (f"Columns read as chosen for files with these headers "
                               f"({recalled.updated_by or 'someone'}, {recalled.updated_at:%-d %B %Y})")
    report.columns_read = sum(1 for column in survey.columns if column.header.strip())
    report.unsure_columns = [f"“{column.header.strip()}” might hold the {column.label}: kept as a note"
                             for column in unsure]
    return report


def _read(source: bytes | str | Path, filename: str, limits: ImportLimits, choices: ImportChoices | None,
          ask: bool) -> tuple[PlanData, ImportChoices, ColumnMapping | None]:
    """The plan read with the choices given, else with those remembered for its headers; ChoicesNeeded (with
    `ask`) or ColumnsNeeded when no column holds the objectives."""
    given = choices or ImportChoices()
    data, refusal = None, None
    try:
        data = read_plan_file(source, filename, limits, given)
        headers = [column.header for column in data.columns]
    except ColumnsNeeded as needed:
        refusal, headers = needed, needed.survey.headers
    recalled = None if given.columns else recall(headers)
    if recalled is not None:
        given = ImportChoices(dict(recalled.columns), given.year)
        try:
            data = read_plan_file(source, filename, limits, given)
        except ColumnsNeeded as needed:
            data, refusal = None, needed
    if data is None:
        assert refusal is not None  # no data only when the file was refused
        if ask:
            raise ChoicesNeeded(refusal.survey, given, False)
        raise ColumnsNeeded(_with_hint(str(refusal), refusal.survey), refusal.survey)
    return data, given, recalled


def survey_plan(source: bytes, filename: str) -> ColumnSurvey:
    """The columns of a plan file's objectives table as they would be read now (choices remembered included)."""
    limits = ImportLimits.from_config(current_app.config)
    try:
        data, _, _ = _read(source, filename, limits, None, ask=True)
    except ChoicesNeeded as needed:
        return needed.survey
    return ColumnSurvey(data.columns, True)


def _with_hint(message: str, survey: ColumnSurvey) -> str:
    """A refusal saying which option would let the file be read."""
    likeliest = next((c for c in survey.columns if c.field == "objective"), None) or survey.likeliest_objective()
    if likeliest is None:
        return message
    return f'{message}: to read it, add --column "{likeliest.header.strip()}=objective" (or name the right column)'


def _length(column) -> int:
    """The most characters a column holds."""
    return column.property.columns[0].type.length


def check_lengths(data: PlanData) -> None:
    """PlanFileError naming the row and column of each value too long for the database, before anything is written.

    PostgreSQL refuses such a value half way through an import; SQLite would keep it silently. Neither is right.
    """
    rows_of: dict[str, int | None] = {}
    for objective in data.objectives():
        for abbreviation in objective.lead_agencies:
            rows_of.setdefault(abbreviation, objective.row)
    values: list[tuple[int | None, str, str | None, InstrumentedAttribute[Any]]]  # row, what, value, column
    values = [(None, "plan title", data.title, Plan.title), (None, "prepared by", data.prepared_by, Plan.prepared_by)]
    values += [(rows_of.get(a.abbreviation), "lead agency", a.abbreviation, Agency.abbreviation)
               for a in data.agencies]
    values += [(rows_of.get(a.abbreviation), "lead agency name", a.name, Agency.name) for a in data.agencies]
    values += [(None, f"glossary term {t.abbreviation[:20]}", t.description, GlossaryTerm.description)
               for t in data.glossary]
    values += [(None, "glossary term", t.abbreviation, GlossaryTerm.abbreviation) for t in data.glossary]
    values += [(None, f"{name} priority {item.number}", item.title, PriorityListItem.title)
               for name, items in (("police", data.police_priorities), ("PCC", data.pcc_priorities)) for item in items]
    for kp in data.priorities:
        values += [(None, f"key priority {kp.number} title", kp.title, KeyPriority.title),
                   (None, f"key priority {kp.number} lead", kp.lead_text, KeyPriority.lead_text)]
        for o in kp.objectives:
            values += [(o.row, "objective title", o.title, Objective.title),
                       (o.row, "end date", o.end_date_text, Objective.end_date_text),
                       (o.row, "project lead / agency", o.lead_text, Objective.lead_text),
                       (o.row, "police priority", o.police.text, Objective.police_text),
                       (o.row, "PCC priority", o.pcc.text, Objective.pcc_text)]
            values += [(o.row, "named lead", c.name, Contact.name) for c in o.lead_contacts]
            values += [(o.row, f"funding {what}", value, column) for f in o.funding
                       for what, value, column in (("source", f.source, FundingLine.source),
                                                   ("pot", f.pot, FundingLine.pot))]
    problems = [f"{f'row {row}, ' if row else ''}{what}: {len(value):,} characters, more than the "
                f"{_length(column)} it may have (“{value[:30]}…”)"
                for row, what, value, column in values if value and len(value) > _length(column)]
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise PlanFileError(f"{data.filename or 'plan'}: {'; '.join(problems[:3])}{more}")
