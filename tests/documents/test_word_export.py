"""The plan exported as a Word document: the partnership's layout (title, key priorities with their leads and
descriptions, the seven-column table with bold short titles, the priority lists, the glossary), and importing it
gives the same plan back (the JSON export of both compared)."""

import io
import json

import docx
import pytest
from support.database import empty_database

from scp_tracker.documents.cells import clean_html
from scp_tracker.documents.export import export_plan
from scp_tracker.plans.models import Objective

COLUMNS = ["OBJECTIVE", "PROGRESS / OUTPUT", "FUNDING", "PROJECT LEAD / AGENCY", "END DATE", "POLICE PRIORITY",
           "PCC PRIORITY"]


@pytest.fixture
def plan(runner, real_plan_path, db):
    """The real plan imported as of 1 September 2016."""
    result = runner.invoke(args=["import-plan", str(real_plan_path), "--as-of", "2016-09-01"])
    assert result.exit_code == 0, result.output
    from scp_tracker.plans.models import Plan
    return db.session.query(Plan).one()


def _document(content: bytes):
    return docx.Document(io.BytesIO(content))


def test_the_word_export_is_laid_out_as_the_partnerships_plan(plan):
    content, mimetype, filename = export_plan(plan, "docx")
    assert mimetype.endswith("wordprocessingml.document") and filename == "scp-plan-2016-17.docx"
    document = _document(content)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Safer Colchester Partnership Annual Partnership Plan 2016-2017 – Draft"
    assert document.paragraphs[0].style.name == "Title"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["KEY PRIORITY 1: TO PROTECT VULNERABLE PEOPLE (KP LEAD: COLCHESTER BOROUGH HOMES)",
                        "KEY PRIORITY 2: TO REDUCE REOFFENDING", "KEY PRIORITY 3: TO ADDRESS ALCOHOL & DRUG MISUSE",
                        "KEY PRIORITY 4: TO REDUCE CRIME AND THE FEAR OF CRIME"]
    assert "(KP LEAD: ESSEX CRC - COMMUNITY REHABILITATION COMPANY LIMITED)" in texts
    assert any(text.startswith("This priority will include raising awareness") for text in texts)
    tables = document.tables
    assert len(tables) == 5  # four key priorities' objectives, and the glossary
    for table in tables[:4]:
        assert [cell.text for cell in table.rows[0].cells] == COLUMNS
    first = tables[0].rows[1].cells[0].paragraphs[0]
    assert [run.text for run in first.runs if run.bold] == ["social media campaign"]
    assert sum(len(table.rows) - 1 for table in tables[:4]) == 30
    assert "1. Crack down on Anti-Social Behaviour" in texts and "10. Repeat high harm ASB" in texts
    assert [cell.text for cell in tables[4].rows[0].cells] == ["Abbreviation", "Description"] * 2
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def _comparable(data: dict) -> dict:
    """The JSON export with each objective as written compared by what it says (Word keeps its formatting, not
    the spacing of its HTML)."""
    for kp in data["priorities"]:
        for objective in kp["objectives"]:
            objective["source_html"] = clean_html(objective["source_html"])
    return data


def _differences(before, after, path="") -> list[str]:
    """Where two JSON values differ, as paths with both values (a readable failure)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [line for key in before.keys() | after.keys()
                for line in _differences(before.get(key), after.get(key), f"{path}.{key}")]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [line for index, (b, a) in enumerate(zip(before, after, strict=True))
                for line in _differences(b, a, f"{path}[{index}]")]
    return [] if before == after else [f"{path}: {before!r} != {after!r}"]


def _round_trip(runner, tmp_path, db) -> tuple[dict, dict]:
    """The JSON export before, and after exporting Word, emptying the database and importing that Word file."""
    before, after, word = tmp_path / "before.json", tmp_path / "after.json", tmp_path / "scp-plan-2016-17.docx"
    assert runner.invoke(args=["export-plan", "--format", "json", "-o", str(before)]).exit_code == 0
    result = runner.invoke(args=["export-plan", "--format", "docx", "-o", str(word)])
    assert result.exit_code == 0, result.output
    db.session.remove()
    empty_database()
    result = runner.invoke(args=["import-plan", str(word), "--as-of", "2016-09-01"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["export-plan", "--format", "json", "-o", str(after)]).exit_code == 0
    return json.loads(before.read_text()), json.loads(after.read_text())


def test_importing_the_word_export_gives_the_same_plan_back(plan, runner, tmp_path, db):
    before, after = _round_trip(runner, tmp_path, db)
    assert sorted(_differences(_comparable(before), _comparable(after))) == []


def test_a_plan_changed_in_the_app_comes_back_the_same_from_word(plan, runner, tmp_path, db):
    """RAG, status, an ongoing end date, an edited title and an objective with nothing filled in but its title."""
    objectives = db.session.query(Objective).order_by(Objective.id).all()
    objectives[0].rag, objectives[1].rag, objectives[2].status = "green", "red", "complete"
    objectives[3].end_date, objectives[3].end_date_status, objectives[3].end_date_text = None, "ongoing", "Ongoing"
    objectives[4].title = "Walk and talk"
    empty = objectives[5]
    empty.lead_links.clear()
    empty.lead_status, empty.lead_text = "missing", ""
    empty.end_date, empty.end_date_status, empty.end_date_text = None, "missing", ""
    empty.police_scope, empty.police_numbers, empty.police_text = "none", [], ""
    empty.pcc_scope, empty.pcc_numbers, empty.pcc_text = "none", [], ""
    db.session.commit()
    before, after = _round_trip(runner, tmp_path, db)
    assert sorted(_differences(_comparable(before), _comparable(after))) == []
    kp1 = after["priorities"][0]["objectives"]
    assert [o["rag"] for o in kp1[:2]] == ["green", "red"] and kp1[2]["status"] == "complete"
    assert kp1[3]["end_date_status"] == "ongoing" and kp1[4]["title"] == "Walk and talk"
    assert kp1[5]["lead_status"] == "missing"  # not joined to the row above for having nothing filled in


def test_a_title_the_objective_does_not_say_gets_a_column_of_its_own(plan, db):
    db.session.query(Objective).order_by(Objective.id).first().title = "Campaign for the young"
    db.session.commit()
    table = _document(export_plan(plan, "docx")[0]).tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["SHORT TITLE", *COLUMNS]
    assert table.rows[1].cells[0].text == "Campaign for the young"
    other = _document(export_plan(plan, "docx")[0]).tables[1]
    assert [cell.text for cell in other.rows[0].cells] == COLUMNS


def test_the_plan_page_offers_the_word_download(plan, client_as):
    client = client_as("viewer")
    page = client.get("/plan").get_data(as_text=True)
    assert 'href="/export/docx?year=2016-17">Word document (.docx)</a>' in page
    response = client.get("/export/docx?year=2016-17")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="scp-plan-2016-17.docx"'
    assert _document(response.data).paragraphs[0].text.startswith("Safer Colchester Partnership")
