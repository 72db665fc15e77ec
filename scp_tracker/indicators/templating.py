"""The template globals through which the plan's pages (below this area) show indicators."""

from flask import Flask, g

from scp_tracker.indicators.charts import chart_for, number_text
from scp_tracker.indicators.periods import parse_period
from scp_tracker.indicators.summaries import IndicatorSummary, plan_summaries


def indicator_summaries(plan_id: int, key_priority_id: int | None = None) -> list[IndicatorSummary]:
    """The plan's indicators summarised, or one key priority's."""
    # One page may ask for several key priorities: work the plan's indicators out once per request.
    cache = g.setdefault("indicator_summaries", {})
    if plan_id not in cache:
        cache[plan_id] = plan_summaries(plan_id)
    summaries = cache[plan_id]
    if key_priority_id is None:
        return summaries
    return [summary for summary in summaries if summary.indicator.key_priority_id == key_priority_id]


def period_label(key: str) -> str:
    """A stored period in words."""
    return parse_period(key).label


def register(app: Flask) -> None:
    """Add the globals."""
    app.add_template_global(indicator_summaries)
    app.add_template_global(chart_for, "indicator_chart")
    app.add_template_global(number_text)
    app.add_template_global(period_label)
