"""The columns page's form: what each column of the file holds, and the plan's year when the file does not say."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from scp_tracker.core.forms import BaseForm
from scp_tracker.documents.column_mapping import CHOSEN, ColumnGuess, ImportChoices
from scp_tracker.documents.column_vocabulary import FIELD_LABELS, FIELD_NAMES, NOTE, header_key
from scp_tracker.documents.plan_wording import plan_year

# The fields people choose from, in the order of the list; then those only our own export writes.
FIELD_CHOICES = [SelectChoice(field, "keep as a note" if field == NOTE else name)
                 for name, field in FIELD_NAMES.items()]
FIELD_CHOICES += [SelectChoice(field, label)
                  for field, label in FIELD_LABELS.items() if field not in FIELD_NAMES.values()]


class ImportColumnsForm(BaseForm):
    """Say what each column holds (one select per column, added by columns_form) and, if needed, the year."""

    upload = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[DataRequired(), Length(max=300)])
    progress_on = DateField(validators=[Optional()], widget=HiddenInput(), format="%Y-%m-%d")
    year = StringField("Which year is the plan for?", validators=[Optional(), Length(max=20)], widget=GovTextInput(),
                       description="For example, 2017-18. Leave it blank if the file's title or name says it.")
    submit = SubmitField("Preview the import", widget=GovSubmitInput())

    column_names: list[str]

    def validate_year(self, field) -> None:
        """A year written as the plans write it."""
        if field.data and plan_year(field.data) is None:
            raise ValidationError("Write the plan's year as 2017-18")

    def column_fields(self) -> list:
        """The select of each column, in the file's order."""
        return [self[name] for name in self.column_names]

    def validate(self, extra_validators=None) -> bool:
        """Every field valid, and one column at least holds the objectives."""
        valid = super().validate(extra_validators)
        if valid and "objective" not in {field.data for field in self.column_fields()}:
            first = self.column_fields()[0] if self.column_names else self.year
            first.errors = [*first.errors, "Choose the column that holds the objectives"]
            return False
        return valid

    def choices(self, headers: list[str]) -> ImportChoices:
        """The choices made, keyed by header, with the year given (if any)."""
        columns = {header_key(header): field.data for header, field in zip(headers, self.column_fields(), strict=True)
                   if header_key(header)}
        return ImportChoices(columns, plan_year(self.year.data or "") if self.year.data else None)


def columns_form(columns: list[ColumnGuess], **kwargs) -> ImportColumnsForm:
    """The form for these columns, each select set to the guess (or to what was chosen before)."""

    class Form(ImportColumnsForm):
        """ImportColumnsForm with this file's columns."""

    names, seen = [], set()
    for column in (column for column in columns if header_key(column.header)):
        name = f"column_{column.index}"
        # A field guessed for an earlier column too is offered as a note: two objective columns would be joined.
        default = column.field if column.field and (column.field not in seen or column.confidence == CHOSEN) else NOTE
        seen.add(column.field)
        setattr(Form, name, SelectField(column.header.strip() or f"Column {column.index + 1}", choices=FIELD_CHOICES,
                                        default=default, widget=GovSelect()))
        names.append(name)
    Form.column_names = names
    return Form(**kwargs)
