"""What the importer remembers: the columns a coordinator chose for a layout, for the next file laid out alike."""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.extensions import Model


class ColumnMapping(Model):
    """The fields chosen for the columns of a layout, found again by its headers (in any order)."""

    __tablename__ = "column_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), unique=True)  # column_mapping.headers_signature
    headers: Mapped[list] = mapped_column(JSON, default=list)  # as written, for people
    columns: Mapped[dict] = mapped_column(JSON, default=dict)  # header key -> field
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
