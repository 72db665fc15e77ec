"""The coordinator's run summary: weekly by default (daily as a setting), always inside their one email of the day.

It tells the reminder emails queued since the last summary, the objectives with nobody to remind, and the emails
that could not be delivered. A summary goes out as the coordinator's digest of the day with kind "reminder_summary".
"""

from datetime import date, datetime

from sqlalchemy import func, select

from scp_tracker.core.clock import today_in_london
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.reminders.digests import QueuedEmail, RunSummary
from scp_tracker.reminders.quiet import is_weekly_due, monday_of
from scp_tracker.reminders.rules import ObjectiveFacts, ReminderSettings

SUMMARY_KIND = "reminder_summary"


def last_summary_at() -> datetime | None:
    """When the last summary was queued (one query)."""
    return db.session.scalar(select(func.max(OutboxMessage.created_at)).where(OutboxMessage.kind == SUMMARY_KIND))


def is_summary_due(today: date, settings: ReminderSettings) -> bool:
    """Daily: every run day. Weekly: on the weekly day, or the first run after it that week with none sent yet."""
    last = last_summary_at()
    if last is not None and today_in_london(last) >= today:
        return False
    if settings.summary_daily:
        return True
    return is_weekly_due(today, settings) and (last is None or today_in_london(last) < monday_of(today))


def build_summary(nobody_to_remind: list[ObjectiveFacts]) -> RunSummary:
    """What happened since the last summary, read from the outbox (this run's emails are queued already)."""
    last = last_summary_at()
    emails = select(OutboxMessage.to_address, OutboxMessage.subject).where(OutboxMessage.kind == "reminder_digest")
    failures = select(OutboxMessage.to_address, OutboxMessage.subject, OutboxMessage.failed_at,
                      OutboxMessage.last_error).where(OutboxMessage.status == "failed")
    if last is not None:
        emails = emails.where(OutboxMessage.created_at > last)
        failures = failures.where(OutboxMessage.failed_at > last)
    return RunSummary(
        since=today_in_london(last) if last is not None else None,
        emails=[QueuedEmail(to, subject) for to, subject in db.session.execute(
            emails.order_by(OutboxMessage.created_at, OutboxMessage.id))],
        nobody_to_remind=nobody_to_remind,
        failures=[row for row in db.session.execute(failures.order_by(OutboxMessage.failed_at, OutboxMessage.id))],
    )
