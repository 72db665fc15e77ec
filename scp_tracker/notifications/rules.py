"""Who hears what, and how: the kinds of notification, their defaults, and the rules that pick recipients.

Plain data in, plain data out (no Flask, no database), like the reminder rules.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from scp_tracker.plans.leads import Remindable
from scp_tracker.plans.signals import ObjectiveSnapshot

DELIVERY_LABELS = {
    "email": "At once, by email",
    "digest": "In my daily email",
    "app": "In SCP Tracker only",
    "off": "Off",
}
DELIVERIES = tuple(DELIVERY_LABELS)


@dataclass(frozen=True)
class Kind:
    """A kind of notification: what people choose about, and what they get unless they choose."""

    label: str
    description: str
    default: str  # a key of DELIVERY_LABELS
    coordinator_only: bool = False


# In the order the settings page shows them. At once by default: what a lead waits for or must act on, an
# objective turning red, and anything broken; the rest waits for the daily email.
KINDS = {
    "lead_assigned": Kind("You are made a lead",
                          "When you, or your agency, are made lead of an objective", "email"),
    "objective_changed": Kind("Changes to objectives you lead",
                              "When someone else changes the end date, funding or lead of an objective you lead",
                              "digest"),
    # One kind for the answers to a lead's requests (end dates and funding): people choose once how they hear them.
    "end_date_decided": Kind("Answers to your requests",
                             "When the coordinator approves or declines moving an end date or the funding you "
                             "proposed", "email"),
    "event_recorded": Kind("Events recorded",
                           "When a partner records an event held for an objective you lead", "digest"),
    "progress_worse": Kind("Objectives turning red or getting worse",
                           "When progress is added and the objective’s RAG turns red or gets worse", "email",
                           coordinator_only=True),
    "progress_added": Kind("Other progress updates",
                           "When a lead adds progress and the RAG stays the same or gets better", "digest",
                           coordinator_only=True),
    "end_date_requested": Kind("Requests to move an end date",
                               "When a lead asks to move an objective’s end date, for you to approve or decline",
                               "email", coordinator_only=True),
    "funding_requested": Kind("Proposed funding",
                              "When a lead proposes the funding of an objective whose funding is TBC, for you to "
                              "approve or decline", "email", coordinator_only=True),
    "email_failed": Kind("Emails that could not be delivered",
                         "When the mail server refuses an email for good", "email", coordinator_only=True),
    "scheduler_stopped": Kind("The scheduler stopping",
                              "When the scheduler, which sends reminders and emails, has stopped", "email",
                              coordinator_only=True),
}

# Worst last: a RAG "gets worse" when it moves right in this order.
RAG_ORDER = ("green", "amber", "red")


@dataclass(frozen=True)
class Person:
    """Someone who might be told: their agency, whether they can be emailed, and their choices by kind."""

    id: int
    agency_id: int | None = None
    has_email: bool = True
    receives_reminders: bool = True
    choices: Mapping[str, str] = field(default_factory=dict)


def kinds_for(is_coordinator: bool) -> list[str]:
    """The kinds a person can choose about: all of them for the coordinator, the leads' kinds for anyone else."""
    return [kind for kind, about in KINDS.items() if is_coordinator or not about.coordinator_only]


def delivery(person: Person, kind: str) -> str:
    """How this person hears of this kind: their choice or the default; by email only if they have an address."""
    chosen = person.choices.get(kind, KINDS[kind].default)
    if chosen in ("email", "digest") and not person.has_email:
        return "app"
    return chosen


def addressees(kind: str, candidate_ids: Iterable[int], people: Mapping[int, Person], *,
               actor_contact_id: int | None, app_only: Iterable[int] = ()) -> list[tuple[int, str]]:
    """(contact id, delivery) of each person to tell, once each, in order: never the person who acted,
    nobody unknown (left, or no longer a contact), nobody who turned the kind off."""
    app_only = set(app_only)
    result = []
    for contact_id in dict.fromkeys(candidate_ids):
        if contact_id == actor_contact_id or contact_id not in people:
            continue
        how = delivery(people[contact_id], kind)
        if how == "off":
            continue
        result.append((contact_id, "app" if contact_id in app_only else how))
    return result


def lead_ids(named_contact_ids: Iterable[int], agency_ids: Iterable[int], people: Mapping[int, Person]) -> list[int]:
    """An objective's leads, as reminders count them (plans.leads), among these people."""
    return Remindable((pid, person.agency_id) for pid, person in people.items()
                      if person.receives_reminders and person.has_email).leads(named_contact_ids, agency_ids)


def lead_change_audience(leads_before: list[int], leads_after: list[int]) -> tuple[list[int], list[int]]:
    """(made lead, told of the change): new leads are told they are a lead; leads before and after, of the change."""
    made_lead = [cid for cid in leads_after if cid not in leads_before]
    others = [cid for cid in dict.fromkeys([*leads_before, *leads_after]) if cid not in made_lead]
    return made_lead, others


def changes_between(before: ObjectiveSnapshot, after: ObjectiveSnapshot) -> list[tuple[str, str, str]]:
    """(what, before, after) of each part of an objective people are told about that changed."""
    parts = (("End date", "end_date"), ("Funding", "funding"), ("Lead agencies", "lead_agencies"),
             ("Named leads", "lead_contacts"))
    return [(label, getattr(before, name), getattr(after, name)) for label, name in parts
            if getattr(before, name) != getattr(after, name)]


def rag_worsened(before: str | None, after: str | None) -> bool:
    """Whether a RAG turned red, or moved from green towards red; setting a first RAG that is not red is not worse."""
    if after not in RAG_ORDER or before == after:
        return False
    if after == "red":
        return True
    return before in RAG_ORDER and RAG_ORDER.index(after) > RAG_ORDER.index(before)


def progress_kind(rag_before: str | None, rag_after: str | None) -> str:
    """Which kind of notification a progress update is: worse (at once by default) or not."""
    return "progress_worse" if rag_worsened(rag_before, rag_after) else "progress_added"
