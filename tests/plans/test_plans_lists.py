"""The plan list's filters, sorting and pages, and fixed query counts on the pages that list objectives."""

import re

import pytest

from scp_tracker.plans.models import Objective


def titles(body: str) -> list[str]:
    """The objective titles a page links to, in order."""
    return re.findall(r'href="/objectives/\d+">([^<]+)</a>', body)


def listed(client, query: str = "") -> list[str]:
    """The titles the plan list shows for a query string."""
    response = client.get(f"/plan?{query}")
    assert response.status_code == 200
    return titles(response.get_data(as_text=True))


def names(*numbers: int) -> set[str]:
    """Sample objective titles."""
    return {f"Objective {n}" for n in numbers}


@pytest.mark.parametrize("path", [
    "/plan", "/objectives/{last}", "/", "/chasing", "/report",
    # The plan list filtered, sorted and paginated: each filter adds its condition, never a query per row.
    "/plan?key_priority={kp}&rag=amber&page=2", "/plan?sort=end_date&page=2",
    "/plan?agency={agency}&police=2&sort=rag", "/plan?tbc_funding=y&sort=last_update&page=2",
])
def test_query_count_does_not_grow_with_objectives(path, sample_plan, plans_client, count_queries):
    counts = []
    client = plans_client("coordinator")
    for n, year in ((10, "2015-16"), (500, "2016-17")):
        sample = sample_plan(n, year=year)  # the newer plan becomes the current one
        url = path.format(last=sample.objective_ids[-1], kp=sample.key_priorities[0].id,
                          agency=sample.agencies["EP"].id)
        assert client.get(url).status_code == 200
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_filter_by_key_priority(sample_plan, plans_client):
    sample = sample_plan(8)
    kp2 = sample.key_priorities[1]
    assert set(listed(plans_client("viewer"), f"key_priority={kp2.id}")) == names(1, 5)


def test_filter_by_lead_agency(sample_plan, plans_client):
    sample = sample_plan(10)
    # EP leads even objectives, CBC odd ones, except every fifth (4, 9), whose lead is TBC.
    assert set(listed(plans_client("viewer"), f"agency={sample.agencies['EP'].id}")) == names(0, 2, 6, 8)
    assert set(listed(plans_client("viewer"), f"agency={sample.agencies['CBC'].id}")) == names(1, 3, 5, 7)


def test_filter_by_status(sample_plan, plans_client, db):
    sample = sample_plan(4)
    db.session.get(Objective, sample.objective_ids[2]).status = "complete"
    db.session.commit()
    client = plans_client("viewer")
    assert set(listed(client, "status=complete")) == names(2)
    assert set(listed(client, "status=open")) == names(0, 1, 3)


def test_filter_by_rag_including_not_set(sample_plan, plans_client):
    sample_plan(8)
    client = plans_client("viewer")
    assert set(listed(client, "rag=red")) == names(0, 4)
    assert set(listed(client, "rag=green")) == names(2, 6)
    assert set(listed(client, "rag=none")) == names(3, 7)


def test_filter_by_police_and_pcc_priority(sample_plan, plans_client):
    sample_plan(10)
    client = plans_client("viewer")
    # police_numbers = [i % 7 + 1]; pcc scope "all" on odd objectives, "none" on even ones.
    assert set(listed(client, "police=3")) == names(2, 9)
    assert set(listed(client, "pcc=2")) == names(1, 3, 5, 7, 9)  # "all" serves every numbered priority
    assert set(listed(client, "pcc=none")) == names(0, 2, 4, 6, 8)
    assert listed(client, "pcc=multiple") == []


def test_filter_due_within_days_and_overdue(sample_plan, plans_client):
    sample_plan(40)  # end dates from 30 days ago (objective 0) to 9 days ahead (objective 39)
    client = plans_client("viewer")
    assert set(listed(client, "due_within=5&sort=end_date")) == names(30, 31, 32, 33, 34, 35)
    overdue = listed(client, "overdue=y&sort=end_date")
    assert len(overdue) == 25 and overdue[0] == "Objective 0"  # first page of 30


def test_filter_tbc_funding_and_tbc_lead(sample_plan, plans_client):
    sample_plan(10)
    client = plans_client("viewer")
    assert set(listed(client, "tbc_funding=y")) == names(0, 3, 6, 9)
    assert set(listed(client, "tbc_lead=y")) == names(4, 9)
    assert set(listed(client, "tbc_funding=y&tbc_lead=y")) == names(9)


def test_filter_no_update_for_days(sample_plan, plans_client):
    sample_plan(6)
    client = plans_client("viewer")
    # Odd objectives were never updated and were added 60 days ago; even ones were updated 10 days ago.
    assert set(listed(client, "no_update_days=42")) == names(1, 3, 5)
    assert set(listed(client, "no_update_days=7")) == names(0, 1, 2, 3, 4, 5)


def test_filters_combined_then_changed_each_give_their_own_objectives(sample_plan, plans_client):
    # The list's statements are built once for each set of filters set: another request with other values, or
    # with more or fewer filters, must use its own conditions and values, not those of the request before.
    sample_plan(10)
    client = plans_client("viewer")
    assert set(listed(client, "tbc_funding=y&rag=red")) == names(0)
    assert set(listed(client, "tbc_funding=y&rag=none")) == names(3)
    assert set(listed(client, "rag=red")) == names(0, 4, 8)
    assert set(listed(client, "rag=red&sort=title")) == names(0, 4, 8)
    assert listed(client, "tbc_lead=y&rag=green") == []
    assert set(listed(client, "tbc_lead=y")) == names(4, 9)


def test_filter_no_end_date(sample_plan, plans_client, db):
    sample = sample_plan(3)
    objective = db.session.get(Objective, sample.objective_ids[1])
    objective.end_date, objective.end_date_status = None, "tbc"
    db.session.commit()
    assert listed(plans_client("viewer"), "no_end_date=y") == ["Objective 1"]


def test_filter_form_keeps_its_values(sample_plan, plans_client):
    sample = sample_plan(4)
    body = plans_client("viewer").get(
        f"/plan?key_priority={sample.key_priorities[0].id}&rag=none&due_within=14&tbc_lead=y&sort=title"
    ).get_data(as_text=True)
    assert re.search(rf'<option value="{sample.key_priorities[0].id}" selected', body)
    assert re.search(r'<option value="none" selected', body)
    assert re.search(r'<option value="title" selected', body)
    assert re.search(r'name="due_within"[^>]*value="14"', body.replace("\n", " ")) or \
        re.search(r'value="14"[^>]*name="due_within"', body.replace("\n", " "))
    assert re.search(r'name="tbc_lead" type="checkbox" value="y" checked', body)


def test_the_plan_list_is_full_width_with_its_filters_folded_until_used(sample_plan, plans_client):
    sample_plan(4)
    client = plans_client("viewer")
    body = client.get("/plan").get_data(as_text=True)
    assert re.search(r'<body class="govuk-template__body[^"]* app-wide"', body)
    assert "govuk-grid-column-one-third\">\n      <form" not in body  # no filter column squeezing the titles
    folded = re.search(r'<details class="govuk-details"([^>]*)>\s*<summary[^>]*>\s*<span[^>]*>\s*Filter objectives',
                       body)
    assert folded and "open" not in folded.group(1)
    assert body.index("Filter objectives") < body.index('name="key_priority"') < body.index("</details>")
    filtered = client.get("/plan?rag=none").get_data(as_text=True)
    assert re.search(r'<details class="govuk-details" open>\s*<summary[^>]*>\s*<span[^>]*>\s*Filter objectives',
                     filtered)


def test_empty_result_says_so(sample_plan, plans_client):
    sample_plan(4)
    body = plans_client("viewer").get("/plan?rag=green&tbc_lead=y").get_data(as_text=True)
    assert "No objectives match these filters." in body


def test_invalid_filter_values_are_errors_not_500(sample_plan, plans_client):
    sample_plan(4)
    response = plans_client("viewer").get("/plan?rag=purple&due_within=soon&key_priority=abc&sort=nonsense&page=x")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body
    assert len(titles(body)) == 4


def test_sorting(sample_plan, plans_client):
    sample_plan(8)
    client = plans_client("viewer")
    assert listed(client, "sort=end_date") == [f"Objective {i}" for i in range(8)]
    assert listed(client, "sort=title")[:3] == ["Objective 0", "Objective 1", "Objective 2"]
    assert listed(client, "sort=rag")[:2] == ["Objective 0", "Objective 4"]  # red first
    assert listed(client, "sort=rag")[-2:] == ["Objective 3", "Objective 7"]  # not set last
    assert set(listed(client, "sort=last_update")[:4]) == names(1, 3, 5, 7)  # never updated first


def test_default_order_groups_by_key_priority(sample_plan, plans_client):
    sample_plan(8)
    body = plans_client("viewer").get("/plan").get_data(as_text=True)
    assert titles(body) == ["Objective 0", "Objective 4", "Objective 1", "Objective 5",
                            "Objective 2", "Objective 6", "Objective 3", "Objective 7"]
    assert body.index("Key priority 1: Key priority 1") < body.index("Key priority 2: Key priority 2")


def test_pagination(sample_plan, plans_client):
    sample_plan(60)
    client = plans_client("viewer")
    first = client.get("/plan?sort=end_date&rag=red").get_data(as_text=True)
    assert "15 objectives match these filters" in first
    everything = client.get("/plan?sort=end_date").get_data(as_text=True)
    assert "60 objectives, page 1 of 3" in everything
    assert len(titles(everything)) == 25
    assert "govuk-pagination" in everything
    assert 'href="/plan?sort=end_date&amp;page=2"' in everything
    last = client.get("/plan?sort=end_date&page=3").get_data(as_text=True)
    assert titles(last) == [f"Objective {i}" for i in range(50, 60)]
    beyond = client.get("/plan?sort=end_date&page=99").get_data(as_text=True)
    assert titles(beyond) == titles(last)
