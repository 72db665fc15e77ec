"""Reading a table of figures from a CSV or XLSX file, bounded so a huge or crafted file is refused, not read."""

import csv
import io
import zipfile
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 40
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class FiguresFileError(ValueError):
    """A file that cannot be read as a table of figures; the message says why."""


def read_table(path: str | Path) -> list[list[object]]:
    """The file's rows (the first is the header), as cells: text from a CSV, values from an XLSX's first sheet."""
    path = Path(path)
    try:
        content = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as error:
        raise FiguresFileError(f"{path.name} cannot be read: {error.strerror}") from None
    if len(content) > MAX_BYTES:
        raise FiguresFileError(f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(content, path.name)
    if path.suffix.lower() == ".csv":
        return _read_csv(content, path.name)
    raise FiguresFileError(f"{path.name} is not a CSV or XLSX file")


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _bounded(rows, name: str) -> list[list[object]]:
    """The rows until the last holding something (blank rows before it kept, so row numbers stay true); a row
    holding something past MAX_ROWS, or a cell past MAX_COLUMNS, is refused. A sheet whose only far-down cell is a
    space costs nothing to keep."""
    table: list[list[object]] = []
    blank_run = 0
    for number, row in enumerate(rows, 1):
        cells = list(row)
        if all(_is_blank(cell) for cell in cells):
            blank_run += 1
            continue
        if number > MAX_ROWS:
            raise FiguresFileError(f"{name} has more than {MAX_ROWS:,} rows (row {number:,} holds something)")
        if any(not _is_blank(cell) for cell in cells[MAX_COLUMNS:]):
            raise FiguresFileError(f"{name} has more than {MAX_COLUMNS} columns (row {number:,})")
        table.extend([] for _ in range(blank_run))
        blank_run = 0
        table.append(cells[:MAX_COLUMNS])
    return table


def _read_csv(content: bytes, name: str) -> list[list[object]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything; kept for the rest
        raise FiguresFileError(f"{name} is not text")
    try:
        return _bounded(csv.reader(io.StringIO(text, newline="")), name)
    except csv.Error as error:
        raise FiguresFileError(f"{name} is not a readable CSV file: {error}") from None


def _read_xlsx(content: bytes, name: str) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FiguresFileError(f"{name} unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        if isinstance(error, FiguresFileError):
            raise
        raise FiguresFileError(f"{name} is not a readable XLSX workbook") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # PITFALLS: read-only mode trusts a stale <dimension> record
        return _bounded(sheet.iter_rows(values_only=True), name)
    finally:
        workbook.close()
