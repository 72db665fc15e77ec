"""Updating an objective from an emailed link, and emailing a fresh link in place of a used or expired one."""

from datetime import datetime

from sqlalchemy import select

from scp_tracker.core.clock import today_in_london
from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import enqueue
from scp_tracker.plans import update_links
from scp_tracker.plans.models import UpdateToken
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.reminders import digests, link_access
from scp_tracker.reminders.digest_building import reply_to_address
from scp_tracker.reminders.services import ReminderError

LINK_PROBLEMS = {
    "unknown": "This link is not one we sent, or it was copied incompletely.",
    "used": "This link has already been used to send an update.",
    "revoked": "This link has been replaced by a newer one.",
    "expired": "This link has expired.",
    "closed": "This link was for a round of updates that has now closed.",
    "withdrawn": "This link no longer works: the email address it was sent to has changed, the person it was sent to "
                 "no longer has access, or they no longer lead this objective. Ask the partnership's coordinator "
                 "for a new one.",
}


class LinkError(ReminderError):
    """An emailed link that cannot be used; `state` is a key of LINK_PROBLEMS."""

    def __init__(self, state: str, token: UpdateToken | None = None):
        super().__init__(LINK_PROBLEMS[state])
        self.state = state
        self.token = token


def usable_token(raw: str, now: datetime) -> UpdateToken:
    """The token of a link that can still be used, or LinkError saying why not. Changes nothing."""
    token = update_links.find_update_token(raw)
    if token is None:
        raise LinkError("unknown")
    # Checked on opening and again on submitting (update_from_link calls this): a link dies with a change of
    # address, a disabled login, a departure, or the objective moving away from its holder.
    if not link_access.may_use(raw, token):
        raise LinkError("withdrawn")  # no token: a new link is not offered, the coordinator decides
    state = token.state(now)
    if state != "usable":
        raise LinkError(state, token)
    return token


def update_from_link(raw: str, values: ProgressValues, *, now: datetime) -> UpdateToken:
    """Use the link up and record the update as its contact, in the caller's transaction.

    The conditional UPDATE makes two submissions of one link (a double click, two tabs) record one update.
    The objective is the link's own: nothing in the form can point it at another.
    """
    token = usable_token(raw, now)
    if not update_links.use_update_token(token, now):
        db.session.refresh(token)
        raise LinkError(token.state(now), token)
    add_progress(token.objective, values, Actor.for_contact(token.contact), now=now)
    return token


def send_fresh_link(token: UpdateToken, *, now: datetime) -> bool:
    """Email the link's contact a new link to the same objective; False when one was already sent today."""
    contact, objective = token.contact, token.objective
    if not link_access.may_send_link(contact, objective):
        raise ReminderError("We cannot send a new link to this address. Please contact the coordinator.")
    key = f"fresh-link:{today_in_london(now).isoformat()}:{contact.id}:{objective.id}"
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return False
    update_links.revoke_update_tokens(contact_id=contact.id, objective_id=objective.id, now=now)
    raw = update_links.issue_update_tokens([(contact.id, objective.id)], now)[(contact.id, objective.id)]
    email = digests.fresh_link_email(contact, objective, link=update_links.update_url(raw),
                                     expires_at=now + update_links.UPDATE_LINK_LIFETIME)
    assert contact.email is not None  # may_send_link above requires an address
    return enqueue(to=contact.email, subject=email.subject, text_body=email.text, html_body=email.html,
                   key=key, kind="reminder_link", reply_to=reply_to_address(), now=now) is not None
