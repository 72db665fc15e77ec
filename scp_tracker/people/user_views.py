"""The coordinator's login pages: the list of logins, invitations, roles, disabling and enabling. Routes of the people
blueprint."""

from itertools import chain

from flask import abort, flash, redirect, render_template, request, url_for

from scp_tracker.core.db_types import utcnow
from scp_tracker.core.edits import EditGuard
from scp_tracker.extensions import db
from scp_tracker.people import forms, logins, services
from scp_tracker.people.agency_views import set_agency_choices
from scp_tracker.people.key_priorities import key_priority_labels
from scp_tracker.people.models import ROLES, Agency, User
from scp_tracker.people.permissions import role_required
from scp_tracker.people.views import bp, current_actor, refused


@bp.get("/users")
@role_required("coordinator")
def users():
    """Every login: role, state, and what the coordinator can do about it."""
    found = services.users()
    return render_template("people/users.html", users=found,
                           key_priorities=key_priority_labels(chain.from_iterable(
                               user.led_key_priority_ids for user in found)))


@bp.route("/users/invite", methods=["GET", "POST"])
@role_required("coordinator")
def invite():
    """Give someone a login and email them a link to choose their password."""
    form = forms.InviteForm()
    set_agency_choices(form)
    form.set_key_priorities(key_priority_labels())
    if form.validate_on_submit():
        agency_found = db.session.get(Agency, form.agency_id.data) or abort(400)
        try:
            invited = logins.invite(current_actor(), name=form.name.data, email=form.email.data, agency=agency_found,
                                    roles=form.roles.data, key_priority_ids=form.chosen_key_priorities(),
                                    now=utcnow())
        except services.PeopleError as error:
            refused(form, error)
        else:
            db.session.commit()
            flash(f"An invitation has been emailed to {invited.contact.name} ({invited.contact.email})", "success")
            return redirect(url_for("people.users"))
    return render_template("people/invite.html", form=form, role_items=forms.role_items)


@bp.route("/users/<int:user_id>/role", methods=["GET", "POST"])
@role_required("coordinator")
def user_role(user_id: int):
    """Change what a login may do: its roles, and which key priorities it leads."""
    found = db.get_or_404(User, user_id)
    form = forms.RoleForm(data=_held(found) if request.method == "GET" else None)
    # Offered: the key priorities in use, and any the login leads already (of an older plan, or retired).
    form.set_key_priorities({**key_priority_labels(), **key_priority_labels(found.led_key_priority_ids)})
    edit_guard = EditGuard(form, version=lambda: found.version, model=User, record_id=found.id,
                           shown=lambda: _held(found))
    if form.validate_on_submit():
        try:
            edit_guard.save(lambda: logins.set_roles(current_actor(), found, form.roles.data,
                                                     form.chosen_key_priorities()))
        except services.PeopleError as error:
            refused(form, error)
        else:
            if not edit_guard.conflict:
                flash(f"{found.contact.name}'s roles have been saved", "success")
                return redirect(url_for("people.users"))
    return render_template("people/user_role.html", form=form, user=found, role_items=forms.role_items,
                           conflict=edit_guard.conflict), edit_guard.status


def _held(user: User) -> dict:
    """The login's roles as the form shows them."""
    return {"roles": sorted(user.roles, key=ROLES.index), "key_priority_ids": sorted(user.led_key_priority_ids)}


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
        logins.set_user_enabled(current_actor(), found, is_enabled)
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
        logins.resend_invitation(current_actor(), found, now=utcnow())
    except services.PeopleError as error:
        flash(error.message, "error")
        return redirect(url_for("people.users"))
    db.session.commit()
    flash(f"A new invitation has been emailed to {found.contact.name}", "success")
    return redirect(url_for("people.users"))
