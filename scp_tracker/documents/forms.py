"""The import pages' forms: a plan file to preview, and the confirmation of what was previewed."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Length

from scp_tracker.core.forms import BaseForm
from scp_tracker.documents import uploads


class ImportForm(BaseForm):
    """Upload a plan file to preview its import."""

    plan_file = FileField(
        "Plan file",
        description="The plan document copied out as text (.txt), or a spreadsheet (.csv, .xlsx), or an export (.json)",
        validators=[FileRequired("Choose a plan file"),
                    FileAllowed(uploads.EXTENSIONS, "The plan file must be a .txt, .csv, .xlsx or .json file")],
        widget=GovFileInput(),
    )
    submit = SubmitField("Preview the import", widget=GovSubmitInput())


class ImportConfirmForm(BaseForm):
    """Confirm the previewed import: the upload waits in the instance folder under a random name."""

    upload = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired(), Length(max=300)])
    submit = SubmitField("Import the plan", widget=GovSubmitInput())
