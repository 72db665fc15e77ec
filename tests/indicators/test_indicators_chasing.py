"""Late figures chased in the reporting round like an objective: the round page lists them, and the provider's
"Your objectives" page takes them."""

from datetime import date

import pytest
from sqlalchemy import select

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.indicators.models import Indicator, IndicatorFigure
from scp_tracker.indicators.services import record_figure
from scp_tracker.indicators.summaries import due_period, is_late
from scp_tracker.reminders.lead_links import issue_lead_links
from scp_tracker.rounds.windows import plan_rounds


@pytest.mark.parametrize(("frequency", "on", "due"), [
    # figures are due 30 days after their period ends
    ("quarterly", date(2016, 10, 30), "2016-Q3"), ("quarterly", date(2016, 10, 29), "2016-Q2"),
    ("quarterly", date(2017, 1, 30), "2016-Q4"), ("quarterly", date(2017, 1, 15), "2016-Q3"),
    ("monthly", date(2016, 11, 30), "2016-10"), ("monthly", date(2016, 11, 29), "2016-09"),
    ("monthly", date(2017, 1, 31), "2016-12"), ("monthly", date(2017, 3, 29), "2017-01"),
    ("monthly", date(2017, 3, 30), "2017-02"),  # 30 days after the end of February
])
def test_the_period_whose_figures_are_due(frequency, on, due):
    assert due_period(frequency, on).key == due


def test_a_figure_is_late_when_due_within_the_plan_year_and_not_given(db, indicator_plan):
    indicator = db.session.scalar(select(Indicator))
    assert is_late(indicator, indicator_plan, date(2016, 10, 30)) is None  # 2016-Q3 is in
    assert is_late(indicator, indicator_plan, date(2017, 1, 30)).key == "2016-Q4"
    assert is_late(indicator, indicator_plan, date(2016, 5, 1)) is None  # 2016-Q1: before the plan year
    assert is_late(indicator, indicator_plan, date(2017, 10, 30)) is None  # 2017-Q3: after it


def test_the_round_page_lists_the_figures_due_for_it_and_who_provides_them(client_as, db, indicator_plan):
    rounds = plan_rounds(indicator_plan)
    db.session.commit()
    january = next(round_ for round_ in rounds if round_.deadline >= date(2017, 1, 30))
    page = client_as("coordinator").get(f"/rounds/{january.id}").get_data(as_text=True)
    assert "Indicator figures due for this round and not given" in page
    assert "Domestic abuse incidents" in page and "Oct to Dec 2016" in page and "Essex Police" in page
    early = next(round_ for round_ in rounds if round_.deadline < date(2016, 10, 30))
    assert "Indicator figures due" not in client_as("coordinator").get(f"/rounds/{early.id}").get_data(as_text=True)


@pytest.fixture
def current_indicator(db, make_plan, make_key_priority, users_by_role):
    """An indicator of a plan running today, provided by the lead (at EP), with its due figure missing."""
    today = today_in_london()
    start = today.year if today.month >= 4 else today.year - 1
    plan = make_plan(f"{start}-{(start + 1) % 100:02d}")
    kp = make_key_priority(plan, 1, "To reduce violence")
    indicator = Indicator(plan=plan, key_priority=kp, name="Knife crime offences", unit="offences",
                          provider_contact=users_by_role["lead"].contact, frequency="monthly", target_value=10)
    db.session.add(indicator)
    db.session.commit()
    return indicator


def test_the_provider_gives_a_late_figure_on_their_objectives_page(app, client, db, current_indicator,
                                                                   users_by_role):
    lead = users_by_role["lead"].contact
    token = issue_lead_links([lead.id], utcnow())[lead.id]
    db.session.commit()
    due = due_period("monthly", today_in_london())
    page = client.get(f"/your-objectives/{token}").get_data(as_text=True)
    assert "Figures you provide" in page and f"Knife crime offences, {due.label} (offences)" in page
    field = f"figure-{current_indicator.id}"
    response = client.post(f"/your-objectives/{token}/figures", data={field: "1,2x"})
    assert response.status_code == 200 and "Figure must be a number" in response.get_data(as_text=True)
    assert db.session.scalars(select(IndicatorFigure)).all() == []
    response = client.post(f"/your-objectives/{token}/figures", data={field: "12"})
    assert response.status_code == 302
    [figure] = db.session.scalars(select(IndicatorFigure)).all()
    assert (figure.period, figure.value) == (due.key, 12)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 figure was saved" in page and f'name="{field}"' not in page  # not late any more


def test_only_the_contacts_own_late_figures_are_taken(client, db, current_indicator, users_by_role,
                                                       known_agency, make_contact):
    other = make_contact(known_agency("EFRS"), "Fay Fire", "fay@example.org")
    token = issue_lead_links([other.id], utcnow())[other.id]
    db.session.commit()
    assert "Figures you provide" not in client.get(f"/your-objectives/{token}").get_data(as_text=True)
    client.post(f"/your-objectives/{token}/figures", data={f"figure-{current_indicator.id}": "12"})
    assert db.session.scalars(select(IndicatorFigure)).all() == []


def test_a_figure_given_once_is_not_asked_again(db, current_indicator, users_by_role):
    from scp_tracker.indicators.chasing import late_for_contact

    lead = users_by_role["lead"].contact
    today = today_in_london()
    assert [item.indicator.id for item in late_for_contact(lead, today)] == [current_indicator.id]
    record_figure(current_indicator, due_period("monthly", today).key, 9, "", utcnow())
    assert late_for_contact(lead, today) == []
