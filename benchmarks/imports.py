"""The imports' benchmark: the real plan, and a spreadsheet of many objectives, each into a new database."""

import statistics
from pathlib import Path

from benchmarks.generate import REAL_PLAN, REAL_PLAN_AS_OF, upgrade_database
from benchmarks.harness import app_for, copy_database, production_settings, timed
from benchmarks.spreadsheet import plan_workbook
from scp_tracker.core.history import Actor
from scp_tracker.documents.services import import_plan
from scp_tracker.extensions import db


def bench_imports(folder: Path, secret: str, rows: int, repeats: int) -> dict:
    """The real plan, and a spreadsheet of `rows` objectives, each imported into a new, empty database."""
    empty = folder / "empty.db"
    upgrade_database(f"sqlite:///{empty}")
    workbook = plan_workbook(rows)
    actor = Actor(name="Benchmark import", source="import")

    def fresh(name: str):
        path = folder / f"{name}.db"
        copy_database(empty, path)
        return app_for(production_settings(f"sqlite:///{path}", secret, 1))

    def import_and_commit(source, filename: str):
        report = import_plan(source, filename, actor=actor, as_of=REAL_PLAN_AS_OF)
        db.session.commit()
        return report

    def median_import(source, filename: str, name: str) -> tuple[list[float], object]:
        """Import into `repeats` new databases; the seconds of each and the last report."""
        times = []
        for n in range(repeats):
            with fresh(f"{name}-{n}").app_context():
                seconds, report = timed(import_and_commit, source, filename)
                times.append(seconds)
                db.engine.dispose()
        return times, report

    real_times, _ = median_import(REAL_PLAN, REAL_PLAN.name, "real")
    spreadsheet_times, report = median_import(workbook, "county-plan-2017-18.xlsx", "spreadsheet")
    with fresh("spreadsheet-again").app_context():
        import_and_commit(workbook, "county-plan-2017-18.xlsx")
        again, second_report = timed(import_and_commit, workbook, "county-plan-2017-18.xlsx")
        db.engine.dispose()
    if len(report.created) != rows or len(second_report.unchanged) != rows:
        raise RuntimeError(f"the spreadsheet import read {len(report.created)} of {rows} rows")
    return {"real_plan_seconds": round(statistics.median(real_times), 3),
            f"xlsx_{rows}_rows_seconds": round(statistics.median(spreadsheet_times), 3),
            "xlsx_reimport_seconds": round(again, 3), "real_plan_runs_seconds": [round(s, 3) for s in real_times],
            "xlsx_runs_seconds": [round(s, 3) for s in spreadsheet_times]}
