"""The one wrapper around Flask-Mail: an SMTP connection with a timeout, and messages built the same way."""

import binascii
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import compat32
from email.utils import formatdate
from functools import lru_cache

from flask import current_app
from flask_mail import Connection, Message, sanitize_address

from scp_tracker.extensions import mail

# Lines end in CRLF because smtplib sends bytes as they are. compat32 writes headers as they were set, whereas
# email.policy.SMTP (Flask-Mail's) parses each one again every time it is read: half the time of a delivery.
SMTP_BYTES = compat32.clone(linesep="\r\n")
# "==" never occurs in quoted-printable text ("=" starts a hex escape or ends a line), so with every part
# quoted-printable this boundary cannot clash with a body, and the bodies need not be searched for it.
BOUNDARY = "==scp-tracker-alternative=="


@dataclass(frozen=True)
class OutgoingEmail:
    """What is needed to send one outbox message, copied out so no database work happens while sending."""

    to_address: str
    subject: str
    text_body: str
    html_body: str | None
    reply_to: str | None
    message_id: str


class TimeoutConnection(Connection):
    """Flask-Mail's connection with a timeout on every socket operation (Flask-Mail sets none)."""

    def __init__(self, state, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        """Connect, say hello, start TLS and log in, each bounded by the timeout."""
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=self.timeout)
        try:
            host.set_debuglevel(int(self.mail.debug))
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        """Say goodbye if the server is still listening; a broken connection is simply closed."""
        if self.host is None:
            return
        try:
            self.host.quit()
        except (smtplib.SMTPException, OSError):
            self.host.close()


@contextmanager
def smtp_connection() -> Iterator[TimeoutConnection]:
    """One SMTP connection for a batch, with the settings as they are now (Flask-Mail reads them only once)."""
    app = current_app
    state = mail.init_mail(app.config, app.debug, app.testing)
    with TimeoutConnection(state, timeout=float(app.config["MAIL_TIMEOUT_SECONDS"])) as connection:
        yield connection


class SmtpMessage(Message):
    """A Flask-Mail message whose bytes are built once, by the standard library's MIME classes, without re-parsing.

    Flask-Mail's connection still checks the headers for line breaks and sends it; only how the bytes are
    made differs: one multipart/alternative (there are no attachments to wrap), and the light policy above.
    """

    def _message(self) -> MIMENonMultipart | MIMEMultipart:
        """The text part alone, or text and HTML as alternatives, with the headers Flask-Mail would write."""
        text = _text_part(self.body, "plain")
        if not self.html:
            message = text
        else:
            message = MIMEMultipart("alternative", boundary=BOUNDARY, policy=SMTP_BYTES)
            message.attach(text)
            message.attach(_text_part(self.html, "html"))
        message["Subject"] = self.subject  # the policy writes a non-ASCII subject as encoded words
        message["From"] = _header_address(self.sender)
        # Not cached: each recipient comes up about once a day.
        message["To"] = ", ".join(sanitize_address(recipient) for recipient in self.recipients)
        if self.reply_to:
            message["Reply-To"] = _header_address(self.reply_to)
        message["Date"] = formatdate(self.date, localtime=True)
        message["Message-ID"] = self.msgId
        for name, value in (self.extra_headers or {}).items():
            message[name] = value
        return message


def _text_part(text: str, subtype: str) -> MIMENonMultipart:
    """A UTF-8 text part, quoted-printable: lines stay under SMTP's 998 bytes (a long progress note pasted as
    one paragraph would otherwise be refused for good) and the text arrives unchanged."""
    part = MIMENonMultipart("text", subtype, charset="utf-8", policy=SMTP_BYTES)
    part["Content-Transfer-Encoding"] = "quoted-printable"
    # binascii's encoder is the standard library's C one (quopri uses it), many times faster than email's.
    part.set_payload(binascii.b2a_qp(text.encode("utf-8")).decode("ascii"))
    return part


@lru_cache(maxsize=64)
def _header_address(address: str) -> str:
    """An address as a header: a non-ASCII name encoded, the domain in IDNA. Cached: sender and reply-to repeat."""
    return sanitize_address(address)


def build_message(email: OutgoingEmail) -> SmtpMessage:
    """A Flask-Mail message with both parts, From, To, Reply-To and a Message-ID derived from the outbox key."""
    config = current_app.config
    message = SmtpMessage(
        subject=email.subject,
        recipients=[email.to_address],
        body=email.text_body,
        html=email.html_body,
        sender=config["MAIL_DEFAULT_SENDER"],
        reply_to=email.reply_to or config.get("MAIL_REPLY_TO"),
        # RFC 3834: out-of-office replies should not answer an automatic email.
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    message.msgId = email.message_id
    return message


def send(connection: TimeoutConnection, email: OutgoingEmail) -> None:
    """Send one email over an open connection; SMTP errors are raised for the caller to judge."""
    connection.send(build_message(email))
