"""A contact's private calendar feed: the end dates of the objectives they lead and their agency's events."""

from datetime import datetime, timedelta

from icalendar import Calendar, Event


def end_dates_calendar(objectives, events, *, name: str, now: datetime) -> bytes:
    """All-day entries for end dates and events held or planned.

    UIDs are stable, so calendars update, never duplicate.
    """
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
    for held in events:
        entry = Event()
        entry.add("uid", f"event-{held.event_id}@scp-tracker")
        entry.add("dtstamp", now)
        entry.add("last-modified", held.updated_at)
        entry.add("dtstart", held.starts_on)
        entry.add("dtend", (held.ends_on or held.starts_on) + timedelta(days=1))
        entry.add("summary", f"{held.title} ({held.kind_label})")
        entry.add("location", held.place or "")
        entry.add("description", f"Organised by {held.organising_agency_name}")
        # iCalendar's own statuses: a cancelled event stays in the feed, marked, so calendars drop it.
        entry.add("status", "CANCELLED" if held.status == "cancelled" else "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()
