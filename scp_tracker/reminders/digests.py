"""The reminder emails: a person's daily digest (with the notifications they chose to get in it), the
coordinator's run summary, a fresh update link."""

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template

from scp_tracker.core.formatting import gov_date
from scp_tracker.core.links import absolute_url
from scp_tracker.notifications.preference_links import preferences_token
from scp_tracker.reminders.rules import KIND_LABELS, KINDS


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
    """An objective's end date as a digest shows it: "30 April 2017", "TBC" or "Not set"."""
    if objective.has_end_date:
        return gov_date(objective.end_date)
    return "TBC" if objective.end_date_status == "tbc" else "Not set"


def grouped_by_kind(items) -> list[tuple[str, list]]:
    """(heading, items) for each kind present, in the order the digest shows kinds."""
    return [(KIND_LABELS[kind], [i for i in items if i.reminder.kind == kind])
            for kind in KINDS if any(i.reminder.kind == kind for i in items)]


def digest_email(digest, *, today: date, preferences_link: str) -> RenderedEmail:
    """One person's reminders of one run, grouped by kind, each with a link to update its objective."""
    count = digest.objective_count
    asks = [f"{_plural(count, 'objective')} to update"] if count else []
    if digest.events:
        asks.append(f"{_plural(len(digest.events), 'event')} to record")
    heading = "Reminders" if asks else "Your daily email"
    if digest.notifications:
        asks.append(f"{_plural(len(digest.notifications), 'change')} to know about")
    words = asks[0] if len(asks) == 1 else f"{', '.join(asks[:-1])} and {asks[-1]}"
    subject = f"{heading} for {gov_date(today)}: {words}"
    return _render("reminder_digest", subject, name=digest.contact.name, today=today, count=count,
                   groups=grouped_by_kind(digest.items), events=digest.events,
                   event_heading=KIND_LABELS["event_outcome"],
                   end_date_words=end_date_words, preferences_link=preferences_link,
                   notifications=digest.notifications,
                   # Signed like the preferences link: it works for people without a login too.
                   notification_settings_link=absolute_url(
                       f"/notifications/settings/{preferences_token(digest.contact.id)}"))


def summary_email(report, failures, *, coordinator, today: date) -> RenderedEmail:
    """The coordinator's summary of a run: who was sent what, objectives with nobody to remind, what failed."""
    subject = f"Reminder run on {gov_date(today)}: {_plural(len(report.digests), 'email')} queued"
    return _render("reminder_run_summary", subject, name=coordinator.name, today=today, report=report,
                   failures=failures, kind_labels=KIND_LABELS)


def fresh_link_email(contact, objective, *, link: str, expires_at: datetime) -> RenderedEmail:
    """A new link to update one objective, asked for from an expired or used one."""
    subject = f"Your new link to update: {objective.title}"
    return _render("reminder_fresh_link", subject, name=contact.name, objective=objective, link=link,
                   expires_at=expires_at)
