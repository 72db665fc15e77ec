"""Forms of the events pages: recording an event, and the events list's filters."""

import re

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from scp_tracker.core.edits import EditVersionFields
from scp_tracker.core.fields import GovDateField, choices, parse_pounds
from scp_tracker.core.forms import BaseForm
from scp_tracker.events.choices import FilterChoices
from scp_tracker.events.listing import EventFilters
from scp_tracker.events.models import KIND_LABELS, STATUS_LABELS
from scp_tracker.events.recording import EventValues
from scp_tracker.plans.forms import agency_label

STATUS_HINTS = {
    "held": "It has taken place",
    "planned": "It has not taken place yet",
    "cancelled": "It did not go ahead",
}
# Held first: most events are recorded after they have taken place.
STATUS_CHOICES = [(status, STATUS_LABELS[status]) for status in ("held", "planned", "cancelled")]
WHOLE_NUMBER = re.compile(r"-?\d{1,12}")  # more digits than that is a mistype


class AttendanceField(Field):
    """How many people came: a whole number of 0 or more, commas allowed; blank means not known."""

    widget = GovTextInput()

    def _value(self) -> str:
        """What the box shows: what was typed, else the number."""
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist):
        """Read a whole number (its range is the events' rule, checked by the services)."""
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        self.data = None
        if not text:
            return
        if not WHOLE_NUMBER.fullmatch(text):
            raise ValueError("Number of people who attended must be a whole number, like 150")
        self.data = int(text)


class EventForm(EditVersionFields, BaseForm):
    """An event: what, when, who organised it, which objectives it delivers, who came and how it went."""

    title = StringField("Name of the event", description="For example, Crucial Crew or Hidden Harms conference",
                        validators=[DataRequired("Enter the name of the event"),
                                    Length(max=300, message="Name of the event must be 300 characters or fewer")],
                        widget=GovTextInput())
    kind = RadioField("Kind of event", choices=choices(KIND_LABELS.items()),
                      validators=[InputRequired("Choose the kind of event")], widget=GovRadioInput())
    starts_on = GovDateField("Date", noun="Date", description="The first day if it ran over several days. "
                             "For example, 14 4 2016")
    status = RadioField("Has it taken place?", choices=choices(STATUS_CHOICES),
                        validators=[InputRequired("Choose whether the event was held, is planned or was cancelled")],
                        widget=GovRadioInput())
    attendance = AttendanceField("Number of people who attended (optional)",
                                 description="Leave blank if you do not know yet")
    organising_agency_id = SelectField("Organised by", coerce=int, widget=GovSelect(),
                                       validators=[InputRequired("Choose the agency that organised the event")])
    objective_ids = SelectMultipleField("Objectives it delivers (optional)", coerce=int,
                                        widget=GovCheckboxesInput())
    ends_on = GovDateField("End date (optional)", noun="End date",
                           description="Only if it ran over more than one day. For example, 15 4 2016")
    place = StringField("Place (optional)", description="For example, Colchester Town Hall",
                        validators=[Length(max=300, message="Place must be 300 characters or fewer")],
                        widget=GovTextInput())
    audience = StringField("Who was it for? (optional)", description="For example, year 6 pupils, older people, "
                           "licensees or officers",
                           validators=[Length(max=300, message="Audience must be 300 characters or fewer")],
                           widget=GovTextInput())
    partner_agency_ids = SelectMultipleField("Other agencies involved (optional)", coerce=int,
                                             widget=GovCheckboxesInput())
    outcome = TextAreaField("Outcome (optional)", description="What happened, what people took away",
                            validators=[Length(max=10_000, message="Outcome must be 10,000 characters or fewer")],
                            widget=GovTextArea())
    evaluation = TextAreaField("Evaluation notes (optional)",
                               description="Feedback, survey results, or what you would change next time",
                               validators=[Length(max=10_000,
                                                  message="Evaluation notes must be 10,000 characters or fewer")],
                               widget=GovTextArea())
    cost = StringField("Cost (optional)", description="In pounds, for example 250 or 1,250.50",
                       widget=GovTextInput())
    submit = SubmitField("Save event", widget=GovSubmitInput())

    def set_choices(self, *, agencies, objective_groups, can_choose_organiser: bool) -> None:
        """Offer the agencies and the objectives; without a choice of organiser the field is dropped."""
        self.objective_groups = objective_groups
        self.objective_ids.choices = choices((o.id, o.title) for group in objective_groups for o in group.objectives)
        self.partner_agency_ids.choices = choices((a.id, agency_label(a)) for a in agencies)
        if can_choose_organiser:
            self.organising_agency_id.choices = choices((a.id, agency_label(a)) for a in agencies)
        else:
            # Leads and partners record events for their own agency only; whatever is posted is ignored.
            del self.organising_agency_id

    def status_items(self) -> list[dict]:
        """The hint under each status's radio button, for the widget's `params`."""
        return [{"hint": {"text": STATUS_HINTS[status]}} for status, _ in STATUS_CHOICES]

    def validate_starts_on(self, field):
        """The date is needed."""
        if field.data is None and not field.errors:
            raise ValidationError("Enter the date of the event")

    def validate_cost(self, field):
        """The cost must read as pounds and pence (its range is the events' rule)."""
        try:
            parse_pounds(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def values(self, organising_agency_id: int) -> EventValues:
        """The form's values, plain, for the events services."""
        return EventValues(
            title=self.title.data or "",
            kind=self.kind.data,
            status=self.status.data,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            organising_agency_id=organising_agency_id,
            place=self.place.data or "",
            audience=self.audience.data or "",
            attendance=self.attendance.data,
            outcome=self.outcome.data or "",
            evaluation=self.evaluation.data or "",
            cost_pence=parse_pounds(self.cost.data),
            partner_agency_ids=tuple(self.partner_agency_ids.data or ()),
            objective_ids=tuple(self.objective_ids.data or ()),
        )


class EventFilterForm(BaseForm):
    """The events list's filters, read from the query string so a filtered list can be bookmarked."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    agency = SelectField("Agency", default="", widget=GovSelect(), description="Organised it or took part")
    kind = SelectField("Kind of event", default="", choices=choices([("", "Any kind"), *KIND_LABELS.items()]),
                       widget=GovSelect())
    status = SelectField("Status", default="", choices=choices([("", "Any status"), *STATUS_LABELS.items()]),
                         widget=GovSelect())
    key_priority = SelectField("Key priority", default="", widget=GovSelect())
    # Not a choice of every objective (a county's plan has thousands): an objective's page links to its events,
    # and the form carries the objective along, hidden, while the other filters change.
    objective = HiddenField("Objective", default="")
    chosen_objective = None  # the objective asked for, set with the choices
    # Day, month and year in three boxes, as every date the service asks for (not the browser's date picker,
    # whose order follows the browser's language); the address carries the three parts.
    date_from = GovDateField("From", noun="From", description="For example, 1 4 2016")
    date_to = GovDateField("To", noun="To", description="For example, 31 3 2017")

    def set_choices(self, offered: FilterChoices) -> None:
        """Offer the agencies and the current plan's key priorities; keep the objective asked for, if it exists."""
        self.agency.choices = choices([("", "Any agency")] + [(str(a.id), agency_label(a)) for a in offered.agencies])
        self.key_priority.choices = choices([("", "All key priorities")] + [
            (str(kp.id), f"Key priority {kp.number}: {kp.title}") for kp in offered.key_priorities
        ])
        self.chosen_objective = offered.objective

    def validate_objective(self, field):
        """The objective asked for must exist."""
        if field.data and (self.chosen_objective is None or str(self.chosen_objective.id) != field.data):
            raise ValidationError("The objective in the address was not found: showing events for any objective")

    def _valid(self, field):
        """A field's value if it was given and is one of its choices, else None."""
        return field.data if field.data not in (None, "") and not field.errors else None

    def filters(self) -> EventFilters:
        """The filters as plain values; a field that did not validate is ignored."""
        agency, key_priority, objective = (self._valid(f) for f in (self.agency, self.key_priority, self.objective))
        return EventFilters(
            agency_id=int(agency) if agency else None,
            kind=self._valid(self.kind),
            status=self._valid(self.status),
            key_priority_id=int(key_priority) if key_priority else None,
            objective_id=int(objective) if objective else None,
            date_from=self._valid(self.date_from),
            date_to=self._valid(self.date_to),
        )

    def query_args(self) -> dict[str, str | list[str]]:
        """The valid filters as query-string arguments, for page links and exports (a date as its three parts)."""
        args = {}
        for field in (self.agency, self.kind, self.status, self.key_priority, self.objective):
            if self._valid(field):
                args[field.name] = field.data
        for field in (self.date_from, self.date_to):
            if self._valid(field):
                args[field.name] = [str(field.data.day), str(field.data.month), str(field.data.year)]
        return args
