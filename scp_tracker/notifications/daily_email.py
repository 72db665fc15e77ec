"""Notifications people chose to get in their daily email: taken by the reminder run, marked with the email that
carried them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Executable, String, cast, literal, or_, select, update

from scp_tracker.core.links import absolute_url
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.models import Notification


@dataclass(frozen=True)
class DigestNotification:
    """A notification as the daily email shows it."""

    id: int
    contact_id: int
    title: str
    lines: tuple[str, ...]
    link: str
    actor_name: str
    created_at: datetime


def digest_items(contact_ids: Iterable[int], *, now: datetime, claim: bool, unless_sent: str | None = None,
                 unless_sent_except: Iterable[int] = ()) -> dict[int, list[DigestNotification]]:
    """The notifications waiting for each of these people's daily email, oldest first (one statement).

    With claim, they are marked taken in the same statement (UPDATE … RETURNING), so a second run, or a
    second process, never puts one in two emails; the caller's rollback gives them back. unless_sent skips
    the people already sent the email whose outbox key is it followed by their contact id, but for those
    in unless_sent_except.
    """
    contact_ids = list(contact_ids)
    if not contact_ids:
        return {}
    columns = (Notification.id, Notification.contact_id, Notification.title, Notification.detail,
               Notification.link_path, Notification.actor_name, Notification.created_at)
    waiting = [Notification.delivery == "digest", Notification.digested_at.is_(None),
               Notification.contact_id.in_(contact_ids)]
    if unless_sent is not None:
        sent = select(OutboxMessage.id).where(
            OutboxMessage.key == literal(unless_sent) + cast(Notification.contact_id, String)).exists()
        waiting.append(or_(~sent, Notification.contact_id.in_(list(unless_sent_except))))
    statement: Executable
    if claim:
        statement = (update(Notification).where(*waiting).values(digested_at=now).returning(*columns)
                     .execution_options(synchronize_session=False))
    else:
        statement = select(*columns).where(*waiting)
    items = defaultdict(list)
    for row in sorted(db.session.execute(statement).all(), key=lambda r: (r.created_at, r.id)):
        items[row.contact_id].append(DigestNotification(
            id=row.id, contact_id=row.contact_id, title=row.title,
            lines=tuple(line for line in row.detail.splitlines() if line.strip()),
            link=absolute_url(row.link_path) if row.link_path else "", actor_name=row.actor_name,
            created_at=row.created_at))
    return dict(items)


def note_digest_email(notification_ids: Iterable[int], outbox_key: str) -> None:
    """Record which daily email carried these notifications."""
    ids = list(notification_ids)
    if ids:
        db.session.execute(update(Notification).where(Notification.id.in_(ids)).values(email_key=outbox_key)
                           .execution_options(synchronize_session=False))
