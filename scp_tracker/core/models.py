"""Tables every area writes to: the history of changes."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.extensions import Model


class ChangeRecord(Model):
    """Who changed which field of what, when, from what to what; written only by services."""

    __tablename__ = "change_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20), default="web")  # web | import | email_link | cli
    entity: Mapped[str] = mapped_column(String(40))  # objective | funding | lead | key_priority | plan | contact
    entity_id: Mapped[int | None]
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"), index=True)
    field: Mapped[str] = mapped_column(String(60))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
