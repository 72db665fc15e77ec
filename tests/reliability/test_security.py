"""Attacks tried: stored cross-site scripting in every field and imported cell (pages and emails), production
settings that would be unsafe, password hashing, login throttling across several web workers (two apps, and a
real gunicorn with two workers), and secrets in the logs."""

import io
import json
import logging
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

import pytest
from sqlalchemy import select
from support.edits import opened
from support.people import PASSWORD
from support.reliability import PYTHON, process_env, wait_for
from support.reminders import make_weekly_day
from test_role_matrix import MATRIX

from scp_tracker import create_app
from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.documents.services import import_plan
from scp_tracker.events.models import Event
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import deliver_due
from scp_tracker.people import logins, passwords
from scp_tracker.people.models import Agency, Contact, User
from scp_tracker.plans.models import FundingLine, KeyPriority, Objective, Plan, ProgressUpdate
from scp_tracker.plans.update_links import issue_update_tokens
from scp_tracker.reminders.services import run_reminders

PAYLOAD = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
RAW = ("<script>alert", "<img src=x")


def _plant_payload(world) -> None:
    """Script and HTML in every field people type or import."""
    p = world.params
    lead_objective = db.session.get(Objective, p["lead_objective"])
    other = db.session.get(Objective, p["other_objective"])
    for objective in (lead_objective, other):
        objective.title = f"Title {PAYLOAD}"
        objective.text = f"Text {PAYLOAD}"
        objective.source_html = f"<b>Source</b> {PAYLOAD}"
        objective.end_date_text, objective.lead_text = f"Apr 17 {PAYLOAD}"[:100], f"CBC {PAYLOAD}"
        objective.police_text, objective.pcc_text = f"3 {PAYLOAD}"[:100], f"2 {PAYLOAD}"[:100]
        objective.extra = {"Notes": PAYLOAD}
        objective.progress_updates.append(ProgressUpdate(text=f"Progress {PAYLOAD}", rag="amber",
                                                         recorded_at=utcnow(), author_name=f"Author {PAYLOAD}"))
    for line in db.session.scalars(select(FundingLine)):
        line.source, line.pot, line.text = "SCP<b>", f"pot {PAYLOAD}"[:100], f"£5 {PAYLOAD}"
    for kp in db.session.scalars(select(KeyPriority)):
        kp.title, kp.description, kp.heading = f"KP {PAYLOAD}", f"Description {PAYLOAD}", f"Heading {PAYLOAD}"
    for plan in db.session.scalars(select(Plan)):
        plan.title, plan.description, plan.notes = f"Plan {PAYLOAD}", f"About {PAYLOAD}", [f"Note {PAYLOAD}"]
    for agency in db.session.scalars(select(Agency)):
        agency.name = f"{agency.abbreviation} {PAYLOAD}"
    for contact in db.session.scalars(select(Contact)):
        contact.name, contact.job_title, contact.phone = f"{contact.name} {PAYLOAD}", f"Job {PAYLOAD}", "<b>01206</b>"
    for event in db.session.scalars(select(Event)):
        event.title, event.place, event.audience = f"Event {PAYLOAD}", f"Place {PAYLOAD}", f"Pupils {PAYLOAD}"
        event.outcome, event.evaluation = f"Outcome {PAYLOAD}\nline two", f"Evaluation {PAYLOAD}"
    db.session.add(ChangeRecord(entity="objective", entity_id=other.id, objective_id=other.id, field="title",
                                before="Old", after=f"New {PAYLOAD}", actor_name=f"Actor {PAYLOAD}"))
    message = db.session.get(OutboxMessage, p["outbox_message"])
    message.subject, message.last_error, message.status = f"Subject {PAYLOAD}", f"550 {PAYLOAD}", "failed"
    message.text_body, message.html_body = f"Text {PAYLOAD}", f"<p onclick=alert(1)>HTML</p>{PAYLOAD}"
    db.session.commit()
    # Imported cells: a spreadsheet with the payload in every column, into the same plan year.
    header = ["OBJECTIVE", "PROGRESS / OUTPUT", "FUNDING", "PROJECT LEAD / AGENCY", "END DATE", "POLICE PRIORITY",
              "PCC PRIORITY", "RAG", "Notes"]
    cells = [f"<b>Imported</b> {PAYLOAD}", f"Imported progress {PAYLOAD}", f"£5,000 SCP {PAYLOAD}",
             f"EP / {PAYLOAD}"[:70], f"Apr 17 {PAYLOAD}"[:90], f"3 {PAYLOAD}"[:90], f"2 {PAYLOAD}"[:90], PAYLOAD,
             PAYLOAD]
    content = "\r\n".join([",".join(header), ",".join(json.dumps(cell) for cell in cells)]).encode()
    import_plan(content, "plan-2016-17.csv", actor=Actor(name=f"Import {PAYLOAD}", source="import"),
                as_of=date(2016, 9, 1))
    db.session.commit()


def _assert_escaped(text: str, where: str) -> None:
    for raw in RAW:
        assert raw not in text, f"unescaped {raw!r} in {where}"


def test_script_in_every_field_and_imported_cell_is_shown_escaped_everywhere(app, world, client_as, smtp_server):
    _plant_payload(world)
    pages = 0
    for rule in (r for r in app.url_map.iter_rules() if "GET" in r.methods):
        for entry in MATRIX[rule.rule]:
            if not entry.get:
                continue
            values = {name: world.params[value] for name, value in entry.params.items()}
            path = rule.build({**(rule.defaults or {}), **values})[1]
            for role in ("coordinator", "lead"):  # everything there is to see, and a lead's own pages
                response = client_as(role).get(path)
                if response.mimetype == "text/html":
                    _assert_escaped(response.get_data(as_text=True), f"GET {path} as {role}")
                    pages += 1
                response.close()
    objective_page = client_as("coordinator").get(f"/objectives/{world.params['other_objective']}")
    assert "&lt;script&gt;alert" in objective_page.get_data(as_text=True)
    printable = client_as("coordinator").get("/export/html").get_data(as_text=True)
    _assert_escaped(printable, "the printable plan")
    assert pages > 100

    # Emails: reminders, a request for an update, an invitation, a password reset.
    now = utcnow()
    make_weekly_day(db, today_in_london(now))
    run_reminders(today_in_london(now), now=now, force=True)
    client_as("coordinator").post("/chasing", data={"objectives": [str(world.params["lead_objective"])]})
    logins.invite(Actor(name=f"Cora {PAYLOAD}"), name=f"Newcomer {PAYLOAD}", email="new@example.org",
                           agency=db.session.get(Agency, world.params["spare_agency"]), roles=["lead"], now=now)
    passwords.request_password_reset("partner@example.org", now=now)
    db.session.commit()
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.key != "world:queued")).all()
    assert {m.kind for m in messages} >= {"reminder_digest", "reminder_summary", "update_request", "invitation",
                                          "password_reset"}
    for message in messages:
        _assert_escaped(message.html_body or "", f"the HTML of the {message.kind} email to {message.to_address}")
    deliver_due(now)
    for received in smtp_server.received:
        html = received.message.get_body(("html",))
        if html is not None:
            _assert_escaped(html.get_content(), f"the delivered email to {received.rcpt_tos}")


# --- production settings -------------------------------------------------------------------------

@pytest.fixture
def clean_environment(monkeypatch):
    """No SCP_ variables from the machine running the tests."""
    import os

    for name in [name for name in os.environ if name.startswith("SCP_")]:
        monkeypatch.delenv(name)
    return monkeypatch


PRODUCTION = {"SCP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://",
              "BASE_URL": "https://scp-tracker.example.org"}
SECRET = "0f6b5c1e9a2d47c38e1f5a6b7c8d9e0fa1b2c3d4e5f60718293a4b5c6d7e8f90"  # as secrets.token_hex(32) makes


def test_production_refuses_to_start_without_a_real_secret_or_with_insecure_cookies(clean_environment):
    with pytest.raises(RuntimeError, match="SCP_SECRET_KEY is not set"):
        create_app(PRODUCTION)
    with pytest.raises(RuntimeError, match="SCP_SECRET_KEY is too weak"):
        create_app({**PRODUCTION, "SECRET_KEY": "changeme"})
    clean_environment.setenv("SCP_SECRET_KEY", SECRET)
    for setting in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        with pytest.raises(RuntimeError, match=f"{setting} is off"):
            create_app({**PRODUCTION, setting: False})
    clean_environment.setenv("SCP_SESSION_COOKIE_SECURE", "false")
    with pytest.raises(RuntimeError, match="SESSION_COOKIE_SECURE is off"):
        create_app(PRODUCTION)


def test_production_cookies_are_secure_http_only_and_same_site(clean_environment):
    clean_environment.setenv("SCP_SECRET_KEY", SECRET)
    app = create_app(PRODUCTION)
    assert app.config["SECRET_KEY"] == SECRET and not app.debug and not app.testing
    with app.test_request_context():
        from flask import session

        session["seen"] = True
        response = app.make_response("ok")
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_HTTPONLY"]


# --- passwords -------------------------------------------------------------------------------------

def test_passwords_are_hashed_with_werkzeugs_default_scrypt(users_by_role, client_as, db):
    partner = users_by_role["partner"]
    _, raw = passwords.issue_token(partner, "reset", now=utcnow())
    db.session.commit()
    response = client_as("anonymous").post(f"/reset-password/{raw}", data={
        "password": "a new long passphrase", "confirm": "a new long passphrase"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, partner.id).password_hash
    assert stored.startswith("scrypt:") and "a new long passphrase" not in stored
    response = client_as("lead").post("/account/password", data={
        "current_password": PASSWORD, "password": "another long passphrase",
        "confirm": "another long passphrase"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, users_by_role["lead"].id).password_hash.startswith("scrypt:")


# --- login throttling across workers --------------------------------------------------------------

def _sign_in(client, email: str, password: str) -> int:
    return client.post("/sign-in", data={"email": email, "password": password}).status_code


def test_login_throttling_holds_across_two_app_instances(app, users_by_role, database_url):
    """Two apps on one database are two web workers: failures counted by one stop sign-in on the other."""
    other = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False})
    clients = [app.test_client(), other.test_client()]
    for attempt in range(5):
        assert _sign_in(clients[attempt % 2], "lead@example.org", "wrong password") == 200
    for client in clients:
        assert _sign_in(client, "lead@example.org", PASSWORD) == 429  # even the right password, for now
    with other.app_context():
        db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(url: str, data: dict) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_login_throttling_holds_across_two_gunicorn_workers(users_by_role, database_url, start_process, tmp_path):
    port = _free_port()
    server = start_process(
        [PYTHON, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--access-logfile", "-",
         "--access-logformat", "worker=%(p)s %(m)s %(U)s %(s)s", "wsgi:app"],
        process_env(database_url, SCP_WTF_CSRF_ENABLED="false"), "gunicorn")
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: b"ok" in _get(f"{url}/healthz"), 30, message="gunicorn to answer")
    failures = {"email": "viewer@example.org", "password": "wrong password"}
    right = {"email": "viewer@example.org", "password": PASSWORD}

    def in_pairs(form: dict, pairs: int) -> list[int]:
        """POST the form two at a time, so each worker takes one (a sync worker serves one request at once)."""
        statuses: list[int] = []
        for _ in range(pairs):
            pair = [threading.Thread(target=lambda: statuses.append(_post(f"{url}/sign-in", form))) for _ in range(2)]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join()
        return statuses

    def refusing_workers() -> set[str]:
        return {worker for worker, status in re.findall(r"worker=<?(\d+)>? POST /sign-in (\d+)", server.output())
                if status == "429"}

    assert set(in_pairs(failures, 3)) <= {200, 429}  # six failures, spread over the workers
    # Locked on every worker, even with the right password: each worker's memory has seen at most some of
    # the failures, so only the shared table can make both refuse. (Bounded: pairs until both have answered;
    # the kernel decides which worker accepts, and under load one may take ten pairs in a row.)
    for _ in range(60):
        assert in_pairs(right, 1) == [429, 429]
        if len(refusing_workers()) == 2:
            break
    server.stop()
    assert len(refusing_workers()) == 2, f"both workers refused sign-in: {server.output()}"


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read()
    except OSError:
        return b""


# --- secrets in the logs ---------------------------------------------------------------------------

def test_no_password_token_or_email_body_is_logged(world, client_as, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    anonymous = client_as("anonymous")
    _sign_in(anonymous, "lead@example.org", PASSWORD)
    _sign_in(client_as("anonymous"), "lead@example.org", "a wrong password guess")
    anonymous.post("/sign-in/forgotten", data={"email": "partner@example.org"})
    now = utcnow()
    make_weekly_day(db, today_in_london(now))
    run_reminders(today_in_london(now), now=now, force=True)
    db.session.commit()
    deliver_due(now)
    bodies = [m.text_body for m in db.session.scalars(select(OutboxMessage))]
    links = [link for body in bodies
             for link in re.findall(r"/(?:update|reset-password|preferences|your-objectives)/(\S+)", body)]
    assert any("/your-objectives/" in body for body in bodies)
    # Reminder emails link to "Your objectives"; an update link for one objective is still sent on request.
    lead = db.session.scalar(select(Contact).where(Contact.email == "lead@example.org"))
    update_link = issue_update_tokens([(lead.id, world.params["lead_objective"])], now)[
        (lead.id, world.params["lead_objective"])]
    links.append(update_link)
    db.session.commit()
    anonymous = client_as("anonymous")
    anonymous.post(f"/update/{update_link}",
                   data={"text": "Progress made", "rag": "green", **opened(anonymous, f"/update/{update_link}")})
    client_as("anonymous").post(f"/update/{update_link}", data={"text": "Again", "rag": "green"})  # used
    reset = next(link for body in bodies for link in re.findall(r"/reset-password/(\S+)", body))
    client_as("anonymous").post(f"/reset-password/{reset}", data={"password": "new passphrase here",
                                                                    "confirm": "new passphrase here"})
    # The test's own SMTP server (aiosmtpd, logger "mail.log") logs what it receives: it is not the app.
    logged = "\n".join(record.getMessage() for record in caplog.records if not record.name.startswith("mail.log"))
    assert logged, "the journeys were logged at DEBUG"
    for secret in (PASSWORD, "a wrong password guess", "new passphrase here", *links, *world.params.values()):
        if isinstance(secret, str) and len(secret) > 12:
            assert secret not in logged, f"{secret[:16]}… is in the logs"
    for body in bodies:
        for line in body.splitlines():
            if len(line) > 40:
                assert line not in logged, f"an email body line is in the logs: {line}"


# --- spreadsheets exported from what people typed -------------------------------------------------

def test_exported_spreadsheets_never_run_typed_text_as_a_formula(world, client_as, db, tmp_path, runner):
    """A title typed as =HYPERLINK(…) stays text in the CSV and XLSX exports; a control character pasted into a
    field does not stop the workbook being made; and the CSV's titles read back as they were typed."""
    objective = db.session.get(Objective, world.params["other_objective"])
    objective.title, objective.text = '=HYPERLINK("http://evil.example","Click")', "Pasted\x01text\x0bhere"
    objective.progress_updates.append(ProgressUpdate(text="+44 1206 000000", rag="green", recorded_at=utcnow()))
    db.session.commit()
    client = client_as("viewer")
    xlsx = client.get("/export/xlsx")
    assert xlsx.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data))["Objectives"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "no formula in the workbook"
    assert '=HYPERLINK("http://evil.example","Click")' in [cell.value for cell in cells]
    csv_text = client.get("/export/csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text and "'+44 1206" in csv_text
    exported = tmp_path / "plan-2016-17.csv"
    exported.write_text(csv_text, encoding="utf-8")
    result = runner.invoke(args=["import-plan", str(exported), "--as-of", "2016-09-01", "--dry-run"])
    assert result.exit_code == 0 and "0 created" in result.output, result.output  # matched by title
    assert "'=HYPERLINK" not in result.output
