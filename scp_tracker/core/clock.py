"""The time: stored in UTC, and "today" as the partnership sees it in Europe/London."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def today_in_london(now: datetime | None = None) -> date:
    """The date in Colchester at `now` (default: the current time); a run at 00:30 BST belongs to that day."""
    return (now or utcnow()).astimezone(LONDON).date()
