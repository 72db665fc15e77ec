"""How much of a file an import reads: bytes, rows, cells, a workbook's unpacked size and JSON nesting.

A real plan has tens of rows; the limits are far above that and far below what would stall the app. Every refusal
names the file and the limit (and the row where there is one), and comes before anything is written.
"""

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


class ImportLimitError(ValueError):
    """A file beyond a limit; the message names the file (the parser turns it into a PlanFileError)."""


@dataclass(frozen=True)
class ImportLimits:
    """The most an import reads (config: IMPORT_MAX_BYTES, _ROWS, _CELLS, _UNPACKED_BYTES, _JSON_DEPTH)."""

    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 5_000
    max_cells: int = 200_000
    max_unpacked_bytes: int = 20 * 1024 * 1024
    max_json_depth: int = 32

    @classmethod
    def from_config(cls, config: Mapping) -> "ImportLimits":
        """The limits an app is configured with (defaults for those it leaves out)."""
        default = cls()
        return cls(**{name: int(config.get(f"IMPORT_{name.upper()}", getattr(default, name)))
                      for name in ("max_bytes", "max_rows", "max_cells", "max_unpacked_bytes", "max_json_depth")})


def _size(count: int) -> str:
    """Bytes as people read them: 5 MB, 300 KB."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= size:
            return f"{count / size:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{count:,} bytes"


def check_file_size(size: int, name: str, limits: ImportLimits) -> None:
    """Refuse a file larger than an import reads."""
    if size > limits.max_bytes:
        raise ImportLimitError(f"{name}: the file is {_size(size)}, more than the {_size(limits.max_bytes)} "
                            f"an import reads")


def check_unpacked_size(content: bytes, name: str, limits: ImportLimits, *, kind: str = "workbook") -> None:
    """Refuse a workbook (or Word document) whose parts unpack to more than an import reads (a zip bomb), before
    unpacking any.

    The sizes are those the zip declares; Python's zipfile never reads a part beyond its declared size.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportLimitError(f"{name}: could not open the {kind} ({error})") from error
    if unpacked > limits.max_unpacked_bytes:
        raise ImportLimitError(f"{name}: the {kind} unpacks to {_size(unpacked)}, more than the "
                            f"{_size(limits.max_unpacked_bytes)} an import reads")


def _is_blank(cell) -> bool:
    """A cell with nothing in it but spaces."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def bounded_rows(rows: Iterable[Sequence], name: str, limits: ImportLimits, *, sheet: str | None = None,
                 cells_so_far: int = 0) -> tuple[list[list], int]:
    """The rows of a table, read until they end, and the cells read so far; PlanFileError past a limit.

    Blank rows after the last one holding something are dropped, so a sheet whose only far-down cell is a space
    costs nothing to keep; a row holding something past max_rows, or more than max_cells in all, is refused.
    """
    kept: list[list] = []
    blank_run = 0
    cells = cells_so_far
    where = f" of sheet “{sheet}”" if sheet else ""
    for number, row in enumerate(rows, 1):
        if all(_is_blank(cell) for cell in row):
            blank_run += 1
            continue
        if number > limits.max_rows:
            raise ImportLimitError(f"{name}: more than {limits.max_rows:,} rows (row {number:,}{where} holds "
                                f"something); a plan has tens of rows")
        cells += len(row) + blank_run  # a blank row kept for the row numbers counts as a cell
        if cells > limits.max_cells:
            raise ImportLimitError(f"{name}: more than {limits.max_cells:,} cells (reached at row {number:,}{where})")
        kept.extend([] for _ in range(blank_run))
        blank_run = 0
        kept.append(list(row))
    return kept, cells


def check_json_depth(document, name: str, limits: ImportLimits) -> None:
    """Refuse JSON nested deeper than any plan export (without recursion, so any depth is answered)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limits.max_json_depth:
            raise ImportLimitError(f"{name}: the JSON is nested more than {limits.max_json_depth} levels deep, "
                                f"which no plan export is")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def check_objective_count(count: int, name: str, limits: ImportLimits) -> None:
    """Refuse a JSON export with more objectives than a table may have rows."""
    if count > limits.max_rows:
        raise ImportLimitError(f"{name}: more than {limits.max_rows:,} objectives ({count:,}); a plan has tens")
