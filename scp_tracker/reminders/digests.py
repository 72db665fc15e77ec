"""The reminder emails: a person's digest (with the notifications they chose to get in it, and for a coordinator
the run summary), a fresh update link."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template

from scp_tracker.core.formatting import gov_date
from scp_tracker.core.links import absolute_url
from scp_tracker.notifications.preference_links import preferences_token
from scp_tracker.reminders.rules import KIND_LABELS


@dataclass(frozen=True)
class RenderedEmail:
    """An email's subject and its text and HTML parts."""

    subject: str
    text: str
    html: str


def _render(template: str, subject: str, **context) -> RenderedEmail:
    """Render both parts of an email; the HTML part is autoescaped (the template ends in .html)."""
    context.update(subject=subject, service_name=current_app.config["SERVICE_NAME"],
                   partnership_name=current_app.config["PARTNERSHIP_NAME"])
    return RenderedEmail(subject, render_template(f"emails/{template}.txt", **context),
                         render_template(f"emails/{template}.html", **context))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def end_date_words(objective) -> str:
    """An objective's end date as a digest shows it: "30 April 2017", "TBC", "Ongoing" or "Not set"."""
    if objective.has_end_date:
        return gov_date(objective.end_date)
    return {"tbc": "TBC", "ongoing": "Ongoing"}.get(objective.end_date_status, "Not set")


@dataclass(frozen=True)
class QueuedEmail:
    """A reminder email queued since the last summary, as the summary lists it."""

    to_address: str
    subject: str


@dataclass
class RunSummary:
    """What the coordinator's summary tells: the reminder emails since the last one, objectives with nobody to
    remind, and what could not be delivered."""

    since: date | None
    emails: list[QueuedEmail]
    nobody_to_remind: list
    failures: list

    @property
    def is_empty(self) -> bool:
        """Nothing to tell."""
        return not (self.emails or self.nobody_to_remind or self.failures)


def digest_email(digest, *, today: date, preferences_link: str, objective_link) -> RenderedEmail:
    """One person's email of one run: each objective once with all its reasons, the late figures they provide,
    events to record, changes, and for a coordinator the run summary. The subject counts what the lists show."""
    entries = digest.entries
    for entry in entries:
        entry.link = digest.lead_link if entry.asked else objective_link(entry.objective.id)
    count = len(entries)
    # Asked: the person updates it on "Your objectives". Told: a copy or an escalation, theirs to follow up.
    asked = sum(1 for entry in entries if entry.asked)
    asks = [f"{_plural(asked, 'objective')} to update"] if asked else []
    if count - asked:
        asks.append(f"{_plural(count - asked, 'objective')} to follow up")
    if digest.figures:
        asks.append(f"{_plural(len(digest.figures), 'figure')} to give")
    if digest.events:
        asks.append(f"{_plural(len(digest.events), 'event')} to record")
    heading = "Reminders" if asks else "Your daily email"
    if digest.notifications:
        asks.append(f"{_plural(len(digest.notifications), 'change')} to know about")
    if digest.summary is not None:
        heading = "Reminders and summary" if asks else "Reminder summary"
        asks.append(f"{_plural(len(digest.summary.emails), 'email')} sent")
    words = asks[0] if len(asks) == 1 else f"{', '.join(asks[:-1])} and {asks[-1]}"
    subject = f"{heading} for {gov_date(today)}: {words}"
    return _render("reminder_digest", subject, name=digest.contact.name, today=today, count=count,
                   entries=entries, kind_labels=KIND_LABELS, lead_link=digest.lead_link,
                   asked_count=asked, events=digest.events, figures=digest.figures,
                   event_heading=KIND_LABELS["event_outcome"],
                   end_date_words=end_date_words, preferences_link=preferences_link,
                   notifications=digest.notifications, summary=digest.summary,
                   # Signed like the preferences link: it works for people without a login too.
                   notification_settings_link=absolute_url(
                       f"/notifications/settings/{preferences_token(digest.contact.id)}"))


def fresh_link_email(contact, objective, *, link: str, expires_at: datetime) -> RenderedEmail:
    """A new link to update one objective, asked for from an expired or used one."""
    subject = f"Your new link to update: {objective.title}"
    return _render("reminder_fresh_link", subject, name=contact.name, objective=objective, link=link,
                   expires_at=expires_at)
