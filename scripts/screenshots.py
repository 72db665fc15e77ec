"""Regenerate the README's screenshots: `.venv/bin/python scripts/screenshots.py` (or `make screenshots`).

Builds a throw-away SQLite database from the migrations, imports the partnership's real 2016-17 plan as it stood
in May 2016, adds demo people, some progress and events over the summer, then serves the app on loopback as on
14 November 2016 and photographs its main pages in Debian's Chromium, 1280 pixels wide, into docs/screenshots/.
The clock is moved (time-machine) so the pictures show a plan half-way through its year, not one years overdue.
"""

import logging
import secrets
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

import time_machine
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from scp_tracker import create_app  # noqa: E402 (after the path is set, when run from anywhere)
from scp_tracker.core.clock import LONDON, today_in_london, utcnow  # noqa: E402
from scp_tracker.core.history import Actor  # noqa: E402
from scp_tracker.documents.services import import_plan  # noqa: E402
from scp_tracker.events.recording import EventValues, record_event  # noqa: E402
from scp_tracker.extensions import db  # noqa: E402
from scp_tracker.mail.models import OutboxMessage  # noqa: E402
from scp_tracker.operations.services import beat  # noqa: E402
from scp_tracker.people import contact_import, passwords  # noqa: E402
from scp_tracker.people.models import Agency  # noqa: E402
from scp_tracker.people.services import find_contact_by_email  # noqa: E402
from scp_tracker.plans.models import Objective  # noqa: E402
from scp_tracker.plans.progress import ProgressValues, add_progress  # noqa: E402
from scp_tracker.reminders.services import run_reminders  # noqa: E402

OUT = PROJECT_ROOT / "docs" / "screenshots"
REAL_PLAN = PROJECT_ROOT / "tests" / "fixtures" / "plans" / "scp-annual-plan-2016-17-draft.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
VIEWPORT = {"width": 1280, "height": 900}

IMPORTED_AT = datetime(2016, 5, 3, 9, 30, tzinfo=LONDON)
PHOTOGRAPHED_AT = datetime(2016, 11, 14, 10, 0, tzinfo=LONDON)
PASSWORD = secrets.token_urlsafe(16)  # nobody signs in to this database but this script
COORDINATOR = ("Sam Taylor", "sam.taylor@example.org", "CBC", "coordinator")
LEAD = ("Alex Morgan", "alex.morgan@example.org", "CBC", "lead")
PARTNER = ("Jo Bennett", "jo.bennett@example.org", "ECFRS", "partner")
FEATURED = "Social media campaign"  # the objective photographed

# (objective title, when, RAG, what the lead wrote): the summer's progress, as leads would write it.
PROGRESS = [
    ("Social media campaign", datetime(2016, 7, 12, 14, 5), "amber",
     "Campaign plan agreed with CBH and Catch 22. Waiting on funding before the designer can start."),
    ("Social media campaign", datetime(2016, 10, 24, 11, 20), "amber",
     "First four posts drafted and approved. Funding from the 16-17 allocation still to be confirmed by the "
     "partnership board on 7 December."),
    ("Supporting People With Chaotic Lifestyles", datetime(2016, 9, 30, 16, 0), "green",
     "Twelve people supported through the pilot; all twelve now have a named key worker."),
    ("The Keep Safe", datetime(2016, 8, 2, 10, 0), "red",
     "Only three venues signed up so far. Needs a push from the licensing team."),
    ("Dementia Alliance work", datetime(2016, 10, 3, 9, 15), "green", "Two Dementia Friends sessions held."),
    ("Gangs awareness training", datetime(2016, 6, 20, 13, 0), "amber", "Trainer booked; dates to be agreed."),
    ("High intensity users of services", datetime(2016, 10, 28, 12, 0), "green",
     "Case reviews under way for the top 20 users."),
    ("Reduce street drinking", datetime(2016, 9, 6, 10, 30), "amber", "Two designated areas under review."),
    ("Modern Slavery / Human Trafficking awareness", datetime(2016, 11, 1, 15, 45), "green",
     "Awareness sessions delivered to 140 front-line staff."),
    ("Deliver Crucial Crew", datetime(2016, 6, 30, 17, 0), "green", "Delivered to 1,250 year 6 pupils."),
    ("Community Days Of Action", datetime(2016, 10, 14, 9, 0), "green", "Greenstead day of action held."),
    ("Local Community Action Panels", datetime(2016, 8, 22, 11, 0), "red",
     "Two panels have no chair since the summer."),
]
# (title, kind, status, day, organiser, attendance, objective titles)
EVENTS = [
    ("Crucial Crew 2016", "awareness_session", "held", datetime(2016, 6, 13), "ECFRS", 1250,
     ["Deliver Crucial Crew", "Younger Peoples Crucial Crew"]),
    ("Social media campaign launch", "campaign", "planned", datetime(2017, 1, 16), "CBC", None, [FEATURED]),
    ("Greenstead day of action", "community_day_of_action", "held", datetime(2016, 10, 13), "CBC", 85,
     ["Community Days Of Action"]),
]


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
        clock = time_machine.travel(IMPORTED_AT, tick=True)
        traveller = clock.start()
        try:
            with app.app_context():
                logging.disable(logging.INFO)  # Alembic's log of each migration is noise here
                upgrade()
                logging.disable(logging.NOTSET)
                build_demo_data(traveller)
            traveller.move_to(PHOTOGRAPHED_AT)
            with app.app_context():
                run_reminders(today_in_london(), now=utcnow(), force=True)
                beat(utcnow())  # as a running scheduler would, so no "scheduler has never run" banner
                db.session.commit()
                serve_and_photograph(app, server)
        finally:
            clock.stop()
    print(f"Screenshots written to {OUT.relative_to(PROJECT_ROOT)}/")


def build_demo_data(traveller) -> None:
    """The real plan, three demo people, the summer's progress and events."""
    import_plan(REAL_PLAN.read_bytes(), REAL_PLAN.name, actor=Actor(name="Plan import", source="import"),
                as_of=today_in_london())
    db.session.commit()
    setup = Actor(name="Screenshots", source="cli")
    for name, email, agency, role in (COORDINATOR, LEAD, PARTNER):
        contact_import.save_contact(setup, contact_import.ContactRow(name=name, email=email, agency=agency, role=role))
        passwords.set_password(find_contact_by_email(email).user, PASSWORD, now=utcnow())
    db.session.commit()
    lead = Actor.for_user(find_contact_by_email(LEAD[1]).user)
    for title, when, rag, text in PROGRESS:
        traveller.move_to(when.replace(tzinfo=LONDON))
        add_progress(objective_titled(title), ProgressValues(text=text, rag=rag), lead, now=utcnow())
        db.session.commit()
    traveller.move_to(PHOTOGRAPHED_AT.replace(hour=9))
    coordinator = Actor.for_user(find_contact_by_email(COORDINATOR[1]).user)
    for title, kind, status, day, organiser, attendance, objectives in EVENTS:
        record_event(coordinator, EventValues(
            title=title, kind=kind, status=status, starts_on=day.date(),
            organising_agency_id=db.session.scalar(select(Agency.id).filter_by(abbreviation=organiser)),
            attendance=attendance, objective_ids=tuple(objective_titled(t).id for t in objectives),
        ), today=today_in_london(), now=utcnow())
    db.session.commit()


def objective_titled(title: str) -> Objective:
    """The plan's objective with this title."""
    return db.session.scalars(select(Objective).filter_by(title=title)).one()


def serve_and_photograph(app, server) -> None:
    """Serve the app on loopback and photograph each page; the update form is opened from the lead's email."""
    base = app.config["BASE_URL"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    digest = db.session.scalars(select(OutboxMessage).filter_by(kind="reminder_digest", to_address=LEAD[1])).one()
    after_featured = digest.text_body[digest.text_body.index(f"\n{FEATURED}\n"):]
    update_link = next(word for word in after_featured.split() if "/update/" in word)
    featured = objective_titled(FEATURED).id
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
            photograph(page, f"/objectives/{featured}", "objective")
            photograph(page, f"/events/new?objective={featured}", "event-form")

            # The lead is not signed in: the emailed link is all they need.
            signed_out = browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London")
            photograph(signed_out.new_page(), update_link, "update-form")
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


def photograph(page, path: str, name: str) -> None:
    """Open a page and save the whole of it as docs/screenshots/<name>.png."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / f"{name}.png", full_page=True)
    print(f"  {name}.png: {page.title()}")


if __name__ == "__main__":
    main()
