"""The events list on a county's plan: narrowed to one objective from its page, and neither its queries nor its
page growing with the number of objectives (its filters offer key priorities, never every objective)."""

import re
from datetime import date

import pytest

from scp_tracker.plans.models import Objective


@pytest.fixture
def county(db, sample_plan, make_event, known_agency):
    """county(n): a current plan of n objectives; the first call also records three events on the first plan,
    two of them on its first objective (`county.with_events`), none on a third key priority's objectives."""
    made = []

    def _county(n: int):
        sample = sample_plan(n, year=f"{2015 + len(made)}-{16 + len(made)}")  # each newer plan the current one
        if not made:
            fire = known_agency("EFRS")
            first, last = (db.session.get(Objective, i) for i in (sample.objective_ids[0], sample.objective_ids[-1]))
            make_event(fire, title="Crucial Crew day", objectives=[first], starts_on=date(2016, 6, 1))
            make_event(fire, title="Hidden Harms conference", objectives=[first, last], starts_on=date(2016, 5, 1))
            make_event(fire, title="Day of action", starts_on=date(2016, 4, 20))
            _county.with_events = first.id
        made.append(sample)
        return sample

    return _county


def body(client, url: str) -> str:
    """The page at the address, which must answer."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_objectives_page_link_narrows_the_list_to_it_and_the_filter_can_be_removed(county, client_as):
    sample = county(10)
    objective_id = sample.objective_ids[-1]
    client = client_as("viewer")
    objective_page = body(client, f"/objectives/{objective_id}")
    assert f'href="/events?objective={objective_id}"' in objective_page

    page = body(client, f"/events?objective={objective_id}&kind=awareness_session")
    assert "1 event match" in page
    assert "Hidden Harms conference" in page and "Crucial Crew day" not in page
    chosen = re.search(r'<p class="govuk-body" id="chosen-objective">(.*?)</p>', page, re.S).group(1)
    assert "Objective 9" in chosen
    # Removing it keeps the other filters; applying other filters keeps it (a hidden field of the form).
    assert 'href="/events?kind=awareness_session">Remove this filter' in chosen
    assert f'<input id="objective" name="objective" type="hidden" value="{objective_id}">' in page
    assert f"objective={objective_id}" in re.search(r'href="(/events/export\.csv[^"]*)"', page).group(1)
    # No select of objectives: the filters offer key priorities.
    assert '<select class="govuk-select govuk-!-width-full" id="objective"' not in page
    assert 'id="key_priority"' in page


@pytest.mark.parametrize("objective", ["999999", "abc", "-1"])
def test_an_objective_that_is_not_there_is_ignored_with_a_message(county, client_as, objective):
    county(10)
    page = body(client_as("viewer"), f"/events?objective={objective}")
    assert "3 events" in page and "There is a problem" in page
    assert 'id="chosen-objective"' not in page


@pytest.mark.parametrize("path", [
    "/events", "/events?objective={chosen}", "/events?key_priority={kp}&kind=awareness_session&page=2",
    "/events/export.csv?objective={chosen}",
])
def test_the_events_list_runs_the_same_queries_at_10_and_500_objectives(county, client_as, count_queries, path):
    client = client_as("viewer")
    counts = []
    for n in (10, 500):
        sample = county(n)
        url = path.format(chosen=county.with_events, kp=sample.key_priorities[2].id)
        client.get(url)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("path", ["/events", "/events?objective={chosen}", "/events?key_priority={kp}"])
def test_the_events_list_does_not_grow_with_the_plans_objectives(county, client_as, path):
    client = client_as("viewer")
    sizes = []
    for n in (10, 500):
        sample = county(n)
        sizes.append(len(body(client, path.format(chosen=county.with_events, kp=sample.key_priorities[2].id))))
    # The same events and as many key priorities: only ids and a plan's year may differ by a few characters.
    assert abs(sizes[1] - sizes[0]) < 200, sizes

