"""The indicators pages: add and change an indicator, enter figures, the tolerance, charts on the plan's pages."""

import re

from sqlalchemy import func, select
from support.edits import hidden_stamp

from scp_tracker.indicators.models import Indicator, IndicatorFigure


def indicator(db, name="Domestic abuse incidents"):
    return db.session.scalar(select(Indicator).where(Indicator.name == name))


def test_the_coordinator_adds_an_indicator_with_a_target_as_a_change_against_the_baseline(client_as, db,
                                                                                           indicator_plan):
    kp2 = indicator_plan.key_priorities[1]
    response = client_as("coordinator").post("/indicators/new?year=2016-17", data={
        "name": "Violence with injury (night-time economy)", "key_priority": kp2.id, "counted": "Offences in the town",
        "unit": "offences", "source": "Essex Police", "better": "lower", "baseline_value": "400",
        "baseline_period": "Q1 2015/16", "target_value": "", "target_change_percent": "-10", "frequency": "quarterly",
        "provider_contact": "0", "provider_agency": "0", "tolerance_percent": ""})
    assert response.status_code == 302
    added = indicator(db, "Violence with injury (night-time economy)")
    assert (added.key_priority_id, added.baseline_period, added.target_change_percent, added.target_value) == (
        kp2.id, "2015-Q2", -10, None)
    page = client_as("viewer").get("/indicators?year=2016-17").get_data(as_text=True)
    assert "Violence with injury (night-time economy)" in page and "Target: 360" in page


def test_the_indicator_form_reports_bad_values_on_their_fields(client_as, db, indicator_plan):
    response = client_as("coordinator").post("/indicators/new?year=2016-17", data={
        "name": "Domestic abuse incidents", "key_priority": indicator_plan.key_priorities[0].id, "better": "lower",
        "frequency": "quarterly", "baseline_value": "lots", "provider_contact": "0", "provider_agency": "0"})
    assert response.status_code == 200
    assert "Baseline value must be a number" in response.get_data(as_text=True)
    response = client_as("coordinator").post("/indicators/new?year=2016-17", data={
        "name": "Domestic abuse incidents", "key_priority": indicator_plan.key_priorities[0].id, "better": "lower",
        "frequency": "quarterly", "baseline_period": "Q9", "provider_contact": "0", "provider_agency": "0"})
    assert "is not a period" in response.get_data(as_text=True)
    response = client_as("coordinator").post("/indicators/new?year=2016-17", data={
        "name": "Domestic abuse incidents", "key_priority": indicator_plan.key_priorities[0].id, "better": "lower",
        "frequency": "quarterly", "provider_contact": "0", "provider_agency": "0"})
    assert "Another indicator of this plan has that name" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == 1


def test_the_coordinator_changes_an_indicator(client_as, db, indicator_plan):
    item = indicator(db)
    form = client_as("coordinator").get(f"/indicators/{item.id}/edit").get_data(as_text=True)
    assert 'value="1200"' in form and 'value="2015-Q3"' in form
    response = client_as("coordinator").post(f"/indicators/{item.id}/edit", data={
        "name": "Domestic abuse incidents", "key_priority": item.key_priority_id, "better": "lower",
        "frequency": "quarterly", "target_value": "1250", "provider_contact": "0", "provider_agency": "0",
        **hidden_stamp(form)})
    assert response.status_code == 302
    db.session.expire_all()
    assert indicator(db).target_value == 1250


def test_the_provider_enters_a_figure_and_entering_it_again_replaces_it(client_as, db, indicator_plan):
    lead = client_as("lead")  # at EP, which provides the figures
    item = indicator(db)
    response = lead.post(f"/indicators/{item.id}/figures", data={"period": "Q3 2016/17", "value": "1,150",
                                                                 "note": "Campaign month"})
    assert response.status_code == 302
    lead.post(f"/indicators/{item.id}/figures", data={"period": "2016-Q4", "value": "1160", "note": ""})
    figures = db.session.scalars(select(IndicatorFigure).where(IndicatorFigure.period == "2016-Q4")).all()
    assert [(f.value, f.note) for f in figures] == [(1160, "Campaign month")]
    assert client_as("partner").post(f"/indicators/{item.id}/figures", data={"period": "2016-Q4",
                                                                              "value": "1"}).status_code == 403


def test_a_figure_for_the_wrong_kind_of_period_is_refused_on_its_field(client_as, db, indicator_plan):
    response = client_as("coordinator").post(f"/indicators/{indicator(db).id}/figures",
                                             data={"period": "Oct 2016", "value": "10"})
    assert response.status_code == 200
    assert "has quarterly figures: enter a quarter, not Oct 2016" in response.get_data(as_text=True)


def rag_words(page: str) -> str:
    return re.search(r'govuk-tag--\w+">([^<]+)<', page)[1]


def test_the_tolerance_moves_an_indicator_between_amber_and_red_and_is_shown_in_words(client_as, db,
                                                                                      indicator_plan):
    # latest 1,240 against a target of 1,200: 3.3% over
    assert rag_words(client_as("viewer").get("/indicators").get_data(as_text=True)) == "Near target"
    client_as("coordinator").post("/indicators/tolerance?year=2016-17", data={"tolerance_percent": "2"})
    page = client_as("viewer").get("/indicators").get_data(as_text=True)
    assert rag_words(page) == "Off target" and "govuk-tag--red" in page
    indicator(db).tolerance_percent = 10  # an indicator's own tolerance wins over the plan's
    db.session.commit()
    assert rag_words(client_as("viewer").get("/indicators").get_data(as_text=True)) == "Near target"
    assert "Direction of travel: <strong>Getting worse</strong>" not in page  # 1,290 to 1,240 is improving
    assert "Direction of travel: <strong>Improving</strong>" in page


def test_the_tolerance_must_be_a_percentage(client_as, indicator_plan):
    response = client_as("coordinator").post("/indicators/tolerance?year=2016-17", data={"tolerance_percent": "150"})
    assert "between 0 and 100" in response.get_data(as_text=True)


def chart_and_table(page: str, name: str) -> tuple[bool, bool]:
    has_chart = re.search(r'<svg[^>]*role="img"[^>]*>\s*<title[^>]*>Chart of ' + re.escape(name), page) is not None
    has_table = f"<caption class=\"govuk-table__caption govuk-table__caption--s\">Figures of {name}</caption>" in page
    return has_chart, has_table


def test_the_dashboard_and_the_key_priority_show_each_indicator_as_a_chart_and_a_table(client_as, indicator_plan,
                                                                                        make_objective):
    make_objective(indicator_plan.key_priorities[0])
    viewer = client_as("viewer")
    for path in ("/", "/plan?year=2016-17", "/indicators"):
        page = viewer.get(path).get_data(as_text=True)
        assert chart_and_table(page, "Domestic abuse incidents") == (True, True), path
        assert "Jul to Sep 2016" in page and "1,240" in page
    assert "<script" not in re.search(r"<svg.*?</svg>", page, re.S)[0]


def test_the_plan_page_works_out_the_indicators_once_for_all_key_priorities(client_as, count_queries, db,
                                                                            indicator_plan, make_objective):
    kp1, kp2 = indicator_plan.key_priorities
    make_objective(kp1)
    viewer = client_as("viewer")
    viewer.get("/plan")
    with count_queries() as one_key_priority:
        viewer.get("/plan")
    make_objective(kp2)
    db.session.add(Indicator(plan=indicator_plan, key_priority=kp2, name="Knife crime"))
    db.session.commit()
    with count_queries() as two_key_priorities:
        page = viewer.get("/plan").get_data(as_text=True)
    assert "Performance indicators of key priority 2" in page
    assert len(two_key_priorities) == len(one_key_priority)


def test_the_coordinator_copies_last_years_indicators_into_next_years_plan(client_as, db, indicator_plan, make_plan,
                                                                           make_key_priority):
    next_plan = make_plan("2017-18", status="draft")
    make_key_priority(next_plan, 1, "To protect vulnerable people")
    db.session.commit()
    coordinator = client_as("coordinator")
    assert "Copy the indicators of plan 2016-17" in coordinator.get("/indicators?year=2017-18").get_data(as_text=True)
    coordinator.post("/indicators/carry?year=2017-18")
    coordinator.post("/indicators/carry?year=2017-18")  # asking twice copies nothing twice
    copies = db.session.scalars(select(Indicator).where(Indicator.plan_id == next_plan.id)).all()
    assert [(c.name, c.key_priority.plan_id, c.target_value, c.baseline_value, len(c.figures)) for c in copies] == [
        ("Domestic abuse incidents", next_plan.id, 1200, 1300, 0)]


def test_only_those_who_may_enter_figures_are_offered_the_link(client_as, db, indicator_plan):
    link = f'href="/indicators/{indicator(db).id}/figures"'
    assert link in client_as("coordinator").get("/indicators").get_data(as_text=True)
    assert link in client_as("lead").get("/indicators").get_data(as_text=True)  # at EP, the provider
    for role in ("partner", "viewer"):
        assert link not in client_as(role).get("/indicators").get_data(as_text=True), role
