"""The main pages on a county ten times bigger (`python -m benchmarks.run --large`), against the usual county.

The big county is built in a child process (`python -m benchmarks.generate --report`), so its time and its
peak memory are its own, then its pages are loaded like the usual county's and each page's CPU per request
and p99 compared with the usual county's figures of the same run.
"""

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from benchmarks.pages import bench_pages, compare_large, first_view_addresses
from config import PROJECT_ROOT
from scp_tracker.extensions import db
from scp_tracker.people.models import Contact, User


def generate_in_child(database: Path, objectives: int, seed: int, report: Path) -> dict:
    """Build a county of this many objectives into a new SQLite file; what was made, how long, at what peak RSS."""
    command = [sys.executable, "-m", "benchmarks.generate", "--database", str(database),
               "--objectives", str(objectives), "--seed", str(seed), "--report", str(report)]
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL)
    return json.loads(report.read_text())


def bench_large(app, settings: dict[str, str], database: Path, *, objectives: int, seed: int, seconds: int,
                password: str, usual_pages: dict, usual_objectives: int, folder: Path) -> dict:
    """Build the big county, load its pages' first views, and compare each with the usual county's."""
    made = generate_in_child(database, objectives, seed, folder / "large-report.json")
    with app.app_context():
        email = made["coordinator_emails"][0]
        user = db.session.scalar(select(User).join(Contact).where(Contact.email == email))
        user.password_hash = generate_password_hash(password)
        db.session.commit()
        addresses = first_view_addresses(made["plan_id"], seed=seed)
        db.engine.dispose()
    built = {
        "objectives": made["counts"]["objective"], "usual_objectives": usual_objectives,
        "dataset": {"seconds": round(made["seconds"], 1), "peak_rss_mb": made["peak_rss_mb"],
                    "seconds_by_step": made["timings"], "rows": made["counts"]},
    }
    try:
        figures = bench_pages(settings, email, password, addresses, seconds, folder)
    except Exception as error:  # noqa: BLE001 - what was built is kept, and the failure said
        return {**built, "error": f"{type(error).__name__}: {error}"}
    return {**built, "pages": compare_large(usual_pages, figures), "figures": figures}
