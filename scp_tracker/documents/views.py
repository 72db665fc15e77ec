"""The import and export pages: a plan file uploaded, previewed and confirmed; the plan downloaded."""

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scp_tracker.core.history import Actor
from scp_tracker.core.inputs import arg_text
from scp_tracker.documents import uploads
from scp_tracker.documents.column_forms import ImportColumnsForm, columns_form
from scp_tracker.documents.column_mapping import ImportChoices
from scp_tracker.documents.column_vocabulary import header_key
from scp_tracker.documents.export import FORMATS, export_plan
from scp_tracker.documents.forms import ImportConfirmForm, ImportForm
from scp_tracker.documents.plan_data import PlanFileError
from scp_tracker.documents.services import ChoicesNeeded, import_plan, survey_plan
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
                                 as_of=form.progress_on.data, dry_run=True, ask=True)
        except (uploads.UploadError, PlanFileError) as error:
            form.plan_file.errors.append(str(error))
        except ChoicesNeeded as needed:
            stored = uploads.save(_upload_folder(), upload.filename, content)
            columns = columns_form(needed.survey.columns, formdata=None, upload=stored, filename=upload.filename,
                                   progress_on=form.progress_on.data)
            return _columns_page(columns, needed.survey, needed.year_missing)
        else:
            stored = uploads.save(_upload_folder(), upload.filename, content)
            return _preview(report, stored, upload.filename, form.progress_on.data, None)
    return render_template("documents/import.html", form=form)


@bp.post("/import/columns")
@role_required("coordinator")
def import_columns():
    """Say what each column of the uploaded file holds (and the year, if it does not say), then preview."""
    base = ImportColumnsForm()
    try:
        content = uploads.read(_upload_folder(), base.upload.data or "", base.filename.data or "")
        survey = survey_plan(content, base.filename.data)
    except (uploads.UploadError, PlanFileError) as error:
        flash(str(error), "error")
        return redirect(url_for("documents.import_upload"))
    form = columns_form(survey.columns)
    year_missing = False
    if request.form.get("change"):
        # From the preview's "Change what the columns hold": the columns as read, to correct.
        return _columns_page(columns_form(survey.columns, formdata=None, upload=base.upload.data,
                                          filename=base.filename.data, progress_on=base.progress_on.data),
                             survey, False)
    if form.validate_on_submit():
        choices = form.choices([column.header for column in survey.columns if header_key(column.header)])
        try:
            report = import_plan(content, form.filename.data, actor=Actor.for_user(current_user),
                                 as_of=form.progress_on.data, dry_run=True, choices=choices, ask=True)
        except PlanFileError as error:
            form.form_errors.append(str(error))
        except ChoicesNeeded as needed:
            year_missing = needed.year_missing
            form.year.errors = ["Say which year the plan is for: the file does not say"] if year_missing else []
            if not year_missing:
                form.form_errors.append("Choose a field for each column marked unsure")
        else:
            return _preview(report, form.upload.data, form.filename.data, form.progress_on.data, choices)
    return _columns_page(form, survey, year_missing)


def _columns_page(form, survey, year_missing: bool):
    """The page showing each column, its first values and where it goes."""
    return render_template("documents/import_columns.html", form=form, survey=survey, year_missing=year_missing)


def _preview(report, stored: str, filename: str, progress_on, choices: ImportChoices | None):
    """The preview of an import, with the form that confirms it as previewed."""
    confirm = ImportConfirmForm(formdata=None, upload=stored, filename=filename, progress_on=progress_on,
                                choices=choices.to_json() if choices else "")
    return render_template("documents/import_preview.html", report=report, form=confirm)


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
        choices = ImportChoices.from_json(form.choices.data) if form.choices.data else None
        report = import_plan(content, form.filename.data, actor=Actor.for_user(current_user),
                             as_of=form.progress_on.data, dry_run=False, choices=choices)
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
