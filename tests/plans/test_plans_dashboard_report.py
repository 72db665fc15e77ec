"""The dashboard's figures (the board report's tests are in tests/reports)."""

import re
from datetime import UTC, date, datetime, time, timedelta

import time_machine
from sqlalchemy import update

from scp_tracker.core.clock import LONDON, today_in_london, utcnow
from scp_tracker.core.history import Actor
from scp_tracker.plans.dashboard_figures import dashboard
from scp_tracker.plans.models import FundingLine, Objective
from scp_tracker.plans.progress import ProgressValues, add_progress


def flat(body: str) -> str:
    """A page's text without tags or extra spaces, for reading figures."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_dashboard_figures(sample_plan, db):
    sample = sample_plan(12)
    db.session.get(Objective, sample.objective_ids[0]).status = "complete"
    db.session.get(Objective, sample.objective_ids[1]).status = "cancelled"
    db.session.add(FundingLine(objective_id=sample.objective_ids[2], amount_pence=250050, source="SCP",
                               pot="15-16 C/F", status="confirmed"))
    db.session.commit()
    now = utcnow()
    figures = dashboard(sample.plan, today=today_in_london(now), now=now)
    kp1 = figures.rag_rows[0]  # objectives 0 (complete), 4, 8: all red
    assert (kp1.counts, kp1.complete, kp1.open) == ({"red": 2, "amber": 0, "green": 0, "none": 0}, 1, 2)
    assert figures.rag_total.open == 10
    # End dates run from 30 days ago: all twelve passed; funding TBC on 0, 3, 6, 9; leads TBC on 4, 9.
    assert figures.attention == {"due_soon": 0, "overdue": 10, "stale": 5, "tbc_funding": 3, "tbc_lead": 2}
    # Confirmed £1,000 on objectives 2, 4, 5, 7, 8, 10, 11 (1 cancelled, 0 complete is still counted).
    assert figures.funding_by_pot == [("15-16 C/F", 250050), ("16-17 allocation", 700000)]
    assert figures.funding_total == 950050
    assert figures.tbc_funding_lines == 4
    assert sum(count for _, count in figures.timeline) == 10 and figures.no_end_date == 0


def test_dashboard_page_links_each_figure_to_the_filtered_list(sample_plan, plans_client):
    sample_plan(40)
    body = plans_client("viewer").get("/").get_data(as_text=True)
    text = flat(body)
    assert "Due in the next 28 days 10 open objectives" in text
    assert "Overdue 30 open objectives" in text
    assert "due_within=28" in body and "overdue=y" in body and "no_update_days=42" in body
    assert "tbc_funding=y" in body and "tbc_lead=y" in body
    for link in re.findall(r'href="(/plan\?[^"]+)"', body):
        assert plans_client("viewer").get(link.replace("&amp;", "&")).status_code == 200
    # The list behind "Due in the next 28 days" has the same count.
    listed = plans_client("viewer").get("/plan?status=open&due_within=28").get_data(as_text=True)
    assert "10 objectives match these filters" in listed


def test_dashboard_chart_has_text_labels_and_widths(sample_plan, plans_client):
    sample_plan(8)
    body = plans_client("viewer").get("/").get_data(as_text=True)
    assert "Key priority 1: open objectives by RAG" in body
    assert "app-bar-chart__bar--red app-bar--w100" in body
    assert "app-bar-chart__bar--amber app-bar--w0" in body
    assert 'style="' not in body.split("<main", 1)[1]  # the CSP forbids inline styles


def test_a_chart_of_nothing_but_not_set_is_not_drawn(sample_plan, plans_client, db):
    sample = sample_plan(8)  # RAG cycles red, amber, green, not set: key priority 4's objectives have none
    now = utcnow()
    figures = dashboard(sample.plan, today=today_in_london(now), now=now)
    assert [row.key_priority.number for row in figures.charted_rows] == [1, 2, 3]
    assert figures.uncharted == "key priority 4"

    text = flat(plans_client("viewer").get("/").get_data(as_text=True))
    assert "Key priority 3: open objectives by RAG" in text
    assert "Key priority 4: open objectives by RAG" not in text
    assert "No open objective of key priority 4 has a RAG yet, so it has no chart." in text

    ids = sample.objective_ids  # key priority 1 holds objectives 0 and 4, key priority 2 holds 1 and 5
    db.session.execute(update(Objective).where(Objective.id.in_([ids[0], ids[1], ids[5]])).values(rag=None))
    db.session.execute(update(Objective).where(Objective.id == ids[4]).values(status="complete"))
    db.session.commit()
    text = flat(plans_client("viewer").get("/").get_data(as_text=True))
    assert "open objectives by RAG" in text  # key priority 3
    assert "No open objective of key priorities 1, 2 and 4 has a RAG yet, so they have no chart." in text
    assert "Key priority 1: Key priority 1" in text  # the table names key priorities in words, not "1. …"


def test_dashboard_today_is_london_time(sample_plan, db):
    sample = sample_plan(1)
    objective = db.session.get(Objective, sample.objective_ids[0])
    objective.end_date = date(2017, 6, 1)
    db.session.commit()
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST): due today, not overdue.
    with time_machine.travel(datetime(2017, 5, 31, 23, 30, tzinfo=UTC), tick=False):
        now = utcnow()
        figures = dashboard(sample.plan, today=today_in_london(now), now=now)
    assert figures.attention["overdue"] == 0 and figures.attention["due_soon"] == 1


# The dashboard's figures are remembered between requests: never stale after a change, nor after time moves them.

def test_dashboard_figures_are_remembered_until_a_change_shows_at_once(sample_plan, plans_client, users_by_role, db,
                                                                      count_queries):
    sample = sample_plan(8)  # end dates from 30 days ago: all eight overdue
    client = plans_client("coordinator")
    assert "Overdue 8 open objectives" in flat(client.get("/").get_data(as_text=True))
    with count_queries() as statements:
        body = flat(client.get("/").get_data(as_text=True))
    assert "Overdue 8 open objectives" in body
    assert not [s for s in statements if "GROUP BY" in s or "sum(" in s.lower()]  # no figure worked out again

    objective = db.session.get(Objective, sample.objective_ids[0])
    add_progress(objective, ProgressValues(text="Done", rag="green", mark_complete=True),
                 Actor.for_user(users_by_role["coordinator"]), now=utcnow())
    db.session.commit()
    assert "Overdue 7 open objectives" in flat(client.get("/").get_data(as_text=True))


def test_dashboard_figures_move_with_the_date(ending_tonight, plans_client):
    _, midnight = ending_tonight
    with time_machine.travel(midnight - timedelta(minutes=30), tick=False) as traveller:
        client = plans_client("coordinator")
        body = flat(client.get("/").get_data(as_text=True))
        assert "Due in the next 28 days 1 open objective" in body and "Overdue 0 open objectives" in body
        traveller.move_to(midnight + timedelta(minutes=30))
        body = flat(client.get("/").get_data(as_text=True))
    assert "Due in the next 28 days 0 open objectives" in body and "Overdue 1 open objective" in body


def test_dashboard_counts_an_objective_going_stale_during_the_day(sample_plan, plans_client, db):
    sample = sample_plan(1)
    morning = datetime.combine(today_in_london() + timedelta(days=1), time(9), tzinfo=LONDON)
    objective = db.session.get(Objective, sample.objective_ids[0])
    objective.last_progress_at = morning - timedelta(days=42) + timedelta(hours=1)
    db.session.commit()
    with time_machine.travel(morning, tick=False) as traveller:
        client = plans_client("coordinator")
        assert "No update for 42 days 0 open objectives" in flat(client.get("/").get_data(as_text=True))
        traveller.move_to(morning + timedelta(hours=2))
        assert "No update for 42 days 1 open objective" in flat(client.get("/").get_data(as_text=True))


def test_each_plan_has_its_own_remembered_figures(sample_plan, plans_client):
    sample_plan(8)
    sample_plan(3, year="2015-16")
    client = plans_client("coordinator")
    assert "Overdue 8 open objectives" in flat(client.get("/?year=2016-17").get_data(as_text=True))
    assert "Overdue 3 open objectives" in flat(client.get("/?year=2015-16").get_data(as_text=True))
    assert "Overdue 8 open objectives" in flat(client.get("/?year=2016-17").get_data(as_text=True))
