"""The board paper as a page's HTML and as a tagged PDF (WeasyPrint), from the same template."""

from pathlib import Path

from flask import current_app, render_template
from weasyprint import CSS, HTML

from scp_tracker.reports.paper import Paper
from scp_tracker.rounds.board_paper import DIRECTIONS

PRINT_CSS = Path(__file__).with_name("print.css")


def paper_html(paper: Paper) -> str:
    """The paper as a printed document's HTML (reports/print.html around reports/_paper.html)."""
    return render_template("reports/print.html", paper=paper, directions=DIRECTIONS)


def paper_pdf(paper: Paper) -> bytes:
    """The paper as a tagged PDF (PDF/UA-1: a structure tree, real text, the language and title set)."""
    static = Path(current_app.static_folder or "")
    plans_css = Path(current_app.root_path) / "plans" / "static" / "plans.css"
    stylesheets = [CSS(filename=str(path)) for path in (static / "css" / "main.css", plans_css, PRINT_CSS)
                   if path.exists()]
    document = HTML(string=paper_html(paper), base_url=str(static))
    return document.write_pdf(stylesheets=stylesheets, pdf_variant="pdf/ua-1")
