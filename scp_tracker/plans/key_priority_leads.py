"""The people who hold the key priority lead role: named on the plan page beside each key priority, and the key
priorities offered when someone is given the role (people.key_priorities asks through `register`)."""

from collections.abc import Iterable

from flask import Flask
from sqlalchemy import bindparam, func, select

from scp_tracker.extensions import db
from scp_tracker.people.key_priorities import PROVIDER
from scp_tracker.people.models import KEY_PRIORITY_LEAD, Agency, Contact, User, UserRole
from scp_tracker.plans.lookup import in_use
from scp_tracker.plans.models import KeyPriority, Plan

# Built once and run on the session's connection: the plan list names the leads on every view, and building the
# statement cost more than running it.
_LEAD_PEOPLE = (
    select(UserRole.key_priority_id, Contact.name, Agency.abbreviation)
    .join(User, UserRole.user_id == User.id).join(Contact, User.contact_id == Contact.id)
    .join(Agency, Contact.agency_id == Agency.id)
    .where(UserRole.role == KEY_PRIORITY_LEAD, UserRole.key_priority_id.in_(bindparam("ids", expanding=True)),
           User.is_enabled.is_(True), Contact.is_active.is_(True))
    .order_by(UserRole.key_priority_id, func.lower(Contact.name))
)


def lead_people(key_priority_ids: Iterable[int]) -> dict[int | None, list[str]]:
    """{key priority id: "Name (agency abbreviation)" of each enabled login leading it, by name} (one query)."""
    found: dict[int | None, list[str]] = {}
    ids = list(key_priority_ids)
    if not ids:
        return found
    for key_priority_id, name, agency in db.session.connection().execute(_LEAD_PEOPLE, {"ids": ids}):
        found.setdefault(key_priority_id, []).append(f"{name} ({agency})")
    return found


def key_priority_labels(ids: Iterable[int] | None = None) -> dict[int, str]:
    """{id: "2016-17, key priority 1: Title"} of the key priorities of plans in use that are not retired, or of
    these ids (one query)."""
    query = (select(KeyPriority.id, Plan.year, KeyPriority.number, KeyPriority.title)
             .join(Plan, KeyPriority.plan_id == Plan.id)
             .order_by(Plan.starts_on.desc().nulls_last(), Plan.year, KeyPriority.number))
    if ids is None:
        query = query.where(in_use(), KeyPriority.retired_on.is_(None))
    else:
        query = query.where(KeyPriority.id.in_(list(ids)))
    return {kp_id: f"{year}, key priority {number}: {title}"
            for kp_id, year, number, title in db.session.execute(query)}


def register(app: Flask) -> None:
    """Offer the key priorities to the people area's forms and pages."""
    app.extensions[PROVIDER] = key_priority_labels
