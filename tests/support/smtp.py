"""A real SMTP server on loopback for email tests: it records what it receives, and can refuse, go down or hang."""

import email
import socket
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from support.database import ALLOWED_SMTP_PORTS

REFUSALS = {
    550: "550 5.1.1 Mailbox unavailable",
    451: "451 4.3.0 Temporary failure, try again later",
}


@dataclass
class ReceivedEmail:
    """One message as the server received it: the envelope and the parsed email."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    peer: tuple  # the client's address and port: one per SMTP connection


class RecordingHandler:
    """An aiosmtpd handler that keeps every message and refuses the recipients it is told to."""

    def __init__(self) -> None:
        self.received: list[ReceivedEmail] = []
        self.refusals: dict[str, str] = {}
        self.refused_senders: set[str] = set()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        """Refuse a sender we were told to, accept any other."""
        if address.lower() in self.refused_senders:
            return "553 5.7.1 Sender address rejected: not owned by user"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Refuse an address we were told to, accept any other."""
        reply = self.refusals.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Keep the message, parsed, beside its envelope."""
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(ReceivedEmail(envelope.mail_from, list(envelope.rcpt_tos), message, session.peer))
        return "250 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that a test can stop, start again, or make hang."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = RecordingHandler()
        self._controller: Controller | None = None
        self._silent_socket: socket.socket | None = None
        self._login: tuple[str, str] | None = None

    @property
    def received(self) -> list[ReceivedEmail]:
        """Every message received so far, in order."""
        return self.handler.received

    def received_by(self, address: str) -> list[ReceivedEmail]:
        """The messages whose envelope was addressed to this address."""
        return [r for r in self.received if address in r.rcpt_tos]

    def refuse(self, address: str, code: int = 550) -> None:
        """Refuse this recipient from now on with a 550 (permanent) or 451 (try later)."""
        self.handler.refusals[address.lower()] = REFUSALS[code]

    def accept(self, address: str) -> None:
        """Stop refusing this recipient."""
        self.handler.refusals.pop(address.lower(), None)

    def refuse_sender(self, address: str) -> None:
        """Refuse this envelope sender with a 553, as a server does for an address we may not send from."""
        self.handler.refused_senders.add(address.lower())

    def require_login(self, username: str, password: str) -> None:
        """Restart asking for a login (AUTH over plain SMTP: loopback only)."""
        self._login = (username, password)
        self.start()

    def start(self) -> None:
        """Listen and answer (again), keeping what was received before."""
        self.stop()
        options = {}
        if self._login:
            options = {"authenticator": self._authenticate, "auth_require_tls": False}
        # A stopped controller's loop is closed, so each start needs a new one.
        self._controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, server_hostname="localhost", **options
        )
        self._controller.start()

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        """Accept only the username and password given to require_login."""
        login = (auth_data.login.decode(), auth_data.password.decode())
        return AuthResult(success=login == self._login, handled=False)

    def stop(self) -> None:
        """Stop listening: connections are refused, as when the mail server is down."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._silent_socket is not None:
            self._silent_socket.close()
            self._silent_socket = None

    def hang(self) -> None:
        """Accept connections but never greet: a client without a timeout would wait forever."""
        self.stop()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(8)  # the kernel completes the handshake; nobody ever answers
        self._silent_socket = listener


def free_port() -> int:
    """A port nothing listens on (aiosmtpd cannot be given port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """A running SMTP server that the app sends to, allowed by the SMTP guard for this test only."""
    server = SmtpServer(free_port())
    server.start()
    ALLOWED_SMTP_PORTS.add(server.port)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    # Flask-Mail copied the settings when it was set up: keep its copy in step too.
    app.extensions["mail"].server = "127.0.0.1"
    app.extensions["mail"].port = server.port
    yield server
    server.stop()
    ALLOWED_SMTP_PORTS.discard(server.port)
