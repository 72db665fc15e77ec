"""The agency and contact pages: lists, adding, editing, deactivating, reactivating (routes of the people blueprint)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from scp_tracker.core.edits import EditGuard
from scp_tracker.core.inputs import arg_int
from scp_tracker.extensions import db
from scp_tracker.people import forms, services
from scp_tracker.people.models import Agency, Contact
from scp_tracker.people.permissions import can_manage, role_required
from scp_tracker.people.views import bp, current_actor, refused


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
            added = services.add_agency(current_actor(), abbreviation=form.abbreviation.data, name=form.name.data)
        except services.PeopleError as error:
            refused(form, error)
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
            edit_guard.save(lambda: services.update_agency(current_actor(), found, abbreviation=form.abbreviation.data,
                                                           name=form.name.data))
        except services.PeopleError as error:
            refused(form, error)
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
    services.set_agency_active(current_actor(), found, is_active)
    db.session.commit()
    flash(message.format(found.abbreviation), "success")
    return redirect(url_for("people.agency", agency_id=found.id))


@bp.get("/contacts")
@role_required()
def contacts():
    """Every contact with their agency and email address."""
    return render_template("people/contacts.html", contacts=services.contacts(),
                           can_manage=can_manage(current_user))


def set_agency_choices(form, current: Agency | None = None) -> None:
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
    set_agency_choices(form)
    if request.method == "GET" and arg_int("agency_id"):
        form.agency_id.data = arg_int("agency_id")
    if form.validate_on_submit():
        try:
            added = services.add_contact(current_actor(), **_contact_values(form))
        except services.PeopleError as error:
            refused(form, error)
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
    set_agency_choices(form, found.agency)
    if request.method == "GET":
        form.receives_reminders.data = "yes" if found.receives_reminders else "no"
    edit_guard = EditGuard(form, version=lambda: found.version, model=Contact, record_id=found.id, shown=lambda: {
        "name": found.name, "email": found.email, "agency_id": found.agency_id, "job_title": found.job_title,
        "phone": found.phone, "receives_reminders": "yes" if found.receives_reminders else "no"})
    if form.validate_on_submit():
        try:
            edit_guard.save(lambda: services.update_contact(current_actor(), found, **_contact_values(form)))
        except services.PeopleError as error:
            refused(form, error)
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
    services.set_contact_active(current_actor(), found, is_active)
    db.session.commit()
    flash(message.format(found.name), "success")
    return redirect(url_for("people.agency", agency_id=found.agency_id))
