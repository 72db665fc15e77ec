"""Aggregates kept between requests: plain figures (never markup), keyed on the data version and what they count.

Only figures that cost a scan of the plan are worth keeping (the dashboard's). A committed change anywhere moves
the data version (scp_tracker.core.data_version), so kept figures can never outlive one; time-based figures name the
day in their key and say when time alone changes them.
"""

import math
from datetime import datetime

from scp_tracker.core.data_version import current_version
from scp_tracker.extensions import cache


def kept_figures(name: str, key: tuple, work_out, *, now: datetime | None = None):
    """The figures `work_out()` gives, kept until the data version moves, `key` differs or their time runs out.

    `work_out()` returns (figures, until): until is when time alone changes them (None: never; else `now` must be
    given). The version is read before the figures are worked out, so figures kept under a version never predate
    it. Figures must pickle (plain values, no ORM objects).
    """
    cache_key = f"figures:{name}:{current_version()}:{key!r}"
    figures = cache.get(cache_key)
    if figures is not None:
        return figures
    figures, until = work_out()
    if until is None:
        cache.set(cache_key, figures)
    elif until > now:
        cache.set(cache_key, figures, timeout=math.ceil((until - now).total_seconds()))
    return figures
