"""The change history: every change of an objective, a funding line or a lead is recorded here."""

from dataclasses import dataclass

from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db


@dataclass(frozen=True)
class Actor:
    """Who made a change: a logged-in user, a contact using an emailed link, or the system (import, CLI)."""

    name: str
    source: str = "web"  # web | email_link | import | cli
    user_id: int | None = None
    contact_id: int | None = None

    @classmethod
    def for_user(cls, user, source: str = "web") -> "Actor":
        """The actor for a logged-in user."""
        return cls(name=user.contact.name, source=source, user_id=user.id, contact_id=user.contact_id)

    @classmethod
    def for_contact(cls, contact, source: str = "email_link") -> "Actor":
        """The actor for a contact acting through an emailed link."""
        return cls(name=contact.name, source=source, contact_id=contact.id)


def _text(value) -> str | None:
    """How a value is written in the history: dates ISO, lists joined, None as None."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def record_change(actor: Actor, *, entity: str, entity_id: int | None, field: str, before, after,
                  objective_id: int | None = None) -> ChangeRecord | None:
    """Add a history row when a value really changed; the caller commits with the change itself."""
    before_text, after_text = _text(before), _text(after)
    if before_text == after_text:
        return None
    record = ChangeRecord(
        actor_user_id=actor.user_id, actor_contact_id=actor.contact_id, actor_name=actor.name,
        source=actor.source, entity=entity, entity_id=entity_id, objective_id=objective_id,
        field=field, before=before_text, after=after_text,
    )
    db.session.add(record)
    return record


def set_fields(actor: Actor, target, changes: dict, *, entity: str, objective_id: int | None = None) -> list[str]:
    """Apply field changes to a model, recording each one that differs; returns the changed field names."""
    changed = []
    for field, value in changes.items():
        before = getattr(target, field)
        if record_change(actor, entity=entity, entity_id=target.id, field=field, before=before, after=value,
                         objective_id=objective_id):
            setattr(target, field, value)
            changed.append(field)
    return changed
