"""The pages every public service has (accessibility, privacy, cookies), a health check, and error pages."""

import math
from datetime import date

from flask import Blueprint, Flask, Response, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from scp_tracker.extensions import db, login_manager

bp = Blueprint("site", __name__)

# When the accessibility statement was written and the service last checked; update on each review.
STATEMENT_PREPARED_ON = date(2026, 11, 27)
STATEMENT_REVIEWED_ON = date(2026, 11, 27)

# How long people are told to wait when they are throttled, unless the throttle says otherwise.
DEFAULT_WAIT_MINUTES = 15
# When a browser or a client should try again after the database was locked or unreachable.
DATABASE_RETRY_SECONDS = 60


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 require."""
    return render_template(
        "site/accessibility.html",
        prepared_on=STATEMENT_PREPARED_ON,
        reviewed_on=STATEMENT_REVIEWED_ON,
    )


@bp.get("/privacy")
def privacy():
    """The privacy notice: what the service keeps about people, why, for how long, and whom to ask."""
    return render_template(
        "site/privacy.html", dpo_email=current_app.config.get("DATA_PROTECTION_OFFICER_EMAIL")
    )


@bp.get("/cookies")
def cookies():
    """The cookies page: essential cookies only, so there is no cookie banner."""
    config = current_app.config
    return render_template(
        "site/cookies.html",
        session_cookie=config["SESSION_COOKIE_NAME"],
        session_hours=int(config["PERMANENT_SESSION_LIFETIME"].total_seconds() // 3600),
        remember_cookie=config.get("REMEMBER_COOKIE_NAME", "remember_token"),
        remember_days=config["REMEMBER_COOKIE_DURATION"].days,
    )


@bp.get("/healthz")
def healthz():
    """A cheap answer for load balancers and benchmarks: the app is up (the database is not asked)."""
    return Response("ok", mimetype="text/plain", headers={"Cache-Control": "no-store"})


# status: (template, whether the page must avoid the database: no signed-in navigation, no banners)
ERROR_PAGES = {
    400: ("errors/400.html", False),
    403: ("errors/403.html", False),
    404: ("errors/404.html", False),
    405: ("errors/405.html", False),
    413: ("errors/413.html", False),
    429: ("errors/429.html", False),
    500: ("errors/500.html", True),
    503: ("errors/503.html", True),
}


def register_error_pages(app: Flask) -> None:
    """Show a GOV.UK error page, with the right status, for each error people can meet."""
    for status in ERROR_PAGES:
        app.register_error_handler(status, error_page)
    app.register_error_handler(CSRFError, form_expired)
    app.register_error_handler(OperationalError, database_unavailable)


def error_page(error: HTTPException):
    """Render the page for an HTTP error, keeping headers such as Allow and Retry-After."""
    assert error.code is not None  # registered only for the status codes in ERROR_PAGES
    template, minimal = ERROR_PAGES[error.code]
    if minimal:
        _as_signed_out()
    context = {"error": error, "minimal_layout": minimal}
    if error.code == 413:
        context["max_megabytes"] = _max_upload_megabytes()
    if error.code == 429:
        context["wait_minutes"] = _wait_minutes(error)
    return render_template(template, **context), error.code, _passed_on_headers(error)


def form_expired(error: CSRFError):
    """A form sent with a missing or stale CSRF token: the usual cause is a form left open too long."""
    return render_template("errors/form_expired.html", error=error), 400, _passed_on_headers(error)


def database_unavailable(error: OperationalError):
    """The database stayed locked past the busy timeout, or cannot be reached: the 503 page, not a 500.

    Nothing was saved (the transaction is rolled back); the log names the route pattern, never the path,
    which may hold an emailed link's token.
    """
    db.session.rollback()
    _as_signed_out()
    rule = request.url_rule.rule if request.url_rule else "(no route)"
    current_app.logger.error("Database unavailable during %s %s: %s", request.method, rule, error.orig)
    return (render_template("errors/503.html", minimal_layout=True), 503,
            {"Retry-After": str(DATABASE_RETRY_SECONDS)})


def _as_signed_out() -> None:
    """Render without looking up the signed-in user: Flask-Login's template context would query the database,
    which may be why this page is shown."""
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()


def _passed_on_headers(error: HTTPException) -> list[tuple[str, str]]:
    """The error's own headers (Allow on 405, Retry-After on 429 and 503), without its content type."""
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def _max_upload_megabytes() -> int:
    """The largest upload the app accepts, in whole megabytes, for the 413 page."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return max(1, limit // (1024 * 1024))


def _wait_minutes(error: HTTPException) -> int:
    """How long to tell a throttled person to wait: the throttle's Retry-After, or 15 minutes."""
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, int | float) and retry_after > 0:
        return max(1, math.ceil(retry_after / 60))
    return DEFAULT_WAIT_MINUTES

