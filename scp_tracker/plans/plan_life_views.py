"""The coordinator's pages of a plan's life: agree it, archive it, add key priorities and objectives, retire them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from scp_tracker.core.clock import today_in_london
from scp_tracker.core.history import Actor
from scp_tracker.core.inputs import arg_int
from scp_tracker.extensions import db
from scp_tracker.people.permissions import role_required
from scp_tracker.plans import add_retire, objective_page, plan_life
from scp_tracker.plans.lookup import plan_for_year
from scp_tracker.plans.models import KeyPriority, Plan
from scp_tracker.plans.plan_life_forms import AgreePlanForm, ConfirmForm, KeyPriorityForm, NewObjectiveForm
from scp_tracker.plans.services import PlanError
from scp_tracker.plans.views import bp


def _plan_or_404(year: str) -> Plan:
    """The plan of a year in the address, or 404."""
    plan = plan_for_year(year) if year else None
    if plan is None:
        abort(404)
    return plan


def _actor() -> Actor:
    """The signed-in coordinator, as the change history names them."""
    return Actor.for_user(current_user)


@bp.route("/plans/<year>/agree", methods=["GET", "POST"])
@role_required("coordinator")
def agree(year: str):
    """Mark a plan agreed by the board: the date and the meeting."""
    plan = _plan_or_404(year)
    form = AgreePlanForm(data={"agreed_on": plan.agreed_on, "meeting": plan.agreed_at_meeting}
                         if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            plan_life.agree_plan(plan, agreed_on=form.agreed_on.data, meeting=form.meeting.data,
                                 actor=_actor(), today=today_in_london())
        except PlanError as error:
            db.session.rollback()
            form.agreed_on.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"The {plan.year} plan is agreed", "success")
            return redirect(url_for("plans.index", year=plan.year))
    return render_template("plans/agree.html", form=form, plan=plan,
                           earliest=plan_life.earliest_agreement(plan), today=today_in_london())


@bp.route("/plans/<year>/archive", methods=["GET", "POST"])
@role_required("coordinator")
def archive(year: str):
    """Archive an agreed plan after a confirmation page: its rounds and reminders stop."""
    plan = _plan_or_404(year)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            plan_life.archive_plan(plan, actor=_actor(), today=today_in_london())
        except PlanError as refused:
            db.session.rollback()
            error = str(refused)
        else:
            db.session.commit()
            flash(f"The {plan.year} plan is archived: its rounds and reminders have stopped", "success")
            return redirect(url_for("plans.plans"))
    return render_template("plans/archive.html", form=form, plan=plan, error=error,
                           other_agreed=plan_life.other_agreed_plans(plan)), 200 if error is None else 409


@bp.route("/plans/<year>/key-priorities/new", methods=["GET", "POST"])
@role_required("coordinator")
def add_key_priority(year: str):
    """Add a key priority to a plan, numbered next by default."""
    plan = _plan_or_404(year)
    form = KeyPriorityForm(data={"number": add_retire.next_key_priority_number(plan)}
                           if request.method == "GET" else None)
    form.set_agencies(objective_page.objective_choices(plan, agency_ids=[], contact_ids=[])["agencies"])
    if form.validate_on_submit():
        try:
            key_priority = add_retire.add_key_priority(
                plan, number=form.number.data, title=form.title.data.strip(),
                description=(form.description.data or "").strip(), agency_ids=list(form.lead_agencies.data or []),
                actor=_actor())
        except PlanError as error:
            db.session.rollback()
            form.number.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Key priority {key_priority.number} has been added", "success")
            return redirect(url_for("plans.index", year=plan.year))
    return render_template("plans/add_key_priority.html", form=form, plan=plan)


@bp.route("/plans/<year>/objectives/new", methods=["GET", "POST"])
@role_required("coordinator")
def add_objective(year: str):
    """Add an objective under one of the plan's key priorities, on the edit page's form."""
    plan = _plan_or_404(year)
    key_priorities = add_retire.active_key_priorities(plan)
    chosen = arg_int("key_priority")
    form = NewObjectiveForm(data=NewObjectiveForm.blank(chosen) if request.method == "GET" else None)
    form.set_key_priorities(key_priorities)
    form.set_choices(**objective_page.objective_choices(plan, agency_ids=[], contact_ids=[]))
    if form.validate_on_submit():
        key_priority = next(kp for kp in key_priorities if kp.id == form.key_priority.data)  # validated a choice
        try:
            objective = add_retire.add_objective(key_priority, form.values(), _actor())
        except PlanError as error:
            db.session.rollback()
            form.key_priority.errors.append(str(error))
        else:
            db.session.commit()
            flash("The objective has been added", "success")
            return redirect(url_for("plans.objective", objective_id=objective.id))
    return render_template("plans/add_objective.html", form=form, plan=plan)


@bp.route("/objectives/<int:objective_id>/retire", methods=["GET", "POST"])
@role_required("coordinator")
def retire_objective(objective_id: int):
    """Retire an objective after a confirmation page: it is cancelled, and its history says it was retired."""
    objective = objective_page.get_objective(objective_id)
    if objective is None:
        abort(404)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            add_retire.retire_objective(objective, actor=_actor(), today=today_in_london())
        except PlanError as refused:
            db.session.rollback()
            error = str(refused)
        else:
            db.session.commit()
            flash(f"“{objective.title}” has been retired", "success")
            return redirect(url_for("plans.objective", objective_id=objective.id))
    return render_template("plans/retire_objective.html", form=form, objective=objective,
                           error=error), 200 if error is None else 409


@bp.route("/key-priorities/<int:key_priority_id>/retire", methods=["GET", "POST"])
@role_required("coordinator")
def retire_key_priority(key_priority_id: int):
    """Retire a key priority after a confirmation page, with its open objectives."""
    key_priority = db.session.get(KeyPriority, key_priority_id, options=[selectinload(KeyPriority.objectives)])
    if key_priority is None:
        abort(404)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            retired = add_retire.retire_key_priority(key_priority, actor=_actor(), today=today_in_london())
        except PlanError as refused:
            db.session.rollback()
            error = str(refused)
        else:
            db.session.commit()
            flash(f"Key priority {key_priority.number} has been retired, with {len(retired)} open "
                  f"objective{'s' if len(retired) != 1 else ''}", "success")
            return redirect(url_for("plans.index", year=key_priority.plan.year))
    open_objectives = [o for o in key_priority.objectives if o.status == "open"]
    return render_template("plans/retire_key_priority.html", form=form, key_priority=key_priority,
                           open_objectives=open_objectives, error=error), 200 if error is None else 409
