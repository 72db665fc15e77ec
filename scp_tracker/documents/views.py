"""The import and export pages: a plan file uploaded, previewed and confirmed; the plan downloaded."""

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from scp_tracker.core.history import Actor
from scp_tracker.core.inputs import arg_text
from scp_tracker.documents import uploads
from scp_tracker.documents.export import FORMATS, export_plan
from scp_tracker.documents.forms import ImportConfirmForm, ImportForm
from scp_tracker.documents.plan_data import PlanFileError
from scp_tracker.documents.services import import_plan
from scp_tracker.extensions import db
from scp_tracker.people.permissions import role_required
from scp_tracker.plans.lookup import plan_for_year

bp = Blueprint("documents", __name__)


def _upload_folder() -> Path:
    """Where uploads wait between preview and confirmation: the instance folder, never served."""
    return Path(current_app.instance_path) / "uploads"


@bp.route("/import", methods=["GET", "POST"])
@role_required("coordinator")
def import_upload():
    """Upload a plan file and preview what importing it would create and change, with every warning."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.plan_file.data
        content = upload.read()
        try:
            uploads.check(upload.filename, content)
            report = import_plan(content, upload.filename, actor=Actor.for_user(current_user),
                                 as_of=form.progress_on.data, dry_run=True)
        except (uploads.UploadError, PlanFileError) as error:
            form.plan_file.errors.append(str(error))
        else:
            stored = uploads.save(_upload_folder(), upload.filename, content)
            confirm = ImportConfirmForm(formdata=None, upload=stored, filename=upload.filename,
                                        progress_on=form.progress_on.data)
            return render_template("documents/import_preview.html", report=report, form=confirm)
    return render_template("documents/import.html", form=form)


@bp.post("/import/confirm")
@role_required("coordinator")
def import_confirm():
    """Import the previewed file for real, then delete the kept upload."""
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    folder = _upload_folder()
    try:
        content = uploads.read(folder, form.upload.data, form.filename.data)
        report = import_plan(content, form.filename.data, actor=Actor.for_user(current_user),
                             as_of=form.progress_on.data, dry_run=False)
    except (uploads.UploadError, PlanFileError) as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("documents.import_upload"))
    db.session.commit()
    uploads.delete(folder, form.upload.data)
    flash(report.summary(), "success")
    return redirect(url_for("plans.index", year=report.plan_year))


@bp.get("/export/<fmt>")
@role_required()
def export(fmt: str):
    """Download the plan as JSON (lossless), CSV, a spreadsheet, a Word document or the printable plan document."""
    plan = plan_for_year(arg_text("year"))
    if plan is None or fmt not in FORMATS:
        abort(404)
    content, mimetype, filename = export_plan(plan, fmt)
    # content_type, not mimetype: the export's type already names its charset, which mimetype= would add again.
    return Response(content, content_type=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
