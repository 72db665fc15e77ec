"""The plan list read by column and its filters kept between requests: the same table, filters that follow the
choices, and query counts that do not grow with the plan."""

import re
from datetime import date

import pytest
from flask import get_template_attribute

from scp_tracker.people.models import Agency
from scp_tracker.plans import views
from scp_tracker.plans.models import FundingLine, KeyPriority, Objective, ObjectiveLead, PriorityListItem
from scp_tracker.site.formatting import gov_date


def table_rows(body: str) -> dict[int, list[str]]:
    """The plan list's rows by objective id: each row's cells as drawn."""
    rows = {}
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.DOTALL):
        objective_id = re.search(r'href="/objectives/(\d+)"', row)
        if objective_id:
            rows[int(objective_id.group(1))] = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row, re.DOTALL)
    return rows


def option_labels(body: str, field: str) -> list[str]:
    """The labels a filter's select box offers."""
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', body, re.DOTALL).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.DOTALL)]


def test_table_cells_read_as_the_shared_macros_draw_them(app, db, sample_plan, plans_client):
    sample = sample_plan(10)
    ids = sample.objective_ids
    objective = {i: db.session.get(Objective, oid) for i, oid in enumerate(ids)}
    # Two leads in the order written, an end date TBC or not recorded, no lead recorded, two funding lines,
    # a completed objective: every way a cell can read.
    db.session.add(ObjectiveLead(objective_id=ids[1], agency_id=sample.agencies["EP"].id, position=1))
    objective[2].end_date, objective[2].end_date_status = None, "tbc"
    objective[3].end_date, objective[3].end_date_status = None, "missing"
    objective[4].lead_status = "missing"
    db.session.add(FundingLine(objective_id=ids[5], position=1, amount_pence=25050, source="PCC", pot="16-17",
                               status="confirmed"))
    objective[6].status = "complete"
    db.session.commit()

    body = plans_client("viewer").get("/plan?sort=title").get_data(as_text=True)
    rows = table_rows(body)
    assert set(rows) == set(ids)
    with app.test_request_context():
        lead_agencies = get_template_attribute("plans/_macros.html", "lead_agencies")
        end_date = get_template_attribute("plans/_macros.html", "end_date")
        rag_tag = get_template_attribute("site/macros.html", "rag_tag")
        funding_summary = app.jinja_env.filters["funding_summary"]
        for oid in ids:
            shown = db.session.get(Objective, oid)
            link, rag, end, lead, funding, last_update = rows[oid]
            assert f"Key priority {shown.key_priority.number}" in link
            assert (shown.status != "open") == ("Complete" in link)
            assert rag.strip() == str(rag_tag(shown.rag)).strip()
            assert end == str(end_date(shown))
            assert lead == str(lead_agencies(shown))
            assert funding == funding_summary(shown)
            assert last_update == (gov_date(shown.last_progress_at) if shown.last_progress_at else "None yet")
    assert rows[ids[1]][3] == "CBC / EP"
    assert rows[ids[2]][2] == "<strong>TBC</strong>" and rows[ids[3]][2] == "Not recorded"
    assert rows[ids[4]][3] == "Not recorded" and rows[ids[9]][3] == "<strong>TBC</strong>"
    assert rows[ids[5]][4] == "£1,000 SCP (16-17 allocation); £250.50 PCC (16-17)"


def test_grouped_list_names_each_key_priority_lead(db, sample_plan, plans_client):
    sample = sample_plan(8)
    sample.key_priorities[1].lead_links.clear()  # a key priority nobody leads has no lead line
    db.session.commit()
    body = plans_client("viewer").get("/plan").get_data(as_text=True)
    assert body.count('<p class="govuk-body-s">Key priority lead: CBH</p>') == 3


def test_filters_follow_agencies_and_key_priorities_added_or_renamed(db, sample_plan, plans_client):
    sample = sample_plan(4)
    client = plans_client("viewer")
    path = "/plan?rag=amber&page=1"
    before = client.get(path).get_data(as_text=True)
    assert "1. Key priority 1" in option_labels(before, "key_priority")

    db.session.get(KeyPriority, sample.key_priorities[0].id).title = "Reduce reoffending"
    db.session.add(KeyPriority(plan_id=sample.plan.id, number=5, title="Tackle fraud"))
    agency = db.session.get(Agency, sample.agencies["CBC"].id)
    agency.name = "City of Colchester Council"
    db.session.add(Agency(abbreviation="ZZA", name="Zed Agency"))
    db.session.add(PriorityListItem(plan_id=sample.plan.id, list_name="police", number=8, title="Police priority 8"))
    db.session.commit()

    after = client.get(path).get_data(as_text=True)
    key_priorities = option_labels(after, "key_priority")
    assert "1. Reduce reoffending" in key_priorities and "1. Key priority 1" not in key_priorities
    assert "5. Tackle fraud" in key_priorities
    agencies = option_labels(after, "agency")
    assert "CBC – City of Colchester Council" in agencies and "ZZA – Zed Agency" in agencies
    assert "8. Police priority 8" in option_labels(after, "police")


def test_a_kept_filter_panel_still_shows_its_errors(sample_plan, plans_client):
    sample_plan(4)
    client = plans_client("viewer")
    for path in ("/plan?due_within=soon", "/plan?due_within=soon", "/plan?due_within=soon&page=2"):
        body = client.get(path).get_data(as_text=True)
        assert "<title>Error: Plan 2016-17" in body
        assert "There is a problem" in body
        assert len(re.findall(r'href="/objectives/\d+"', body)) == 4  # the invalid filter is ignored
    assert "Error:" not in client.get("/plan").get_data(as_text=True)


def test_filters_are_drawn_once_per_query_string_and_kept_within_a_bound(app, sample_plan, plans_client,
                                                                         monkeypatch):
    sample_plan(30)
    client = plans_client("viewer")
    kept = app.extensions.setdefault(views.FILTER_PANELS_KEY, {})
    kept.clear()
    client.get("/plan?sort=end_date")
    client.get("/plan?sort=end_date&page=2")  # the page number does not change the filters
    assert len(kept) == 1
    monkeypatch.setattr(views, "KEPT_FILTER_PANELS", 3)
    for days in range(10):
        body = client.get(f"/plan?due_within={days}").get_data(as_text=True)
        assert re.search(rf'name="due_within"[^>]*value="{days}"', body.replace("\n", " ")) or \
            re.search(rf'value="{days}"[^>]*name="due_within"', body.replace("\n", " "))
        assert len(kept) <= 3


def test_end_dates_read_as_people_write_them(db, sample_plan, plans_client):
    sample = sample_plan(1)
    objective = db.session.get(Objective, sample.objective_ids[0])
    objective.end_date = date(2017, 4, 30)
    db.session.commit()
    rows = table_rows(plans_client("viewer").get("/plan").get_data(as_text=True))
    assert rows[objective.id][2] == "30 April 2017"
