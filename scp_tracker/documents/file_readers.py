"""Reading a plan file: a reader per format turns its bytes into lines (text, Word) or rows (CSV, XLSX) for the parser.

Our own JSON export is read exactly instead (plan_json). A new format is a reader here, added to _FILE_READERS.
"""

import csv
import io
import json
import os
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from scp_tracker.documents.cells import formula_unsafe
from scp_tracker.documents.column_mapping import ImportChoices
from scp_tracker.documents.limits import (
    ImportLimitError,
    ImportLimits,
    bounded_rows,
    check_file_size,
    check_json_depth,
    check_objective_count,
    check_unpacked_size,
)
from scp_tracker.documents.parser import parse_plan_rows, parse_plan_text
from scp_tracker.documents.plan_data import PlanData, PlanFileError
from scp_tracker.documents.plan_json import parse_plan_json


def read_plan_file(path_or_bytes: str | os.PathLike | bytes, filename: str = "",
                   limits: ImportLimits | None = None, choices: ImportChoices | None = None) -> PlanData:
    """Read a plan file (.txt/.md, .csv, .xlsx, .docx or .json) from a path or its bytes; PlanFileError if
    unreadable or beyond the limits (ImportLimits' defaults when none are given), ColumnsNeeded (a PlanFileError)
    when no column holds the objectives. `choices`: the fields the coordinator gave columns, and the plan's year."""
    limits = limits or ImportLimits()
    try:
        return _read_plan_file(path_or_bytes, filename, limits, choices or ImportChoices())
    except ImportLimitError as error:
        raise PlanFileError(str(error)) from None


def _read_plan_file(path_or_bytes: str | os.PathLike | bytes, filename: str, limits: ImportLimits,
                    choices: ImportChoices) -> PlanData:
    """read_plan_file, raising ImportLimitError past a limit."""
    if isinstance(path_or_bytes, bytes):
        content, name = path_or_bytes, filename or "plan"
        check_file_size(len(content), name, limits)
    else:
        name = filename or Path(path_or_bytes).name
        try:
            check_file_size(Path(path_or_bytes).stat().st_size, name, limits)
            content = Path(path_or_bytes).read_bytes()
        except OSError as error:
            raise PlanFileError(f"{name}: could not be read ({error.strerror or error})") from error
    extension = Path(name).suffix.casefold()
    reader = _FILE_READERS.get(extension)
    if reader is None:
        kind = f"cannot read {extension} files" if extension else "has no extension to tell what kind of file it is"
        raise PlanFileError(f"{name}: {kind}; save the plan as .txt, .csv, .xlsx, .docx or .json")
    if not content.strip():
        raise PlanFileError(f"{name}: the file is empty")
    return reader(content, name, limits, choices)


def _decode(content: bytes, name: str) -> str:
    """The text of a text or CSV file: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    if b"\x00" in content:
        raise PlanFileError(f"{name}: not a text file (it holds binary data)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanFileError(f"{name}: could not decode the text (it is neither UTF-8 nor Windows-1252)")


def _read_text(content: bytes, name: str, limits: ImportLimits, choices: ImportChoices) -> PlanData:
    """A plan copied out of the partnership's document."""
    text = _decode(content, name)
    # Checked line by line as the parser reads them: tabs divide a line into cells.
    bounded_rows((line.split("\t") for line in re.split(r"\r\n|\r|\n", text)), name, limits)
    return parse_plan_text(text, name, choices)


def _read_csv(content: bytes, name: str, limits: ImportLimits, choices: ImportChoices) -> PlanData:
    """A CSV file: one sheet named after the file."""
    reader = csv.reader(io.StringIO(_decode(content, name), newline=""))
    try:
        rows, _ = bounded_rows(([formula_unsafe(cell) for cell in row] for row in reader), name, limits)
    except csv.Error as error:
        raise PlanFileError(f"{name}: not a readable CSV file (line {reader.line_num}: {error})") from error
    return parse_plan_rows({Path(name).stem: rows}, name, choices)


def _read_xlsx(content: bytes, name: str, limits: ImportLimits, choices: ImportChoices) -> PlanData:
    """An Excel workbook, every worksheet read as values (formulas as last calculated), every row to the end."""
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise PlanFileError(f"{name}: not an Excel workbook (an .xlsx file is a zip archive; this one is not)")
    check_unpacked_size(content, name, limits)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it skips (data validation, styles); the values still read.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheets, cells = {}, 0
            for sheet in book.worksheets:
                # Read-only mode trusts the sheet's <dimension> record, which other tools leave stale: a sheet
                # would be read short without a word. Without it, rows are read until they end.
                sheet.reset_dimensions()
                sheets[sheet.title], cells = bounded_rows(sheet.iter_rows(values_only=True), name, limits,
                                                          sheet=sheet.title, cells_so_far=cells)
            book.close()
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as error:
        if isinstance(error, ImportLimitError):
            raise
        raise PlanFileError(f"{name}: could not open the workbook ({error})") from error
    return parse_plan_rows(sheets, name, choices)


def _read_json(content: bytes, name: str, limits: ImportLimits, choices: ImportChoices) -> PlanData:
    """Our own JSON export."""
    try:
        data = json.loads(_decode(content, name))
    except json.JSONDecodeError as error:
        raise PlanFileError(f"{name}: not valid JSON ({error})") from error
    except RecursionError:
        # Python's parser gives up on nesting about a thousand deep: no plan export comes near it.
        raise PlanFileError(f"{name}: the JSON is nested more than {limits.max_json_depth} levels deep, "
                            f"which no plan export is") from None
    check_json_depth(data, name, limits)
    if isinstance(data, dict) and isinstance(data.get("priorities"), list):
        check_objective_count(sum(len(kp.get("objectives") or []) for kp in data["priorities"]
                                  if isinstance(kp, dict) and isinstance(kp.get("objectives"), list)), name, limits)
    return parse_plan_json(data, name)


def _read_docx(content: bytes, name: str, limits: ImportLimits, choices: ImportChoices) -> PlanData:
    """A Word document (python-docx, 15 MB once imported, is imported when one is read: the scheduler never does)."""
    from scp_tracker.documents.word_reader import read_docx

    return read_docx(content, name, limits, choices)


_FILE_READERS = {".txt": _read_text, ".md": _read_text, ".text": _read_text, ".csv": _read_csv,
                 ".xlsx": _read_xlsx, ".xlsm": _read_xlsx, ".docx": _read_docx, ".json": _read_json}
