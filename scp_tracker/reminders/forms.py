"""Forms of the reminders: settings, preferences, calendar address, "send now" and "send me a fresh link"."""

import re
from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, ValidationError

from scp_tracker.core.edits import EditVersionFields
from scp_tracker.core.fields import GovDateField
from scp_tracker.core.forms import BaseForm
from scp_tracker.reminders.preferences import Preferences
from scp_tracker.reminders.rules import KIND_LABELS, OPTIONAL_KINDS, WEEKDAYS, ReminderSettings

MAX_STAGES = 6
RUN_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _days(label: str, description: str = "") -> IntegerField:
    """A whole number of days from 1 to 365."""
    return IntegerField(label, description=description, widget=GovTextInput(), validators=[
        InputRequired(f"Enter {label.lower()}"),
        NumberRange(min=1, max=365, message=f"{label} must be between 1 and 365 days"),
    ])


def parse_stages(text: str) -> tuple[int, ...]:
    """"28, 14, 7, 1" as (28, 14, 7, 1): distinct whole days from 1 to 365, largest first."""
    parts = [part for part in re.split(r"[\s,]+", (text or "").strip()) if part]
    if not parts:
        raise ValueError("Enter the days before the end date to send reminders, like 28, 14, 7, 1")
    if not all(part.isdigit() for part in parts):
        raise ValueError("Enter whole numbers of days separated by commas, like 28, 14, 7, 1")
    stages = sorted({int(part) for part in parts}, reverse=True)
    if stages[0] > 365 or stages[-1] < 1:
        raise ValueError("Each number of days must be between 1 and 365")
    if len(stages) > MAX_STAGES:
        raise ValueError(f"Enter at most {MAX_STAGES} numbers of days")
    return tuple(stages)


class SettingsForm(EditVersionFields, BaseForm):
    """The round's steps, the weekly email, the thresholds, repeat periods and time of the daily reminder run."""

    due_soon_stages = StringField(
        "Days before the end date to send a reminder", widget=GovTextInput(),
        description="Separate the numbers with commas, for example 28, 14, 7, 1. Each is sent once.")
    overdue_repeat_days = _days("Days between reminders after the end date has passed")
    stale_days = _days("Days without a progress update before a reminder")
    stale_repeat_days = _days("Days between reminders while there is still no update")
    tbc_repeat_days = _days(
        "Days between reminders about something to be confirmed",
        "Funding or lead TBC, no end date, or a lead agency with nobody to remind")
    round_call_days = _days("Days before a round's deadline to call for updates",
                            "Sent to every lead with open objectives in the round")
    round_reminder_days = _days("Days before the deadline to remind those who have not updated")
    round_last_day = BooleanField("Remind those who have not updated on the deadline's day",
                                  widget=GovCheckboxInput())
    weekly_day = RadioField(
        "Day of the weekly reminder email", widget=GovRadioInput(), coerce=int,
        choices=[SelectChoice(n, day) for n, day in enumerate(WEEKDAYS[:5])],
        validators=[InputRequired("Choose the day of the weekly reminder email")],
        description="Between rounds each person gets at most one reminder email a week, on this day (or the next "
                    "working day that week after a bank holiday). Only the reminder the day before an end date "
                    "comes on its own day.")
    summary_daily = RadioField(
        "How often the coordinator gets the run summary", widget=GovRadioInput(),
        choices=[SelectChoice("weekly", "Once a week, on the day of the weekly email"),
                 SelectChoice("daily", "Every day the reminders run")],
        validators=[InputRequired("Choose how often the coordinator gets the run summary")])
    copy_coordinator = BooleanField(
        "Send the coordinator a copy of leads' reminders about overdue objectives, funding and end dates",
        widget=GovCheckboxInput())
    run_time = StringField("Time of the daily run", widget=GovTextInput(),
                           description="In UK time, using the 24-hour clock, for example 07:00")
    skip_weekends = BooleanField("Do not send on Saturdays and Sundays", widget=GovCheckboxInput())
    skip_bank_holidays = BooleanField("Do not send on bank holidays in England and Wales", widget=GovCheckboxInput())
    submit = SubmitField("Save settings", widget=GovSubmitInput())

    def validate_due_soon_stages(self, field) -> None:
        """Whole, distinct numbers of days."""
        try:
            parse_stages(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_round_reminder_days(self, field) -> None:
        """The reminder comes after the call."""
        if field.data and self.round_call_days.data and field.data >= self.round_call_days.data:
            raise ValidationError("The reminder must come fewer days before the deadline than the call for updates")

    def validate_run_time(self, field) -> None:
        """A time from 00:00 to 23:59."""
        match = RUN_TIME.match(field.data or "")
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError("Enter the time of the daily run like 07:00, from 00:00 to 23:59")

    @classmethod
    def showing(cls, settings: ReminderSettings) -> "SettingsForm":
        """The form filled in with the current settings."""
        return cls(**cls.shown(settings))

    @staticmethod
    def shown(settings: ReminderSettings) -> dict:
        """The settings as the form shows them, by field."""
        return dict(
            due_soon_stages=", ".join(str(stage) for stage in sorted(settings.due_soon_stages, reverse=True)),
            overdue_repeat_days=settings.overdue_repeat_days, stale_days=settings.stale_days,
            stale_repeat_days=settings.stale_repeat_days, tbc_repeat_days=settings.tbc_repeat_days,
            round_call_days=settings.round_call_days, round_reminder_days=settings.round_reminder_days,
            round_last_day=settings.round_last_day, weekly_day=settings.weekly_day,
            summary_daily="daily" if settings.summary_daily else "weekly", copy_coordinator=settings.copy_coordinator,
            run_time=f"{settings.run_hour:02d}:{settings.run_minute:02d}",
            skip_weekends=settings.skip_weekends, skip_bank_holidays=settings.skip_bank_holidays,
        )

    def settings(self) -> ReminderSettings:
        """What was entered, as settings for the service."""
        match = RUN_TIME.match(self.run_time.data)
        assert match is not None  # the run_time field's validator requires it
        return ReminderSettings(
            due_soon_stages=parse_stages(self.due_soon_stages.data),
            stale_days=self.stale_days.data, stale_repeat_days=self.stale_repeat_days.data,
            tbc_repeat_days=self.tbc_repeat_days.data, overdue_repeat_days=self.overdue_repeat_days.data,
            round_call_days=self.round_call_days.data, round_reminder_days=self.round_reminder_days.data,
            round_last_day=bool(self.round_last_day.data), weekly_day=self.weekly_day.data,
            summary_daily=self.summary_daily.data == "daily", copy_coordinator=bool(self.copy_coordinator.data),
            run_hour=int(match[1]), run_minute=int(match[2]),
            skip_weekends=bool(self.skip_weekends.data), skip_bank_holidays=bool(self.skip_bank_holidays.data),
        )


class PreferencesForm(BaseForm):
    """A pause, and which optional reminders to get (reminders about end dates always come)."""

    paused_until = GovDateField(
        "Pause my reminders until (optional)", noun="The date to pause until",
        description="You get no reminders up to and including this date. Leave it blank to get them. "
                    "For example, 31 8 2017")
    kinds = SelectMultipleField(
        "Reminders I want", widget=GovCheckboxesInput(),
        choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in OPTIONAL_KINDS],
        description="You always get reminders when an end date is near or has passed.")
    submit = SubmitField("Save preferences", widget=GovSubmitInput())

    @classmethod
    def showing(cls, preferences: Preferences) -> "PreferencesForm":
        """The form filled in with a contact's preferences."""
        return cls(paused_until=preferences.paused_until,
                   kinds=[kind for kind in OPTIONAL_KINDS if kind not in preferences.opted_out_kinds])

    def preferences(self) -> Preferences:
        """What was chosen, as preferences for the service."""
        wanted = set(self.kinds.data or ())
        return Preferences(self.paused_until.data, tuple(kind for kind in OPTIONAL_KINDS if kind not in wanted))


class CalendarForm(BaseForm):
    """Make a new private calendar address (ending the old one), or turn it off."""

    new = SubmitField("Make a new calendar address", widget=GovSubmitInput())
    revoke = SubmitField("Turn off my calendar address", widget=GovSubmitInput())


class PreviewDateForm(BaseForm):
    """The date the preview looks at, typed as day, month and year like every date the service asks for."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    on = GovDateField("Look at another date", noun="The date", description="For example, 30 4 2017")

    def chosen(self, default: date) -> date:
        """The date asked for when it was given and is a real date, else the default."""
        return self.on.data if self.validate() and self.on.data is not None else default


class SendNowForm(BaseForm):
    """Run the reminders now (CSRF-protected, like every form)."""

    submit = SubmitField("Send now", widget=GovSubmitInput())


class FreshLinkForm(BaseForm):
    """Ask for a new update link by email."""

    submit = SubmitField("Send me a new link", widget=GovSubmitInput())
