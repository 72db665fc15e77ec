"""scp-tracker import-plan and export-plan."""

import sys
from pathlib import Path

import click

from scp_tracker.core.history import Actor
from scp_tracker.documents.column_mapping import ImportChoices, parse_column_option
from scp_tracker.documents.column_vocabulary import FIELD_NAMES
from scp_tracker.documents.export import FORMATS, export_plan
from scp_tracker.documents.plan_data import PlanFileError
from scp_tracker.documents.plan_wording import plan_year
from scp_tracker.documents.services import import_plan
from scp_tracker.extensions import db
from scp_tracker.plans.lookup import plan_for_year


@click.command("import-plan")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date the document's progress notes were written (default: the first day of the plan's year; "
                   "progress the file dates keeps its dates).")
@click.option("--dry-run", is_flag=True, help="Say what would change without changing anything.")
@click.option("--column", "columns", multiple=True, metavar='"HEADER=FIELD"',
              help=f"What a column holds, by its header (repeatable); FIELD is one of: {', '.join(FIELD_NAMES)}. "
                   f"Remembered for the next file with the same headers.")
@click.option("--year", help="The plan's year, e.g. 2017-18, when the file does not say it.")
def import_plan_command(path: Path, as_of, dry_run: bool, columns: tuple[str, ...], year: str | None) -> None:
    """Import a plan document (.txt, .csv, .xlsx, .docx or .json); running it again updates, never duplicates."""
    if not path.exists():
        raise click.ClickException(f"{path}: no such file")
    actor = Actor(name=f"Import of {path.name}", source="import")
    try:
        choices = ImportChoices(dict(parse_column_option(option) for option in columns), _year(year))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--column" if columns else "--year") from None
    try:
        report = import_plan(path, path.name, actor=actor, as_of=as_of.date() if as_of else None, dry_run=dry_run,
                             choices=choices)
    except PlanFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    if not dry_run:
        db.session.commit()
    click.echo(report.summary())
    click.echo(report.progress_dating())
    if report.columns_note:
        click.echo(report.columns_note)
    for heading, lines in (("Columns to check (add --column \"HEADER=FIELD\" to read one as a field)",
                            report.unsure_columns),
                           ("Agencies added", report.agencies_created),
                           ("Named lead contacts added", report.contacts_created), ("Changes", report.changes),
                           ("Objectives kept that the file does not mention", report.not_in_file),
                           ("Warnings (kept as written)", report.warnings)):
        if lines:
            click.echo(f"\n{heading}:")
            for line in lines:
                click.echo(f"  - {line}")


def _year(text: str | None) -> str | None:
    """The plan's year as given to --year ("2017-18", "2017/18", "2017-2018"); ValueError if it is none."""
    if text is None:
        return None
    if (year := plan_year(text)) is None:
        raise ValueError(f"--year {text}: write the plan's year as 2017-18")
    return year


@click.command("export-plan")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")
@click.option("--year", help="The plan's year, e.g. 2016-17 (default: the current plan).")
def export_plan_command(fmt: str, output: Path | None, year: str | None) -> None:
    """Export the plan: json (lossless interchange), csv, xlsx, docx (the plan in Word, in the partnership's layout)
    or html (the printable plan document)."""
    plan = plan_for_year(year)
    if plan is None:
        raise click.ClickException(f"no plan for {year}" if year else "there is no plan yet: import one first")
    content, _, _ = export_plan(plan, fmt)
    if output:
        output.write_bytes(content)
        click.echo(f"Wrote {output} ({len(content):,} bytes)", err=True)
    elif fmt in ("xlsx", "docx") and sys.stdout.isatty():
        raise click.ClickException(f"an {fmt} file cannot be shown here: give -o PATH")
    else:
        click.echo(content, nl=False)
