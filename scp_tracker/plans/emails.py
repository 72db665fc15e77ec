"""The request for an update a coordinator sends from the chasing page, written to the outbox, never sent here."""

from datetime import datetime

from flask import current_app, render_template, url_for

from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import enqueue
from scp_tracker.people.models import Contact
from scp_tracker.plans.queries import ChaseItem, chase_key_prefix


def update_request(item: ChaseItem, contact: Contact, *, asked_by: str, now: datetime) -> OutboxMessage | None:
    """Ask one lead for an update on one objective; None when the same request was already queued this minute."""
    objective = item.objective
    subject = f"Update needed: {objective.title}"
    context = {
        "subject": subject,
        "name": contact.name,
        "asked_by": asked_by,
        "objective": objective,
        "reasons": item.reasons,
        "link": current_app.config["BASE_URL"].rstrip("/")
        + url_for("plans.add_progress", objective_id=objective.id),
        "service_name": current_app.config["SERVICE_NAME"],
        "partnership_name": current_app.config["PARTNERSHIP_NAME"],
    }
    return enqueue(
        to=contact.email,
        subject=subject,
        text_body=render_template("emails/update_request.txt", **context),
        html_body=render_template("emails/update_request.html", **context),
        key=f"{chase_key_prefix(objective.id)}{contact.id}:{now:%Y%m%dT%H%M}",
        kind="update_request",
        now=now,
    )
