"""Security headers on every response, and the per-request nonce the one inline script needs."""

import secrets

from flask import Flask, Response, current_app, has_request_context, request

# Only the app's own assets; the nonce is added to script-src when a page used one.
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


NONCE_KEY = "scp_tracker.csp_nonce"


def csp_nonce() -> str | None:
    """This request's nonce, made on first use; None outside a request (an email rendered by a job).

    GOV.UK Frontend's page template sets `js-enabled` on the body with an inline script that
    carries this nonce (govuk-frontend-jinja's `cspNonce`). It is kept on the request, not on `g`,
    because `g` belongs to the app context, which can outlive one request (tests keep one open).
    """
    if not has_request_context():
        return None
    if NONCE_KEY not in request.environ:
        request.environ[NONCE_KEY] = secrets.token_urlsafe(16)
    return request.environ[NONCE_KEY]


def content_security_policy(nonce: str | None) -> str:
    """The Content-Security-Policy header value, allowing the nonce's inline script if there is one."""
    directives = dict(CSP_DIRECTIVES)
    if nonce:
        directives["script-src"] += f" 'nonce-{nonce}'"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_security_headers(response: Response) -> Response:
    """Add the headers, leaving any a view set itself (e.g. `no-referrer` on emailed-link pages)."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy(request.environ.get(NONCE_KEY)))
    for name, value in FIXED_HEADERS.items():
        response.headers.setdefault(name, value)
    hsts = current_app.config.get("STRICT_TRANSPORT_SECURITY")
    if hsts:  # production only: a browser that saw it refuses plain HTTP to the site for a year
        response.headers.setdefault("Strict-Transport-Security", hsts)
    return response


def init_app(app: Flask) -> None:
    """Hook the headers and the nonce into the app."""
    app.after_request(add_security_headers)
    app.context_processor(_nonce_context)


def _nonce_context() -> dict:
    """Give templates `cspNonce`, the name govuk-frontend-jinja's page template reads."""
    return {"cspNonce": csp_nonce()}
