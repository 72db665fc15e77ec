"""Settings for a real deployment: HTTPS, secure cookies and a real secret, or no start (config.checks)."""

from datetime import timedelta

from config.base import BaseConfig


class ProductionConfig(BaseConfig):
    """Refuses to start without a strong SCP_SECRET_KEY, an https:// SCP_BASE_URL, with DEBUG (config.checks)."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = timedelta(days=7)
    PREFERRED_URL_SCHEME = "https"
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
    REQUIRE_REAL_SECRET = True
