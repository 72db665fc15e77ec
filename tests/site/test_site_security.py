"""Every response carries the security headers; the one inline script is allowed by a per-request nonce."""

import re

import pytest
from flask import Blueprint, Response

from scp_tracker.site.security import content_security_policy

own_headers = Blueprint("site_test_headers", __name__)


@own_headers.get("/test-headers/emailed-link")
def emailed_link():
    """Like a page opened from an emailed link, which must not leak its token in the Referer."""
    return Response("form", headers={"Referrer-Policy": "no-referrer"})


@pytest.fixture
def client(app):
    """A client on the test's app, with a test-only page that sets its own Referrer-Policy."""
    app.register_blueprint(own_headers)
    return app.test_client()


@pytest.mark.parametrize("path", ["/cookies", "/healthz", "/no-such-page", "/test-headers/emailed-link"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'",
                      "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in csp
    assert re.search(r"script-src 'self'( 'nonce-[\w-]+')?;", csp)
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_referrer_policy_defaults_but_a_view_can_choose_its_own(client):
    assert client.get("/cookies").headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert client.get("/test-headers/emailed-link").headers["Referrer-Policy"] == "no-referrer"


def test_inline_script_carries_the_nonce_the_policy_allows(client):
    first = client.get("/cookies")
    nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)'", first.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">document.body.className' in first.get_data(as_text=True)
    second = client.get("/cookies").headers["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" not in second


def test_every_inline_script_has_the_nonce(client):
    html = client.get("/cookies").get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "nonce=" in tag or "src=" in tag


def test_a_response_without_a_page_allows_no_inline_script(client):
    assert "nonce" not in client.get("/healthz").headers["Content-Security-Policy"]


def test_policy_text():
    assert content_security_policy(None) == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    assert "script-src 'self' 'nonce-abc';" in content_security_policy("abc")


def test_templates_rendered_outside_a_request_get_no_nonce(app):
    """Emails are rendered by jobs with no request; the layout's nonce must not get in their way."""
    from flask import render_template_string

    assert render_template_string("[{{ cspNonce }}]") == "[None]"
