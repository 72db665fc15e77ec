"""Figures on "Your objectives": a field per late indicator figure the link's contact provides, saved all or none."""

from datetime import datetime

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField

from scp_tracker.core.clock import today_in_london
from scp_tracker.core.forms import BaseForm
from scp_tracker.indicators.chasing import LateFigure, late_for_contact


def _label(item: LateFigure) -> str:
    """The indicator, the period and the unit, as the field's label."""
    unit = f" ({item.indicator.unit})" if item.indicator.unit else ""
    return f"{item.indicator.name}, {item.period.label}{unit}"


class FiguresForm(BaseForm):
    """One text field a late figure, named figure-<indicator id>; made for each page with for_figures."""

    @classmethod
    def for_figures(cls, late: list[LateFigure]) -> "FiguresForm":
        """A form with a field for each late figure."""
        fields = {f"figure-{item.indicator.id}": StringField(_label(item), widget=GovTextInput()) for item in late}
        return type("LateFiguresForm", (cls,), fields)()

    def values(self) -> dict[int, object]:
        """Indicator id to what was typed."""
        return {int(field.name.removeprefix("figure-")): field.data for field in self
                if field.name.startswith("figure-")}


def late_figures_for(contact, now: datetime) -> list[LateFigure]:
    """The late figures the contact is asked for on their page today."""
    return late_for_contact(contact, today_in_london(now))
