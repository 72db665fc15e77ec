"""Pages for signing in, passwords, agencies, contacts and logins: thin views over people.services."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.exceptions import TooManyRequests

from scp_tracker.core.db_types import utcnow
from scp_tracker.core.edits import EditGuard
from scp_tracker.core.history import Actor
from scp_tracker.core.inputs import arg_int, arg_text
from scp_tracker.extensions import db
from scp_tracker.people import forms, services
from scp_tracker.people.models import Agency, Contact, User
from scp_tracker.people.permissions import can_manage, role_required

bp = Blueprint("people", __name__)


@bp.context_processor
def _password_rules() -> dict:
    """The password length rule, stated on every page where a password is chosen."""
    return {"min_password_length": services.MIN_PASSWORD_LENGTH}

SIGN_IN_FAILED = "Enter a correct email address and password"
LINK_PAGE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


# --- signing in and out -----------------------------------------------------------------------

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
        result = services.sign_in(form.email.data, form.password.data, ip=request.remote_addr, now=utcnow())
        if result.is_throttled:
            raise TooManyRequests(retry_after=int(services.THROTTLE_WINDOW.total_seconds()))
        db.session.commit()
        if result.user:
            login_user(result.user, remember=form.remember.data)
            return redirect(next_page or _home())
        form.form_errors.append(SIGN_IN_FAILED)
    return render_template("people/login.html", form=form)


@bp.post("/sign-out")
def logout():
    """Sign out, ending every session of this login: a copied session or remember-me cookie stops working too
    (the form carries a CSRF token, so no other site can sign people out)."""
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    flash("You have signed out", "success")
    return redirect(url_for("people.login"))


@bp.route("/sign-in/forgotten", methods=["GET", "POST"])
def forgotten_password():
    """Ask for a reset link; the answer is the same whether or not the address has a login."""
    form = forms.ForgottenPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, now=utcnow())
        db.session.commit()
        return render_template("people/reset_sent.html", email=form.email.data)
    return render_template("people/forgotten_password.html", form=form)


def _password_from_link(purpose: str, raw_token: str, template: str, done_message: str):
    """Show, and on POST use up, an emailed password link; looking at it changes nothing."""
    now = utcnow()
    if services.find_token(raw_token, purpose, now=now) is None:
        return render_template("people/link_expired.html", purpose=purpose), 410, LINK_PAGE_HEADERS
    form = forms.SetPasswordForm()
    if form.validate_on_submit():
        user = services.set_password_with_token(raw_token, purpose, form.password.data, now=now)
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
            services.change_password(user, current_password=form.current_password.data,
                                     new_password=form.password.data, now=utcnow())
        except services.PeopleError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            # The session id changed with the password: keep this browser signed in under the new one.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash("Your password has been changed. Any other devices have been signed out.", "success")
            return redirect(url_for("people.change_password"))
    return render_template("people/change_password.html", form=form)


def _refused(form, error: services.PeopleError) -> None:
    """Keep nothing of a refused add or edit (a race lost on a unique key spoils the transaction), and say why."""
    db.session.rollback()
    _form_error(form, error)


def _form_error(form, error: services.PeopleError) -> None:
    """Show a service's error on its field, or for the whole form."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _actor() -> Actor:
    """The signed-in user, as the history records them."""
    return Actor.for_user(current_user)


# --- agencies ---------------------------------------------------------------------------------

@bp.get("/agencies")
@role_required()
def agencies():
    """Every agency with how many active contacts it has."""
    counts = dict(db.session.execute(
        select(Contact.agency_id, func.count()).where(Contact.is_active.is_(True)).group_by(Contact.agency_id)
    ).all())
    return render_template("people/agencies.html", agencies=services.agencies(), counts=counts,
                           can_manage=can_manage(current_user))


@bp.get("/agencies/<int:agency_id>")
@role_required()
def agency(agency_id: int):
    """One agency and its contacts."""
    found = db.get_or_404(Agency, agency_id)
    return render_template("people/agency.html", agency=found, contacts=services.contacts(agency_id=found.id),
                           can_manage=can_manage(current_user))


@bp.route("/agencies/add", methods=["GET", "POST"])
@role_required("coordinator")
def agency_add():
    """Add an agency."""
    form = forms.AgencyForm()
    if form.validate_on_submit():
        try:
            added = services.add_agency(_actor(), abbreviation=form.abbreviation.data, name=form.name.data)
        except services.PeopleError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(f"{added.abbreviation} has been added", "success")
            return redirect(url_for("people.agency", agency_id=added.id))
    return render_template("people/agency_form.html", form=form, agency=None)


@bp.route("/agencies/<int:agency_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def agency_edit(agency_id: int):
    """Change an agency's abbreviation or name."""
    found = db.get_or_404(Agency, agency_id)
    form = forms.AgencyForm(obj=found)
    edit_guard = EditGuard(form, version=lambda: found.version, model=Agency, record_id=found.id,
                           shown=lambda: {"abbreviation": found.abbreviation, "name": found.name})
    if form.validate_on_submit():
        try:
            edit_guard.save(lambda: services.update_agency(_actor(), found, abbreviation=form.abbreviation.data,
                                                           name=form.name.data))
        except services.PeopleError as error:
            _refused(form, error)
        else:
            if not edit_guard.conflict:
                flash(f"{found.abbreviation} has been saved", "success")
                return redirect(url_for("people.agency", agency_id=found.id))
    return render_template("people/agency_form.html", form=form, agency=found,
                           conflict=edit_guard.conflict), edit_guard.status


@bp.post("/agencies/<int:agency_id>/deactivate")
@role_required("coordinator")
def agency_deactivate(agency_id: int):
    """Mark an agency as no longer in the partnership (its history and objectives stay)."""
    return _set_agency_active(agency_id, False, "{} has been deactivated")


@bp.post("/agencies/<int:agency_id>/reactivate")
@role_required("coordinator")
def agency_reactivate(agency_id: int):
    """Bring a deactivated agency back."""
    return _set_agency_active(agency_id, True, "{} has been reactivated")


def _set_agency_active(agency_id: int, is_active: bool, message: str):
    """Deactivate or reactivate an agency, then show it."""
    found = db.get_or_404(Agency, agency_id)
    services.set_agency_active(_actor(), found, is_active)
    db.session.commit()
    flash(message.format(found.abbreviation), "success")
    return redirect(url_for("people.agency", agency_id=found.id))


# --- contacts ---------------------------------------------------------------------------------

@bp.get("/contacts")
@role_required()
def contacts():
    """Every contact with their agency and email address."""
    return render_template("people/contacts.html", contacts=services.contacts(),
                           can_manage=can_manage(current_user))


def _agency_choices(form, current: Agency | None = None) -> None:
    """Active agencies to choose from, plus the contact's own even if it has been deactivated."""
    choices = services.agencies(include_inactive=False)
    if current is not None and current not in choices:
        choices.append(current)
    form.agency_id.choices = forms.agency_choices(choices)


def _contact_values(form) -> dict:
    """The service's keyword arguments from a contact form."""
    agency_found = db.session.get(Agency, form.agency_id.data)
    if agency_found is None:
        abort(400)
    return {
        "name": form.name.data, "email": form.email.data, "agency": agency_found,
        "phone": form.phone.data, "job_title": form.job_title.data,
        "receives_reminders": form.receives_reminders.data == "yes",
    }


@bp.route("/contacts/add", methods=["GET", "POST"])
@role_required("coordinator")
def contact_add():
    """Add a contact at an agency (the agency page passes ?agency_id= to choose it)."""
    form = forms.ContactForm()
    _agency_choices(form)
    if request.method == "GET" and arg_int("agency_id"):
        form.agency_id.data = arg_int("agency_id")
    if form.validate_on_submit():
        try:
            added = services.add_contact(_actor(), **_contact_values(form))
        except services.PeopleError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(f"{added.name} has been added to {added.agency.abbreviation}", "success")
            return redirect(url_for("people.agency", agency_id=added.agency_id))
    return render_template("people/contact_form.html", form=form, contact=None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def contact_edit(contact_id: int):
    """Change a contact's details or whether they receive reminders."""
    found = db.get_or_404(Contact, contact_id)
    form = forms.ContactForm(obj=found)
    _agency_choices(form, found.agency)
    if request.method == "GET":
        form.receives_reminders.data = "yes" if found.receives_reminders else "no"
    edit_guard = EditGuard(form, version=lambda: found.version, model=Contact, record_id=found.id, shown=lambda: {
        "name": found.name, "email": found.email, "agency_id": found.agency_id, "job_title": found.job_title,
        "phone": found.phone, "receives_reminders": "yes" if found.receives_reminders else "no"})
    if form.validate_on_submit():
        try:
            edit_guard.save(lambda: services.update_contact(_actor(), found, **_contact_values(form)))
        except services.PeopleError as error:
            _refused(form, error)
        else:
            if not edit_guard.conflict:
                flash(f"{found.name} has been saved", "success")
                return redirect(url_for("people.agency", agency_id=found.agency_id))
    return render_template("people/contact_form.html", form=form, contact=found,
                           conflict=edit_guard.conflict), edit_guard.status


@bp.post("/contacts/<int:contact_id>/deactivate")
@role_required("coordinator")
def contact_deactivate(contact_id: int):
    """Mark a contact as left: no reminders, and their login stops working."""
    return _set_contact_active(contact_id, False, "{} has been deactivated")


@bp.post("/contacts/<int:contact_id>/reactivate")
@role_required("coordinator")
def contact_reactivate(contact_id: int):
    """Bring a deactivated contact back."""
    return _set_contact_active(contact_id, True, "{} has been reactivated")


def _set_contact_active(contact_id: int, is_active: bool, message: str):
    """Deactivate or reactivate a contact, then show their agency."""
    found = db.get_or_404(Contact, contact_id)
    services.set_contact_active(_actor(), found, is_active)
    db.session.commit()
    flash(message.format(found.name), "success")
    return redirect(url_for("people.agency", agency_id=found.agency_id))


# --- logins -----------------------------------------------------------------------------------

@bp.get("/users")
@role_required("coordinator")
def users():
    """Every login: role, state, and what the coordinator can do about it."""
    return render_template("people/users.html", users=services.users())


@bp.route("/users/invite", methods=["GET", "POST"])
@role_required("coordinator")
def invite():
    """Give someone a login and email them a link to choose their password."""
    form = forms.InviteForm()
    _agency_choices(form)
    if form.validate_on_submit():
        agency_found = db.session.get(Agency, form.agency_id.data) or abort(400)
        try:
            invited = services.invite(_actor(), name=form.name.data, email=form.email.data, agency=agency_found,
                                      role=form.role.data, now=utcnow())
        except services.PeopleError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(f"An invitation has been emailed to {invited.contact.name} ({invited.contact.email})", "success")
            return redirect(url_for("people.users"))
    return render_template("people/invite.html", form=form, role_items=forms.role_items())


@bp.route("/users/<int:user_id>/role", methods=["GET", "POST"])
@role_required("coordinator")
def user_role(user_id: int):
    """Change what a login may do."""
    found = db.get_or_404(User, user_id)
    form = forms.RoleForm(obj=found)
    edit_guard = EditGuard(form, version=lambda: found.version, model=User, record_id=found.id,
                           shown=lambda: {"role": found.role})
    if form.validate_on_submit():
        try:
            edit_guard.save(lambda: services.set_role(_actor(), found, form.role.data))
        except services.PeopleError as error:
            _refused(form, error)
        else:
            if not edit_guard.conflict:
                flash(f"{found.contact.name} is now a {found.role}", "success")
                return redirect(url_for("people.users"))
    return render_template("people/user_role.html", form=form, user=found, role_items=forms.role_items(),
                           conflict=edit_guard.conflict), edit_guard.status


@bp.post("/users/<int:user_id>/disable")
@role_required("coordinator")
def user_disable(user_id: int):
    """Stop a login working, signing it out everywhere."""
    return _set_user_enabled(user_id, False, "{}'s login has been disabled")


@bp.post("/users/<int:user_id>/enable")
@role_required("coordinator")
def user_enable(user_id: int):
    """Let a disabled login work again."""
    return _set_user_enabled(user_id, True, "{}'s login has been enabled")


def _set_user_enabled(user_id: int, is_enabled: bool, message: str):
    """Disable or enable a login, then show the users list."""
    found = db.get_or_404(User, user_id)
    try:
        services.set_user_enabled(_actor(), found, is_enabled)
    except services.PeopleError as error:
        flash(error.message, "error")
        return redirect(url_for("people.users"))
    db.session.commit()
    flash(message.format(found.contact.name), "success")
    return redirect(url_for("people.users"))


@bp.post("/users/<int:user_id>/resend-invitation")
@role_required("coordinator")
def resend_invitation(user_id: int):
    """Email a fresh invitation link to someone who has not chosen a password yet."""
    found = db.get_or_404(User, user_id)
    try:
        services.resend_invitation(_actor(), found, now=utcnow())
    except services.PeopleError as error:
        flash(error.message, "error")
        return redirect(url_for("people.users"))
    db.session.commit()
    flash(f"A new invitation has been emailed to {found.contact.name}", "success")
    return redirect(url_for("people.users"))
