"""The board paper as a page's HTML, a tagged PDF (WeasyPrint) from the same template, and a Word file.

WeasyPrint (about 43 MB once imported) and python-docx (15 MB) are imported when a file is made, not when the app
starts: the scheduler process, which never makes one, stays within its memory target.
"""

from pathlib import Path

from flask import current_app, render_template

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
    from weasyprint import CSS, HTML

    document = HTML(string=paper_html(paper), base_url=current_app.static_folder)
    return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant="pdf/ua-1")


def paper_word(paper: Paper) -> bytes:
    """The paper as a Word file (reports/word.py)."""
    from scp_tracker.reports.word import paper_docx

    return paper_docx(paper, partnership=current_app.config["PARTNERSHIP_NAME"])
