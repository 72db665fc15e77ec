"""The demo's clock: writing the year's history as at each of its moments."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

from scp_tracker.core.clock import LONDON


class DemoError(RuntimeError):
    """The demo cannot be loaded here (its clock tool is missing); the message says what to do."""


def at(day: date, moment: time) -> datetime:
    """That day's London time as an aware UTC datetime."""
    return datetime.combine(day, moment, LONDON).astimezone(UTC)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Everything inside is written as at `moment`, records whose columns default to the current time included.

    time-machine is a test dependency that `make setup` installs; the demo is for a development checkout.
    """
    try:
        import time_machine
    except ImportError:
        raise DemoError("the demo needs time-machine: run `make setup` (it installs the test extras)") from None
    with time_machine.travel(moment, tick=False):
        yield
