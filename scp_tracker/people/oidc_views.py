"""Signing in through an organisation's account (OpenID Connect): the buttons' start and the provider's way back.

Routes of the people blueprint. Authlib does the protocol (scp_tracker.people.oidc_client); sso_accounts says who
the verified claims are. Every way it can fail ends on a page saying what happened and that the password sign-in
still works, never a 500.
"""

import logging
from functools import partial

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import abort, current_app, redirect, render_template, session, url_for
from flask_login import login_user
from joserfc.errors import JoseError
from sqlalchemy.exc import IntegrityError

from scp_tracker.core.db_types import utcnow
from scp_tracker.core.inputs import arg_text
from scp_tracker.extensions import db
from scp_tracker.people import oidc_client, sso_accounts
from scp_tracker.people.views import _home, bp, safe_next

log = logging.getLogger(__name__)

NEXT_KEY = "scp_oidc_next"
NO_STORE = {"Cache-Control": "no-store"}


@bp.context_processor
def _sign_in_providers() -> dict:
    """The providers whose buttons the sign-in page shows."""
    return {"oidc_providers": oidc_client.providers()}


def _provider_or_404(name: str):
    """A configured provider, or 404 for any other name."""
    found = oidc_client.provider(name)
    if found is None:
        abort(404)
    return found


def _callback_url(name: str) -> str:
    """The redirect URI registered at the provider: the public address (SCP_BASE_URL) and the callback's path."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("people.oidc_callback", provider=name)


def _problem(kind: str, provider, status: int):
    """The page for a sign-in that did not work, with the way back to the password form."""
    return render_template("people/sso_problem.html", kind=kind, provider=provider), status, NO_STORE


@bp.get("/sign-in/with/<provider>")
def oidc_start(provider: str):
    """Send the browser to the provider, with a fresh state, nonce and PKCE challenge kept in this session."""
    found = _provider_or_404(provider)
    session[NEXT_KEY] = safe_next(arg_text("next"))
    try:
        return oidc_client.client(found.name).authorize_redirect(_callback_url(found.name))
    except (requests.RequestException, ValueError) as error:  # no discovery document: down, or not a provider
        log.warning("OpenID provider %s is unavailable: %s", found.name, error)
        return _problem("unavailable", found, 503)


@bp.get("/sign-in/with/<provider>/callback")
def oidc_callback(provider: str):
    """Check the provider's answer (state, code, ID token) and sign the person in as the login it maps to."""
    found = _provider_or_404(provider)
    try:
        token = oidc_client.client(found.name).authorize_access_token()
    except MismatchingStateError:  # no such sign-in started in this browser, or its answer was used already
        return _problem("state", found, 400)
    except OAuthError as error:  # the provider said no (the person cancelled, or the code was refused)
        log.info("OpenID provider %s refused a sign-in: %s", found.name, error.error)
        return _problem("refused", found, 400)
    except JoseError as error:  # the ID token's signature, issuer, audience, expiry or nonce is wrong
        log.warning("An ID token from %s failed verification: %s", found.name, error)
        return _problem("token", found, 400)
    except (requests.RequestException, ValueError) as error:
        log.warning("OpenID provider %s is unavailable: %s", found.name, error)
        return _problem("unavailable", found, 503)
    claims = token.get("userinfo")
    if not claims:  # a token endpoint that sent no ID token proves nobody's identity
        return _problem("token", found, 400)
    sign_in = partial(sso_accounts.sign_in_with_claims, found.name, dict(claims), trusts_email=found.trusts_email)
    try:
        result = sign_in(now=utcnow())
    except IntegrityError:
        # Another first sign-in of the same person (a double click, two tabs) remembered the subject or made the
        # login a moment before: start again and find what it made.
        db.session.rollback()
        result = sign_in(now=utcnow())
    if result.user is None:
        db.session.rollback()
        return _problem(result.refusal or sso_accounts.UNKNOWN_PERSON, found, 403)
    db.session.commit()
    login_user(result.user)
    return redirect(session.pop(NEXT_KEY, None) or _home())
