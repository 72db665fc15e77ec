"""scp-tracker report: the board paper as HTML, Word or PDF."""

import sys
from pathlib import Path

import click
from flask import current_app

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.plans.lookup import plan_for_year
from scp_tracker.reports.paper import FORMATS, PaperError, build_paper, plan_round
from scp_tracker.reports.rendering import paper_html, paper_pdf, paper_word


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Compare with this date (YYYY-MM-DD) instead of the last round.")
@click.option("--round", "round_name", help="The round whose paper this is, by name (see `scp-tracker rounds list`).")
@click.option("--year", help="The plan's year, e.g. 2016-17 (default: the current plan).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
def report_command(fmt: str, since, round_name: str | None, year: str | None, output: Path | None) -> None:
    """The board paper: a summary page, then each key priority's objectives and what changed."""
    plan = plan_for_year(year)
    if plan is None:
        raise click.UsageError(f"no plan for {year}" if year else "there is no plan yet: import one first")
    if since is not None and round_name:
        raise click.UsageError("give --since or --round, not both")
    now = utcnow()
    try:
        paper = build_paper(plan, today=today_in_london(now), now=now, since=since.date() if since else None,
                            round_=plan_round(plan, round_name))
    except PaperError as error:
        raise click.UsageError(str(error)) from None
    content: bytes
    with current_app.test_request_context():  # the paper's links are written as the site writes them
        if fmt == "html":
            content = paper_html(paper, standalone=True).encode()
        elif fmt == "pdf":
            content = paper_pdf(paper)
        else:
            content = paper_word(paper)
    if output:
        output.write_bytes(content)
        click.echo(f"Wrote {output} ({len(content):,} bytes)", err=True)
    elif fmt != "html" and sys.stdout.isatty():
        raise click.UsageError(f"a {fmt} file cannot be shown here: give -o PATH")
    else:
        sys.stdout.buffer.write(content)
