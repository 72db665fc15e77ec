"""Forms of the notifications: marking read, and how a person hears of each kind."""

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from scp_tracker.core.forms import BaseForm
from scp_tracker.notifications import rules


class MarkReadForm(BaseForm):
    """Mark one notification, or all of them, read (the CSRF check; the buttons are in the list)."""


class NotificationSettingsForm(BaseForm):
    """How a person hears of each kind of notification they can get; for_kinds adds a choice per kind."""

    submit = SubmitField("Save settings", widget=GovSubmitInput())
    kinds: tuple[str, ...] = ()

    @classmethod
    def for_kinds(cls, kinds: list[str]) -> type["NotificationSettingsForm"]:
        """The form with a choice for each of these kinds (the coordinator has more than a lead)."""
        choices = [SelectChoice(value, label) for value, label in rules.DELIVERY_LABELS.items()]
        fields = {
            kind: RadioField(rules.KINDS[kind].label, description=rules.KINDS[kind].description, choices=choices,
                             widget=GovRadioInput(),
                             validators=[InputRequired(f"Choose how you hear about {rules.KINDS[kind].label.lower()}")])
            for kind in kinds
        }
        return type(cls.__name__, (cls,), {**fields, "kinds": tuple(kinds)})

    def kind_fields(self) -> list:
        """The choice fields, in the order of the kinds."""
        return [self[kind] for kind in self.kinds]

    def choices(self) -> dict[str, str]:
        """What was chosen, by kind."""
        return {kind: self[kind].data for kind in self.kinds}
