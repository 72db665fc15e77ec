"""The indicators pages: the plan's indicators, adding and changing one, entering figures, the tolerance."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from scp_tracker.core.clock import utcnow
from scp_tracker.core.edits import EditGuard
from scp_tracker.core.inputs import arg_int, arg_text
from scp_tracker.extensions import db
from scp_tracker.indicators import carrying, services
from scp_tracker.indicators.forms import CarryForm, FigureForm, IndicatorForm, ToleranceForm
from scp_tracker.indicators.models import Indicator
from scp_tracker.indicators.services import IndicatorError, IndicatorValues, read_number
from scp_tracker.indicators.summaries import plan_summaries, summarise
from scp_tracker.people.models import Agency, Contact
from scp_tracker.people.permissions import can_manage, has_role, role_required
from scp_tracker.plans.lookup import plan_for_year
from scp_tracker.plans.models import KeyPriority, Objective, Plan

bp = Blueprint("indicators", __name__, url_prefix="/indicators")


def _plan_or_404() -> Plan:
    """The plan of ?year=, else the current plan; 404 when there is none."""
    plan = plan_for_year(arg_text("year"))
    if plan is None:
        abort(404)
    return plan


def _indicator_or_404(indicator_id: int) -> Indicator:
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None:
        abort(404)
    return indicator


def may_enter_figures(user, indicator: Indicator) -> bool:
    """The coordinator; a lead or partner named as the indicator's provider, or at its providing agency."""
    if can_manage(user):
        return True
    if not has_role(user, "lead", "partner"):
        return False
    contact = user.contact
    return contact.id == indicator.provider_contact_id or contact.agency_id == indicator.provider_agency_id


@bp.get("")
@role_required()
def index():
    """The plan's indicators by key priority: RAG, direction, chart and figures."""
    plan = _plan_or_404()
    summaries = plan_summaries(plan.id)
    may_enter = {summary.indicator.id for summary in summaries if may_enter_figures(current_user, summary.indicator)}
    return render_template("indicators/index.html", plan=plan, summaries=summaries, may_enter=may_enter,
                           can_manage=can_manage(current_user), tolerance=services.plan_tolerance(plan.id),
                           previous=carrying.previous_plan(plan) if can_manage(current_user) else None)


def _form_choices(form: IndicatorForm, plan: Plan) -> None:
    key_priorities = db.session.scalars(select(KeyPriority).where(
        KeyPriority.plan_id == plan.id, KeyPriority.retired_on.is_(None)).order_by(KeyPriority.number)).all()
    objectives = db.session.scalars(select(Objective).join(KeyPriority).where(
        KeyPriority.plan_id == plan.id).order_by(KeyPriority.number, Objective.position)).all()
    contacts = db.session.scalars(select(Contact).where(Contact.is_active).order_by(Contact.name)).all()
    agencies = db.session.scalars(select(Agency).where(Agency.is_active).order_by(Agency.name)).all()
    form.set_choices(key_priorities, objectives, contacts, agencies)


def _values(form: IndicatorForm) -> IndicatorValues:
    """The form's values, numbers read as the import reads them (IndicatorError names a bad one)."""
    return IndicatorValues(
        name=form.name.data or "", key_priority_id=form.key_priority.data, counted=form.counted.data or "",
        unit=(form.unit.data or "").strip(), source=(form.source.data or "").strip(), better=form.better.data,
        baseline_value=read_number(form.baseline_value.data, "baseline_value"),
        baseline_period=(form.baseline_period.data or "").strip() or None,
        target_value=read_number(form.target_value.data, "target_value"),
        target_change_percent=read_number(form.target_change_percent.data, "target_change_percent"),
        frequency=form.frequency.data, provider_contact_id=form.provider_contact.data or None,
        provider_agency_id=form.provider_agency.data or None,
        tolerance_percent=read_number(form.tolerance_percent.data, "tolerance_percent"),
        objective_ids=list(form.objectives.data or []))


def _save(form: IndicatorForm, plan: Plan, indicator: Indicator | None, edit_guard: EditGuard | None = None):
    """Validate and save (through the edit guard when changing one); the response to return, or None to show the
    form again (with its errors, or the conflict)."""
    if not form.validate_on_submit():
        return None
    try:
        values = _values(form)
        if edit_guard is None:
            saved = services.save_indicator(plan, values, indicator)
            db.session.commit()
        else:
            saved = edit_guard.save(lambda: services.save_indicator(plan, values, indicator))
            if edit_guard.conflict:
                return None
    except IndicatorError as error:
        db.session.rollback()
        getattr(form, error.field.removesuffix("_id"), form.name).errors.append(str(error))
        return None
    flash(f"{saved.name} has been saved", "success")
    return redirect(url_for("indicators.index", year=plan.year))


@bp.route("/new", methods=["GET", "POST"])
@role_required("coordinator")
def add():
    """Add an indicator to the plan."""
    plan = _plan_or_404()
    form = IndicatorForm(data={"key_priority": arg_int("key_priority")}
                         if request.method == "GET" else None)
    _form_choices(form, plan)
    return _save(form, plan, None) or render_template("indicators/edit.html", form=form, plan=plan, indicator=None)


def _number_field(value: float | None) -> str:
    return "" if value is None else (f"{value:g}")


def _shown(indicator: Indicator) -> dict:
    """What the edit form shows of an indicator, by field."""
    data: dict = {name: getattr(indicator, name) for name in ("name", "counted", "unit", "source", "better",
                                                              "baseline_period", "frequency")}
    data.update({name: _number_field(getattr(indicator, name)) for name in (
        "baseline_value", "target_value", "target_change_percent", "tolerance_percent")})
    data.update(key_priority=indicator.key_priority_id, objectives=[o.id for o in indicator.objectives],
                provider_contact=indicator.provider_contact_id or 0, provider_agency=indicator.provider_agency_id or 0)
    return data


@bp.route("/<int:indicator_id>/edit", methods=["GET", "POST"])
@role_required("coordinator")
def edit(indicator_id: int):
    """Change an indicator; a save over someone else's change since the form was opened is refused (409)."""
    indicator = _indicator_or_404(indicator_id)
    plan = indicator.plan
    form = IndicatorForm(data=_shown(indicator) if request.method == "GET" else None)
    _form_choices(form, plan)
    edit_guard = EditGuard(form, version=lambda: indicator.version, shown=lambda: _shown(indicator),
                           model=Indicator, record_id=indicator.id)
    return _save(form, plan, indicator, edit_guard) or (render_template(
        "indicators/edit.html", form=form, plan=plan, indicator=indicator, conflict=edit_guard.conflict),
        edit_guard.status)


@bp.route("/<int:indicator_id>/figures", methods=["GET", "POST"])
@role_required()
def figures(indicator_id: int):
    """Enter a figure for a period (a figure already there for it is replaced), and see the figures so far."""
    indicator = _indicator_or_404(indicator_id)
    if not may_enter_figures(current_user, indicator):
        abort(403)
    form = FigureForm()
    if form.validate_on_submit():
        try:
            figure = services.record_figure(indicator, form.period.data, form.value.data, form.note.data, utcnow())
        except IndicatorError as error:
            db.session.rollback()
            getattr(form, error.field, form.value).errors.append(str(error))
        else:
            db.session.commit()
            flash(f"The figure for {figure.period} has been saved", "success")
            return redirect(url_for("indicators.figures", indicator_id=indicator.id))
    summary = summarise(indicator, services.plan_tolerance(indicator.plan_id))
    return render_template("indicators/figures.html", form=form, indicator=indicator, summary=summary,
                           plan=indicator.plan)


@bp.route("/tolerance", methods=["GET", "POST"])
@role_required("coordinator")
def tolerance():
    """The coordinator's tolerance for the plan's indicators."""
    plan = _plan_or_404()
    form = ToleranceForm(data={"tolerance_percent": f"{services.plan_tolerance(plan.id):g}"}
                         if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            percent = read_number(form.tolerance_percent.data, "tolerance_percent")
            services.set_plan_tolerance(plan.id, percent if percent is not None else -1)
        except IndicatorError as error:
            db.session.rollback()
            form.tolerance_percent.errors.append(str(error))
        else:
            db.session.commit()
            flash("The tolerance has been saved", "success")
            return redirect(url_for("indicators.index", year=plan.year))
    return render_template("indicators/tolerance.html", form=form, plan=plan)


@bp.route("/carry", methods=["GET", "POST"])
@role_required("coordinator")
def carry():
    """Copy last year's indicators into this plan, after a confirmation page."""
    plan = _plan_or_404()
    previous = carrying.previous_plan(plan)
    if previous is None:
        abort(404)
    form = CarryForm()
    if form.validate_on_submit():
        result = carrying.carry_indicators(previous, plan)
        db.session.commit()
        flash(f"{len(result.copied)} indicator{'s' if len(result.copied) != 1 else ''} copied from {previous.year}"
              + (f"; {len(result.no_key_priority)} not copied: this plan has no key priority of the same number"
                 if result.no_key_priority else ""), "success")
        return redirect(url_for("indicators.index", year=plan.year))
    return render_template("indicators/carry.html", form=form, plan=plan, previous=previous)
