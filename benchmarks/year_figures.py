"""The year script's figures for one person, from the emails they were sent each day and the days something was owed.

Plain data in, plain data out, so the arithmetic is tested on chosen days without running a year.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

WINDOW_DAYS = 28


@dataclass(frozen=True)
class PersonYear:
    """One person's emails over the simulated days."""

    name: str
    address: str
    role: str  # "lead" | "coordinator"
    emails: int
    most_in_28_days: int
    most_in_a_day: int
    longest_silence_owed: int  # days in a row owed something with no email
    repeated_objective_emails: int  # emails that listed one objective more than once
    emails_by_kind: dict[str, int]

    def as_json(self) -> dict:
        """The --json shape."""
        return {"name": self.name, "address": self.address, "role": self.role, "emails": self.emails,
                "most_in_28_days": self.most_in_28_days, "most_in_a_day": self.most_in_a_day,
                "longest_silence_owed": self.longest_silence_owed,
                "repeated_objective_emails": self.repeated_objective_emails, "emails_by_kind": self.emails_by_kind}


def days_of(start: date, count: int) -> list[date]:
    """The `count` days from `start`."""
    return [start + timedelta(days=n) for n in range(count)]


def most_in_window(per_day: Mapping[date, int], days: list[date], window: int = WINDOW_DAYS) -> int:
    """The most emails in any `window` consecutive days of `days` (a shorter run counts whole)."""
    counts = [per_day.get(day, 0) for day in days]
    best = running = 0
    for n, count in enumerate(counts):
        running += count
        if n >= window:
            running -= counts[n - window]
        best = max(best, running)
    return best


def longest_silence(per_day: Mapping[date, int], owed_days: Iterable[date], days: list[date]) -> int:
    """The most days in a row on which something was owed and no email came.

    A day with an email ends a silence; so does a day with nothing owed.
    """
    owed = set(owed_days)
    best = current = 0
    for day in days:
        if per_day.get(day, 0) or day not in owed:
            current = 0
        else:
            current += 1
            best = max(best, current)
    return best


def person_year(name: str, address: str, role: str, per_day: Mapping[date, int], owed_days: Iterable[date],
                days: list[date], *, repeated_objective_emails: int, emails_by_kind: Mapping[str, int]) -> PersonYear:
    """The figures of one person over `days`."""
    return PersonYear(
        name=name, address=address, role=role, emails=sum(per_day.get(day, 0) for day in days),
        most_in_28_days=most_in_window(per_day, days), most_in_a_day=max((per_day.get(d, 0) for d in days), default=0),
        longest_silence_owed=longest_silence(per_day, owed_days, days),
        repeated_objective_emails=repeated_objective_emails, emails_by_kind=dict(sorted(emails_by_kind.items())))


def times_listed(text: str, title: str) -> int:
    """How many times an email's text lists this objective: the lines that are its title (alone, or after a list
    marker), or, when no line is, the lines that contain it (a layout that puts more on the title's line)."""
    wanted = " ".join(title.split())
    alone = containing = 0
    for line in text.splitlines():
        words = " ".join(line.split())
        containing += wanted in words
        for marker in ("- ", "* ", "• "):
            words = words.removeprefix(marker)
        number, dot, rest = words.partition(". ")
        if dot and number.isdigit():
            words = rest
        alone += words == wanted
    return alone or containing


TABLE_HEADINGS = ("Person", "Emails", "Most in 28 days", "Most in a day", "Longest silence while owed (days)",
                  "Emails listing an objective twice")


def table(people: list[PersonYear]) -> str:
    """A Markdown table of everyone's figures, leads first (by name), then the coordinator."""
    rows = [TABLE_HEADINGS]
    for person in people:
        label = f"{person.name} (coordinator)" if person.role == "coordinator" else person.name
        rows.append((label, str(person.emails), str(person.most_in_28_days), str(person.most_in_a_day),
                     str(person.longest_silence_owed), str(person.repeated_objective_emails)))
    widths = [max(len(row[n]) for row in rows) for n in range(len(TABLE_HEADINGS))]
    lines = ["| " + " | ".join(cell.ljust(widths[n]) for n, cell in enumerate(row)) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("-" * width for width in widths) + " |")
    return "\n".join(lines)


def summary(mode: str, people: list[PersonYear], *, leads_answer: bool = False) -> str:
    """One line: the worst lead and the coordinator, against the issue's targets (the 28-day and silence targets are
    for leads who never answer; a lead who answered a round is not chased again before the next round's call)."""
    leads = [p for p in people if p.role == "lead"]
    coordinators = [p for p in people if p.role == "coordinator"]
    parts = [f"{mode}:"]
    if leads:
        parts.append(
            f"worst lead {max(p.emails for p in leads)} emails in the period, "
            f"{max(p.most_in_28_days for p in leads)} in 28 days{'' if leads_answer else ' (target at most 4)'}, "
            f"silent {max(p.longest_silence_owed for p in leads)} days while owed"
            f"{' (answered: asked again at the next call)' if leads_answer else ' (target at most 42)'}, "
            f"{sum(p.repeated_objective_emails for p in leads)} emails listing an objective twice (target 0);")
    for coordinator in coordinators:
        parts.append(f"coordinator {coordinator.emails} emails, at most {coordinator.most_in_a_day} on one day "
                     f"(target at most 1), {coordinator.most_in_28_days} in 28 days.")
    return " ".join(parts)
