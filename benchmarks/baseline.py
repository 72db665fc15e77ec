"""The baselines the app is measured against: one hand-written SQL query, and plain smtplib.

Each does the least that could do the same job, so the ratio says what the app's layers (the ORM, the
rules, the outbox's claims and retries) cost on top, on the same machine in the same run.
"""

import smtplib
import time
from collections.abc import Iterable
from email.charset import QP, Charset
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formatdate

from scp_tracker.extensions import db
from scp_tracker.mail.sender import OutgoingEmail

# Every fact the reminder run loads (scp_tracker.reminders.facts.load_facts and recorded_keys), in one
# round trip: each part of the UNION is one kind of fact, named in the first column; unused columns are NULL.
# Written for SQLite, the benchmark's database.
FACTS_SQL = """
WITH open_objective AS (
    SELECT objective.id AS id
    FROM objective
    JOIN key_priority ON key_priority.id = objective.key_priority_id
    JOIN plan ON plan.id = key_priority.plan_id
    WHERE objective.status = 'open' AND plan.status != 'archived'
)
SELECT 'objective', o.id, o.title, o.status, o.end_date, o.end_date_status, o.lead_status, o.last_progress_at,
       o.created_at, o.key_priority_id, k.number, k.title, p.status,
       (SELECT u.text FROM progress_update u WHERE u.objective_id = o.id
        ORDER BY u.recorded_at DESC, u.id DESC LIMIT 1),
       EXISTS (SELECT 1 FROM funding_line f WHERE f.objective_id = o.id AND f.status = 'tbc')
FROM objective o
JOIN key_priority k ON k.id = o.key_priority_id
JOIN plan p ON p.id = k.plan_id
WHERE o.id IN (SELECT id FROM open_objective)
UNION ALL
SELECT 'lead', l.objective_id, l.agency_id, a.name, l.position,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM objective_lead l JOIN agency a ON a.id = l.agency_id
WHERE l.objective_id IN (SELECT id FROM open_objective)
UNION ALL
SELECT 'named', c.objective_id, c.contact_id,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM objective_contact c
WHERE c.objective_id IN (SELECT id FROM open_objective)
UNION ALL
SELECT 'key_priority_lead', kl.key_priority_id, kl.agency_id, kl.position,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM key_priority_lead kl
JOIN key_priority k ON k.id = kl.key_priority_id
JOIN plan p ON p.id = k.plan_id
WHERE p.status != 'archived'
UNION ALL
SELECT 'contact', c.id, c.email, c.name, c.agency_id, c.receives_reminders, c.reminders_paused_until,
       cp.opted_out_kinds, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM contact c LEFT JOIN contact_preference cp ON cp.contact_id = c.id
WHERE c.is_active AND c.email IS NOT NULL AND c.email != ''
UNION ALL
SELECT 'coordinator', u.contact_id,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM user_account u
WHERE u.is_enabled AND EXISTS (SELECT 1 FROM user_role ur WHERE ur.user_id = u.id AND ur.role = 'coordinator')
UNION ALL
SELECT 'setting', NULL, s.key, s.value,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM reminder_setting s
UNION ALL
SELECT 'sent', r.objective_id, r.kind, r.stage_or_period, r.contact_id,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM reminder_record r
WHERE r.objective_id IN (SELECT id FROM open_objective)
"""

# Quoted-printable bodies, as the outbox must send them (a line over 998 bytes is refused otherwise), whatever
# else in this process registered utf-8.
UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP

# smtplib sends bytes as they are: the lines must already end in CRLF, as SMTP wants.
SMTP_LINES = compat32.clone(linesep="\r\n")


def fetch_facts() -> tuple[float, int]:
    """Run the one query through the database driver and fetch every row: (seconds, rows)."""
    connection = db.engine.raw_connection()
    try:
        started = time.perf_counter()
        cursor = connection.cursor()
        cursor.execute(FACTS_SQL)
        rows = cursor.fetchall()
        seconds = time.perf_counter() - started
        cursor.close()
    finally:
        connection.close()
    return seconds, len(rows)


def plain_message(email: OutgoingEmail, sender: str) -> MIMEMultipart:
    """The email as a short script builds it with the standard library (the MIME classes Flask-Mail uses too)."""
    message = MIMEMultipart("alternative")
    message["Subject"] = email.subject
    message["From"] = sender
    message["To"] = email.to_address
    if email.reply_to:
        message["Reply-To"] = email.reply_to
    message["Message-ID"] = email.message_id
    message["Date"] = formatdate(localtime=True)
    message.attach(MIMEText(email.text_body, "plain", UTF8_QP))
    if email.html_body:
        message.attach(MIMEText(email.html_body, "html", UTF8_QP))
    return message


def send_plainly(emails: Iterable[OutgoingEmail], *, host: str, port: int, sender: str) -> tuple[float, int]:
    """Build and send each email over one SMTP connection: (seconds, emails sent)."""
    emails = list(emails)
    started = time.perf_counter()
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        for email in emails:
            smtp.sendmail(sender, [email.to_address], plain_message(email, sender).as_bytes(policy=SMTP_LINES))
    return time.perf_counter() - started, len(emails)
