"""The board paper as a page's HTML and as a tagged PDF (WeasyPrint), from the same template."""

from pathlib import Path

from flask import current_app, render_template
from weasyprint import CSS, HTML

from scp_tracker.reports.paper import Paper
from scp_tracker.rounds.board_paper import DIRECTIONS

PRINT_CSS = Path(__file__).with_name("print.css")


def paper_html(paper: Paper, *, standalone: bool = False) -> str:
    """The paper as a printed document's HTML (reports/print.html around reports/_paper.html); standalone, with
    the print stylesheet inside, so the file reads the same opened anywhere."""
    styles = PRINT_CSS.read_text(encoding="utf-8") if standalone else ""
    return render_template("reports/print.html", paper=paper, directions=DIRECTIONS, styles=styles)


def paper_pdf(paper: Paper) -> bytes:
    """The paper as a tagged PDF (PDF/UA-1: a structure tree, real text, the language and title set)."""
    document = HTML(string=paper_html(paper), base_url=current_app.static_folder)
    return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant="pdf/ua-1")
