"""Forms of the indicators pages: an indicator, a figure, the plan's tolerance, carrying indicators forward."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from scp_tracker.core.edits import EditVersionFields
from scp_tracker.core.fields import choices
from scp_tracker.core.forms import BaseForm

BETTER_LABELS = {"lower": "Lower is better (for example, incidents)", "higher": "Higher is better (for example, "
                                                                                "people referred for support)"}
FREQUENCY_LABELS = {"quarterly": "Quarterly", "monthly": "Monthly"}
PERIOD_HINT = "For example, 2016-Q3, Q3 2016/17, 2016-10 or Oct 2016"


class IndicatorForm(EditVersionFields, BaseForm):
    """What an indicator counts, its baseline, target and who provides its figures."""

    name = StringField("Name", validators=[DataRequired("Enter the indicator's name"), Length(max=300)],
                       description="For example, Domestic abuse incidents reported", widget=GovTextInput())
    key_priority = RadioField("Key priority", coerce=int, validators=[InputRequired("Choose the key priority")],
                              widget=GovRadioInput())
    objectives = SelectMultipleField("Objectives it measures (optional)", coerce=int, widget=GovCheckboxesInput())
    counted = TextAreaField("What is counted (optional)", validators=[Length(max=2000)], widget=GovTextArea())
    unit = StringField("Unit (optional)", validators=[Length(max=60)], description="For example, incidents or %",
                       widget=GovTextInput())
    source = StringField("Source (optional)", validators=[Length(max=200)], description="For example, Essex Police",
                         widget=GovTextInput())
    better = RadioField("Which direction is better", choices=choices(BETTER_LABELS.items()), default="lower",
                        validators=[InputRequired("Choose which direction is better")], widget=GovRadioInput())
    baseline_value = StringField("Baseline figure (optional)", widget=GovTextInput())
    baseline_period = StringField("Baseline period (optional)", description=PERIOD_HINT, widget=GovTextInput())
    target_value = StringField("Target figure for each period (optional)",
                               description="Leave blank to set the target as a change against the baseline",
                               widget=GovTextInput())
    target_change_percent = StringField("Or a target change against the baseline, in per cent (optional)",
                                        description="For example, -10 for 10% fewer than the baseline",
                                        widget=GovTextInput())
    frequency = RadioField("How often figures come", choices=choices(FREQUENCY_LABELS.items()), default="quarterly",
                           validators=[InputRequired("Choose how often figures come")], widget=GovRadioInput())
    provider_contact = SelectField("Who provides the figures (optional)", coerce=int, default=0, widget=GovSelect())
    provider_agency = SelectField("Or the agency that provides them (optional)", coerce=int, default=0,
                                  widget=GovSelect())
    tolerance_percent = StringField("Tolerance for this indicator, in per cent (optional)",
                                    description="Leave blank to use the plan's tolerance", widget=GovTextInput())
    submit = SubmitField("Save indicator", widget=GovSubmitInput())

    def set_choices(self, key_priorities, objectives, contacts, agencies) -> None:
        """Offer the plan's key priorities and objectives, and the contacts and agencies who may provide figures."""
        self.key_priority.choices = choices((kp.id, f"{kp.number}. {kp.title}") for kp in key_priorities)
        self.objectives.choices = choices((o.id, f"{o.key_priority.number}. {o.title}") for o in objectives)
        self.provider_contact.choices = choices([(0, "Nobody named"), *((c.id, f"{c.name} ({c.agency.abbreviation})")
                                                                         for c in contacts)])
        self.provider_agency.choices = choices([(0, "No agency named"), *((a.id, a.name) for a in agencies)])


class FigureForm(BaseForm):
    """One figure: its period, value and an optional note."""

    period = StringField("Period", validators=[DataRequired("Enter the period")], description=PERIOD_HINT,
                         widget=GovTextInput())
    value = StringField("Figure", validators=[DataRequired("Enter the figure")], widget=GovTextInput())
    note = TextAreaField("Note (optional)", validators=[Length(max=2000)], widget=GovTextArea())
    submit = SubmitField("Save figure", widget=GovSubmitInput())


class ToleranceForm(BaseForm):
    """The coordinator's tolerance for the plan's indicators."""

    tolerance_percent = StringField("Tolerance, in per cent", validators=[DataRequired("Enter the tolerance")],
                                    description="How far from target a figure may be and still be amber rather "
                                                "than red, and how much it may move and still be no real change",
                                    widget=GovTextInput())
    submit = SubmitField("Save tolerance", widget=GovSubmitInput())


class CarryForm(BaseForm):
    """Copy the previous plan's indicators into this one."""

    submit = SubmitField("Copy indicators", widget=GovSubmitInput())
