"""An import's cost grows with its rows and with the people it tells, never with their product squared.

Counted, not timed: emails drawn, notification lines drawn, SQL statements run, at two sizes.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import template_rendered
from sqlalchemy import func, select

from scp_tracker.core.history import Actor
from scp_tracker.documents.services import import_plan
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.models import Notification

ACTOR = Actor(name="Import of plan.txt", source="import")
HEADER = "OBJECTIVE\tPROGRESS / OUTPUT\tFUNDING\tPROJECT LEAD / AGENCY\tEND DATE\tPOLICE PRIORITY\tPCC PRIORITY"


def plan_text(year: int, rows: int, agency: str) -> bytes:
    """A plan for the year starting in April `year` whose `rows` objectives are all led by `agency`."""
    lines = [f"SCP ANNUAL PARTNERSHIP PLAN {year}-{year + 1}", "",
             f"KEY PRIORITY 1: To protect vulnerable people (Lead: {agency})", "", HEADER]
    lines += [f"<b>Objective {agency} {n}</b> the rest\t\t£5,000 SCP\t{agency}\tMay 17\t\t" for n in range(rows)]
    return "\n".join(lines).encode()


@dataclass
class Cost:
    """What an import cost."""

    emails_drawn: int  # notification emails rendered (text part)
    lines_drawn: int  # notifications drawn into those emails, counted over every rendering
    statements: int


@contextmanager
def _counting(app, db):
    seen = {"emails": 0, "lines": 0, "statements": []}

    def rendered(sender, template, context, **extra):
        if template.name == "emails/notification_email.txt":
            seen["emails"] += 1
            seen["lines"] += len(context["notifications"])

    def statement(conn, cursor, text, parameters, context, executemany):
        seen["statements"].append(text)

    from sqlalchemy import event

    template_rendered.connect(rendered, app)
    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        yield seen
    finally:
        template_rendered.disconnect(rendered, app)
        event.remove(db.engine, "before_cursor_execute", statement)


def _import(app, db, make_agency, make_contact, *, year: int, rows: int, people: int) -> Cost:
    """Import `rows` new objectives led by a new agency with `people` contacts, each told at once by email."""
    agency = make_agency(f"AG{year}")
    for n in range(people):
        make_contact(agency, f"Person {year} {n}", f"person{year}.{n}@example.org")
    db.session.commit()
    with _counting(app, db) as seen:
        import_plan(plan_text(year, rows, agency.abbreviation), "plan.txt", actor=ACTOR, as_of=date(year, 4, 1))
        db.session.commit()
    return Cost(seen["emails"], seen["lines"], len(seen["statements"]))


def test_an_import_draws_each_email_once_however_many_rows_and_people(app, db, make_agency, make_contact):
    small = _import(app, db, make_agency, make_contact, year=2016, rows=6, people=2)
    more_rows = _import(app, db, make_agency, make_contact, year=2017, rows=12, people=2)
    more_people = _import(app, db, make_agency, make_contact, year=2018, rows=6, people=4)

    # One email per person, each notification drawn into it once: before, each person's email was drawn
    # again for every row, with every row so far (rows² lines per person).
    assert (small.emails_drawn, small.lines_drawn) == (2, 6 * 2)
    assert (more_rows.emails_drawn, more_rows.lines_drawn) == (2, 12 * 2)
    assert (more_people.emails_drawn, more_people.lines_drawn) == (4, 6 * 4)
    # Statements grow at most in proportion (a fixed part, then a part per row and per person told).
    assert more_rows.statements <= 2 * small.statements
    assert more_people.statements <= 2 * small.statements
    assert more_rows.statements - small.statements < small.statements
    # Everyone was told, each in one email.
    assert db.session.scalar(select(func.count(Notification.id))) == 6 * 2 + 12 * 2 + 6 * 4
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2 + 2 + 4
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "person2017.0@example.org"))
    assert email.text_body.count("You are now a lead of") == 12
