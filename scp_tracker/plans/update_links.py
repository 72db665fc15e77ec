"""Emailed links that open a person's update form without a password: random tokens stored hashed."""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from scp_tracker.core.db_types import execute_dml
from scp_tracker.core.links import absolute_url, hash_token
from scp_tracker.extensions import db
from scp_tracker.people.link_holders import sealed
from scp_tracker.people.models import Contact
from scp_tracker.plans.models import UpdateToken

# Bound to one person and one objective, used up when the form is submitted, expiring after this.
UPDATE_LINK_LIFETIME = timedelta(days=30)


def new_token(contact: Contact) -> tuple[str, str]:
    """A random token for a contact's link, sealed to their current address, and the hash stored instead of it."""
    raw = sealed(secrets.token_urlsafe(32), contact)
    return raw, hash_token(raw)


def update_url(raw: str) -> str:
    """The emailed link that opens an objective's update form."""
    return absolute_url(f"/update/{raw}")


def issue_update_tokens(pairs: Iterable[tuple[int, int]], now: datetime,
                        lifetime: timedelta = UPDATE_LINK_LIFETIME) -> dict[tuple[int, int], str]:
    """A fresh update link for each (contact id, objective id); returns the raw tokens, which are never stored.

    Each is sealed to its contact's current address (people.link_holders), so it dies if the address changes.
    """
    raw_tokens, rows = {}, []
    for contact_id, objective_id in dict.fromkeys(pairs):
        # The callers hold the contacts already: get() finds them in the session without a query.
        raw, hashed = new_token(db.session.get_one(Contact, contact_id))
        raw_tokens[(contact_id, objective_id)] = raw
        rows.append({"token_hash": hashed, "contact_id": contact_id, "objective_id": objective_id,
                     "created_at": now, "expires_at": now + lifetime})
    if rows:
        db.session.execute(insert(UpdateToken), rows)  # one batched statement, however many links
    return raw_tokens


def find_update_token(raw: str) -> UpdateToken | None:
    """The token a link carries, whatever its state, or None for a link we never issued."""
    if not raw or len(raw) > 200:
        return None
    return db.session.scalar(select(UpdateToken).where(UpdateToken.token_hash == hash_token(raw)))


def use_update_token(token: UpdateToken, now: datetime) -> bool:
    """Use a link up, atomically: False when it was used, revoked or expired first (by another request too)."""
    result = execute_dml(
        update(UpdateToken)
        .where(UpdateToken.id == token.id, UpdateToken.used_at.is_(None), UpdateToken.revoked_at.is_(None),
               UpdateToken.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def revoke_update_tokens(*, contact_id: int, objective_id: int, now: datetime) -> int:
    """Revoke a contact's unused links to one objective, so only the newest one sent works."""
    result = execute_dml(
        update(UpdateToken)
        .where(UpdateToken.contact_id == contact_id, UpdateToken.objective_id == objective_id,
               UpdateToken.used_at.is_(None), UpdateToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
