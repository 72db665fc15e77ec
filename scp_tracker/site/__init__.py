"""Site: the GOV.UK layout, the pages every public service has, error pages and security headers."""

from flask import Flask

from scp_tracker.site import security
from scp_tracker.site.templating import configure_jinja
from scp_tracker.site.views import bp, register_error_pages


def register(app: Flask) -> None:
    """Wire the GOV.UK templates and filters, the site pages, the error pages and the security headers."""
    configure_jinja(app)
    app.register_blueprint(bp)
    register_error_pages(app)
    security.init_app(app)
