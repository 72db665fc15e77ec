"""scp-tracker indicators import PATH: figures from a CSV or XLSX file, all rows or none."""

import click
from flask.cli import AppGroup

from scp_tracker.core.clock import utcnow
from scp_tracker.extensions import db
from scp_tracker.indicators.importing import import_figures
from scp_tracker.indicators.reading import FiguresFileError, read_table
from scp_tracker.plans.lookup import plan_for_year

indicators = AppGroup("indicators", help="Import performance indicators' figures.")


@indicators.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--plan", "year", help="The plan's year, like 2016-17 (default: the current plan).")
def import_command(path: str, year: str | None) -> None:
    """Import figures from PATH (CSV or XLSX with a header row: indicator, period, value…)."""
    plan = plan_for_year(year)
    if plan is None:
        raise click.UsageError(f"There is no plan {year}" if year else "There is no plan yet", None)
    try:
        table = read_table(path)
    except FiguresFileError as error:
        raise click.ClickException(str(error)) from None
    result = import_figures(plan, table, utcnow())
    if result.problems:
        db.session.rollback()
        for problem in result.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"Nothing was imported: {len(result.problems)} problem"
                                   f"{'s' if len(result.problems) != 1 else ''} to correct")
    db.session.commit()
    click.echo(f"Imported into plan {plan.year}: {result.figures_added} new figures, {result.figures_updated} "
               f"updated, {len(result.indicators_added)} new indicators.")
