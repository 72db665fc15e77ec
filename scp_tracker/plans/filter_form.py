"""The plan list's filters, read from the query string."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovTextInput
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from scp_tracker.core.fields import choices
from scp_tracker.core.forms import BaseForm
from scp_tracker.plans.forms import RAG_CHOICES, STATUS_LABELS, agency_label
from scp_tracker.plans.plan_list import SORTS, FilterChoices, ObjectiveFilters


class ObjectiveFilterForm(BaseForm):
    """The plan list's filters, read from the query string so a filtered list can be bookmarked and shared."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    key_priority = SelectField("Key priority", default="", widget=GovSelect())
    agency = SelectField("Lead agency", default="", widget=GovSelect())
    status = SelectField("Status", default="", choices=choices([("", "Any status"), *STATUS_LABELS.items()]),
                         widget=GovSelect())
    rag = SelectField("RAG", default="", choices=choices([("", "Any RAG"), *RAG_CHOICES, ("none", "Not set")]),
                      widget=GovSelect())
    police = SelectField("Police priority", default="", widget=GovSelect())
    pcc = SelectField("PCC priority", default="", widget=GovSelect())
    due_within = IntegerField("Due within (days)", validators=[Optional(), NumberRange(min=0, max=3650)],
                              widget=GovTextInput())
    no_update_days = IntegerField("No update for (days)", validators=[Optional(), NumberRange(min=0, max=3650)],
                                  widget=GovTextInput())
    overdue = BooleanField("Overdue", widget=GovCheckboxInput())
    tbc_funding = BooleanField("Funding TBC", widget=GovCheckboxInput())
    tbc_lead = BooleanField("Lead TBC", widget=GovCheckboxInput())
    no_end_date = BooleanField("No end date", widget=GovCheckboxInput())
    sort = SelectField("Sort by", default="priority", choices=choices(SORTS.items()), widget=GovSelect())

    def set_choices(self, offered: FilterChoices) -> None:
        """Offer the plan's key priorities, the agencies and the plan's priority lists.

        A retired key priority is offered only when already chosen (a link to its objectives still reads).
        """
        self.key_priority.choices = choices([("", "All key priorities")] + [
            (str(kp.id), f"{kp.number}. {kp.title}" + (" (retired)" if kp.retired_on else ""))
            for kp in offered.key_priorities if kp.retired_on is None or str(kp.id) == self.key_priority.data
        ])
        self.agency.choices = choices([("", "Any lead agency")] + [
            (str(a.id), agency_label(a)) for a in offered.agencies
        ])
        for field, items in ((self.police, offered.police), (self.pcc, offered.pcc)):
            field.choices = choices([("", "Any")] + [(str(i.number), f"{i.number}. {i.title}") for i in items] + [
                ("multiple", "Multiple"), ("all", "All"), ("none", "None")])

    def filters(self) -> ObjectiveFilters:
        """The filters as plain values; a field that did not validate is ignored."""

        def valid(field):
            return field.data if field.data not in (None, "") and not field.errors else None

        key_priority, agency = valid(self.key_priority), valid(self.agency)
        return ObjectiveFilters(
            key_priority_id=int(key_priority) if key_priority else None,
            agency_id=int(agency) if agency else None,
            status=valid(self.status),
            rag=valid(self.rag),
            police=valid(self.police),
            pcc=valid(self.pcc),
            due_within_days=valid(self.due_within),
            overdue=bool(self.overdue.data),
            tbc_funding=bool(self.tbc_funding.data),
            tbc_lead=bool(self.tbc_lead.data),
            no_end_date=bool(self.no_end_date.data),
            no_update_days=valid(self.no_update_days),
        )

    def sort_key(self) -> str:
        """The chosen sort, or the plan's own order."""
        return self.sort.data if self.sort.data in SORTS and not self.sort.errors else "priority"
