"""Forms for an agency's single sign-on settings (GOV.UK widgets, CSRF on each)."""

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from scp_tracker.core.forms import BaseForm
from scp_tracker.people.models import ROLE_DESCRIPTIONS
from scp_tracker.people.sso_settings import DOMAIN_ROLES


class SignInDomainForm(BaseForm):
    """An email domain whose people may sign in through their organisation's account, and as what."""

    domain = StringField("Email domain", widget=GovTextInput(),
                         description="Everyone with a confirmed address at this domain, like essex.police.uk",
                         validators=[InputRequired(message="Enter an email domain, like essex.police.uk"),
                                     Length(max=253, message="Email domain must be 253 characters or fewer")])
    role = RadioField("They sign in as", default="viewer", widget=GovRadioInput(),
                      choices=[SelectChoice(role, f"{role.capitalize()}: {ROLE_DESCRIPTIONS[role]}")
                               for role in DOMAIN_ROLES],
                      validators=[InputRequired(message="Select what they sign in as")])
    submit = SubmitField("Allow this domain", widget=GovSubmitInput())


class RequireSingleSignOnForm(BaseForm):
    """Whether the agency's people must sign in through their organisation's account."""

    requires = RadioField(
        "How do this agency's people sign in?", widget=GovRadioInput(),
        choices=[SelectChoice("yes", "Only with their organisation's account: no passwords, no password links"),
                 SelectChoice("no", "With their organisation's account or a password")],
        validators=[InputRequired(message="Select how this agency's people sign in")])
    submit = SubmitField("Save how they sign in", widget=GovSubmitInput())
