"""The coordinator's Emails page: what is queued, sent and failed, and a way to resend what failed."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from scp_tracker.core.inputs import arg_int
from scp_tracker.extensions import db
from scp_tracker.mail import services
from scp_tracker.mail.forms import EmailFilterForm, ResendForm
from scp_tracker.people.permissions import role_required

bp = Blueprint("mail", __name__)

PER_PAGE = 50


@bp.get("/emails")
@role_required("coordinator")
def index():
    """List emails, newest first, filtered by status and paginated."""
    form = EmailFilterForm(request.args)
    status = (form.status.data or None) if form.validate() else None
    page = arg_int("page", 1)
    return render_template(
        "mail/index.html",
        form=form,
        status=status,
        pagination=services.list_messages(status=status, page=page, per_page=PER_PAGE),
        counts=services.count_by_status(),
        resend_form=ResendForm(),
    )


@bp.post("/emails/<int:outbox_id>/resend")
@role_required("coordinator")
def resend(outbox_id: int):
    """Queue a failed email again."""
    if not ResendForm().validate_on_submit():
        abort(400)
    try:
        message = services.resend(outbox_id)
    except services.OutboxError as error:
        flash(str(error), "error")
        return redirect(url_for("mail.index"))
    db.session.commit()
    flash(f"The email to {message.to_address} will be sent again within a minute.", "success")
    return redirect(url_for("mail.index", status="failed"))
