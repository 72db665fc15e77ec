"""The request for an update a coordinator sends from the chasing page, written to the outbox, never sent here.

It carries the same no-password update link as a reminder, so a lead can answer from the email.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template

from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import enqueue
from scp_tracker.people.models import Contact
from scp_tracker.plans.chasing_list import ChaseItem
from scp_tracker.plans.models import Chase
from scp_tracker.plans.update_links import UPDATE_LINK_LIFETIME, issue_update_tokens, update_url


def update_request(item: ChaseItem, contact: Contact, *, asked_by: str, by_user_id: int | None,
                   now: datetime) -> OutboxMessage | None:
    """Ask one lead for an update on one objective, recording the chase; None when already asked this minute."""
    assert contact.email is not None  # lead_recipients offers only contacts with an address
    objective = item.objective
    key = f"chase:{objective.id}:{contact.id}:{now:%Y%m%dT%H%M}"
    raw = issue_update_tokens([(contact.id, objective.id)], now)[(contact.id, objective.id)]
    subject = f"Update needed: {objective.title}"
    context = {
        "subject": subject,
        "name": contact.name,
        "asked_by": asked_by,
        "objective": objective,
        "reasons": item.reasons,
        "link": update_url(raw),
        "link_expires_on": (now + UPDATE_LINK_LIFETIME).date(),
        "service_name": current_app.config["SERVICE_NAME"],
        "partnership_name": current_app.config["PARTNERSHIP_NAME"],
    }
    message = enqueue(
        to=contact.email,
        subject=subject,
        text_body=render_template("emails/update_request.txt", **context),
        html_body=render_template("emails/update_request.html", **context),
        key=key,
        kind="update_request",
        now=now,
    )
    if message is not None:
        db.session.add(Chase(objective_id=objective.id, contact_id=contact.id, chased_at=now, by_user_id=by_user_id,
                             outbox_key=key))
    return message


@dataclass
class ChaseResult:
    """What asking for updates wrote to the outbox, and which objectives had nobody to ask."""

    emails: int
    objectives: int
    nobody_to_ask: list[str]


def request_updates(items: list[ChaseItem], *, actor: Actor, now: datetime) -> ChaseResult:
    """Write one request for an update per lead of each chosen objective to the outbox (delivered after commit)."""
    emails, asked, nobody = 0, 0, []
    for item in items:
        if not item.recipients:
            nobody.append(item.objective.title)
            continue
        asked += 1
        for contact in item.recipients:
            if update_request(item, contact, asked_by=actor.name, by_user_id=actor.user_id, now=now):
                emails += 1
    return ChaseResult(emails=emails, objectives=asked, nobody_to_ask=nobody)
