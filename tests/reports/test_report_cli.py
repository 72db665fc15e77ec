"""scp-tracker report: each format written, and a bad --round or --since refused with a clear message (exit 2)."""

from datetime import timedelta

import pytest
from docx import Document

from scp_tracker.core.clock import today_in_london


@pytest.mark.parametrize(("fmt", "magic"), [("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF-"), ("docx", b"PK")])
def test_each_format_is_written(runner, sample_plan, tmp_path, fmt, magic):
    sample_plan(4)
    path = tmp_path / f"paper.{fmt}"
    result = runner.invoke(args=["report", "--format", fmt, "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(magic)


def test_html_to_standard_output_is_the_paper(runner, sample_plan):
    sample_plan(4)
    result = runner.invoke(args=["report", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "Annual Partnership Plan 2016-17" in result.output and "Summary" in result.output
    assert "Key priority 4" in result.output and "RAG set to Red by Sample Coordinator" in result.output


def test_the_word_file_holds_the_summary_and_every_objective(runner, sample_plan, tmp_path):
    sample_plan(8)
    path = tmp_path / "paper.docx"
    since = today_in_london() - timedelta(days=30)
    assert runner.invoke(args=["report", "--format", "docx", "--since", f"{since:%Y-%m-%d}", "-o",
                               str(path)]).exit_code == 0
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Summary" in text and "Overdue: 8" in text and "No update since" in text
    assert "2 (up 2)" in cells and "0 (down 2)" in cells and "£5,000" in cells  # confirmed funding of its pot
    assert all(any(cell.startswith(f"Objective {i}\n") for cell in cells) for i in range(8))
    assert "Red" in cells and "Not set" in cells  # the RAG in words, on its colour
    assert any("RAG set to Red by Sample Coordinator" in cell for cell in cells)
    assert not any("None" in cell.split() or "→" in cell for cell in cells)
    header = document.sections[0].header.paragraphs[0].text
    assert "Annual Partnership Plan 2016-17" in header and "Produced on" in header


@pytest.mark.parametrize(("args", "message"), [
    (["--round", "Midsummer"], "has no round “Midsummer”"),
    (["--since", "2016-13-01"], "Invalid value for '--since'"),
    (["--since", "3000-01-01"], "must be today or earlier"),
    (["--since", "2016-06-01", "--round", "June 2016 round"], "not both"),
    (["--year", "1999-00"], "no plan for 1999-00"),
])
def test_bad_options_are_refused_clearly(runner, sample_plan, args, message):
    sample_plan(2)
    result = runner.invoke(args=["report", "--format", "html", *args])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
