"""Each error people can meet gives a GOV.UK error page with the right status and what to do next."""

import pytest
from flask import Blueprint, abort, request
from werkzeug.exceptions import TooManyRequests

faults = Blueprint("site_test_faults", __name__)


@faults.get("/test-faults/<int:status>")
def fail_with(status):
    """Fail with the given HTTP status."""
    abort(status)


@faults.get("/test-faults/crash")
def crash():
    """Fail with an unexpected exception."""
    raise RuntimeError("secret detail of a crash")


@faults.get("/test-faults/throttled")
def throttled():
    """Refuse as a throttle would, saying when to come back."""
    raise TooManyRequests(retry_after=120)


@faults.post("/test-faults/form")
def form():
    """Accept a form, so CSRF and size limits apply."""
    return f"got {len(request.form)} fields"


@pytest.fixture
def client(app):
    """A client on the test's app, with routes that fail on purpose (test-only, never in production)."""
    app.register_blueprint(faults)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # TESTING re-raises; production shows the 500 page
    return app.test_client()


@pytest.mark.parametrize(("status", "heading", "advice"), [
    (400, "Sorry, there is a problem with your request", "Go back, refresh the page and try again."),
    (403, "You do not have permission to view this page", "email the partnership's coordinator"),
    (404, "Page not found", "If you typed the web address, check it is correct."),
    (413, "The file is too big", "Go back and choose a smaller file."),
    (429, "Too many attempts", "wait 15 minutes and try again"),
    (500, "Sorry, there is a problem with the service", "Try again later."),
    (503, "Sorry, the service is unavailable", "Try again in a few minutes."),
])
def test_error_page_says_what_happened_and_what_to_do(client, status, heading, advice):
    response = client.get(f"/test-faults/{status}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert f"<title>{heading} – SCP Tracker</title>" in html
    assert advice in html
    assert "community.safety@example.org" in html or status == 413


def test_unknown_address_is_page_not_found(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_crash_shows_the_500_page_and_never_the_stack_trace(client):
    response = client.get("/test-faults/crash")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html
    assert "secret detail" not in html
    assert "RuntimeError" not in html


def test_500_and_503_pages_do_not_look_up_the_signed_in_user(client, make_user, login):
    """The database may be why the page failed: these pages show no signed-in navigation."""
    user = make_user(role="coordinator")
    login(user, on_client=client)
    for path in ("/test-faults/crash", "/test-faults/503"):
        html = client.get(path).get_data(as_text=True)
        assert "Sign out" not in html
        assert "govuk-service-navigation__item" not in html


def test_wrong_method_is_405_with_allow_header(client):
    response = client.post("/cookies")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Sorry, you cannot do that on this page" in response.get_data(as_text=True)


def test_upload_too_large_is_413_with_the_limit(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = client.post("/test-faults/form", data={"big": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The file is too big" in html
    assert "smaller than 1MB" in html


def test_throttled_page_uses_the_throttles_wait_and_passes_retry_after_on(client):
    response = client.get("/test-faults/throttled")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "120"
    assert "wait 2 minutes and try again" in response.get_data(as_text=True)


def test_form_sent_without_a_valid_csrf_token_is_400_form_expired(client, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/test-faults/form", data={"name": "x"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Your form expired</h1>' in html
    assert "Go back, refresh the page and try again." in html


def test_error_pages_keep_the_layout_and_footer(client):
    html = client.get("/no-such-page").get_data(as_text=True)
    assert 'href="/accessibility"' in html
    assert 'href="/static/css/main.css"' in html


def test_500_page_has_no_empty_navigation(client):
    html = client.get("/test-faults/crash").get_data(as_text=True)
    assert "<nav" not in html
