"""Forms for signing in, passwords, agencies, contacts and logins (GOV.UK widgets, CSRF on every one)."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional, ValidationError

from scp_tracker.core.edits import EditVersionFields
from scp_tracker.core.forms import BaseForm
from scp_tracker.people.models import KEY_PRIORITY_LEAD, ROLE_DESCRIPTIONS, ROLE_NAMES, ROLES
from scp_tracker.people.passwords import MIN_PASSWORD_LENGTH
from scp_tracker.people.services import PeopleError, normalise_email

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
ROLE_CHOICES = [SelectChoice(role, ROLE_NAMES[role]) for role in ROLES]


def _optional_id(value) -> int | None:
    """A chosen id, or None for the "Choose…" placeholder."""
    return int(value) if value not in (None, "") else None


def _email_address(form, field) -> None:
    """Validate and normalise an email address the way every other way in does."""
    if not field.data:
        return
    try:
        field.data = normalise_email(field.data)
    except PeopleError:
        raise ValidationError(EMAIL_FORMAT) from None


def _new_password_fields(label: str):
    """A new password and its confirmation, with the length rule stated where it is typed."""
    password = PasswordField(label, widget=GovPasswordInput(), validators=[
        InputRequired(message="Enter a password"),
        Length(min=MIN_PASSWORD_LENGTH, max=256,
               message=f"Password must be between {MIN_PASSWORD_LENGTH} and 256 characters"),
    ])
    confirm = PasswordField("Confirm password", widget=GovPasswordInput(), validators=[
        InputRequired(message="Confirm the password"),
        EqualTo("password", message="The passwords do not match"),
    ])
    return password, confirm


class SignInForm(BaseForm):
    """Email address and password, and whether to stay signed in on this device."""

    email = StringField("Email address", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter your email address"), Length(max=320)])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[InputRequired(message="Enter your password"), Length(max=256)])
    remember = BooleanField("Keep me signed in on this device", widget=GovCheckboxInput(),
                            description="Only on a device nobody else uses")
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ForgottenPasswordForm(BaseForm):
    """The email address to send a reset link to."""

    email = StringField("Email address", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter your email address"), Length(max=320),
                                    _email_address])
    submit = SubmitField("Send a reset link", widget=GovSubmitInput())


class SetPasswordForm(BaseForm):
    """A new password, from an emailed reset or invitation link."""

    password, confirm = _new_password_fields("New password")
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(BaseForm):
    """The current password, then a new one."""

    current_password = PasswordField("Current password", widget=GovPasswordInput(),
                                     validators=[InputRequired(message="Enter your current password")])
    password, confirm = _new_password_fields("New password")
    submit = SubmitField("Change password", widget=GovSubmitInput())


class AgencyForm(EditVersionFields, BaseForm):
    """An agency's abbreviation and full name."""

    abbreviation = StringField("Abbreviation", widget=GovTextInput(), validators=[
        InputRequired(message="Enter the abbreviation the plan uses, like CBC"), Length(max=80)])
    name = StringField("Full name", widget=GovTextInput(), validators=[
        InputRequired(message="Enter the agency's full name"), Length(max=200)])
    submit = SubmitField("Save agency", widget=GovSubmitInput())


class ContactForm(EditVersionFields, BaseForm):
    """A contact's details and whether they receive reminders."""

    name = StringField("Full name", widget=GovTextInput(),
                       validators=[InputRequired(message="Enter the contact's name"), Length(max=200)])
    email = StringField("Email address", widget=GovTextInput(), validators=[
        InputRequired(message="Enter the contact's email address"), Length(max=320), _email_address])
    agency_id = SelectField("Agency", coerce=_optional_id, widget=GovSelect(),
                            invalid_choice_message="Select the contact's agency",
                            invalid_value_message="Select the contact's agency",
                            validators=[InputRequired(message="Select the contact's agency")])
    job_title = StringField("Job title (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    phone = StringField("Phone number (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=50)])
    receives_reminders = RadioField(
        "Do they receive reminders?", choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")], default="yes",
        widget=GovRadioInput(), validators=[InputRequired(message="Select whether they receive reminders")],
    )
    submit = SubmitField("Save contact", widget=GovSubmitInput())


class RoleFields:
    """The roles a login holds (several at once), and the key priorities a key priority lead leads."""

    roles = SelectMultipleField("Roles", choices=ROLE_CHOICES, widget=GovCheckboxesInput(),
                                description="Select all that apply. They may do what any of their roles allows.",
                                validators=[InputRequired(message="Select at least one role")])
    key_priority_ids = SelectMultipleField("Which key priorities do they lead?", coerce=int, choices=[],
                                           widget=GovCheckboxesInput())

    def set_key_priorities(self, labels: dict[int, str]) -> None:
        """Offer these key priorities (people.key_priorities), keeping any the login already leads."""
        self.key_priority_ids.choices = [SelectChoice(kp_id, label) for kp_id, label in labels.items()]

    def chosen_key_priorities(self) -> list[int]:
        """The key priorities chosen, if the key priority lead role is (otherwise the choice is not shown)."""
        return list(self.key_priority_ids.data or []) if KEY_PRIORITY_LEAD in (self.roles.data or []) else []


class InviteForm(RoleFields, BaseForm):
    """Who to give a login to, at which agency, with which roles."""

    name = StringField("Full name", widget=GovTextInput(),
                       validators=[InputRequired(message="Enter the person's name"), Length(max=200)])
    email = StringField("Email address", widget=GovTextInput(), validators=[
        InputRequired(message="Enter the person's email address"), Length(max=320), _email_address])
    agency_id = SelectField("Agency", coerce=_optional_id, widget=GovSelect(),
                            invalid_choice_message="Select the person's agency",
                            invalid_value_message="Select the person's agency",
                            validators=[InputRequired(message="Select the person's agency")])
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class RoleForm(RoleFields, EditVersionFields, BaseForm):
    """A login's roles."""

    submit = SubmitField("Save roles", widget=GovSubmitInput())


def role_items(key_priorities_html: str = "") -> list[dict]:
    """Each role's checkbox: the hint under it (what that role may do), and under the key priority lead's, the
    choice of key priority, shown when it is ticked; for the widget's `params`."""
    items: list[dict] = [{"hint": {"text": ROLE_DESCRIPTIONS[role].capitalize()}} for role in ROLES]
    items[ROLES.index(KEY_PRIORITY_LEAD)]["conditional"] = {"html": key_priorities_html}
    return items


def agency_choices(agencies) -> list[SelectChoice]:
    """Agencies as options, after a "Choose an agency" placeholder so nobody lands in the first by default."""
    return [SelectChoice("", "Choose an agency")] + [
        SelectChoice(str(agency.id), f"{agency.abbreviation} – {agency.name}") for agency in agencies
    ]
