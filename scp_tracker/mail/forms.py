"""Forms of the Emails page."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from scp_tracker.core.forms import BaseForm
from scp_tracker.mail.models import STATUS_LABELS


class EmailFilterForm(BaseForm):
    """Which emails to list: read from the query string, so a filtered list can be bookmarked."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    status = SelectField(
        "Status",
        choices=[SelectChoice("", "All emails")]
        + [SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        default="",
        widget=GovSelect(),
    )
    submit = SubmitField("Show emails", widget=GovSubmitInput())


class ResendForm(BaseForm):
    """The Resend button on a failed email: nothing but the CSRF token."""

    submit = SubmitField("Resend", widget=GovSubmitInput())
