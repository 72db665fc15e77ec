"""Notifications: writing them (emailed at once, batched, or kept for the daily email), the in-app list, each
person's choices, and pruning. Services add and flush; the caller commits.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select, update

from scp_tracker.core.db_types import execute_dml
from scp_tracker.extensions import db
from scp_tracker.notifications import rules
from scp_tracker.notifications.emails import email_at_once
from scp_tracker.notifications.models import Notification, NotificationPreference

# Notifications are kept for a year, then pruned by the daily job.
KEEP_FOR = timedelta(days=365)
PER_PAGE = 50


class NotificationError(ValueError):
    """A choice the notification rules refuse, worded for the person who made it."""


@dataclass(frozen=True)
class News:
    """What one notification says, before it is addressed to anyone."""

    kind: str
    title: str
    lines: tuple[str, ...]
    link_path: str
    actor_name: str = ""
    objective_id: int | None = None


def notify(news: News, candidate_ids: Iterable[int], people: Mapping[int, rules.Person], *,
           actor_contact_id: int | None, now: datetime, keys: Mapping[int, str] | None = None,
           app_only: Iterable[int] = (), emails: list[Notification] | None = None) -> list[Notification]:
    """Write the notification for each person the rules say hears it, and email those who chose "at once".

    With `emails`, those to email are added to it instead, for the caller to flush and pass to email_at_once
    when done.
    """
    written = []
    for contact_id, how in rules.addressees(news.kind, candidate_ids, people, actor_contact_id=actor_contact_id,
                                            app_only=app_only):
        notification = Notification(
            contact_id=contact_id, kind=news.kind, title=news.title[:400], detail="\n".join(news.lines),
            link_path=news.link_path, objective_id=news.objective_id, actor_name=news.actor_name[:200],
            delivery=how, created_at=now, key=(keys or {}).get(contact_id),
        )
        db.session.add(notification)
        written.append(notification)
    to_email = [notification for notification in written if notification.delivery == "email"]
    if emails is None:
        if written:
            db.session.flush()
        email_at_once(to_email, now)
    else:
        emails.extend(to_email)  # written together by the caller (a flush each made an import several times longer)
    return written


def list_for(contact_id: int, *, page: int, per_page: int = PER_PAGE):
    """A page of a person's notifications, newest first (two queries, however many there are)."""
    return db.paginate(
        select(Notification).where(Notification.contact_id == contact_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        page=page, per_page=per_page, error_out=False,
    )


# Built once and run on the session's connection (a third of the time of the ORM's way): the header of every
# signed-in page shows the count.
_UNREAD_COUNT = select(func.count(Notification.id)).where(
    Notification.contact_id == bindparam("contact_id"), Notification.read_at.is_(None))


def unread_count(contact_id: int) -> int:
    """How many of a person's notifications are unread (one query)."""
    return db.session.connection().execute(_UNREAD_COUNT, {"contact_id": contact_id}).scalar_one()


def mark_read(contact_id: int, notification_id: int, *, now: datetime) -> bool:
    """Mark one of a person's notifications read; False when they have no such notification."""
    result = execute_dml(
        update(Notification).where(Notification.id == notification_id, Notification.contact_id == contact_id)
        .values(read_at=func.coalesce(Notification.read_at, now))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def mark_all_read(contact_id: int, *, now: datetime) -> int:
    """Mark all of a person's notifications read; returns how many were unread."""
    result = execute_dml(
        update(Notification).where(Notification.contact_id == contact_id, Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)
    )
    return result.rowcount


def choices_of(contact_id: int, kinds: Iterable[str]) -> dict[str, str]:
    """How a person hears of each of these kinds: what they chose, or the default (one query)."""
    saved = dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.delivery)
        .where(NotificationPreference.contact_id == contact_id)
    ).all())
    return {kind: saved.get(kind, rules.KINDS[kind].default) for kind in kinds}


def save_choices(contact_id: int, choices: Mapping[str, str], *, now: datetime) -> list[str]:
    """Store how a person wants to hear of each kind; returns the kinds whose choice changed."""
    unknown = [kind for kind, how in choices.items() if kind not in rules.KINDS or how not in rules.DELIVERIES]
    if unknown:
        raise NotificationError(f"These choices cannot be saved: {', '.join(sorted(unknown))}")
    rows = {row.kind: row for row in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.contact_id == contact_id))}
    changed = []
    for kind, how in choices.items():
        row = rows.get(kind)
        if (row.delivery if row else rules.KINDS[kind].default) != how:
            changed.append(kind)
        if row is None:
            db.session.add(NotificationPreference(contact_id=contact_id, kind=kind, delivery=how, updated_at=now))
        elif row.delivery != how:
            row.delivery, row.updated_at = how, now
    db.session.flush()
    return changed


def prune(now: datetime) -> int:
    """Delete notifications older than a year (the daily job); returns how many."""
    result = execute_dml(delete(Notification).where(Notification.created_at < now - KEEP_FOR)
                                .execution_options(synchronize_session=False))
    return result.rowcount
