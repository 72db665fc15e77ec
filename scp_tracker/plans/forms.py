"""Forms of the plan tracker: editing an objective, progress, next year's plan, chasing, the board report
(filter_form holds the plan list's filters)."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    ValidationError,
)

from scp_tracker.core.edits import EditVersionFields
from scp_tracker.core.fields import (
    MAX_FUNDING_PENCE,
    GovDateField,
    choices,
    parse_pounds,
)
from scp_tracker.core.formatting import money
from scp_tracker.core.forms import BaseForm, BaseSubform
from scp_tracker.plans.progress import ProgressValues
from scp_tracker.plans.services import FundingValues, ObjectiveValues

STATUS_LABELS = {"open": "Open", "complete": "Complete", "cancelled": "Cancelled"}
RAG_CHOICES = [("red", "Red"), ("amber", "Amber"), ("green", "Green")]
FUNDING_STATUS_LABELS = {
    "confirmed": "Confirmed",
    "tbc": "TBC (not yet agreed)",
    "not_applicable": "N/A (needs none)",
    "nil_cost": "Nil cost",
    "missing": "Not recorded",
}
PRIORITY_SCOPE_LABELS = {"listed": "These priorities", "multiple": "Multiple (not said which)", "all": "All",
                         "none": "None"}


def agency_label(agency) -> str:
    """An agency as offered in a list: "CBC – Colchester Borough Council"."""
    return agency.abbreviation if agency.name == agency.abbreviation else f"{agency.abbreviation} – {agency.name}"


class FundingLineForm(BaseSubform):
    """One funding line on the edit page (a sub-form: the page's CSRF token covers it)."""

    line_id = HiddenField()
    amount = StringField("Amount in pounds", widget=GovTextInput())
    source = StringField("Who pays", description="For example, SCP", validators=[Length(max=100)],
                         widget=GovTextInput())
    pot = StringField("Pot and year", description="For example, 15-16 allocation or 16-17 PCC funds",
                      validators=[Length(max=100)], widget=GovTextInput())
    status = SelectField("Funding status", default="",
                         choices=choices([("", "Choose a status"), *FUNDING_STATUS_LABELS.items()]), widget=GovSelect())
    remove = BooleanField("Remove this funding line", widget=GovCheckboxInput())

    def validate_amount(self, field):
        """The amount must read as pounds and pence, and fit the database."""
        pence = parse_pounds(field.data)
        if pence is not None and pence >= MAX_FUNDING_PENCE:
            raise ValidationError("Enter an amount less than £1,000,000,000")

    @property
    def is_blank(self) -> bool:
        """A line added but left empty, ignored when saving."""
        typed = (self.line_id.data, self.amount.data, self.source.data, self.pot.data, self.status.data)
        return not any((value or "").strip() for value in typed)

    def values(self) -> FundingValues:
        """The line as plain values."""
        return FundingValues(
            id=int(self.line_id.data) if (self.line_id.data or "").isdigit() else None,
            amount_pence=parse_pounds(self.amount.data), source=(self.source.data or "").strip(),
            pot=(self.pot.data or "").strip(), status=self.status.data,
        )

    def validate(self, extra_validators=None) -> bool:
        """A line being kept needs a status, and a confirmed line needs an amount."""
        if self.remove.data or self.is_blank:
            return True
        valid = super().validate(extra_validators)
        if not self.status.data:
            self.status.errors.append("Choose the funding status")
            valid = False
        elif self.status.data == "confirmed" and not (self.amount.data or "").strip() and not self.amount.errors:
            self.amount.errors.append("Enter the amount of confirmed funding")
            valid = False
        return valid


class ObjectiveForm(EditVersionFields, BaseForm):
    """Everything about an objective a coordinator or its lead may change; funding lines are added by filling in
    the blank line at the end, and removed by ticking "Remove"."""

    title = StringField("Short title", validators=[DataRequired("Enter the short title"), Length(max=300)],
                        widget=GovTextInput())
    text = TextAreaField("Objective", validators=[DataRequired("Enter what the objective is")],
                         widget=GovTextArea())
    status = RadioField("Status", choices=choices(STATUS_LABELS.items()),
                        validators=[InputRequired("Choose the status")], widget=GovRadioInput())
    rag = RadioField("RAG", choices=choices([*RAG_CHOICES, ("", "Not set")]), default="", widget=GovRadioInput())
    end_date_status = RadioField(
        "Is there an end date?",
        choices=choices([("set", "Yes"), ("tbc", "TBC (to be confirmed)"), ("ongoing", "Ongoing (no end date)"),
                         ("missing", "Not recorded")]),
        validators=[InputRequired("Choose whether there is an end date")], widget=GovRadioInput(),
    )
    end_date = GovDateField("End date", description="For example, 30 4 2017")
    lead_agencies = SelectMultipleField("Lead agencies", coerce=int, widget=GovCheckboxesInput(),
                                        description="Leave all unticked if the lead is TBC")
    lead_contacts = SelectMultipleField(
        "Named lead contacts", coerce=int, widget=GovCheckboxesInput(),
        description="They get this objective's reminders instead of everyone at the lead agencies",
    )
    funding = FieldList(FormField(FundingLineForm), min_entries=0)
    police_scope = RadioField("Police priorities", choices=choices(PRIORITY_SCOPE_LABELS.items()), default="none",
                              widget=GovRadioInput())
    police_numbers = SelectMultipleField("Police priorities served", coerce=int, widget=GovCheckboxesInput())
    pcc_scope = RadioField("PCC priorities", choices=choices(PRIORITY_SCOPE_LABELS.items()), default="none",
                           widget=GovRadioInput())
    pcc_numbers = SelectMultipleField("PCC priorities served", coerce=int, widget=GovCheckboxesInput())
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    @staticmethod
    def initial(objective) -> dict:
        """The form's values for an objective as it is."""
        return {
            "title": objective.title, "text": objective.text, "status": objective.status,
            "rag": objective.rag or "", "end_date_status": objective.end_date_status, "end_date": objective.end_date,
            "lead_agencies": [link.agency_id for link in objective.lead_links],
            "lead_contacts": [link.contact_id for link in objective.contact_links],
            "funding": [
                {"line_id": str(line.id), "amount": money(line.amount_pence), "source": line.source or "",
                 "pot": line.pot or "", "status": line.status}
                for line in objective.funding_lines
            ] + [{}],  # a blank line to add one (ignored when left blank): no "add" button that Enter would press
            "police_scope": objective.police_scope, "police_numbers": list(objective.police_numbers or []),
            "pcc_scope": objective.pcc_scope, "pcc_numbers": list(objective.pcc_numbers or []),
        }

    def values(self) -> ObjectiveValues:
        """What was entered, as plain values for the service."""
        return ObjectiveValues(
            title=self.title.data.strip(), text=self.text.data.strip(), status=self.status.data,
            rag=self.rag.data or None, end_date_status=self.end_date_status.data, end_date=self.end_date.data,
            agency_ids=list(self.lead_agencies.data or []) if self.lead_agencies is not None else None,
            contact_ids=list(self.lead_contacts.data or []),
            funding=[entry.form.values() for entry in self.funding.entries
                     if not (entry.form.remove.data or entry.form.is_blank)],
            police_scope=self.police_scope.data, police_numbers=list(self.police_numbers.data or []),
            pcc_scope=self.pcc_scope.data, pcc_numbers=list(self.pcc_numbers.data or []),
        )

    def set_choices(self, *, agencies, contacts, police, pcc) -> None:
        """Offer the agencies, the contacts and the plan's priority lists."""
        if self.lead_agencies is not None:  # only the coordinator changes them
            self.lead_agencies.choices = choices((a.id, agency_label(a)) for a in agencies)
        self.lead_contacts.choices = choices((c.id, f"{c.name} ({c.agency.abbreviation})") for c in contacts)
        self.police_numbers.choices = choices((i.number, f"{i.number}. {i.title}") for i in police)
        self.pcc_numbers.choices = choices((i.number, f"{i.number}. {i.title}") for i in pcc)

    def validate_end_date(self, field):
        """A date is needed when the answer is "Yes"."""
        if self.end_date_status.data == "set" and field.data is None and not field.errors:
            raise ValidationError("Enter the end date")

    def validate_police_numbers(self, field):
        """Listed priorities need at least one ticked."""
        if self.police_scope.data == "listed" and not field.data:
            raise ValidationError("Tick the police priorities this objective serves")

    def validate_pcc_numbers(self, field):
        """Listed priorities need at least one ticked."""
        if self.pcc_scope.data == "listed" and not field.data:
            raise ValidationError("Tick the PCC priorities this objective serves")


class ProgressForm(EditVersionFields, BaseForm):
    """A progress update from a lead or the coordinator."""

    text = TextAreaField("What has happened since the last update?",
                         validators=[DataRequired("Enter the progress made")], widget=GovTextArea())
    rag = RadioField("RAG status", choices=choices(RAG_CHOICES), validators=[InputRequired("Choose the RAG status")],
                     widget=GovRadioInput())
    mark_complete = BooleanField("The objective is complete", widget=GovCheckboxInput())
    requested_end_date = GovDateField(
        "New end date (optional)", noun="New end date",
        description=("If the end date needs to move, ask for a new one; the coordinator agrees it. "
                     "For example, 30 4 2017"),
    )
    submit = SubmitField("Save progress", widget=GovSubmitInput())

    def values(self) -> ProgressValues:
        """What was entered, as plain values for the service."""
        return ProgressValues(text=self.text.data.strip(), rag=self.rag.data,
                              mark_complete=bool(self.mark_complete.data),
                              requested_end_date=self.requested_end_date.data)


class LeadProgressForm(ProgressForm):
    """Progress from a lead, who may also ask the coordinator to change the lead agencies (only they change them)."""

    requested_lead_agencies = SelectMultipleField(
        "Lead agencies", coerce=int, widget=GovCheckboxesInput(),
        description="To move this objective to other agencies, tick the agencies that should lead it; "
                    "the coordinator agrees it.",
    )

    def set_agencies(self, agencies) -> None:
        """Offer the agencies."""
        self.requested_lead_agencies.choices = choices((a.id, agency_label(a)) for a in agencies)

    def values_for(self, current_agency_ids: list[int]) -> ProgressValues:
        """What was entered; a request to change the lead agencies only when the ticks differ from them now."""
        wanted = list(dict.fromkeys(self.requested_lead_agencies.data or []))
        values = self.values()
        if set(wanted) == set(current_agency_ids):
            return values
        return ProgressValues(text=values.text, rag=values.rag, mark_complete=values.mark_complete,
                              requested_end_date=values.requested_end_date, requested_agency_ids=wanted)


class NextPlanForm(BaseForm):
    """Start next year's plan, choosing which open objectives carry forward."""

    title = StringField("Title of next year's plan", validators=[DataRequired("Enter the title"), Length(max=300)],
                        widget=GovTextInput())
    objectives = SelectMultipleField("Open objectives to carry forward", coerce=int, widget=GovCheckboxesInput(),
                                     description="Untick any that end this year")
    submit = SubmitField("Start next year's plan", widget=GovSubmitInput())

    def set_objectives(self, objectives) -> None:
        """Offer the plan's open objectives."""
        self.objectives.choices = choices((o.id, f"{o.key_priority.number}. {o.title}") for o in objectives)


class ChaseForm(BaseForm):
    """Choose objectives whose leads are asked for an update."""

    objectives = SelectMultipleField("Objectives", coerce=int,
                                     validators=[DataRequired("Select the objectives to ask about")])
    submit = SubmitField("Send a request for an update now", widget=GovSubmitInput())

    def set_objectives(self, items) -> None:
        """Offer the objectives on the chasing list."""
        self.objectives.choices = choices((item.objective.id, item.objective.title) for item in items)


class ReportForm(BaseForm):
    """The board report's "what changed since" date, from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    since = GovDateField("Show what changed since", noun="Date", description="For example, 1 1 2017")
