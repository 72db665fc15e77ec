"""The people blueprint, and its pages for signing in and out and for passwords; agency_views and user_views add the
agency, contact and login pages to it."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from scp_tracker.core.db_types import utcnow
from scp_tracker.core.history import Actor
from scp_tracker.core.inputs import arg_text
from scp_tracker.extensions import db
from scp_tracker.people import forms, passwords, services, sessions, signing_in
from scp_tracker.people.permissions import role_required

bp = Blueprint("people", __name__)


@bp.context_processor
def _password_rules() -> dict:
    """The password length rule, stated on every page where a password is chosen."""
    return {"min_password_length": passwords.MIN_PASSWORD_LENGTH}

SIGN_IN_FAILED = "Enter a correct email address and password"
SIGN_IN_WITH_YOUR_ORGANISATION = "Your agency signs in with your organisation's account, not a password: use its button"
LINK_PAGE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def _home() -> str:
    """Where people land after signing in when no page asked for it."""
    return request.script_root + "/"


def safe_next(target: str | None) -> str | None:
    """The page to go on to after signing in, only if it is on this site (never another host)."""
    if not target or any(ch in target for ch in "\\\r\n\t") or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc != request.host:
            return None
    path = parts.path
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


@bp.route("/sign-in", methods=["GET", "POST"])
def login():
    """Sign in with an email address and password; too many failures answer 429 without checking."""
    next_page = safe_next(arg_text("next"))
    if current_user.is_authenticated:
        return redirect(next_page or _home())
    form = forms.SignInForm()
    if form.validate_on_submit():
        result = signing_in.sign_in(form.email.data, form.password.data, ip=request.remote_addr, now=utcnow())
        if result.is_throttled:
            raise TooManyRequests(retry_after=int(signing_in.THROTTLE_WINDOW.total_seconds()))
        db.session.commit()
        if result.user:
            login_user(result.user, remember=form.remember.data)
            return redirect(next_page or _home())
        form.form_errors.append(SIGN_IN_WITH_YOUR_ORGANISATION if result.needs_single_sign_on else SIGN_IN_FAILED)
    return render_template("people/login.html", form=form)


@bp.post("/sign-out")
def logout():
    """Sign out, ending every session of this login: a copied session or remember-me cookie stops working too
    (the form carries a CSRF token, so no other site can sign people out)."""
    if current_user.is_authenticated:
        sessions.end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    flash("You have signed out", "success")
    return redirect(url_for("people.login"))


@bp.route("/sign-in/forgotten", methods=["GET", "POST"])
def forgotten_password():
    """Ask for a reset link; the answer is the same whether or not the address has a login."""
    form = forms.ForgottenPasswordForm()
    if form.validate_on_submit():
        passwords.request_password_reset(form.email.data, now=utcnow())
        db.session.commit()
        return render_template("people/reset_sent.html", email=form.email.data)
    return render_template("people/forgotten_password.html", form=form)


def _password_from_link(purpose: str, raw_token: str, template: str, done_message: str):
    """Show, and on POST use up, an emailed password link; looking at it changes nothing."""
    now = utcnow()
    if passwords.find_token(raw_token, purpose, now=now) is None:
        return render_template("people/link_expired.html", purpose=purpose), 410, LINK_PAGE_HEADERS
    form = forms.SetPasswordForm()
    if form.validate_on_submit():
        user = passwords.set_password_with_token(raw_token, purpose, form.password.data, now=now)
        if user is None:
            db.session.rollback()
            return render_template("people/link_expired.html", purpose=purpose), 410, LINK_PAGE_HEADERS
        db.session.commit()
        flash(done_message, "success")
        return redirect(url_for("people.login"))
    return render_template(template, form=form), 200, LINK_PAGE_HEADERS


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from an emailed reset link (single use, valid for an hour)."""
    return _password_from_link("reset", token, "people/reset_password.html",
                               "Your password has been changed. Sign in with your new password.")


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Choose a first password from an invitation link (single use, valid for 7 days)."""
    return _password_from_link("invite", token, "people/set_password.html",
                               "Your password has been set. Sign in to start.")


@bp.route("/account/password", methods=["GET", "POST"])
@role_required()
def change_password():
    """Change your password knowing the current one; every other session is signed out."""
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            passwords.change_password(user, current_password=form.current_password.data,
                                     new_password=form.password.data, now=utcnow())
        except services.PeopleError as error:
            form_error(form, error)
        else:
            db.session.commit()
            # The session id changed with the password: keep this browser signed in under the new one.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash("Your password has been changed. Any other devices have been signed out.", "success")
            return redirect(url_for("people.change_password"))
    return render_template("people/change_password.html", form=form)


def refused(form, error: services.PeopleError) -> None:
    """Keep nothing of a refused add or edit (a race lost on a unique key spoils the transaction), and say why."""
    db.session.rollback()
    form_error(form, error)


def form_error(form, error: services.PeopleError) -> None:
    """Show a service's error on its field, or for the whole form."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


def current_actor() -> Actor:
    """The signed-in user, as the history records them."""
    return Actor.for_user(current_user)
