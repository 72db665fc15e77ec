"""The import pages' forms: a plan file to preview, and the confirmation of what was previewed."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import DateField, HiddenField, SubmitField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from scp_tracker.core.fields import GovDateField
from scp_tracker.core.forms import BaseForm
from scp_tracker.documents import uploads


class ImportForm(BaseForm):
    """Upload a plan file to preview its import."""

    plan_file = FileField(
        "Plan file",
        description="The plan document (.docx, or copied out as text, .txt), a spreadsheet (.csv, .xlsx), "
                    "or an export (.json)",
        validators=[FileRequired("Choose a plan file"),
                    FileAllowed(uploads.EXTENSIONS, "The plan file must be a .txt, .csv, .xlsx, .docx or .json file")],
        widget=GovFileInput(),
    )
    progress_on = GovDateField(
        "When were its progress notes written? (optional)", noun="The date the progress notes were written",
        description="Progress the file dates itself (an export's) keeps its dates. Leave it blank to date the "
                    "rest on the first day of the plan's year. For example, 30 9 2016")
    submit = SubmitField("Preview the import", widget=GovSubmitInput())


class ImportConfirmForm(BaseForm):
    """Confirm the previewed import: the upload waits in the instance folder under a random name."""

    upload = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired(), Length(max=300)])
    progress_on = DateField(validators=[Optional()], widget=HiddenInput(), format="%Y-%m-%d")
    choices = HiddenField(validators=[Length(max=20_000)])  # ImportChoices.to_json, from the columns page
    submit = SubmitField("Import the plan", widget=GovSubmitInput())
