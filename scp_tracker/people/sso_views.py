"""The coordinator's single sign-on page for an agency: domains allowed in, and passwords on or off (people bp)."""

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from scp_tracker.extensions import db
from scp_tracker.people import oidc_client, services, sso_settings
from scp_tracker.people.models import Agency, AgencySignInDomain
from scp_tracker.people.permissions import role_required
from scp_tracker.people.sso_forms import RequireSingleSignOnForm, SignInDomainForm
from scp_tracker.people.views import bp, current_actor, refused


def _page(agency: Agency, domain_form: SignInDomainForm | None = None,
          require_form: RequireSingleSignOnForm | None = None, status: int = 200):
    """The agency's single sign-on page, with either form as sent (errors and all) or fresh."""
    if require_form is None:
        require_form = RequireSingleSignOnForm(requires="yes" if agency.requires_single_sign_on else "no")
    return render_template("people/agency_sign_in.html", agency=agency, domains=sso_settings.sign_in_domains(agency),
                           domain_form=domain_form or SignInDomainForm(formdata=None), require_form=require_form,
                           providers=oidc_client.providers()), status


@bp.get("/agencies/<int:agency_id>/single-sign-on")
@role_required("coordinator")
def agency_sign_in(agency_id: int):
    """How an agency's people sign in: the domains allowed in, and whether passwords are off."""
    return _page(db.get_or_404(Agency, agency_id))


@bp.post("/agencies/<int:agency_id>/single-sign-on/domains")
@role_required("coordinator")
def agency_sign_in_domain_add(agency_id: int):
    """Allow an email domain in for this agency with a role."""
    agency = db.get_or_404(Agency, agency_id)
    form = SignInDomainForm()
    if form.validate_on_submit():
        try:
            allowed = sso_settings.allow_domain(current_actor(), agency, domain=form.domain.data, role=form.role.data)
        except services.PeopleError as error:
            refused(form, error)
        else:
            db.session.commit()
            flash(f"People at {allowed.domain} can now sign in as a {allowed.role} of {agency.abbreviation}",
                  "success")
            return redirect(url_for("people.agency_sign_in", agency_id=agency.id))
    return _page(agency, domain_form=form)


@bp.post("/agencies/<int:agency_id>/single-sign-on/domains/<int:domain_id>/remove")
@role_required("coordinator")
def agency_sign_in_domain_remove(agency_id: int, domain_id: int):
    """Stop new logins from a domain (the logins it made stay)."""
    allowed = db.session.execute(select(AgencySignInDomain).where(
        AgencySignInDomain.id == domain_id, AgencySignInDomain.agency_id == agency_id)).scalar_one_or_none()
    if allowed is None:
        abort(404)
    domain = allowed.domain
    sso_settings.remove_domain(current_actor(), allowed)
    db.session.commit()
    flash(f"New people at {domain} can no longer sign in by themselves", "success")
    return redirect(url_for("people.agency_sign_in", agency_id=agency_id))


@bp.post("/agencies/<int:agency_id>/single-sign-on/required")
@role_required("coordinator")
def agency_sign_in_required(agency_id: int):
    """Require (or stop requiring) single sign-on for an agency's people."""
    agency = db.get_or_404(Agency, agency_id)
    form = RequireSingleSignOnForm()
    if form.validate_on_submit():
        try:
            sso_settings.set_requires_single_sign_on(current_actor(), agency, form.requires.data == "yes",
                                                     has_providers=bool(oidc_client.providers()))
        except services.PeopleError as error:
            refused(form, error)
        else:
            db.session.commit()
            how = "only with their organisation's account" if agency.requires_single_sign_on else "with a password too"
            flash(f"{agency.abbreviation}'s people now sign in {how}", "success")
            return redirect(url_for("people.agency_sign_in", agency_id=agency.id))
    return _page(agency, require_form=form)
