"""The form of "Your objectives": one block of fields per objective, one Save button.

A block left as it was shown is left alone; a block with anything filled in must be complete and valid, and every
message names its objective, since the error summary lists the whole page's.
"""

from govuk_frontend_wtf.wtforms_widgets import (
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
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from scp_tracker.core.edits import opened_text
from scp_tracker.core.fields import MAX_FUNDING_PENCE, GovDateField, choices, parse_pounds
from scp_tracker.core.forms import BaseForm, BaseSubform
from scp_tracker.plans.forms import RAG_CHOICES, agency_label
from scp_tracker.plans.funding_requests import requested_funding
from scp_tracker.plans.models import Objective
from scp_tracker.plans.progress import ProgressValues
from scp_tracker.reminders.your_objectives import needs_funding, needs_lead


def shown(objective: Objective) -> dict:
    """What a block shows of its objective that an answer depends on; a change of any since the page was opened
    refuses the save of that block (its RAG would be put back, its request would answer a question gone)."""
    return {"rag": objective.rag, "status": objective.status, "end_date": objective.end_date,
            "funding_tbc": needs_funding(objective), "lead_tbc": needs_lead(objective)}


class ObjectiveAnswerForm(BaseSubform):
    """One objective's block: progress, RAG, complete, a new end date, and the funding or lead where TBC."""

    objective_id = HiddenField()
    opened_values = HiddenField()
    text = TextAreaField("What has happened since the last update?", validators=[Optional()], widget=GovTextArea())
    rag = RadioField("RAG status", choices=choices(RAG_CHOICES), validators=[Optional()], widget=GovRadioInput())
    mark_complete = BooleanField("The objective is complete", widget=GovCheckboxInput())
    requested_end_date = GovDateField(
        "New end date (optional)", noun="New end date",
        description="If the end date needs to move, ask for a new one and say why above; the coordinator agrees it. "
                    "For example, 30 4 2017")
    funding_amount = StringField("Amount in pounds", widget=GovTextInput())
    funding_source = StringField("Who pays", description="For example, SCP", validators=[Length(max=100)],
                                 widget=GovTextInput())
    funding_pot = StringField("Pot and year (optional)", description="For example, 16-17 allocation",
                              validators=[Length(max=100)], widget=GovTextInput())
    lead_agency = SelectField("Proposed lead agency (optional)", default="", widget=GovSelect(),
                              description="The agency that should lead this objective; the coordinator agrees it.")

    objective: Objective | None = None  # set by YourObjectivesForm.bind
    conflict = False  # set when a save was refused because the objective changed since the page was opened

    def stamp(self) -> None:
        """Note what the block shows now (on opening, and after a refused save so saving again goes ahead)."""
        assert self.objective is not None
        self.opened_values.data = opened_text(shown(self.objective))

    @property
    def is_filled(self) -> bool:
        """Whether anything was entered: text, a RAG other than the one shown, complete, a date, funding, a lead."""
        objective = self.objective
        typed = [self.text.data, *(self.requested_end_date.raw_data or ())]
        if objective is not None and needs_funding(objective):
            typed += [self.funding_amount.data, self.funding_source.data, self.funding_pot.data]
        if objective is not None and needs_lead(objective):
            typed.append(self.lead_agency.data)
        changed_rag = bool(self.rag.data) and self.rag.data != (objective.rag if objective is not None else None)
        return changed_rag or bool(self.mark_complete.data) or any((value or "").strip() for value in typed)

    @property
    def is_stale(self) -> bool:
        """Whether what the block showed has changed since the page was opened."""
        return self.objective is not None and self.opened_values.data != opened_text(shown(self.objective))

    def validate(self, extra_validators=None) -> bool:
        """A block left alone is valid; a filled one needs progress and a RAG, and sound funding."""
        if not self.is_filled:
            return True
        valid = super().validate(extra_validators)
        if self.objective is None:
            self.text.errors = [*self.text.errors, "One of the objectives you filled in is no longer yours to update"]
            return False
        title = self.objective.title
        if not (self.text.data or "").strip() and not self.text.errors:
            self.text.errors = [*self.text.errors, f"Enter the progress on {title}"]
            valid = False
        if not self.rag.data and not self.rag.errors:
            self.rag.errors = [*self.rag.errors, f"Choose the RAG status of {title}"]
            valid = False
        if needs_funding(self.objective):
            valid = self._validate_funding(title) and valid
        if valid and self.is_stale:
            self.text.errors = [*self.text.errors, f"{title} was changed by someone else since you opened this page. "
                                                   "Check it and save again"]
            self.stamp()
            self.conflict = True
            valid = False
        return valid

    def _validate_funding(self, title: str) -> bool:
        """Funding proposed needs an amount in pounds and who pays."""
        if not any((value or "").strip() for value in (self.funding_amount.data, self.funding_source.data,
                                                       self.funding_pot.data)):
            return True
        valid = True
        try:
            pence = parse_pounds(self.funding_amount.data)
        except ValidationError as error:
            self.funding_amount.errors = [*self.funding_amount.errors, f"{error} for {title}"]
            valid = False
        else:
            if pence is None:
                self.funding_amount.errors = [*self.funding_amount.errors, f"Enter the amount of funding for {title}"]
                valid = False
            elif pence >= MAX_FUNDING_PENCE:
                self.funding_amount.errors = [*self.funding_amount.errors, "Enter an amount less than £1,000,000,000"]
                valid = False
        if not (self.funding_source.data or "").strip() and not self.funding_source.errors:
            self.funding_source.errors = [*self.funding_source.errors, f"Enter who pays for {title}"]
            valid = False
        return valid and not self.funding_source.errors and not self.funding_pot.errors

    def values(self) -> ProgressValues:
        """What was entered, as plain values for the service (call after validating a filled block)."""
        assert self.objective is not None
        funding = None
        if needs_funding(self.objective) and (self.funding_amount.data or "").strip():
            funding = requested_funding(parse_pounds(self.funding_amount.data) or 0,
                                        self.funding_source.data.strip(), (self.funding_pot.data or "").strip())
        agency_ids = None
        if needs_lead(self.objective) and (self.lead_agency.data or "").isdigit():
            agency_ids = [int(self.lead_agency.data)]
        return ProgressValues(text=self.text.data.strip(), rag=self.rag.data,
                              mark_complete=bool(self.mark_complete.data),
                              requested_end_date=self.requested_end_date.data,
                              requested_agency_ids=agency_ids, requested_funding=funding)


class YourObjectivesForm(BaseForm):
    """Every objective's block, and the one Save button."""

    objectives = FieldList(FormField(ObjectiveAnswerForm), min_entries=0)
    submit = SubmitField("Save", widget=GovSubmitInput())

    @classmethod
    def opening(cls, objectives: list[Objective]) -> "YourObjectivesForm":
        """The form as first shown: a block per objective, its RAG chosen as it is now."""
        return cls(formdata=None, data={"objectives": [
            {"objective_id": str(objective.id), "rag": objective.rag} for objective in objectives]})

    def bind(self, objectives: list[Objective], agencies) -> None:
        """Tie each block to its objective (a block for an objective no longer asked about keeps none), stamp the
        blocks of a form being opened, add a block for each objective asked about that has none, and offer the
        agencies."""
        by_id = {str(objective.id): objective for objective in objectives}
        agency_choices = choices([("", "Choose an agency"),
                                  *((str(agency.id), agency_label(agency)) for agency in agencies)])
        for entry in self.objectives.entries:
            objective = by_id.pop(entry.form.objective_id.data or "", None)
            entry.form.lead_agency.choices = agency_choices
            entry.form.objective = objective
            if objective is not None and not self.is_submitted():
                entry.form.stamp()
        for objective in by_id.values():  # asked about since the page was opened, or left out of what was sent
            block = self.objectives.append_entry({"objective_id": str(objective.id), "rag": objective.rag}).form
            block.lead_agency.choices = agency_choices
            block.objective = objective
            block.stamp()

    def blocks(self) -> list[ObjectiveAnswerForm]:
        """The blocks tied to an objective, in the page's order."""
        return [entry.form for entry in self.objectives.entries if entry.form.objective is not None]

    def validate(self, extra_validators=None) -> bool:
        """Each block; and at least one filled in, since Save with nothing entered is most likely a slip."""
        valid = super().validate(extra_validators)
        blocks = self.blocks()
        if valid and blocks and not any(block.is_filled for block in blocks):
            blocks[0].text.errors = [*blocks[0].text.errors,
                                     "Enter the progress on at least one objective before you save"]
            valid = False
        return valid

    def answers(self) -> dict[int, ProgressValues]:
        """The filled blocks' values by objective id."""
        return {block.objective.id: block.values() for block in self.blocks()
                if block.is_filled and block.objective is not None}
