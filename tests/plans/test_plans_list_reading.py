"""The plan list read by column and drawn afresh on every request: the same table, filters and lists that follow
every change and the clock, and query counts that do not grow with the plan."""

import json
import re
from datetime import date, datetime, time, timedelta

import time_machine
from flask import get_template_attribute
from sqlalchemy import update

from scp_tracker.core.clock import LONDON, today_in_london, utcnow
from scp_tracker.core.formatting import gov_date
from scp_tracker.core.history import Actor
from scp_tracker.documents.export import export_plan
from scp_tracker.documents.services import import_plan
from scp_tracker.people.models import Agency
from scp_tracker.people.services import add_agency, update_agency
from scp_tracker.plans.models import FundingLine, KeyPriorityLead, Objective, ObjectiveLead
from scp_tracker.plans.progress import ProgressValues, add_progress


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


def test_the_plans_key_priorities_are_read_once_for_the_filter_and_the_group_headings(db, sample_plan, plans_client,
                                                                                     count_queries):
    sample = sample_plan(8)
    db.session.add(KeyPriorityLead(key_priority_id=sample.key_priorities[0].id, agency_id=sample.agencies["EP"].id,
                                   position=1))
    db.session.commit()
    client = plans_client("viewer")
    client.get("/plan")
    with count_queries() as statements:
        body = client.get("/plan").get_data(as_text=True)
    # One statement reads from the key priorities (with their leads); the others only join them.
    assert len([statement for statement in statements if re.search(r"\bFROM key_priority", statement)]) == 1
    assert re.findall(r'<p class="govuk-body-s">Key priority lead: ([^<]*)</p>', body) == [
        "CBH, Essex Police", "CBH", "CBH", "CBH"]  # one line per key priority, its leads in the order written


def test_filters_follow_agencies_key_priorities_and_priorities_added_or_renamed(db, sample_plan, plans_client,
                                                                               users_by_role):
    """Agencies are changed on the agencies pages, key priorities and police priorities by importing a revised
    plan: each shows in the filters at once."""
    sample = sample_plan(4)
    client = plans_client("viewer")
    path = "/plan?rag=amber&page=1"
    before = client.get(path).get_data(as_text=True)
    assert "1. Key priority 1" in option_labels(before, "key_priority")
    actor = Actor.for_user(users_by_role["coordinator"])

    update_agency(actor, db.session.get(Agency, sample.agencies["CBC"].id), abbreviation="CBC",
                  name="City of Colchester Council")
    add_agency(actor, abbreviation="ZZA", name="Zed Agency")
    db.session.commit()
    agencies = option_labels(client.get(path).get_data(as_text=True), "agency")
    assert "CBC – City of Colchester Council" in agencies and "ZZA – Zed Agency" in agencies

    revised = json.loads(export_plan(sample.plan, "json")[0])
    revised["priorities"][0]["title"] = "Reduce reoffending"
    revised["priorities"].append({"number": 5, "title": "Tackle fraud", "objectives": []})
    import_plan(json.dumps(revised).encode(), "revised.json", actor=actor, as_of=date.today())
    db.session.commit()
    key_priorities = option_labels(client.get(path).get_data(as_text=True), "key_priority")
    assert "1. Reduce reoffending" in key_priorities and "1. Key priority 1" not in key_priorities
    assert "5. Tackle fraud" in key_priorities

    # Nothing else changes: only the additions are recorded.
    revised["police_priorities"].append({"number": 8, "title": "Police priority 8"})
    revised["agencies"].append({"abbreviation": "ZZB", "name": "Another new agency"})
    import_plan(json.dumps(revised).encode(), "revised.json", actor=actor, as_of=date.today())
    db.session.commit()
    after = client.get(path).get_data(as_text=True)
    assert "8. Police priority 8" in option_labels(after, "police")
    assert "ZZB – Another new agency" in option_labels(after, "agency")


def test_a_filter_panel_shows_its_errors_on_every_page(sample_plan, plans_client):
    sample_plan(4)
    client = plans_client("viewer")
    for path in ("/plan?due_within=soon", "/plan?due_within=soon", "/plan?due_within=soon&page=2"):
        body = client.get(path).get_data(as_text=True)
        assert "<title>Error: Plan 2016-17" in body
        assert "There is a problem" in body
        assert len(re.findall(r'href="/objectives/\d+"', body)) == 4  # the invalid filter is ignored
    assert "Error:" not in client.get("/plan").get_data(as_text=True)


def test_the_filters_show_the_values_of_the_query_string(sample_plan, plans_client):
    sample_plan(30)
    client = plans_client("viewer")
    for days in range(3):
        body = client.get(f"/plan?due_within={days}").get_data(as_text=True).replace("\n", " ")
        assert re.search(rf'name="due_within"[^>]*value="{days}"', body) or \
            re.search(rf'value="{days}"[^>]*name="due_within"', body)


def test_end_dates_read_as_people_write_them(db, sample_plan, plans_client):
    sample = sample_plan(1)
    objective = db.session.get(Objective, sample.objective_ids[0])
    objective.end_date = date(2017, 4, 30)
    db.session.commit()
    rows = table_rows(plans_client("viewer").get("/plan").get_data(as_text=True))
    assert rows[objective.id][2] == "30 April 2017"


# The list is drawn afresh on every request: it follows every change, the day and, filtered on days without an
# update, the next objective reaching that age.

def listed_ids(body: str) -> set[int]:
    """The objectives a plan list shows."""
    return {int(i) for i in re.findall(r'href="/objectives/(\d+)"', body)}


def test_the_list_shows_a_change_at_once_however_it_was_made(db, sample_plan, plans_client, users_by_role):
    sample = sample_plan(8)
    client = plans_client("viewer")
    path = "/plan?rag=red"
    assert listed_ids(client.get(path).get_data(as_text=True)) == {sample.objective_ids[0], sample.objective_ids[4]}

    objective = db.session.get(Objective, sample.objective_ids[1])  # amber
    add_progress(objective, ProgressValues(text="Slipping", rag="red"), Actor.for_user(users_by_role["coordinator"]),
                 now=utcnow())
    db.session.commit()
    shown = listed_ids(client.get(path).get_data(as_text=True))
    assert shown == {sample.objective_ids[0], sample.objective_ids[1], sample.objective_ids[4]}

    # A change behind every service and the session, straight to the database.
    with db.engine.begin() as connection:
        connection.execute(update(Objective).where(Objective.id == sample.objective_ids[0]).values(rag="green"))
    assert listed_ids(client.get(path).get_data(as_text=True)) == {sample.objective_ids[1], sample.objective_ids[4]}


def test_every_viewer_sees_the_same_list_in_their_own_page(sample_plan, plans_client, users_by_role):
    sample_plan(4)
    pages = {role: plans_client(role).get("/plan?sort=title").get_data(as_text=True)
             for role in ("viewer", "coordinator", "partner")}
    # The banners above it are the person's own, and so are the coordinator's actions (agree, add, retire).
    content = {role: re.sub(r"<!-- coordinator -->.*?<!-- /coordinator -->", "",
                            body[body.index('<span class="govuk-caption-l">'):body.index('</main>')], flags=re.S)
               for role, body in pages.items()}
    assert content["viewer"] == content["coordinator"] == content["partner"]
    assert 'href="/import"' in pages["coordinator"] and 'href="/import"' not in pages["viewer"]
    assert "Add a key priority" in pages["coordinator"] and "Add a key priority" not in pages["viewer"]


def test_a_list_of_objectives_without_an_update_grows_as_the_next_one_reaches_that_age(db, sample_plan,
                                                                                      plans_client):
    sample = sample_plan(2)  # objective 0 updated 10 days ago, objective 1 never (added 60 days ago)
    morning = datetime.combine(today_in_london() + timedelta(days=1), time(9), tzinfo=LONDON)
    db.session.get(Objective, sample.objective_ids[0]).last_progress_at = morning - timedelta(days=20, hours=-1)
    db.session.commit()
    with time_machine.travel(morning, tick=False) as traveller:
        client = plans_client("viewer")
        assert listed_ids(client.get("/plan?no_update_days=20").get_data(as_text=True)) == {sample.objective_ids[1]}
        traveller.move_to(morning + timedelta(minutes=59))
        assert listed_ids(client.get("/plan?no_update_days=20").get_data(as_text=True)) == {sample.objective_ids[1]}
        traveller.move_to(morning + timedelta(hours=2))
        assert listed_ids(client.get("/plan?no_update_days=20").get_data(as_text=True)) == set(sample.objective_ids)


def test_a_list_of_overdue_objectives_moves_at_midnight(ending_tonight, plans_client):
    objective_id, midnight = ending_tonight
    with time_machine.travel(midnight - timedelta(minutes=30), tick=False) as traveller:
        client = plans_client("viewer")
        assert listed_ids(client.get("/plan?overdue=y").get_data(as_text=True)) == set()
        traveller.move_to(midnight + timedelta(minutes=30))
        assert listed_ids(client.get("/plan?overdue=y").get_data(as_text=True)) == {objective_id}
