"""Fixtures of the indicators tests: a plan with key priorities and an indicator with figures."""

from datetime import UTC, datetime

import pytest

from scp_tracker.indicators.models import Indicator
from scp_tracker.indicators.services import record_figure

NOW = datetime(2016, 11, 20, 10, tzinfo=UTC)


@pytest.fixture
def indicator_plan(db, make_plan, make_key_priority, known_agency):
    """Plan 2016-17 with two key priorities; key priority 1 has "Domestic abuse incidents" (lower is better,
    target 1,200, provided by EP) with figures for 2015-Q3 and 2016-Q2 and 2016-Q3."""
    plan = make_plan("2016-17")
    kp1 = make_key_priority(plan, 1, "To protect vulnerable people")
    make_key_priority(plan, 2, "To reduce violence")
    indicator = Indicator(plan=plan, key_priority=kp1, name="Domestic abuse incidents", unit="incidents",
                          source="Essex Police", better="lower", baseline_value=1300, baseline_period="2015-Q3",
                          target_value=1200, provider_agency=known_agency("EP"))
    db.session.add(indicator)
    db.session.flush()
    for period, value in (("2015-Q3", 1300), ("2016-Q2", 1290), ("2016-Q3", 1240)):
        record_figure(indicator, period, value, "", NOW)
    db.session.commit()
    return plan
