"""The coordinator's Emails page: what is queued, sent and failed, each email as it was sent, and resending."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from scp_tracker.core.inputs import arg_int
from scp_tracker.extensions import db
from scp_tracker.mail import preview, services
from scp_tracker.mail.forms import EmailFilterForm, ResendForm
from scp_tracker.mail.models import OutboxMessage
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


@bp.get("/emails/<int:outbox_id>")
@role_required("coordinator")
def show(outbox_id: int):
    """One email as it was sent: its headers, delivery, text part and (framed) HTML part."""
    return render_template("mail/show.html", message=db.get_or_404(OutboxMessage, outbox_id),
                           resend_form=ResendForm(), iframe_sandbox=preview.IFRAME_SANDBOX)


@bp.get("/emails/<int:outbox_id>/html")
@role_required("coordinator")
def html_part(outbox_id: int):
    """The HTML part alone, sanitised, under a policy that lets nothing run or load: shown in a sandboxed frame."""
    message = db.get_or_404(OutboxMessage, outbox_id)
    if not message.html_body:
        abort(404)
    response = Response(preview.safe_page(message.html_body), mimetype="text/html")
    response.headers["Content-Security-Policy"] = preview.CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


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
