"""Emailed links: tokens stored as hashes, and absolute addresses for emails read outside the app."""

import hashlib

from flask import current_app


def hash_token(raw: str) -> str:
    """The sha256 of a token, as stored (a database leak then gives no working links)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def absolute_url(path: str) -> str:
    """A link for an email, from the configured address of the site (emails are read outside the app)."""
    return current_app.config["BASE_URL"].rstrip("/") + path
