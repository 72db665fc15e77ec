"""Settings for the README's run command: one machine, SQLite, a local SMTP sink."""

from config.base import BaseConfig


class DevelopmentConfig(BaseConfig):
    """A fixed, public secret is acceptable here because nothing real is stored."""

    SECRET_KEY = "development-only-not-secret"
    SCHEDULER = "embedded"
    DEBUG = False
