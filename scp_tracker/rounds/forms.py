"""The rounds pages' forms: a board meeting, and the leads to remind now."""

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from scp_tracker.core.fields import GovDateField, choices
from scp_tracker.core.forms import BaseForm
from scp_tracker.rounds.meetings import MAX_NAME_LENGTH, Meeting

# Service errors name the field to correct; the form shows them there.
FIELD_OF_ERROR = {"meeting_on": "meeting_on", "deadline": "deadline", "name": "name"}


class MeetingForm(BaseForm):
    """A board meeting: its date, its update deadline (default 10 working days before) and its name."""

    meeting_on = GovDateField("Meeting date", description="For example, 20 9 2016")
    deadline = GovDateField("Update deadline (optional)", noun="Update deadline",
                            description="The last day updates count for this meeting. Leave blank for 10 working "
                                        "days before the meeting")
    name = StringField("Name (optional)", description="Leave blank for “Board meeting” and its date",
                       validators=[Length(max=MAX_NAME_LENGTH,
                                          message=f"Name must be {MAX_NAME_LENGTH} characters or fewer")],
                       widget=GovTextInput())
    submit = SubmitField("Add board meeting", widget=GovSubmitInput())

    def validate_meeting_on(self, field) -> None:
        """A meeting needs its date (the field's own checks have passed when this runs)."""
        if field.data is None and not field.errors:
            raise ValidationError("Enter the meeting date")

    def values(self) -> Meeting:
        """The meeting as the service takes it."""
        assert self.meeting_on.data is not None  # validated
        return Meeting(self.meeting_on.data, self.deadline.data, self.name.data)

    def show_error(self, field: str, message: str) -> None:
        """Put a service's refusal on the field it names, or on the meeting date."""
        getattr(self, FIELD_OF_ERROR.get(field, "meeting_on")).errors.append(message)


class RemindNowForm(BaseForm):
    """Choose leads who have not updated, and providers of late figures, to remind now."""

    contacts = SelectMultipleField("People to remind", coerce=int,
                                   validators=[DataRequired("Select the people to remind")])
    submit = SubmitField("Remind the chosen people now", widget=GovSubmitInput())

    def set_leads(self, leads) -> None:
        """Offer the leads who have not updated and the providers of late figures."""
        self.contacts.choices = choices((contact.id, contact.name) for contact in leads)
