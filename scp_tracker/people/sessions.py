"""Sessions: a login's session id, held by every session and remember-me cookie; a new one signs it out everywhere."""

import secrets

from scp_tracker.extensions import db
from scp_tracker.people.models import User


def new_session_token() -> str:
    """A fresh session id: every session holding the old one is signed out."""
    return secrets.token_hex(32)


def end_sessions(user: User) -> None:
    """Sign a login out everywhere: every session and remember-me cookie holds the old session id."""
    user.session_token = new_session_token()
    db.session.flush()
