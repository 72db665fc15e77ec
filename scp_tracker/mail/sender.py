"""The one wrapper around Flask-Mail: messages built by its public `Message`, sent over its `Connection`."""

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.charset import QP, SHORTEST, Charset

from flask import current_app
from flask_mail import Connection, Message

from scp_tracker.extensions import mail

# Bodies quoted-printable: SMTP refuses a line over 998 bytes, and Flask-Mail registers utf-8 for unwrapped 8-bit
# bodies, so a long progress note pasted as one paragraph would be refused for good. `Message(charset=…)` is
# handed to the standard library's MIMEText and Header, which take a Charset as well as a name; this one keeps
# lines under 76 characters and the text exact ("=", trailing spaces, accents), and headers as short as can be.
UTF8_QP = Charset("utf-8")
UTF8_QP.header_encoding = SHORTEST
UTF8_QP.body_encoding = QP


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
    """Flask-Mail's connection with a timeout: the one adapter around Flask-Mail, because Flask-Mail sets none.

    Its `configure_host` opens `smtplib.SMTP(server, port)` with no timeout, so a server that accepts the
    connection and never greets blocks the delivery job forever. This overrides that public method to pass
    `MAIL_TIMEOUT_SECONDS` to smtplib, which bounds connecting, the greeting, STARTTLS, login and every later
    command and send on the socket. For the same reason it says goodbye (`__exit__`) without trusting the
    connection: if QUIT times out or finds it broken, the socket is closed rather than left open. Everything
    else (checking headers for line breaks, sending, the dispatched signal) is Flask-Mail's own.
    """

    def __init__(self, state, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        """Connect, say hello, start TLS and log in, as Flask-Mail does, each step bounded by the timeout."""
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
        """Say goodbye if the server is still listening; a broken or silent connection is simply closed."""
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
        # Flask-Mail annotates charset as str, but hands it on to MIMEText and Header, which take a Charset.
        charset=UTF8_QP,  # type: ignore[arg-type]
        # RFC 3834: out-of-office replies should not answer an automatic email.
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    # The same Message-ID on every attempt, so a message sent twice (a crash after the server took it) is one.
    message.msgId = email.message_id
    return message


def send(connection: TimeoutConnection, email: OutgoingEmail) -> None:
    """Send one email over an open connection; SMTP errors are raised for the caller to judge."""
    connection.send(build_message(email))
