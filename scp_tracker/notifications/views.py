"""Notification pages: the list, marking read, the choices; plus the header's count and the outage check."""

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from scp_tracker.core.clock import utcnow
from scp_tracker.core.inputs import arg_int
from scp_tracker.extensions import db
from scp_tracker.notifications import forms, rules, services
from scp_tracker.notifications.preference_links import contact_from_preferences_token
from scp_tracker.operations import scheduler_state_this_request
from scp_tracker.operations import services as operations
from scp_tracker.people.permissions import can_manage, role_required

bp = Blueprint("notifications", __name__)
logger = logging.getLogger(__name__)


def unread_notifications() -> int:
    """The signed-in person's unread notifications, for the header (one query a page); 0 for anyone else."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = services.unread_count(current_user.contact_id)
    return g.unread_notifications


def notice_stopped_scheduler() -> None:
    """Before a coordinator's page: if the scheduler has stopped, tell the coordinators (once per outage).

    A stopped scheduler cannot say so itself; the web app can. This must never break the page.
    """
    if request.endpoint is None or request.endpoint.rsplit(".", 1)[-1] == "static" or not can_manage(current_user):
        return
    try:
        if operations.notice_stopped_scheduler(scheduler_state_this_request(), utcnow()):
            db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        logger.warning("Could not record that the scheduler has stopped; the next page will try again",
                       exc_info=True)


@bp.get("/notifications")
@role_required()
def index():
    """A person's notifications, newest first, with links to what they are about."""
    return render_template(
        "notifications/index.html",
        pagination=services.list_for(current_user.contact_id, page=arg_int("page", 1)),
        form=forms.MarkReadForm(), can_decide=can_manage(current_user),
    )


@bp.post("/notifications/<int:notification_id>/read")
@role_required()
def mark_read(notification_id: int):
    """Mark one of the person's notifications read."""
    if not forms.MarkReadForm().validate_on_submit():
        abort(400)
    if not services.mark_read(current_user.contact_id, notification_id, now=utcnow()):
        abort(404)
    db.session.commit()
    return redirect(url_for("notifications.index", page=arg_int("page")))


@bp.post("/notifications/read")
@role_required()
def mark_all_read():
    """Mark all of the person's notifications read."""
    if not forms.MarkReadForm().validate_on_submit():
        abort(400)
    count = services.mark_all_read(current_user.contact_id, now=utcnow())
    db.session.commit()
    flash(f"{count} notification{'' if count == 1 else 's'} marked as read", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@role_required()
def settings():
    """How the person hears of each kind of notification: at once by email, in the daily email, in the app, or not."""
    return _settings_page(current_user.contact_id, rules.kinds_for(can_manage(current_user)),
                          url_for("notifications.settings"))


@bp.route("/notifications/settings/<token>", methods=["GET", "POST"])
def settings_from_link(token: str):
    """The same choices for a contact without a login, from the signed link in their daily email."""
    contact = contact_from_preferences_token(token)
    if contact is None:
        abort(404)
    response = _settings_page(contact.id, rules.kinds_for(False),
                              url_for("notifications.settings_from_link", token=token), signed_in=False)
    return response, {"Referrer-Policy": "no-referrer"}


def _settings_page(contact_id: int, kinds, here: str, signed_in: bool = True):
    """Show and save one contact's choices; `here` is where the form posts and returns."""
    form_class = forms.NotificationSettingsForm.for_kinds(kinds)
    form = form_class() if request.method == "POST" else form_class(data=services.choices_of(contact_id, kinds))
    if form.validate_on_submit():
        changed = services.save_choices(contact_id, form.choices(), now=utcnow())
        db.session.commit()
        flash("Your notification settings have been saved" if changed else "Nothing was changed", "success")
        return redirect(here)
    return render_template("notifications/settings.html", form=form, action=here, signed_in=signed_in)
