"""The columns of a table whose header names no objective: the likeliest header row and its first values."""

from scp_tracker.documents.column_mapping import ColumnSurvey, add_samples, assign_columns
from scp_tracker.documents.column_vocabulary import UNSURE

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
        add_samples(columns, row)
    # A column with neither header nor values is no column at all.
    columns = [column for column in columns if column.header.strip() or column.samples]
    return ColumnSurvey(columns, any(column.field == "objective" and column.confidence != UNSURE for column in columns))
