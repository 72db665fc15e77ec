"""Remembered column choices: a layout's headers (in any order) find the fields chosen for it last time."""

from sqlalchemy import select

from scp_tracker.core.clock import utcnow
from scp_tracker.documents.column_mapping import headers_signature
from scp_tracker.documents.models import ColumnMapping
from scp_tracker.extensions import db


def recall(headers: list[str]) -> ColumnMapping | None:
    """The choices made for a file with these headers, if any."""
    if not any(header.strip() for header in headers):
        return None
    return db.session.scalar(select(ColumnMapping).where(ColumnMapping.signature == headers_signature(headers)))


def remember(headers: list[str], columns: dict[str, str], by: str) -> None:
    """Keep the choices for the next file with these headers (replacing earlier ones); the caller commits."""
    if not columns or not any(header.strip() for header in headers):
        return
    mapping = recall(headers)
    if mapping is None:
        mapping = ColumnMapping(signature=headers_signature(headers))
        db.session.add(mapping)
    mapping.headers, mapping.columns, mapping.updated_by = list(headers), dict(columns), by[:200]
    mapping.updated_at = utcnow()
    db.session.flush()
