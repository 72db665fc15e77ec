"""The board paper's PDF: tagged structure, real text, the plan and date on every page, page numbers, rows kept
whole, and pages that render."""

import re
from io import BytesIO

import pypdfium2
import pytest
from pypdf import PdfReader
from sqlalchemy import update

from scp_tracker.plans.models import ProgressUpdate

ROWS = 40  # enough objectives for several pages; the first 30 are overdue (sample_plan)


@pytest.fixture
def pdf(runner, sample_plan, tmp_path, db) -> bytes:
    sample = sample_plan(ROWS)
    # Tall rows (progress of several lines), so a page break would fall inside some row if rows could split.
    for i, objective_id in enumerate(sample.objective_ids[::2]):
        db.session.execute(update(ProgressUpdate).where(ProgressUpdate.objective_id == objective_id).values(
            text=f"Progress on objective {2 * i}. " + "The partners met and agreed the next steps. " * (4 + i % 5)
            + f"End of progress {2 * i}."))
    db.session.commit()
    path = tmp_path / "paper.pdf"
    result = runner.invoke(args=["report", "--format", "pdf", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def structure_tags(node, found: set[str]) -> set[str]:
    """Every structure type (/S) under a structure element."""
    node = node.get_object()
    if "/S" in node:
        found.add(node["/S"])
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object()
        if hasattr(kid, "get"):
            structure_tags(kid, found)
    return found


def test_the_pdf_is_tagged_with_real_text(pdf):
    reader = PdfReader(BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/Lang"] == "en-GB"
    tags = structure_tags(root["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/Table", "/TR", "/TH", "/TD", "/P"} <= tags
    assert "/Figure" not in tags  # text, not pictures of text
    first = reader.pages[0].extract_text()
    assert "Board paper" in first and "Summary" in first and "Overdue: 30" in first


def test_every_page_carries_the_plan_the_date_and_its_number(pdf):
    reader = PdfReader(BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Annual Partnership Plan 2016-17" in text, number
        assert re.search(r"Produced on \d{1,2} \w+ \d{4}", text), number
        assert f"Page {number} of {len(pages)}" in text


def test_the_summary_fills_the_first_page_alone(pdf):
    pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    assert "Key priority 1:" not in pages[0] and "Key priority 1:" in pages[1]


def test_no_objective_is_split_across_pages(pdf):
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages[1:]]
    for i in range(0, ROWS, 2):  # the even objectives have progress: the row's last cell
        holding = [text for text in pages if re.search(rf"\bObjective {i}\b", text)]
        assert len(holding) == 1, i
        assert f"Progress on objective {i}" in holding[0] and f"End of progress {i}" in holding[0], i


def test_the_pages_render(pdf, tmp_path):
    document = pypdfium2.PdfDocument(pdf)
    for index in range(len(document)):
        image = document[index].render(scale=1).to_pil().convert("L")
        assert image.width > image.height  # A4 landscape
        darkest, _ = image.getextrema()
        assert darkest < 100  # something is drawn on it
