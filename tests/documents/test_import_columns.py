"""Importing a layout never seen before in one pass: the columns page (or --column), named officers as contacts,
notes kept and shown, the plan's year asked, and the choices remembered for the next file laid out alike."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select
from support.layouts import LAYOUTS, borough_csv, county_xlsx, workstreams_csv

from scp_tracker.documents.models import ColumnMapping
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.models import Objective, Plan


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def objective_titled(db, title: str) -> Objective:
    return db.session.scalars(select(Objective).where(Objective.title == title)).one()


def run_import(runner, tmp_path, layout, *options: str):
    path = tmp_path / layout.filename
    path.write_bytes(layout.content)
    return runner.invoke(args=["import-plan", str(path), *options])


# ---- the command line

@pytest.mark.parametrize("name", sorted(name for name, make in LAYOUTS.items() if make().needs_choices))
def test_the_command_refuses_naming_the_option_to_add(runner, tmp_path, db, name):
    layout = LAYOUTS[name]()
    result = run_import(runner, tmp_path, layout)
    assert result.exit_code == 1
    first = layout.columns and next(header for header, field in layout.columns.items() if field == "objective")
    assert f'add --column "{first}=objective"' in result.output
    assert count(db, Objective) == 0


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_the_command_imports_each_layout_with_its_columns_named(runner, tmp_path, db, name):
    """Named officers become their agency's contacts and the objectives' named leads; notes and statuses are kept."""
    layout = LAYOUTS[name]()
    result = run_import(runner, tmp_path, layout, *layout.options())
    assert result.exit_code == 0, result.output
    plan = db.session.scalars(select(Plan)).one()
    assert plan.year == layout.plan_year
    for expected in layout.objectives:
        stored = objective_titled(db, expected["title"])
        assert stored.key_priority.number == expected["kp"]
        assert [a.abbreviation for a in stored.lead_agencies] == expected["lead_agencies"]
        assert [(c.name, c.agency.abbreviation) for c in stored.lead_contacts] == expected["contacts"]
        assert (stored.status, stored.rag, stored.end_date, stored.extra) == (
            expected["status"], expected["rag"], expected["end_date"], expected["extra"])
    named = {name for o in layout.objectives for name, _ in o["contacts"]}
    assert {c.name for c in db.session.scalars(select(Contact))} == named


def test_an_officer_is_matched_by_name_under_their_agency_not_added_twice(runner, tmp_path, db):
    cbc = Agency(abbreviation="CBC", name="Colchester Borough Council")
    db.session.add(Contact(name="jane  doe", email="jane@example.org", agency=cbc))
    db.session.commit()
    layout = borough_csv()
    for _ in range(2):
        assert run_import(runner, tmp_path, layout).exit_code == 0
    contacts = db.session.scalars(select(Contact)).all()
    assert [(c.name, c.email) for c in contacts] == [("jane  doe", "jane@example.org")]
    assert [c.email for c in objective_titled(db, "Run youth diversion sessions").lead_contacts] == [
        "jane@example.org"]


def test_columns_named_once_are_remembered_for_a_file_with_the_same_headers(runner, tmp_path, db):
    layout = workstreams_csv()
    assert run_import(runner, tmp_path, layout, *layout.options()).exit_code == 0
    assert count(db, ColumnMapping) == 1
    # The next year's file: the same headers, in another order, and it imports without a word about its columns.
    rows = list(csv.reader(io.StringIO(layout.content.decode())))
    moved = [[row[i] for i in (1, 0, *range(2, len(row)))] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(moved)
    layout.content, layout.filename = buffer.getvalue().encode(), "csp-plan-2020-21.csv"
    result = run_import(runner, tmp_path, layout)
    assert result.exit_code == 0, result.output
    assert "Columns read as chosen for files with these headers" in result.output
    assert db.session.scalars(select(Plan.year).order_by(Plan.year)).all() == ["2019-20", "2020-21"]


def test_a_wrong_column_option_is_refused_saying_the_fields(runner, tmp_path, db):
    result = run_import(runner, tmp_path, workstreams_csv(), "--column", "Workstream=aim")
    assert result.exit_code == 2
    assert "no field “aim”; the fields are: objective, text, progress, funding, lead" in result.output


def test_the_year_given_is_the_plans(runner, tmp_path, db):
    layout = county_xlsx()
    assert run_import(runner, tmp_path, layout, *layout.options()).exit_code == 0
    plan = db.session.scalars(select(Plan)).one()
    assert (plan.year, str(plan.starts_on), str(plan.ends_on)) == ("2021-22", "2021-04-01", "2022-03-31")


def test_an_unsure_column_is_kept_as_a_note_and_named_with_its_option(runner, tmp_path, db):
    layout = workstreams_csv()
    result = run_import(runner, tmp_path, layout, "--column", "Workstream=objective", "--column", "Partner(s)=lead")
    assert result.exit_code == 0, result.output
    assert "“Progress Q1” might hold the progress: kept as a note" in result.output
    stored = objective_titled(db, "Extend the street pastors scheme to Fridays")
    assert stored.extra["Progress Q1"] == "Two new volunteers recruited"


# ---- the import page

def upload(client, layout):
    return client.post("/import", data={"plan_file": (io.BytesIO(layout.content), layout.filename)},
                       content_type="multipart/form-data")


def hidden(body: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', body).group(1)


def test_a_layout_the_page_cannot_read_shows_its_columns_and_imports_in_one_pass(client_as, db):
    client = client_as("coordinator")
    layout = workstreams_csv()
    page = upload(client, layout).get_data(as_text=True)
    assert "Say what each column holds" in page
    rows = re.findall(r'<th scope="row" class="govuk-table__header">\s*([^<\n]+)', page)
    assert [row.strip().replace("&#39;", "'") for row in rows] == layout.headers
    assert "Extend the street pastors scheme to Fridays" in page  # the first values of each column
    assert "Unsure: check" in page and "Recognised" in page
    assert re.findall(r'<select class="govuk-select" id="(column_\d+)"', page) == [f"column_{i}" for i in range(8)]
    assert '<option value="key_priority" selected>key priority</option>' in page  # "Theme", guessed
    chosen = {"column_0": "key_priority", "column_1": "objective", "column_2": "lead", "column_3": "lead_officer",
              "column_4": "end_date", "column_5": "funding", "column_6": "progress", "column_7": "note"}
    form = {"upload": hidden(page, "upload"), "filename": hidden(page, "filename"), "progress_on": "", "year": ""}
    preview = client.post("/import/columns", data=form | chosen).get_data(as_text=True)
    assert "Check the import of plan 2019-20" in preview
    assert "Named lead contacts to add" in preview and "Sam Smith (Street Pastors)" in preview
    confirm = {"upload": hidden(preview, "upload"), "filename": hidden(preview, "filename"),
               "choices": hidden(preview, "choices").replace("&#34;", '"')}
    response = client.post("/import/confirm", data=confirm)
    assert response.status_code == 302
    stored = objective_titled(db, "Extend the street pastors scheme to Fridays")
    assert (stored.key_priority.title, stored.extra, [c.name for c in stored.lead_contacts]) == (
        "Reducing ASB", {"KPI": "Volunteer hours"}, ["Sam Smith"])
    # Remembered: the same layout next time goes straight to the preview, saying why.
    again = upload(client, layout).get_data(as_text=True)
    assert "Check the import of plan 2019-20" in again and "Columns read as chosen" in again


def test_the_page_asks_the_year_when_the_file_does_not_say_it(client_as, db):
    client = client_as("coordinator")
    layout = county_xlsx()
    page = upload(client, layout).get_data(as_text=True)
    form = {"upload": hidden(page, "upload"), "filename": hidden(page, "filename"), "progress_on": "",
            "column_0": "objective", "column_1": "lead", "column_2": "end_date", "column_3": "funding",
            "column_4": "note", "column_5": "status", "column_6": "progress"}
    asked = client.post("/import/columns", data=form | {"year": ""}).get_data(as_text=True)
    assert "Say which year the plan is for: the file does not say" in asked
    refused = client.post("/import/columns", data=form | {"year": "next year"}).get_data(as_text=True)
    assert "Write the plan&#39;s year as 2017-18" in refused
    preview = client.post("/import/columns", data=form | {"year": "2021/22"}).get_data(as_text=True)
    assert "Check the import of plan 2021-22" in preview


def test_the_page_wants_an_objective_column(client_as, db):
    client = client_as("coordinator")
    page = upload(client, workstreams_csv()).get_data(as_text=True)
    form = {"upload": hidden(page, "upload"), "filename": hidden(page, "filename"), "year": ""}
    answer = client.post("/import/columns", data=form | {f"column_{i}": "note" for i in range(8)})
    assert "Choose the column that holds the objectives" in answer.get_data(as_text=True)


def test_a_layout_read_by_its_headers_goes_straight_to_the_preview(client_as, db):
    body = upload(client_as("coordinator"), borough_csv()).get_data(as_text=True)
    assert "Check the import of plan 2018-19" in body
    assert "Say what each column holds" not in body


# ---- notes: shown and exported

def test_notes_are_shown_on_the_objective_page_and_exported_and_read_back(runner, tmp_path, db, client_as):
    layout = borough_csv()
    assert run_import(runner, tmp_path, layout).exit_code == 0
    stored = objective_titled(db, "Run youth diversion sessions")
    page = client_as("viewer").get(f"/objectives/{stored.id}").get_data(as_text=True)
    assert "Outcome" in page and "Fewer ASB reports in the parks" in page and "Note from the imported plan" in page
    exported = client_as("viewer").get("/export/csv?year=2018-19").get_data(as_text=True)
    header = next(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert header[-2:] == ["Note: Ref", "Note: Outcome"]
    path = tmp_path / "again-2018-19.csv"
    path.write_text(exported, encoding="utf-8")
    result = runner.invoke(args=["import-plan", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert objective_titled(db, "Run youth diversion sessions").extra == {
        "Ref": "1.1", "Outcome": "Fewer ASB reports in the parks"}
    assert "extra" not in result.output and "Column not recognised" not in result.output, result.output


def test_columns_read_by_their_headings_can_be_changed_from_the_preview(client_as, db):
    client = client_as("coordinator")
    preview = upload(client, borough_csv()).get_data(as_text=True)
    assert "8 columns read by their headings" in preview
    form = {"upload": hidden(preview, "upload"), "filename": hidden(preview, "filename"), "progress_on": ""}
    page = client.post("/import/columns", data=form | {"change": "1"}).get_data(as_text=True)
    assert "Say what each column holds" in page and "There is a problem" not in page
    assert '<option value="end_date" selected>end date</option>' in page  # "Timescale (when achieved by)"
    chosen = {"column_0": "note", "column_1": "objective", "column_2": "text", "column_3": "lead",
              "column_4": "end_date", "column_5": "funding", "column_6": "ignored", "column_7": "status"}
    preview = client.post("/import/columns", data=form | chosen | {"year": ""}).get_data(as_text=True)
    confirm = {"upload": hidden(preview, "upload"), "filename": hidden(preview, "filename"),
               "choices": hidden(preview, "choices").replace("&#34;", '"')}
    assert client.post("/import/confirm", data=confirm).status_code == 302
    assert objective_titled(db, "Run youth diversion sessions").extra == {"Ref": "1.1"}  # "Outcome" ignored


def test_a_column_guessed_like_an_earlier_one_is_offered_as_a_note(client_as, db):
    content = b"Action,Project,Lead,End date\nRun a campaign,Campaign 1,CBC,Apr 17\n"
    page = upload(client_as("coordinator"), type("L", (), {"content": content, "filename": "p-2016-17.csv"})
                  ).get_data(as_text=True)
    assert "Say what each column holds" in page
    selected = re.findall(r'<select class="govuk-select" id="(column_\d)"[^>]*>(?:(?!</select>).)*?'
                          r'<option value="(\w+)" selected>', page, re.S)
    assert selected == [("column_0", "objective"), ("column_1", "note"), ("column_2", "lead"),
                        ("column_3", "end_date")]
