"""Notifications emailed at once, batched: a person's notifications within a few minutes make one email, held
back in the outbox and drawn again as notifications join it; drawn once however many join it at a time."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import select, update

from scp_tracker.core.db_types import execute_dml
from scp_tracker.core.links import absolute_url
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import enqueue
from scp_tracker.notifications.models import Notification
from scp_tracker.people.models import Contact

logger = logging.getLogger(__name__)

# An email "at once" is held back this long, so several changes within a few minutes make one email.
BATCH_WINDOW = timedelta(minutes=5)
EMAIL_KIND = "notification"


def email_at_once(notifications: Iterable[Notification], now: datetime) -> None:
    """Email notifications at once, batched by person: each person's email is drawn once, however many join it.

    Drawing it again for every notification made an import of a thousand objectives draw a thousand growing
    emails per lead (quadratic); a caller writing many notifications collects them and calls this once.
    """
    by_contact: dict[int, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_contact[notification.contact_id].append(notification)
    if not by_contact:
        return
    contacts = {contact.id: contact
                for contact in db.session.scalars(select(Contact).where(Contact.id.in_(list(by_contact))))}
    for contact_id, group in by_contact.items():
        _email(contacts[contact_id], group, now)


def _email(contact: Contact, notifications: list[Notification], now: datetime) -> None:
    """Email one person's new notifications: they join the person's email still held back, or start one held
    back for BATCH_WINDOW, whose text is rewritten as notifications join it (the outbox sends it when due)."""
    held = (OutboxMessage.kind == EMAIL_KIND, OutboxMessage.status == "queued", OutboxMessage.attempts == 0,
            OutboxMessage.next_attempt_at > now)
    held_key = db.session.scalar(
        select(OutboxMessage.key).join(Notification, Notification.email_key == OutboxMessage.key)
        .where(Notification.contact_id == contact.id, *held)
        .order_by(OutboxMessage.id.desc()).limit(1)
    )
    if held_key is not None:
        for notification in notifications:
            notification.email_key = held_key
        email = _batch_email(contact, held_key)
        result = execute_dml(
            update(OutboxMessage).where(OutboxMessage.key == held_key, *held)
            .values(subject=email["subject"], text_body=email["text"], html_body=email["html"])
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # 0: the outbox took it in the meantime, so start another
            return
    key = f"notification:{contact.id}:{notifications[0].id}"
    for notification in notifications:
        notification.email_key = key
    email = _batch_email(contact, key)
    assert contact.email is not None  # delivery is "email" only for someone with an address (rules.delivery)
    try:
        message = enqueue(to=contact.email, subject=email["subject"], text_body=email["text"],
                          html_body=email["html"], key=key, kind=EMAIL_KIND, now=now)
    except ValueError as error:
        # An address that slipped past validation must not undo the change that caused the notification.
        logger.warning("Notifications %s shown in the app only: %s", [n.id for n in notifications], error)
        for notification in notifications:
            notification.delivery, notification.email_key = "app", None
        return
    assert message is not None  # the key names a new notification, so it cannot be queued already
    message.next_attempt_at = now + BATCH_WINDOW
    db.session.flush()


def _subject(notifications: list[Notification]) -> str:
    """One notification's title; "<objective>: 3 changes" when all are about one objective; else a count."""
    if len(notifications) == 1:
        subject = notifications[0].title
    elif (notifications[0].objective_id and len({n.objective_id for n in notifications}) == 1
          and (objective := notifications[0].objective)):
        subject = f"{objective.title}: {len(notifications)} changes"
    else:
        subject = f"{len(notifications)} changes in {current_app.config['SERVICE_NAME']}"
    subject = " ".join(subject.split())
    return subject if len(subject) <= 250 else subject[:249] + "…"


def _batch_email(contact: Contact, key: str) -> dict[str, str]:
    """The subject, text and HTML of the email carrying every notification under this outbox key."""
    notifications = list(db.session.scalars(
        select(Notification).where(Notification.email_key == key).order_by(Notification.created_at, Notification.id)
    ))
    subject = _subject(notifications)
    context = {
        "subject": subject, "name": contact.name, "notifications": notifications,
        "link_for": lambda n: absolute_url(n.link_path) if n.link_path else "",
        "list_link": absolute_url("/notifications"), "settings_link": absolute_url("/notifications/settings"),
        "service_name": current_app.config["SERVICE_NAME"],
        "partnership_name": current_app.config["PARTNERSHIP_NAME"],
    }
    return {"subject": subject, "text": render_template("emails/notification_email.txt", **context),
            "html": render_template("emails/notification_email.html", **context)}
