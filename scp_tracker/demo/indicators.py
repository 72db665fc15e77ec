"""The demo's performance indicators: one or two per key priority, with quarterly figures since the year before."""

from datetime import date, datetime, time
from random import Random

from sqlalchemy import select

from scp_tracker.core.clock import LONDON
from scp_tracker.extensions import db
from scp_tracker.indicators.models import Indicator
from scp_tracker.indicators.periods import Period
from scp_tracker.indicators.services import record_figure
from scp_tracker.indicators.summaries import due_period
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import KeyPriority, Plan

# (key priority, name, what is counted, unit, source agency, better, baseline, target change %, step a quarter)
DEMO_INDICATORS = (
    (1, "Domestic abuse incidents reported", "Incidents of domestic abuse reported to the police", "incidents", "EP",
     "higher", 410, 5, 6),
    (1, "Repeat victims of domestic abuse", "Victims with another incident within 12 months", "%", "EP", "lower",
     31, -10, -0.6),
    (2, "First-time entrants to the youth justice system", "Young people receiving a first caution or conviction",
     "young people", "YOS", "lower", 24, -15, -1),
    (3, "Night-time economy violence with injury", "Offences in the town centre, 6pm to 6am", "offences", "EP",
     "lower", 96, -10, -2.5),
    (4, "Anti-social behaviour incidents", "Incidents reported to the police and the council", "incidents", "CBC",
     "lower", 1520, -5, -18),
)


def add_demo_indicators(plan: Plan, today: date, rng: Random) -> int:
    """Add the indicators with figures from a year before the plan up to the quarter due by `today`; the last
    quarter of the last indicator is left out, so the round chases it. Returns how many figures were added."""
    key_priorities = {kp.number: kp for kp in db.session.scalars(select(KeyPriority).where(
        KeyPriority.plan_id == plan.id))}
    agencies = {agency.abbreviation: agency for agency in db.session.scalars(select(Agency))}
    start = Period(plan.starts_on.year - 1 if plan.starts_on else today.year - 1, "quarter", 2)
    due = due_period("quarterly", today)
    added = 0
    for position, (number, name, counted, unit, source, better, baseline, change, step) in enumerate(
            DEMO_INDICATORS, start=1):
        if number not in key_priorities:
            continue
        agency = agencies.get(source)
        indicator = Indicator(plan=plan, key_priority=key_priorities[number], position=position, name=name,
                              counted=counted, unit=unit, source=agency.name if agency else source, better=better,
                              baseline_value=baseline, baseline_period=start.key, target_change_percent=change,
                              provider_agency=agency)
        db.session.add(indicator)
        db.session.flush()
        period, value = start, float(baseline)
        last = due.previous() if position == len(DEMO_INDICATORS) else due
        while period <= last:
            entered = datetime.combine(period.end, time(12), LONDON)
            record_figure(indicator, period.key, round(value, 1 if unit == "%" else 0), "", entered)
            added += 1
            value = max(0.0, value + step + rng.uniform(-abs(step) * 1.5, abs(step) * 1.5))
            period = period.shifted(1)
    return added
