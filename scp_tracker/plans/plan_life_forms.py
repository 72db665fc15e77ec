"""Forms of a plan's life: agreeing it, confirming an archive or a retirement, adding a key priority or an objective."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, IntegerField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from scp_tracker.core.fields import GovDateField, choices
from scp_tracker.core.forms import BaseForm
from scp_tracker.plans.forms import ObjectiveForm, agency_label


class AgreePlanForm(BaseForm):
    """When and where the board agreed the plan."""

    agreed_on = GovDateField("Date agreed", description="For example, 12 5 2016")
    meeting = StringField("Meeting that agreed it", description="For example, Partnership board",
                          validators=[DataRequired("Enter the meeting that agreed the plan"), Length(max=200)],
                          widget=GovTextInput())
    submit = SubmitField("Mark as agreed", widget=GovSubmitInput())

    def validate_agreed_on(self, field):
        """The date is needed."""
        if field.data is None and not field.errors:
            field.errors.append("Enter the date the plan was agreed")


class ConfirmForm(BaseForm):
    """A confirmation page's one button (with the CSRF token): archiving a plan, retiring something."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class KeyPriorityForm(BaseForm):
    """A new key priority: its number, title, description and lead agencies."""

    number = IntegerField("Number", validators=[InputRequired("Enter the key priority's number"),
                                                NumberRange(min=1, max=999, message="Enter a number from 1 to 999")],
                          widget=GovTextInput())
    title = StringField("Title", validators=[DataRequired("Enter the title"), Length(max=300)], widget=GovTextInput())
    description = TextAreaField("Description (optional)", widget=GovTextArea())
    lead_agencies = SelectMultipleField("Lead agencies", coerce=int, widget=GovCheckboxesInput(),
                                        description="Leave all unticked if the lead is TBC")
    submit = SubmitField("Add key priority", widget=GovSubmitInput())

    def set_agencies(self, agencies) -> None:
        """Offer the agencies."""
        self.lead_agencies.choices = choices((a.id, agency_label(a)) for a in agencies)


class NewObjectiveForm(ObjectiveForm):
    """The edit page's form for a new objective, with the key priority it goes under; it starts open, no RAG."""

    status = HiddenField()  # not asked: a new objective is open (the service makes it so)
    key_priority = RadioField("Key priority", coerce=int, validators=[InputRequired("Choose the key priority")],
                              widget=GovRadioInput())
    submit = SubmitField("Add objective", widget=GovSubmitInput())

    @staticmethod
    def blank(key_priority_id: int | None) -> dict:
        """The form's values for a new objective: open, end date and funding to fill in, lead TBC until ticked."""
        return {"key_priority": key_priority_id, "status": "open", "rag": "", "end_date_status": "tbc",
                "funding": [{"status": "tbc"}], "police_scope": "none", "pcc_scope": "none"}

    def set_key_priorities(self, key_priorities) -> None:
        """Offer the plan's key priorities that are not retired."""
        self.key_priority.choices = choices((kp.id, f"{kp.number}. {kp.title}") for kp in key_priorities)
