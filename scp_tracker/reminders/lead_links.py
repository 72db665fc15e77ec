"""The one link of a reminder email: it opens "Your objectives" for its contact, stored hashed, sealed to their
address, never changed by opening it (mail scanners open every link), and working until its round closes or it
expires."""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from scp_tracker.core.links import absolute_url, hash_token
from scp_tracker.extensions import db
from scp_tracker.people.link_holders import sealed
from scp_tracker.people.models import Contact
from scp_tracker.reminders.models import LeadLink

LEAD_LINK_LIFETIME = timedelta(days=30)


def issue_lead_links(contact_ids: Iterable[int], now: datetime, *, round_id: int | None = None,
                     lifetime: timedelta = LEAD_LINK_LIFETIME) -> dict[int, str]:
    """A fresh "Your objectives" link for each contact (one batched insert); returns the raw tokens, never stored."""
    raw_tokens, rows = {}, []
    for contact_id in dict.fromkeys(contact_ids):
        raw = sealed(secrets.token_urlsafe(32), db.session.get_one(Contact, contact_id))
        raw_tokens[contact_id] = raw
        rows.append({"token_hash": hash_token(raw), "contact_id": contact_id, "round_id": round_id,
                     "created_at": now, "expires_at": now + lifetime})
    if rows:
        db.session.execute(insert(LeadLink), rows)
    return raw_tokens


def lead_link_url(raw: str) -> str:
    """The address the email shows."""
    return absolute_url(f"/your-objectives/{raw}")


def find_lead_link(raw: str) -> LeadLink | None:
    """The link a token names, whatever its state, or None for one we never issued."""
    if not raw or len(raw) > 200:
        return None
    return db.session.scalar(select(LeadLink).where(LeadLink.token_hash == hash_token(raw)))
