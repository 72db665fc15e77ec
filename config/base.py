"""Settings shared by every environment."""

from datetime import timedelta


class BaseConfig:
    """Defaults: SQLite in the instance folder, mail to a local server, scheduler off."""

    SECRET_KEY: str | None = None
    # None means "an absolute SQLite path in the instance folder", filled in by the app factory
    # (a relative sqlite:/// URL means different folders to Flask-SQLAlchemy and to other tools).
    SQLALCHEMY_DATABASE_URI: str | None = None
    # hide_parameters: a failed statement's error (logged by Flask and APScheduler) must not carry its
    # values, such as an email body with its update links, or a token.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    BASE_URL = "http://127.0.0.1:5000"
    TIMEZONE = "Europe/London"
    PARTNERSHIP_NAME = "Safer Colchester Partnership"
    SERVICE_NAME = "SCP Tracker"

    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "SCP Tracker <scp-tracker@localhost>"
    MAIL_REPLY_TO: str | None = None
    MAIL_TIMEOUT_SECONDS = 30
    # Flask-Mail reads this once, defaulting to TESTING: set it explicitly everywhere.
    MAIL_SUPPRESS_SEND = False

    # Aggregates worth keeping between requests (scp_tracker.core.figures), per process; keyed on the data version.
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 24 * 60 * 60
    CACHE_THRESHOLD = 200

    SCHEDULER = "off"  # "embedded" runs the jobs inside the one-machine dev server

    WTF_CSRF_ENABLED = True
    # Forms do not expire by the clock (WCAG 2.2.1): a lead may take an hour over an update.
    # The token is still bound to the session, which ends after PERMANENT_SESSION_LIFETIME.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # How much of a plan file an import reads (a real plan has tens of rows); beyond these it is refused.
    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    IMPORT_MAX_ROWS = 5_000
    IMPORT_MAX_CELLS = 200_000
    IMPORT_MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # a workbook's parts, unpacked (zip bombs)
    IMPORT_MAX_JSON_DEPTH = 32  # a plan export nests six deep
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    # Reverse proxies whose X-Forwarded-For/-Proto/-Host are believed: comma-separated addresses or CIDR networks
    # of the immediate peer (REMOTE_ADDR). Empty trusts nobody, so a client cannot choose its own address.
    TRUSTED_PROXIES = ""
    # The Strict-Transport-Security header, or None for none (only production serves HTTPS only).
    STRICT_TRANSPORT_SECURITY: str | None = None

    TESTING = False
    DEBUG = False
