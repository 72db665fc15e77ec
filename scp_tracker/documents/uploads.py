"""Plan files uploaded for import: checked by name and content, kept under a random name between preview and
confirmation, then deleted."""

import json
import re
import secrets
import time
from pathlib import Path

EXTENSIONS = ("txt", "csv", "xlsx", "docx", "json")
# An upload left behind (previewed, never confirmed) is removed after this long.
KEEP_SECONDS = 24 * 60 * 60
_STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{22,}\.(txt|csv|xlsx|docx|json)$")
# Starts of files that are certainly not a plan written as text: zip (xlsx, docx), old Office, PDF, images.
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


class UploadError(ValueError):
    """An upload that is not a plan file, or one that is no longer kept; the message is for the coordinator."""


def extension(filename: str) -> str:
    """The file's extension in lower case, without the dot."""
    return Path(filename).suffix.lower().lstrip(".")


def check(filename: str, content: bytes) -> None:
    """Refuse a file whose extension is not a plan format or whose content does not match its extension."""
    ext = extension(filename)
    if ext not in EXTENSIONS:
        raise UploadError("The plan file must be a .txt, .csv, .xlsx, .docx or .json file")
    if not content.strip():
        raise UploadError("The selected file is empty")
    if ext in ("xlsx", "docx"):
        if not content.startswith(b"PK\x03\x04"):
            kind = "an Excel spreadsheet (.xlsx)" if ext == "xlsx" else "a Word document (.docx)"
            raise UploadError(f"The selected file is not {kind}")
        return
    if content.startswith(_BINARY_MAGIC) or b"\x00" in content[:4096]:
        raise UploadError(f"The selected file is not a text file, so it cannot be a .{ext} plan")
    if ext == "json":
        try:
            document = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            raise UploadError("The selected file is not valid JSON") from None
        except RecursionError:
            # Python's parser gives up on nesting about a thousand deep (a 500 before): no plan export nests so.
            raise UploadError(f"{filename}: the JSON is nested too deeply to be a plan export") from None
        if not isinstance(document, dict):
            raise UploadError("The selected JSON file is not a plan export")


def save(folder: Path, filename: str, content: bytes, *, now: float | None = None) -> str:
    """Keep an upload under a random name until it is confirmed; returns that name. Old leftovers are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old(folder, now if now is not None else time.time())
    stored = f"{secrets.token_urlsafe(24)}.{extension(filename)}"
    (folder / stored).write_bytes(content)
    return stored


def read(folder: Path, stored: str, filename: str) -> bytes:
    """The content of a kept upload; only names this module made are accepted (no paths), and the file's
    original name must keep the extension it was checked with."""
    if not _STORED_NAME.match(stored or "") or extension(filename) != extension(stored):
        raise UploadError("The upload was not found: please choose the file again")
    try:
        return (folder / stored).read_bytes()
    except FileNotFoundError:
        raise UploadError("The upload is no longer kept: please choose the file again") from None


def delete(folder: Path, stored: str) -> None:
    """Remove a kept upload once it has been imported."""
    if _STORED_NAME.match(stored or ""):
        (folder / stored).unlink(missing_ok=True)


def _remove_old(folder: Path, now: float) -> None:
    """Delete uploads previewed but never confirmed."""
    for path in folder.iterdir():
        if _STORED_NAME.match(path.name) and path.stat().st_mtime < now - KEEP_SECONDS:
            path.unlink(missing_ok=True)
