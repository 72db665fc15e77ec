"""A contact's private calendar feed: the end dates of the objectives they lead, as iCalendar."""

from datetime import datetime, timedelta

from icalendar import Calendar, Event


def end_dates_calendar(objectives, *, name: str, now: datetime) -> bytes:
    """An all-day event on each objective's end date; UIDs are stable, so calendars update, never duplicate."""
    calendar = Calendar()
    calendar.add("prodid", "-//SCP Tracker//End dates//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    for objective in objectives:
        event = Event()
        event.add("uid", f"objective-{objective.id}-end-date@scp-tracker")
        event.add("dtstamp", now)
        event.add("dtstart", objective.end_date)
        event.add("dtend", objective.end_date + timedelta(days=1))
        event.add("summary", f"End date: {objective.title}")
        event.add("description", f"Key priority {objective.key_priority.number}: {objective.key_priority.title}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
