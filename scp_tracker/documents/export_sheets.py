"""Reading the sheets our own spreadsheet export writes beside the objectives: Plan, Key priorities, the lists."""

from datetime import date

from scp_tracker.documents.as_written import PlanAsWritten
from scp_tracker.documents.cells import cell_text, name_key, parse_day
from scp_tracker.documents.plan_data import NumberedItem
from scp_tracker.documents.plan_wording import plan_year


def read_plan_sheet(plan: PlanAsWritten, rows: list[list]) -> None:
    """The "Plan" sheet: a field and its value on each row."""
    for number, cells in enumerate(rows, 1):
        label, value = (list(cells) + [None, None])[:2]
        key, text = name_key(cell_text(label)), cell_text(value).strip()
        if key in ("", "field"):
            continue
        if key == "year":
            plan.year = plan_year(text)
            if plan.year is None:
                plan.warn(number, "Year", "Could not read the year (write it as 2016-17)", text)
        elif key == "title":
            plan.title = text
        elif key == "status":
            plan.status = text.casefold()
            if plan.status not in ("draft", "agreed", "archived"):
                plan.warn(number, "Status", "Not a plan status (draft, agreed or archived); treated as draft", text)
                plan.status = "draft"
        elif key in ("starts on", "ends on"):
            setattr(plan, key.replace(" ", "_"), parse_day(value if isinstance(value, date) else text))
        elif key == "description":
            plan.description = [text] if text else []
        elif key == "prepared by":
            plan.prepared_by = text
        elif key in ("notes", "note"):
            plan.notes += [text] if text else []
        else:
            plan.keep_row(number, [cell_text(label), text], "Plan field not recognised; kept as a note")


def _records(plan: PlanAsWritten, rows: list[list],
            columns: dict[str, tuple[str, ...]]) -> list[tuple[int, dict[str, object]]]:
    """The rows of a sheet under its header row, by column name; unknown columns are reported."""
    named = [(number, list(cells)) for number, cells in enumerate(rows, 1)
             if any(cell_text(cell).strip() for cell in cells)]
    if not named:
        return []
    header_row, headers = named[0]
    field_of = {name: column for column, names in columns.items() for name in names}
    positions = {}
    for index, header in enumerate(headers):
        column = field_of.get(name_key(cell_text(header)))
        if column and column not in positions:
            positions[column] = index
        elif cell_text(header).strip():
            plan.warn(header_row, cell_text(header), "Column not recognised; not read")
    return [(number, {column: cells[index] if index < len(cells) else None
                      for column, index in positions.items()})
            for number, cells in named[1:]]


def read_key_priorities(plan: PlanAsWritten, rows: list[list]) -> None:
    """The "Key priorities" sheet: number, title, lead agencies, lead as written, description."""
    for number, record in _records(plan, rows, {
        "number": ("number", "key priority"), "title": ("title",), "names": ("lead agencies", "lead agency"),
        "lead": ("lead as written", "lead"), "description": ("description",), "heading": ("heading",),
    }):
        written = cell_text(record.get("number")).strip()
        if not written.isdigit():
            plan.keep_row(number, [cell_text(v) for v in record.values()],
                           "No key priority number; kept as a note")
            continue
        priority = plan.priority(int(written))
        priority.title = cell_text(record.get("title")).strip()
        priority.lead_names = cell_text(record.get("names")).strip()
        priority.lead_text = cell_text(record.get("lead")).strip() or priority.lead_names
        priority.lead_row, priority.lead_sheet = number, plan.sheet
        priority.description = [text] if (text := cell_text(record.get("description")).strip()) else []
        priority.heading = [text] if (text := cell_text(record.get("heading")).strip()) else []


def read_numbered(plan: PlanAsWritten, rows: list[list], target: list[NumberedItem]) -> None:
    """A "Police priorities" or "PCC priorities" sheet: number and title."""
    for number, record in _records(plan, rows, {"number": ("number",), "title": ("title", "priority")}):
        written = cell_text(record.get("number")).strip()
        if written.isdigit():
            target.append(NumberedItem(int(written), cell_text(record.get("title")).strip()))
        else:
            plan.keep_row(number, [cell_text(v) for v in record.values()], "No priority number; kept as a note")


def read_pairs(plan: PlanAsWritten, rows: list[list], second: str) -> list[tuple[str, str]]:
    """An "Agencies" or "Glossary" sheet: abbreviation and name (or description)."""
    pairs = []
    for _, record in _records(plan, rows, {"abbreviation": ("abbreviation",), "second": (second,)}):
        abbreviation, text = cell_text(record.get("abbreviation")).strip(), cell_text(record.get("second")).strip()
        if abbreviation or text:
            pairs.append((abbreviation, text))
    return pairs
