"""Settings for the test suite."""

import os

from config.base import BaseConfig


class TestingConfig(BaseConfig):
    """No scheduler, no real mail server unless a test starts one; the database comes from SCP_TEST_DATABASE_URL."""

    TESTING = True
    SECRET_KEY = "testing-only-not-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("SCP_TEST_DATABASE_URL")
    SCHEDULER = "off"
    MAIL_SUPPRESS_SEND = False
    MAIL_PORT = 1  # nothing listens: a test that sends must start its own SMTP server
    MAIL_TIMEOUT_SECONDS = 5
