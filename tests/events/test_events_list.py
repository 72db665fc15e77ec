"""The events list: filters in the address, pagination, a fixed number of queries, and the exports."""

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from scp_tracker.events.listing import EventFilters, list_events


@pytest.fixture
def plan_events(known_agency, make_key_priority, make_objective, make_event):
    """Events across two key priorities, three agencies, kinds, statuses and dates."""
    police, fire, council = known_agency("EP"), known_agency("EFRS"), known_agency("CBC")
    kp1 = make_key_priority(title="Reduce harm")
    kp2 = make_key_priority(plan=kp1.plan, title="Safer night-time economy")
    crew, bar = make_objective(kp1, title="Crucial Crew"), make_objective(kp2, title="Best Bar None")
    return {
        "crew": make_event(fire, title="Crucial Crew day", kind="training", starts_on=date(2016, 6, 1),
                           objectives=[crew], attendance=300),
        "bar": make_event(police, title="Licensee briefing", kind="meeting", starts_on=date(2016, 9, 1),
                          objectives=[bar], partners=[council]),
        "harms": make_event(council, title="Hidden Harms conference", kind="conference",
                            starts_on=date(2016, 4, 14), ends_on=date(2016, 4, 15), objectives=[crew, bar],
                            attendance=150),
        "planned": make_event(fire, title="Day of action", kind="community_day_of_action",
                              starts_on=date(2017, 2, 1), status="planned"),
        "ids": {"crew": crew.id, "bar": bar.id, "kp1": kp1.id, "kp2": kp2.id, "police": police.id,
                "fire": fire.id, "council": council.id},
    }


def titles(events) -> list[str]:
    """The titles, in order."""
    return [e.title for e in events]


def test_filters_narrow_the_list(plan_events):
    ids = plan_events["ids"]
    cases = {
        EventFilters(): ["Day of action", "Licensee briefing", "Crucial Crew day", "Hidden Harms conference"],
        EventFilters(agency_id=ids["council"]): ["Licensee briefing", "Hidden Harms conference"],  # organised or joined
        EventFilters(kind="training"): ["Crucial Crew day"],
        EventFilters(status="planned"): ["Day of action"],
        EventFilters(objective_id=ids["bar"]): ["Licensee briefing", "Hidden Harms conference"],
        EventFilters(key_priority_id=ids["kp1"]): ["Crucial Crew day", "Hidden Harms conference"],
        EventFilters(date_from=date(2016, 4, 15), date_to=date(2016, 6, 1)): [
            "Crucial Crew day", "Hidden Harms conference"],  # the conference's second day is in range
        EventFilters(date_from=date(2016, 4, 16), date_to=date(2016, 8, 31)): ["Crucial Crew day"],
    }
    for filters, expected in cases.items():
        assert titles(list_events(filters).events) == expected, filters


def test_filters_come_from_the_address_and_survive_paging(client_as, plan_events, make_event, known_agency):
    fire = known_agency("EFRS")
    for day in range(1, 27):
        make_event(fire, title=f"Safety talk {day}", starts_on=date(2016, 5, day))
    client = client_as("viewer")
    page = client.get(f"/events?agency={fire.id}&kind=awareness_session").get_data(as_text=True)
    assert "26 events match the filters" in page
    assert "Crucial Crew day" not in page
    assert "page=2" in page and f"agency={fire.id}" in page
    second = client.get(f"/events?agency={fire.id}&kind=awareness_session&page=2").get_data(as_text=True)
    assert "Safety talk 1<" in second and "Safety talk 26<" not in second


def test_bad_filter_values_are_ignored_with_a_message(client_as, plan_events):
    response = client_as("viewer").get("/events?agency=abc&kind=party&date_from=yesterday&page=xyz")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "4 events" in page and "There is a problem" in page


def test_dates_filter_from_the_address(client_as, plan_events):
    page = client_as("viewer").get("/events?date_from=1&date_from=5&date_from=2016"
                                   "&date_to=31&date_to=12&date_to=2016").get_data(as_text=True)
    assert "2 events match the filters" in page
    assert 'id="date_from-day" name="date_from" type="text" value="1"' in page
    assert 'id="date_to-year" name="date_to" type="text" value="2016"' in page
    # Page links and downloads carry each date as its three parts.
    assert "date_from=1&amp;date_from=5&amp;date_from=2016" in page


def test_filter_dates_are_typed_as_day_month_and_year_not_a_date_picker(client_as, plan_events):
    page = client_as("viewer").get("/events").get_data(as_text=True)
    assert 'type="date"' not in page
    for field in ("date_from", "date_to"):
        for part in ("day", "month", "year"):
            assert f'id="{field}-{part}"' in page


def test_a_filter_date_missing_a_part_is_ignored_with_a_message(client_as, plan_events):
    page = client_as("viewer").get("/events?date_from=1&date_from=&date_from=2016").get_data(as_text=True)
    assert "From must include a month" in page and "4 events" in page


def test_list_page_runs_a_fixed_number_of_queries(db, client_as, plan_events, make_event, known_agency,
                                                  count_queries):
    client = client_as("viewer")
    db.session.expire_all()  # the tests share the requests' session: start each count from the same state
    with count_queries() as few:
        assert client.get("/events").status_code == 200
    fire, police = known_agency("EFRS"), known_agency("EP")
    for day in range(1, 21):
        make_event(fire, starts_on=date(2016, 7, day), partners=[police])
    db.session.expire_all()
    with count_queries() as many:
        assert client.get("/events").status_code == 200
    assert len(many) == len(few)


def test_exports_run_a_fixed_number_of_queries(db, client_as, plan_events, make_event, known_agency, count_queries):
    client = client_as("viewer")
    db.session.expire_all()
    with count_queries() as few:
        client.get("/events/export.xlsx")
    for day in range(1, 11):
        make_event(known_agency("EFRS"), starts_on=date(2016, 7, day), partners=[known_agency("EP")])
    db.session.expire_all()
    with count_queries() as many:
        client.get("/events/export.xlsx")
    assert len(many) == len(few)


def test_xlsx_export_has_a_header_row_widths_and_typed_values(client_as, plan_events, make_event, known_agency):
    make_event(known_agency("EP"), title="=HYPERLINK(\"http://evil\")", starts_on=date(2016, 8, 1), cost_pence=125050)
    response = client_as("viewer").get("/events/export.xlsx?kind=conference")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Date", "End date", "Event")
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["C"].width == 40
    assert len(rows) == 2  # the filter applies
    row = dict(zip(header, rows[1], strict=True))
    assert row["Date"] == datetime(2016, 4, 14) and row["End date"] == datetime(2016, 4, 15)
    assert sheet["A2"].is_date
    assert row["Event"] == "Hidden Harms conference"
    assert row["Attendance"] == 150
    assert row["Objectives"] == "Crucial Crew; Best Bar None"
    assert row["Key priorities"] == "1, 2"

    everything = load_workbook(io.BytesIO(client_as("viewer").get("/events/export.xlsx").data)).active
    by_title = {r[2]: dict(zip(header, r, strict=True)) for r in everything.iter_rows(min_row=2, values_only=True)}
    assert by_title['=HYPERLINK("http://evil")']["Cost (£)"] == 1250.5
    formula_cell = next(c for c in everything["C"] if c.value == '=HYPERLINK("http://evil")')
    assert formula_cell.data_type == "s"  # kept as text, never run


def test_csv_export_reads_back(client_as, plan_events, make_event, known_agency):
    make_event(known_agency("EP"), title="=cmd|' /C calc'!A0", starts_on=date(2016, 8, 1))
    response = client_as("viewer").get("/events/export.csv?agency=" + str(plan_events["ids"]["police"]))
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["Event"] for r in rows] == ["Licensee briefing", "'=cmd|' /C calc'!A0"]  # newest first
    assert rows[0]["Date"] == "2016-09-01"
    assert rows[0]["Other agencies involved"] == "CBC"


def test_page_links_are_the_first_the_last_and_the_neighbours_however_many_pages(
        client_as, plan_events, make_event, known_agency, monkeypatch):
    """The list draws a handful of page links, never one per page: a county's events run to thousands of pages."""
    monkeypatch.setattr("scp_tracker.events.listing.PAGE_SIZE", 1)
    fire = known_agency("EFRS")
    for day in range(1, 21):
        make_event(fire, title=f"Safety talk {day}", starts_on=date(2016, 5, day))
    page = client_as("viewer").get("/events?page=10").get_data(as_text=True)
    link = r'class="govuk-link govuk-pagination__link" href="[^"]*page=(\d+)'
    linked = sorted({int(n) for n in re.findall(link, page)})
    total = int(re.search(r"(\d+) events", page).group(1))
    assert total > 20
    assert linked == [1, 9, 10, 11, total]
