"""Links to a person's reminder preferences: signed, long-lived, letting them only quieten their own reminders."""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from scp_tracker.plans.update_links import absolute_url

# A preferences link only lets a person quieten their own reminders, so it may live longer than an update link.
PREFERENCES_LINK_LIFETIME = timedelta(days=90)


def _preferences_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="reminder-preferences")


def preferences_token(contact_id: int) -> str:
    """A signed link token that opens a contact's reminder preferences (pause, kinds, calendar)."""
    return _preferences_serializer().dumps(contact_id)


def preferences_url(contact_id: int) -> str:
    """The emailed link to a contact's reminder preferences."""
    return absolute_url(f"/preferences/{preferences_token(contact_id)}")


def contact_id_from_preferences_token(token: str) -> int | None:
    """The contact a preferences link was made for, or None when it is forged or too old."""
    try:
        contact_id = _preferences_serializer().loads(token, max_age=int(PREFERENCES_LINK_LIFETIME.total_seconds()))
    except BadSignature:
        return None
    return contact_id if isinstance(contact_id, int) else None
