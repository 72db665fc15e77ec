"""The addresses the benchmark's first views walk: real pages of the generated county, each new to the server.

Nothing is timed here (wrk never runs in tests): the addresses are requested once each through the test client.
"""

import sys
from datetime import date
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.county import Scale  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from benchmarks.pages import SHARES, first_view_addresses  # noqa: E402
from scp_tracker.people.models import User, holds_role  # noqa: E402
from scp_tracker.plans.models import KeyPriority, Objective  # noqa: E402

TODAY = date(2026, 11, 18)
TINY = Scale(objectives=10, key_priorities=3, agencies=8, contacts=24, progress_updates=60, events=12,
             reminder_records=40)


def test_every_page_has_first_view_addresses_and_each_answers_as_a_first_view(db, login):
    made = generate(TINY, seed=5, today=TODAY)
    addresses = first_view_addresses(made.plan_id, seed=5)
    assert list(addresses) == list(SHARES)

    plan_objectives = db.session.scalars(
        select(Objective.id).join(KeyPriority).where(KeyPriority.plan_id == made.plan_id)).all()
    # The objective page: every objective of the plan once, so each request shows a different one.
    assert sorted(addresses["objective"]) == sorted(f"/objectives/{oid}" for oid in plan_objectives)
    # The events list: a different filter or page each time (kind, status, key priority, pages 1 to 3).
    events = addresses["events"]
    assert len(events) == len(set(events)) == 8 * 4 * (TINY.key_priorities + 1) * 3
    assert all(path.startswith("/events?") for path in events)
    assert any("kind=" in path and "status=" in path and "key_priority=" in path for path in events)
    # The plan list: filtered and on page 2, as the issue asks.
    [plan] = addresses["plan"]
    assert plan.startswith("/plan?key_priority=") and "&rag=amber&page=2" in plan
    assert addresses["layout_only"] == ["/accessibility"] and addresses["dashboard"] == ["/"]

    client = login(db.session.scalar(select(User).where(holds_role("coordinator")).order_by(User.id)))
    sample = [*addresses["layout_only"], *addresses["dashboard"], plan, *addresses["objective"], *events[::16]]
    for n, path in enumerate(sample):
        # As first_view.lua sends it: with a query-string value never asked for before.
        address = f"{path}{'&' if '?' in path else '?'}view={n}"
        assert client.get(address).status_code == 200, address


def test_the_addresses_are_the_same_for_the_same_seed_and_shuffled_by_another(db):
    made = generate(TINY, seed=6, today=TODAY)
    first, again, other = (first_view_addresses(made.plan_id, seed=seed) for seed in (1, 1, 2))
    assert first == again
    assert first["events"] != other["events"] and sorted(first["events"]) == sorted(other["events"])
