"""Queueing email with what caused it, and delivering what is due: retries with back-off, never twice."""

import hashlib
import logging
import random
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_mail import BadHeaderError
from sqlalchemy import Table, bindparam, func, select, true, update

from scp_tracker.core.clock import utcnow
from scp_tracker.core.db_types import execute_dml, insert_for
from scp_tracker.extensions import db
from scp_tracker.mail import sender
from scp_tracker.mail.models import STATUSES, OutboxMessage
from scp_tracker.mail.signals import message_failed_permanently

logger = logging.getLogger(__name__)

# How long a deliverer may hold a claimed message before another may take it back: longer than any
# batch takes, short enough that a crashed deliverer's messages go out the same morning.
LEASE = timedelta(minutes=15)
# Waits before the 1st, 2nd, 3rd… retry; the last one repeats until GIVE_UP_AFTER.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
)
# Up to 20% later, so messages held back by one outage do not all hit the server at the same moment.
JITTER = 0.2
GIVE_UP_AFTER = timedelta(days=3)

# How a delivery error is handled (see _judge).
PERMANENT, TEMPORARY, CONNECTION, STOP = "permanent", "temporary", "connection", "stop"


class OutboxError(Exception):
    """A request about the outbox that cannot be met; the message is for the coordinator."""


@dataclass
class DeliveryReport:
    """What one delivery run did, for the CLI and the logs."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    remaining: int = 0  # due now but not sent in this run (batch full, or delivery stopped)
    stopped: str | None = None  # why delivery stopped early: the server refused our login or sender

    def summary(self) -> str:
        """One line such as "Sent 3, 1 will be retried, 0 failed, 0 still queued"."""
        return (
            f"Sent {self.sent}, {self.retrying} will be retried, {self.failed} failed, "
            f"{self.remaining} still queued"
        )


@dataclass(frozen=True)
class _Claim:
    """A message this run holds, with what its retry decision needs."""

    id: int
    key: str
    attempts: int
    queued_at: datetime
    email: sender.OutgoingEmail


def message_id_for(key: str) -> str:
    """The Message-ID header for an outbox key: stable, so a repeat delivery is recognisably the same email."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@scp-tracker>"


def normalise_address(address: str) -> str:
    """The address in its normal form, or ValueError saying what is wrong with it."""
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"{address!r} is not a valid email address: {error}") from None


def enqueue(
    *,
    to: str,
    subject: str,
    text_body: str,
    html_body: str | None = None,
    key: str,
    kind: str = "",
    reply_to: str | None = None,
    now: datetime | None = None,
) -> OutboxMessage | None:
    """Queue one email in the caller's transaction; None when an email with this key was already queued.

    Nothing is sent until the caller commits, so a rolled-back change sends nothing.
    """
    if not key:
        raise ValueError("An outbox key is required, so the same email is never queued twice")
    if "\n" in subject or "\r" in subject:
        raise ValueError("An email subject must be a single line")
    now = now or utcnow()
    values = {
        "key": key,
        "to_address": normalise_address(to),
        "subject": subject,
        "text_body": text_body,
        "html_body": html_body,
        "reply_to": normalise_address(reply_to) if reply_to else None,
        "message_id": message_id_for(key),
        "kind": kind,
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "queued_at": now,
    }
    statement = (
        insert_for(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessage.id)
    )
    new_id = db.session.execute(statement).scalar_one_or_none()
    if new_id is None:
        logger.debug("Outbox: %s was already queued", key)
        return None
    logger.debug("Outbox: queued %s", key)
    return db.session.get(OutboxMessage, new_id)


def deliver_due(now: datetime, retry_now: bool = False, batch_size: int = 100) -> DeliveryReport:
    """Send what is due over one SMTP connection; each message is claimed first so it is sent once.

    Unlike other services this one commits: claims and results go in short transactions of their
    own, and no transaction is held open while talking to the mail server.
    """
    report = DeliveryReport()
    _take_back_abandoned(now)
    claims = _claim_due(now, retry_now, batch_size)
    if claims:
        _send(claims, now, report)
    report.remaining = db.session.execute(select(func.count()).where(_is_due(now, retry_now))).scalar_one()
    db.session.commit()
    if report.sent or report.retrying or report.failed or report.stopped:
        logger.info("Outbox: %s", report.summary())
    return report


def _is_due(now: datetime, retry_now: bool):
    """Queued, and its back-off has passed (or we were told to ignore back-off)."""
    return (OutboxMessage.status == "queued") & (true() if retry_now else OutboxMessage.next_attempt_at <= now)


def _take_back_abandoned(now: datetime) -> None:
    """Requeue messages whose deliverer stopped before recording the result (the one window for a repeat)."""
    result = execute_dml(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.lease_until < now)
        .values(
            status="queued",
            lease_until=None,
            next_attempt_at=now,
            last_error="A delivery was interrupted before the mail server confirmed it, so it is being tried again.",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount:
        logger.warning("Outbox: took back %d messages abandoned while sending", result.rowcount)


def _claim_due(now: datetime, retry_now: bool, batch_size: int) -> list[_Claim]:
    """Claim up to batch_size due messages in one conditional UPDATE, returning what sending needs."""
    m = OutboxMessage
    due = (
        select(m.id)
        .where(_is_due(now, retry_now))
        .order_by(m.next_attempt_at, m.id)
        .limit(batch_size)
        # PostgreSQL: a second deliverer skips the rows the first is claiming rather than waiting for them
        # (SQLite leaves this out: its one write lock, taken before the statement reads, queues the claims).
        .with_for_update(skip_locked=True)
        # Chosen once: as a plain subquery PostgreSQL may run it again for each row, claiming past the limit.
        .cte("due")
        .prefix_with("MATERIALIZED")
    )
    rows = db.session.execute(
        update(m)
        .where(m.id.in_(select(due.c.id)), m.status == "queued")  # still queued: never claimed twice
        .values(status="sending", lease_until=now + LEASE)
        .returning(
            m.id, m.key, m.attempts, m.queued_at, m.next_attempt_at, m.to_address, m.subject, m.text_body,
            m.html_body, m.reply_to, m.message_id,
        )
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    # RETURNING gives rows in no particular order: send the longest waiting first.
    rows = sorted(rows, key=lambda row: (row.next_attempt_at, row.id))
    return [
        _Claim(
            id=row.id,
            key=row.key,
            attempts=row.attempts,
            queued_at=row.queued_at,
            email=sender.OutgoingEmail(
                to_address=row.to_address,
                subject=row.subject,
                text_body=row.text_body,
                html_body=row.html_body,
                reply_to=row.reply_to,
                message_id=row.message_id,
            ),
        )
        for row in rows
    ]


def _send(claims: list[_Claim], now: datetime, report: DeliveryReport) -> None:
    """Send the claimed messages over one connection, recording each result as soon as it is known."""
    done: set[int] = set()
    try:
        with sender.smtp_connection() as connection:
            for claim in claims:
                try:
                    sender.send(connection, claim.email)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, BadHeaderError, UnicodeError) as error:
                    verdict, reason = _judge(error)
                    _record_failure(claim, now, reason, permanent=verdict == PERMANENT, report=report)
                else:
                    _record_sent(claim, now, report)
                done.add(claim.id)
    except (smtplib.SMTPException, OSError) as error:
        # The connection failed, or the server refused our login or sender: judge what is left.
        verdict, reason = _judge(error)
        left = [claim for claim in claims if claim.id not in done]
        if verdict == STOP:
            logger.error("Outbox: delivery stopped: %s", reason)
            report.stopped = reason
            for claim in left:
                _release(claim, reason)
        else:
            logger.warning("Outbox: %s", reason)
            for claim in left:
                _record_failure(claim, now, reason, permanent=False, report=report)


def _judge(error: Exception) -> tuple[str, str]:
    """Whether an SMTP error is permanent for the message, worth a retry, or a reason to stop; and why, in words."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return (PERMANENT if code >= 500 else TEMPORARY), f"The mail server refused the address: {code} {_text(reply)}"
    if isinstance(error, smtplib.SMTPDataError):
        verdict = PERMANENT if error.smtp_code >= 500 else TEMPORARY
        return verdict, f"The mail server refused the email: {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, BadHeaderError):
        return PERMANENT, "The email could not be built: a header contains a line break"
    if isinstance(error, UnicodeError):
        # An address with letters such as "ö" before the @ needs SMTPUTF8, which Flask-Mail cannot send:
        # failing this one message keeps it from holding up every message after it.
        return PERMANENT, "The address cannot be sent to: it has characters such as accents before the @"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return STOP, (
            f"The mail server refused our login ({error.smtp_code} {_text(error.smtp_error)}): "
            "check MAIL_USERNAME and MAIL_PASSWORD"
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return STOP, (
            f"The mail server refused the sender {error.sender} ({error.smtp_code} {_text(error.smtp_error)}): "
            "check MAIL_DEFAULT_SENDER"
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return STOP, f"The mail server does not offer what the mail settings ask for: {error}"
    if isinstance(error, smtplib.SMTPResponseException):
        return CONNECTION, f"The mail server is not accepting email now: {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, TimeoutError):
        return CONNECTION, "The mail server did not answer in time"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return CONNECTION, f"The connection to the mail server was lost: {error}"
    return CONNECTION, f"Could not reach the mail server: {getattr(error, 'strerror', None) or error}"


def _text(reply: bytes | str) -> str:
    """An SMTP reply as text."""
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts, with jitter."""
    base = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    return base * (1 + random.uniform(0, JITTER))


def _record_sent(claim: _Claim, now: datetime, report: DeliveryReport) -> None:
    """Mark a message sent, in a short transaction of its own."""
    _finish(claim, status="sent", sent_at=now, last_error=None)
    report.sent += 1


def _record_failure(claim: _Claim, now: datetime, reason: str, *, permanent: bool, report: DeliveryReport) -> None:
    """Fail a message for good, or queue it for a later attempt with back-off until it is given up."""
    attempts = claim.attempts + 1
    if not permanent and now - claim.queued_at >= GIVE_UP_AFTER:
        reason = f"Gave up after {GIVE_UP_AFTER.days} days of trying. {reason}"
        permanent = True
    if permanent:
        logger.warning("Outbox: %s failed: %s", claim.key, reason)
        _finish(claim, status="failed", failed_at=now, last_error=reason)
        report.failed += 1
    else:
        _finish(claim, status="queued", next_attempt_at=now + retry_delay(attempts), last_error=reason)
        report.retrying += 1


# Recording a result is the one statement per message: built once, and on the table rather than through the
# ORM, so each costs little more than its SQL. The columns to set come with each call's parameters.
_outbox_table = OutboxMessage.__table__
assert isinstance(_outbox_table, Table)  # a declarative class with __tablename__ maps a Table
_outbox = _outbox_table.c
_RECORD_RESULT = (
    update(_outbox_table)
    .where(_outbox.id == bindparam("outbox_id"), _outbox.status == "sending")
    .values(attempts=_outbox.attempts + 1, lease_until=None)
)


def _finish(claim: _Claim, **values) -> None:
    """Record the outcome of an attempt on a message this run holds, and commit; a failure for good is announced
    in the same transaction, so whoever is told is told once."""
    result = execute_dml(_RECORD_RESULT, {"outbox_id": claim.id, **values})
    if values["status"] == "failed" and result.rowcount == 1:
        message_failed_permanently.send(None, outbox_id=claim.id, to_address=claim.email.to_address,
                                        subject=claim.email.subject, reason=values["last_error"],
                                        now=values["failed_at"])
    db.session.commit()


def _release(claim: _Claim, reason: str) -> None:
    """Put a message back in the queue untried (delivery stopped before its turn), saying why."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claim.id, OutboxMessage.status == "sending")
        .values(status="queued", lease_until=None, last_error=reason)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def resend(outbox_id: int, *, now: datetime | None = None) -> OutboxMessage:
    """Queue a failed email again, restarting its retries (the coordinator fixed the address or the server)."""
    now = now or utcnow()
    result = execute_dml(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id, OutboxMessage.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=now, queued_at=now, failed_at=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise OutboxError("Only an email that failed can be sent again")
    return db.session.get_one(OutboxMessage, outbox_id, populate_existing=True)


def list_messages(*, status: str | None, page: int, per_page: int = 50):
    """A page of outbox messages, newest first, optionally of one status (two queries, however many there are)."""
    statement = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status:
        statement = statement.where(OutboxMessage.status == status)
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def count_by_status() -> dict[str, int]:
    """How many messages there are of each status, every status present (one query)."""
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return counts
