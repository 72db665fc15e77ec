"""Regenerate the README's screenshots: `.venv/bin/python scripts/screenshots.py` (or `make screenshots`).

Builds a throw-away SQLite database from the migrations, loads the demo (`scp-tracker demo load`: the real plan moved
to the current plan year, with its year so far) as on 14 October of that year, adds a coordinator who can sign in,
runs that morning's reminders, then serves the app on loopback and photographs its main pages in Debian's Chromium,
1280 pixels wide, into docs/screenshots/. The clock is moved (time-machine) so the pictures show a plan part-way
through its year whatever day they are taken. The board paper's first page is rendered from its PDF (pypdfium2) and
from its Word file converted by LibreOffice when `soffice` is installed.
"""

import logging
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from datetime import datetime, time
from pathlib import Path

import pypdfium2
import time_machine
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import make_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from scp_tracker import create_app  # noqa: E402 (after the path is set, when run from anywhere)
from scp_tracker.core.clock import LONDON, today_in_london, utcnow  # noqa: E402
from scp_tracker.core.history import Actor  # noqa: E402
from scp_tracker.demo.dates import nearest_working_day, plan_year_start  # noqa: E402
from scp_tracker.demo.services import load_demo  # noqa: E402
from scp_tracker.extensions import db  # noqa: E402
from scp_tracker.mail.models import OutboxMessage  # noqa: E402
from scp_tracker.operations.services import beat  # noqa: E402
from scp_tracker.people import contact_import, passwords  # noqa: E402
from scp_tracker.people.services import find_contact_by_email  # noqa: E402
from scp_tracker.plans.models import Objective, ProgressUpdate  # noqa: E402
from scp_tracker.reminders.services import ReminderError, run_reminders  # noqa: E402
from scp_tracker.reminders.your_objectives import usable_lead_link  # noqa: E402

OUT = PROJECT_ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
VIEWPORT = {"width": 1280, "height": 900}

# Mid-October of the current plan year, on a working day: the first two board meetings' rounds are due and closing.
PHOTOGRAPHED_ON = nearest_working_day(plan_year_start(today_in_london()).replace(month=10, day=14))
PHOTOGRAPHED_AT = datetime.combine(PHOTOGRAPHED_ON, time(10), LONDON)
PASSWORD = secrets.token_urlsafe(16)  # nobody signs in to this database but this script
COORDINATOR = ("Sam Taylor", "sam.taylor@example.org", "CBC", "coordinator")


def main() -> None:
    """Build the demo database, serve it, and photograph the pages."""
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    with tempfile.TemporaryDirectory(prefix="scp-screenshots-") as folder:
        app = create_app({
            "SCP_ENV": "development",
            "SCHEDULER": "off",
            "SECRET_KEY": secrets.token_hex(32),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'screenshots.db'}",
        })
        app.instance_path = folder
        # Bound first, so the links in the reminder emails carry the address the browser will use.
        server = make_server("127.0.0.1", 0, app, threaded=True)
        app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
        with time_machine.travel(PHOTOGRAPHED_AT, tick=True), app.app_context():
            logging.disable(logging.INFO)  # Alembic's log of each migration is noise here
            upgrade()
            logging.disable(logging.NOTSET)
            build_demo_data()
            serve_and_photograph(app, server)
            photograph_board_paper(app)
    print(f"Screenshots written to {OUT.relative_to(PROJECT_ROOT)}/")


def build_demo_data() -> None:
    """The demo's year up to yesterday, a coordinator who can sign in, and this morning's reminder run."""
    print(f"  {load_demo(today_in_london()).summary()}")
    name, email, agency, role = COORDINATOR
    contact_import.save_contact(Actor(name="Screenshots", source="cli"),
                                contact_import.ContactRow(name=name, email=email, agency=agency, role=role))
    passwords.set_password(find_contact_by_email(email).user, PASSWORD, now=utcnow())
    run_reminders(today_in_london(), now=utcnow(), force=True)
    beat(utcnow())  # as a running scheduler would, so no "scheduler has never run" banner
    db.session.commit()


def featured_digest() -> tuple[OutboxMessage, Objective, str]:
    """The newest reminder to a lead about an open objective with some progress: the email, the objective, and the
    email's one link ("Your objectives")."""
    updates = {objective_id: count for objective_id, count in db.session.execute(
        select(ProgressUpdate.objective_id, func.count()).group_by(ProgressUpdate.objective_id))}
    objectives = db.session.scalars(select(Objective).where(Objective.status == "open")
                                    .order_by(Objective.id)).all()
    digests = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder_digest")
                                 .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())).all()
    for digest in digests:
        link = next((word for word in digest.text_body.split() if re.search(r"/your-objectives/", word)), None)
        if link is None or not _still_works(link):
            continue
        for objective in sorted(objectives, key=lambda o: -updates.get(o.id, 0)):
            if updates.get(objective.id, 0) >= 2 and f"\n{objective.title}\n" in digest.text_body:
                return digest, objective, link
    raise SystemExit("no reminder in the demo names an objective with progress and carries its one link")


def _still_works(link: str) -> bool:
    """Whether an emailed "Your objectives" link still opens the page (its round may have closed since)."""
    try:
        usable_lead_link(link.rsplit("/", 1)[1], utcnow())
    except ReminderError:
        return False
    return True


def serve_and_photograph(app, server) -> None:
    """Serve the app on loopback and photograph each page; "Your objectives" is opened from the lead's email."""
    base = app.config["BASE_URL"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    digest, objective, objectives_link = featured_digest()
    featured = objective.id
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            signed_in = browser.new_context(base_url=base, viewport=VIEWPORT, locale="en-GB",
                                            timezone_id="Europe/London")
            page = signed_in.new_page()
            page.goto("/sign-in")
            page.locator("#email").fill(COORDINATOR[1])
            page.locator("#password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            photograph(page, "/", "dashboard")
            photograph(page, "/plan", "plan")
            photograph(page, "/indicators", "indicators")
            photograph(page, f"/objectives/{featured}", "objective")
            photograph(page, f"/events/new?objective={featured}", "event-form")

            # The lead is not signed in: the emailed link is all they need.
            signed_out = browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London")
            photograph(signed_out.new_page(), objectives_link, "update-form")
            # A page of its own: one that had loaded the app would keep the app's Content-Security-Policy,
            # which refuses the email's inline styles.
            email = signed_out.new_page()
            email.set_content(digest.html_body)
            email.screenshot(path=OUT / "reminder-email.png", full_page=True)
            print(f"  reminder-email.png: {digest.subject}")
            browser.close()
    finally:
        server.shutdown()
        thread.join()


def photograph_board_paper(app) -> None:
    """The board paper's first page (the summary) as PDF and, when LibreOffice is installed, as Word opens it."""
    with tempfile.TemporaryDirectory(prefix="scp-paper-") as folder:
        for fmt in ("pdf", "docx"):
            result = app.test_cli_runner().invoke(args=["report", "--format", fmt, "-o", f"{folder}/paper.{fmt}"])
            if result.exit_code != 0:
                sys.exit(f"scp-tracker report --format {fmt} failed: {result.output}")
        pdfs = {"pdf": Path(folder) / "paper.pdf"}
        office = shutil.which("soffice")
        if office:
            subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", f"{folder}/word",
                            f"{folder}/paper.docx"], check=True, capture_output=True, timeout=300)
            pdfs["docx"] = Path(folder) / "word" / "paper.pdf"
        for fmt, path in pdfs.items():
            pypdfium2.PdfDocument(path)[0].render(scale=1.5).to_pil().save(OUT / f"board-paper-{fmt}-1.png")
            print(f"  board-paper-{fmt}-1.png")


def photograph(page, path: str, name: str) -> None:
    """Open a page and save the whole of it as docs/screenshots/<name>.png."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / f"{name}.png", full_page=True)
    print(f"  {name}.png: {page.title()}")


if __name__ == "__main__":
    main()
