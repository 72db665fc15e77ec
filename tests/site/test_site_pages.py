"""The pages every public service has render for anyone, and the health check stays cheap."""

import re

import pytest
from sqlalchemy import event

PAGES = [
    ("/accessibility", "Accessibility statement for SCP Tracker", "Accessibility statement – SCP Tracker"),
    ("/privacy", "Privacy notice", "Privacy notice – SCP Tracker"),
    ("/cookies", "Cookies", "Cookies – SCP Tracker"),
]


def h1(html: str) -> str:
    """The text of the page's main heading."""
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize(("path", "heading", "title"), PAGES)
def test_page_renders_for_anyone(client, path, heading, title):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert h1(html) == heading
    assert f"<title>{title}</title>" in html


def test_accessibility_statement_covers_what_the_regulations_ask(client):
    html = client.get("/accessibility").get_data(as_text=True)
    for words in ("WCAG", "2.2", "How we tested", "How accessible this service is",
                  "Reporting accessibility problems", "Enforcement procedure",
                  "Equality Advisory and Support Service", "This statement was prepared on 27 November 2026"):
        assert words in html


def test_privacy_notice_says_what_why_who_how_long_and_whom_to_ask(client, app):
    app.config["PRIVACY_CONTACT_EMAIL"] = "csp@colchester.example"
    html = client.get("/privacy").get_data(as_text=True)
    for words in ("names", "email", "phone number", "Crime and Disorder Act 1998", "public task",
                  "12 months after the person leaves", "6 years", "emails the service sent: deleted after 12 months",
                  "data protection officer", "csp@colchester.example", "Safer Colchester Partnership",
                  "Information Commissioner"):
        assert words in html


def test_privacy_notice_names_the_data_protection_officer_when_configured(client, app):
    app.config["DATA_PROTECTION_OFFICER_EMAIL"] = "dpo@council.example"
    assert 'href="mailto:dpo@council.example"' in client.get("/privacy").get_data(as_text=True)


def test_cookies_page_lists_the_essential_cookies_with_their_lifetimes(client, app):
    html = client.get("/cookies").get_data(as_text=True)
    assert app.config["SESSION_COOKIE_NAME"] in html
    assert "remember_token" in html
    assert f"{app.config['REMEMBER_COOKIE_DURATION'].days} days" in html
    assert "after 12 hours" in html
    assert "govuk-cookie-banner" not in html


def test_healthz_answers_ok_without_asking_the_database(client, db):
    statements = []

    def count(*args):
        """Note each SQL statement sent."""
        statements.append(args)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get("/healthz")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok"
    assert response.headers["Cache-Control"] == "no-store"
    assert statements == []
