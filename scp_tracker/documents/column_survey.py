"""A table whose header names no objective column: refused with the likeliest header row and its first values."""

from typing import NoReturn

from scp_tracker.documents.cells import cell_text
from scp_tracker.documents.column_mapping import ColumnsNeeded, ColumnSurvey, ImportChoices, add_samples, assign_columns
from scp_tracker.documents.column_vocabulary import NOTE, UNSURE
from scp_tracker.documents.plan_wording import objective_header

_ROWS_LOOKED_AT = 30


def header_candidate(rows: list[list[str]]) -> list[list[str]]:
    """The row most like a header (the first with several cells, else the first with one) and the rows under it."""
    filled = [index for index, row in enumerate(rows[:_ROWS_LOOKED_AT]) if any(text.strip() for text in row)]
    several = [index for index in filled if sum(1 for text in rows[index] if text.strip()) > 1]
    start = several[0] if several else filled[0] if filled else 0
    return rows[start:start + 4]


def survey_of(rows: list[list[str]], chosen: dict[str, str]) -> ColumnSurvey:
    """The columns of the first row as a header, guessed (or as chosen), with the values of the rows under it."""
    header = rows[0] if rows else []
    width = max((len(row) for row in rows), default=0)
    columns = assign_columns(header + [""] * (width - len(header)), chosen)
    for row in rows[1:]:
        if sum(1 for text in row if text.strip()) > 1:  # a grouping row ("Priority 1: ...") is no column's value
            add_samples(columns, row)
    # A column with neither header nor values is no column at all.
    columns = [column for column in columns if column.header.strip() or column.samples]
    has_objective = any(column.field == "objective" and column.confidence != UNSURE for column in columns)
    if not has_objective and not any(column.field == "objective" for column in columns):
        # Suggested, not taken: the column with the longest text among those no field was guessed for.
        unplaced = ColumnSurvey([column for column in columns if column.field in (None, NOTE)], False)
        if (likeliest := unplaced.likeliest_objective()) is not None:
            likeliest.field, likeliest.confidence = "objective", UNSURE
    return ColumnSurvey(columns, has_objective)


def require_objective_header(rows: list[list], filename: str, choices: ImportChoices) -> None:
    """Refuse a table without an objective column (nothing in it could be placed), saying what its columns hold."""
    texts = [[cell_text(cell) for cell in cells] for cells in rows]
    if any(objective_header(number, row, choices.columns) for number, row in enumerate(texts, 1)):
        return
    columns_needed(filename, header_candidate(texts), choices)


def columns_needed(filename: str, rows: list[list[str]], choices: ImportChoices) -> NoReturn:
    """ColumnsNeeded for a table whose header row (the first of `rows`) names no objective column."""
    survey = survey_of(rows, choices.columns)
    header = [column.header.strip() for column in survey.columns if column.header.strip()]
    raise ColumnsNeeded(f"{filename}: no OBJECTIVE column found in the header row (columns: {', '.join(header)})",
                        survey)
