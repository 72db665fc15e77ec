"""Edit forms that cannot silently undo someone else's save (the lost update), written once for every edit page.

A form opened to edit a record carries, in two hidden fields, the record's version and a fingerprint of each
value it showed. When it is saved after someone else changed the record, the values it showed are compared with
the record as it is now: if any differs, nothing is saved and the page comes back with the person's own entries
still in the form, a list of what changed since they opened it (the field, its value now), and the form re-stamped
so that saving again applies their entries over the new state. If only things the form does not show changed, the
save goes ahead. The save then claims the row with a conditional UPDATE on the version (scp_tracker.core.versioning),
so two saves at the same moment cannot both pass the check.

    edit = EditGuard(form, version=lambda: objective.version, shown=lambda: ObjectiveForm.initial(objective),
                     model=Objective, record_id=objective.id)
    if form.validate_on_submit():
        edit.save(lambda: services.update_objective(...))
        if not edit.conflict:
            return redirect(...)
    return render_template("plans/edit.html", form=form, edit=edit), edit.status

The template renders `edit_fields(form)` inside the form and `edit_conflict(edit.conflict)` above it
(templates/site/edits.html).
"""

import base64
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from wtforms import HiddenField

from scp_tracker.core.formatting import gov_date
from scp_tracker.core.versioning import claim
from scp_tracker.extensions import db

# The answer to a save refused because the record changed since the form was opened.
CONFLICT_STATUS = 409


class EditVersionFields:
    """The hidden fields of an edit form: the record's version and what the form showed when it was opened."""

    opened_version = HiddenField()  # not "version": a form filled from obj= would take the record's
    opened_values = HiddenField()


@dataclass(frozen=True)
class Conflict:
    """A save refused: the fields that changed since the form was opened, each with its value now."""

    changes: list[tuple[str, str]]


def fingerprint(value: Any) -> str:
    """A short, stable digest of a value as a form shows it (dates, lists and dicts included)."""
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def opened_text(shown: Mapping[str, Any]) -> str:
    """The fingerprints of what a form shows, as the text of a hidden field."""
    digests = {name: fingerprint(value) for name, value in shown.items()}
    return base64.urlsafe_b64encode(json.dumps(digests, separators=(",", ":")).encode()).decode()


def _decode(text: str | None) -> dict[str, str]:
    """The fingerprints a form was opened with; nothing if the field is missing or was tampered with."""
    try:
        digests = json.loads(base64.urlsafe_b64decode((text or "").encode()))
    except (ValueError, TypeError):
        return {}
    return digests if isinstance(digests, dict) else {}


def describe(field, value: Any) -> str:
    """A value as the person reads it on the conflict page: the label of a choice, a date in words, "Not set"."""
    if value is None or value == "" or value == []:
        return "Not set"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return gov_date(value)
    labels = {str(choice.value): str(choice.label) for choice in getattr(field, "choices", None) or ()
              if hasattr(choice, "value")}
    values = value if isinstance(value, list | tuple) else [value]
    return ", ".join(labels.get(str(item), str(item)) for item in values)


NOT_SHOWN = ("csrf_token", "submit", "opened_version", "opened_values")


def shown_values(form) -> dict[str, Any]:
    """What a form filled from a record (formdata=None) shows, by field, without the token, buttons and stamp."""
    return {name: value for name, value in form.data.items() if name not in NOT_SHOWN}


class EditGuard:
    """The check an edit form goes through before its values are applied; see the module's docstring."""

    def __init__(self, form, *, version: Callable[[], Any], shown: Callable[[], Mapping[str, Any]], model=None,
                 record_id=None, describe_as: Mapping[str, Callable[[], str]] | None = None):
        """`version` and `shown` read the record as it is now; `model` and `record_id` name the row to claim
        (omitted for settings kept as several rows, whose version is a fingerprint of all of them);
        `describe_as` words a field's value now where the generic wording would not do (a list of sub-forms)."""
        self.form, self.model, self.record_id = form, model, record_id
        self._version, self._describe_as = version, describe_as or {}
        # Only what this form shows counts (a field left out for some people is not theirs to overwrite).
        self._shown = lambda: {name: value for name, value in shown().items() if name in form}
        self.conflict: Conflict | None = None
        if not form.is_submitted():
            self.stamp()

    @property
    def status(self) -> int:
        """The HTTP status of the page: 409 when the save was refused."""
        return CONFLICT_STATUS if self.conflict else 200

    def stamp(self) -> None:
        """Put the record's version and what the form shows now into the hidden fields."""
        self.form.opened_version.data = str(self._version())
        self.form.opened_values.data = opened_text(self._shown())

    def changed_since_opened(self) -> list[str]:
        """The names of the fields whose value is not what the form showed when it was opened."""
        opened = _decode(self.form.opened_values.data)
        return [name for name, value in self._shown().items() if opened.get(name) != fingerprint(value)]

    def save(self, apply: Callable[[], Any]) -> Any:
        """Apply and commit unless a value the form showed changed since it was opened (then `conflict` is set,
        nothing is saved and the form is re-stamped). Returns what `apply` returned, or None on a conflict."""
        if self.form.opened_version.data != str(self._version()):
            changed = self.changed_since_opened()
            if changed:
                self._refuse(changed)
                return None
        if self.model is not None and not claim(self.model, self.record_id, self._version()):
            db.session.rollback()  # someone saved between the check and the claim: read the record again
            self._refuse(self.changed_since_opened())
            return None
        try:
            result = apply()
        except Exception:
            db.session.rollback()  # a refused change (a form message) must not keep the row claimed
            raise
        db.session.commit()
        return result

    def _refuse(self, changed: list[str]) -> None:
        """Set the conflict (each changed field with its value now) and re-stamp the form."""
        shown = self._shown()
        self.conflict = Conflict([
            (self._label(name), self._describe_as[name]() if name in self._describe_as
             else describe(self.form._fields.get(name), shown[name]))
            for name in changed
        ])
        self.stamp()

    def _label(self, name: str) -> str:
        """The field's label as the form shows it."""
        field = self.form._fields.get(name)
        return str(field.label.text) if field is not None and field.label.text else name.replace("_", " ").capitalize()
