"""Links to a person's reminder preferences: signed, long-lived, letting them only quieten their own reminders."""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from scp_tracker.core.links import absolute_url
from scp_tracker.extensions import db
from scp_tracker.people.link_holders import holds, sealed
from scp_tracker.people.models import Contact

# A preferences link only lets a person quieten their own reminders, so it may live longer than an update link.
PREFERENCES_LINK_LIFETIME = timedelta(days=90)
_SEAL_KEY = "preferences"


def _preferences_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="reminder-preferences")


def preferences_token(contact_id: int) -> str:
    """A signed link token that opens a contact's reminder preferences (pause, kinds, calendar).

    It carries the seal of the contact's current address (people.link_holders): it stops working when that changes.
    """
    contact = db.session.get_one(Contact, contact_id)
    return _preferences_serializer().dumps([contact_id, sealed(_SEAL_KEY, contact)])


def preferences_url(contact_id: int) -> str:
    """The emailed link to a contact's reminder preferences."""
    return absolute_url(f"/preferences/{preferences_token(contact_id)}")


def contact_from_preferences_token(token: str) -> Contact | None:
    """The contact a preferences link was made for, or None when it is forged, too old, or no longer theirs
    (their address changed, their login was disabled, they left)."""
    try:
        payload = _preferences_serializer().loads(token, max_age=int(PREFERENCES_LINK_LIFETIME.total_seconds()))
    except BadSignature:
        return None
    # A link made before links were sealed (a bare contact id) cannot show whose address it was sent to.
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)
            and isinstance(payload[1], str)):
        return None
    contact = db.session.get(Contact, payload[0])
    return contact if contact is not None and holds(payload[1], contact) else None
