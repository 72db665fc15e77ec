"""The one wrapper around Flask-Mail: an SMTP connection with a timeout, and messages built the same way."""

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import charset

from flask import current_app
from flask_mail import Connection, Message

from scp_tracker.extensions import mail

# Flask-Mail registers utf-8 bodies as unencoded 8-bit at import, so a line over SMTP's 998 bytes (a long
# progress note pasted as one paragraph) is refused for good. Quoted-printable wraps lines and keeps text.
charset.add_charset("utf-8", charset.SHORTEST, charset.QP, "utf-8")


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


def build_message(email: OutgoingEmail) -> Message:
    """A Flask-Mail message with both parts, From, To, Reply-To and a Message-ID derived from the outbox key."""
    config = current_app.config
    message = Message(
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
