"""The board paper as a Word file (python-docx), from the same data as the page and the PDF."""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from scp_tracker.core.formatting import gov_date, money, rag_label
from scp_tracker.indicators.board_paper import BoardRow
from scp_tracker.indicators.charts import number_text
from scp_tracker.plans.wording import change_value
from scp_tracker.reports.paper import Paper, PaperObjective
from scp_tracker.reports.summary import Summary
from scp_tracker.rounds.board_paper import DIRECTIONS

# The GOV.UK tag colours the page uses (background, text), so a printed paper reads the same.
RAG_COLOURS = {"red": ("F4CDC6", "2A0B06"), "amber": ("FFF7BF", "594D00"), "green": ("CCE2D8", "005A30"),
               None: ("E5E6E7", "0C0C0C")}


def paper_docx(paper: Paper, *, partnership: str) -> bytes:
    """The paper as a .docx: landscape A4, the plan and date in the header, page numbers in the footer."""
    document = Document()
    _page_setup(document, paper.plan.title, f"Produced on {gov_date(paper.today)}")
    document.core_properties.title = f"Board paper: {paper.plan.title}"
    document.core_properties.author = partnership
    document.add_paragraph("Board paper").style = document.styles["Subtitle"]
    for run in document.add_heading(paper.plan.title, level=0).runs:
        run.font.size = Pt(22)
    document.add_paragraph(_covers(paper))
    _summary(document, paper, paper.summary)
    for section in paper.sections:
        key_priority = section.key_priority
        heading = document.add_heading(f"Key priority {key_priority.number}: {key_priority.title}", level=1)
        # The summary is the first page alone (a break paragraph would leave a blank page when it is full).
        heading.paragraph_format.page_break_before = section is paper.sections[0]
        if key_priority.lead_links:
            lead = document.add_paragraph("Lead: " + ", ".join(agency.name for agency in key_priority.lead_agencies))
            lead.paragraph_format.keep_with_next = True
        if not section.objectives:
            document.add_paragraph("No objectives.")
        else:
            table = _table(document, ["Objective", "RAG", "Latest progress", "What changed"], [5, 3, 9, 8])
            for item in section.objectives:
                _objective_row(table, item, paper)
        if section.indicators:
            _indicators(document, section.indicators)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _indicators(document, rows: list[BoardRow]) -> None:
    """A key priority's indicators: this period, last period, the same period last year, target and RAG in words."""
    document.add_paragraph("Performance indicators").style = document.styles["Heading 3"]
    table = _table(document, ["Indicator", "This period", "Last period", "Same period last year", "Target", "RAG"],
                   [8, 3, 3, 3, 3, 5])
    for row in rows:
        unit = "%" if row.unit == "%" else ""
        figures = ["–" if value is None else f"{number_text(value)}{unit}"
                   for value in (row.this_period, row.last_period, row.same_period_last_year, row.target)]
        name = f"{row.name} ({row.period_label})" if row.period_label else row.name
        cells = _row(table, [name, *figures, f"{row.rag_words}. {row.assessment.direction_words}"])
        _shade(cells[5], row.assessment.rag if row.assessment.rag != "none" else None)


def _covers(paper: Paper) -> str:
    """What the paper covers, as the page's heading says it."""
    if paper.window is not None:
        state = ("The round closed: this is what the board saw." if paper.window.round.closed_at
                 else "The round is still open: the objectives as they stand today.")
        return (f"{paper.window.round.name}: updates made from {gov_date(paper.window.opens_on)} to "
                f"{gov_date(paper.window.round.deadline)}. {state} RAG changes are against {paper.compared_with}.")
    return f"Progress and changes since {gov_date(paper.since)}; RAG changes are against that date."


def _summary(document, paper: Paper, summary: Summary) -> None:
    """The first page: RAG counts by key priority, overdue, no update, funding by pot, events."""
    document.add_heading("Summary", level=1)
    document.add_paragraph(f"Open objectives by RAG, and the change since {paper.compared_with}.")
    table = _table(document, ["Key priority", "Red", "Amber", "Green", "Not set", "Complete"], [9, 3, 3, 3, 3, 3])
    for row in summary.rag_rows:
        _row(table, [f"{row.key_priority.number}. {row.key_priority.title}",
                     *(f"{count.now} ({count.change_words})" for count in row.counts), str(row.complete)])
    _row(table, ["All key priorities", *(f"{count.now} ({count.change_words})" for count in summary.totals),
                 str(sum(row.complete for row in summary.rag_rows))], bold=True)
    for cell, rag in zip(table.rows[0].cells[1:5], ("red", "amber", "green", None), strict=True):
        _shade(cell, rag)
    document.add_heading(f"Overdue: {len(summary.overdue)}", level=2)
    _in_one_line(document, [f"{o.title} (key priority {o.key_priority.number}, end date {gov_date(o.end_date)})"
                            for o in summary.overdue], "No open objective is past its end date.")
    period = "this round" if paper.window else f"since {gov_date(paper.since)}"
    document.add_heading(f"No update {period}: {len(summary.missing)}", level=2)
    _in_one_line(document, [f"{item.objective.title} (key priority {item.objective.key_priority.number})"
                            for item in summary.missing], "Every open objective has an update.")
    document.add_heading("Funding by pot", level=2)
    if summary.funding:
        funding = _table(document, ["Pot", "Confirmed", "TBC"], [8, 4, 5])
        for pot in summary.funding:
            lines = f"{pot.tbc_lines} line{'s' if pot.tbc_lines != 1 else ''}"
            tbc = (lines + (f", {money(pot.tbc)}" if pot.tbc else "")) if pot.tbc_lines else "–"
            _row(funding, [pot.pot, money(pot.confirmed) if pot.confirmed else "–", tbc])
    else:
        document.add_paragraph("No funding confirmed or to be confirmed.")
    events = paper.events
    document.add_heading(f"Events held since {gov_date(events.since)}", level=2)
    unknown = f" (attendance not known for {events.attendance_unknown})" if events.attendance_unknown else ""
    document.add_paragraph(f"{events.held} event{'' if events.held == 1 else 's'} held, {events.attendance:,} "
                           f"{'person' if events.attendance == 1 else 'people'} attended{unknown}.")


def _objective_row(table, item: PaperObjective, paper: Paper) -> None:
    """One objective: title and facts, RAG in words on its colour, latest progress, what changed."""
    objective = item.objective
    lead = " / ".join(agency.abbreviation for agency in objective.lead_agencies) or (
        "TBC" if objective.lead_status == "tbc" else "Not recorded")
    end = gov_date(objective.end_date) if objective.end_date else (
        "TBC" if objective.end_date_status == "tbc" else "Not recorded")
    cells = _row(table, [objective.title, rag_label(item.rag), "", ""])
    cells[0].paragraphs[0].runs[0].bold = True
    _small(cells[0].add_paragraph(f"{change_value(item.status, 'status')} · Lead: {lead} · End date: {end}"))
    _shade(cells[1], item.rag)
    if item.direction:
        was = f" (was {rag_label(item.previous_rag)})" if item.direction in ("improved", "worse") else ""
        _small(cells[1].add_paragraph(DIRECTIONS.get(item.direction, "") + was))
    progress = cells[2].paragraphs[0]
    if item.latest:
        progress.text = item.latest.text
        _small(cells[2].add_paragraph(f"{gov_date(item.latest.recorded_at)}, "
                                      f"{item.latest.author_name or 'author not recorded'}"))
    else:
        progress.text = "No progress recorded yet"
    if item.is_missing:
        missing = cells[2].add_paragraph()
        missing.add_run("No update received " + ("this round" if paper.window else "in this period")).bold = True
    changes = [f"{gov_date(line.on)}: {line.words}" for line in item.changes] or ["No changes"]
    cells[3].paragraphs[0].text = changes[0]
    for line in changes[1:]:
        cells[3].add_paragraph(line)
    for paragraph in cells[3].paragraphs:
        _small(paragraph)


def _page_setup(document, header: str, date_line: str) -> None:
    """Landscape A4, Arial, the header and a "Page N of M" footer."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    section.header.paragraphs[0].text = f"{header}\t\t{date_line}"
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == code else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} " if text == code else text
        run._r.append(element)


def _table(document, headings: list[str], widths_cm: list[float]):
    """A bordered table whose heading row repeats on each page and whose rows do not split across pages."""
    table = document.add_table(rows=1, cols=len(headings))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid LibreOffice reads
    for cell, heading, width in zip(table.rows[0].cells, headings, widths_cm, strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
        cell.width = Cm(width)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    return table


def _row(table, values: list[str], *, bold: bool = False):
    """Add a row that Word keeps on one page; its cells."""
    cells = table.add_row().cells
    for cell, value, heading in zip(cells, values, table.rows[0].cells, strict=True):
        cell.text = value
        cell.width = heading.width  # Word reads each cell's width, not the column's
        if bold and cell.paragraphs[0].runs:
            cell.paragraphs[0].runs[0].bold = True
    table.rows[-1]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return cells


def _shade(cell, rag: str | None) -> None:
    """The RAG's colour behind its word."""
    background, text = RAG_COLOURS.get(rag, RAG_COLOURS[None])
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), background)
    cell._tc.get_or_add_tcPr().append(shading)
    for run in cell.paragraphs[0].runs:
        run.font.color.rgb = RGBColor.from_string(text)
        run.bold = True


def _small(paragraph) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(8.5)


def _in_one_line(document, items: list[str], empty: str) -> None:
    """A list run together ("A; B; C."), as the page writes it, so the summary keeps to one page."""
    _small(document.add_paragraph("; ".join(items) + "." if items else empty))
