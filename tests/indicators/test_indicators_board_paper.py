"""The board paper's indicators table: this period, last period, the same period last year, target and RAG."""

from datetime import date

from flask import render_template_string

from scp_tracker.indicators.board_paper import board_rows


def test_each_key_priority_has_its_indicators_rows(indicator_plan):
    kp1, kp2 = indicator_plan.key_priorities
    rows = board_rows(indicator_plan.id)
    assert list(rows) == [kp1.id]  # key priority 2 has no indicators
    [row] = rows[kp1.id]
    # 1,290 to 1,240 is 3.9% down: within the plan's 5% tolerance, no real change
    assert (row.name, row.period_label, row.this_period, row.last_period, row.same_period_last_year, row.target,
            row.rag_words, row.assessment.direction_words) == (
        "Domestic abuse incidents", "Jul to Sep 2016", 1240, 1290, 1300, 1200, "Near target", "No real change")


def test_a_board_paper_for_an_earlier_meeting_shows_what_was_known_then(indicator_plan):
    [row] = board_rows(indicator_plan.id, as_of=date(2016, 8, 31))[indicator_plan.key_priorities[0].id]
    assert (row.period_label, row.this_period, row.last_period, row.same_period_last_year) == (
        "Apr to Jun 2016", 1290, None, None)


def test_the_partial_template_draws_the_rows_with_rag_in_words(app, indicator_plan):
    rows = board_rows(indicator_plan.id)[indicator_plan.key_priorities[0].id]
    with app.test_request_context():
        html = render_template_string('{% include "indicators/_board_table.html" %}', indicator_rows=rows)
    assert "Same period last year" in html and "Near target" in html and "1,240" in html and "1,300" in html
    with app.test_request_context():
        assert render_template_string('{% include "indicators/_board_table.html" %}', indicator_rows=[]).strip() == ""


def test_export_plan_json_carries_the_indicators(runner, tmp_path, indicator_plan):
    import json

    out = tmp_path / "plan.json"
    result = runner.invoke(args=["export-plan", "--format", "json", "--year", "2016-17", "--output", str(out)])
    assert result.exit_code == 0, result.output
    [exported] = json.loads(out.read_text())["indicators"]
    assert {key: exported[key] for key in ("key_priority", "name", "unit", "better", "baseline", "rag",
                                           "direction")} == {
        "key_priority": 1, "name": "Domestic abuse incidents", "unit": "incidents", "better": "lower",
        "baseline": {"value": 1300, "period": "2015-Q3"}, "rag": "amber", "direction": "steady"}
    assert exported["target"]["value"] == 1200
    assert exported["figures"] == [{"period": "2015-Q3", "value": 1300, "note": ""},
                                   {"period": "2016-Q2", "value": 1290, "note": ""},
                                   {"period": "2016-Q3", "value": 1240, "note": ""}]


def test_the_export_of_indicators_reads_a_fixed_number_of_queries(count_queries, db, indicator_plan):
    from scp_tracker.indicators.exporting import indicators_for_export
    from scp_tracker.indicators.models import Indicator
    from scp_tracker.indicators.services import record_figure

    indicators_for_export(indicator_plan.id)
    with count_queries() as one:
        indicators_for_export(indicator_plan.id)
    for number in range(3):
        more = Indicator(plan=indicator_plan, key_priority=indicator_plan.key_priorities[1], name=f"Indicator {number}")
        db.session.add(more)
        db.session.flush()
        record_figure(more, "2016-Q3", number, "", indicator_plan.created_at)
    plan_id = indicator_plan.id
    db.session.commit()
    with count_queries() as four:
        assert len(indicators_for_export(plan_id)) == 4
    assert len(four) == len(one)


def test_the_board_paper_carries_each_key_priorities_indicators_in_every_format(runner, tmp_path, indicator_plan):
    from docx import Document
    from pypdf import PdfReader

    texts = {}
    for fmt in ("html", "docx", "pdf"):
        path = tmp_path / f"paper.{fmt}"
        result = runner.invoke(args=["report", "--format", fmt, "--since", "2016-04-01", "-o", str(path)])
        assert result.exit_code == 0, result.output
        if fmt == "html":
            texts[fmt] = path.read_text()
        elif fmt == "docx":
            texts[fmt] = "\n".join(cell.text for table in Document(str(path)).tables
                                   for row in table.rows for cell in row.cells)
        else:
            texts[fmt] = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)
    for fmt, text in texts.items():
        for words in ("Domestic abuse incidents", "Same period last year", "1,240", "1,290", "1,300", "1,200",
                      "Near target", "No real change"):
            assert words in text, f"{fmt}: {words!r}"
