"""Settings for a real deployment: secure cookies and a real secret, or no start."""

from datetime import timedelta

from config.base import BaseConfig


class ProductionConfig(BaseConfig):
    """Refuses to start without SCP_SECRET_KEY (checked in the app factory)."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_DURATION = timedelta(days=7)
    PREFERRED_URL_SCHEME = "https"
    BEHIND_PROXY = True
    REQUIRE_REAL_SECRET = True
