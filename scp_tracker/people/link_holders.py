"""Who may still use an emailed link: links are bound to the address they were sent to and to the person's standing.

A link that grants access without a password (update, preferences, calendar, password links) carries a seal:
an HMAC, under the secret key, of the link's own random part, its contact and the contact's email address when it
was issued. The seal is part of what is stored hashed, so it cannot be edited, and it only matches while the address
is unchanged: a contact whose address changes loses every link sent to the old one. Their standing is checked live:
a contact who has left, or whose login is disabled, can use none of their links.
"""

import hashlib
import hmac

from flask import current_app

from scp_tracker.people.models import Contact

SEAL_LENGTH = 32  # hex digits, appended to the random part: a link stays one run of [A-Za-z0-9_-]


def _seal(key: str, contact: Contact) -> str:
    """The HMAC of a link's random part with its contact's id and current address."""
    message = f"{key}|{contact.id}|{(contact.email or '').strip().lower()}"
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()[:SEAL_LENGTH]


def sealed(raw: str, contact: Contact) -> str:
    """A link token for this contact: the random part and the seal of their current address."""
    return raw + _seal(raw, contact)


def is_sealed_for(link_token: str, contact: Contact) -> bool:
    """Whether a link was issued to the contact's current address (an unsealed, older link never is)."""
    raw, seal = (link_token or "")[:-SEAL_LENGTH], (link_token or "")[-SEAL_LENGTH:]
    return bool(raw and contact.email) and hmac.compare_digest(seal, _seal(raw, contact))


def may_hold_links(contact: Contact) -> bool:
    """Whether a contact may use links emailed to them: not left, with an address, their login (if any) enabled."""
    return bool(contact.is_active and contact.email and (contact.user is None or contact.user.is_enabled))


def holds(link_token: str, contact: Contact) -> bool:
    """Whether a link still works for its contact: issued to their current address, and they may hold links."""
    return may_hold_links(contact) and is_sealed_for(link_token, contact)
