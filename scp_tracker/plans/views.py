"""The plan tracker's blueprint and its pages of the plan: the list, an objective, editing and progress, the police and
PCC priorities, the plan years and starting next year's plan (oversight_views holds the rest)."""

from itertools import groupby

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.edits import EditGuard
from scp_tracker.core.history import Actor
from scp_tracker.core.inputs import arg_int, arg_text
from scp_tracker.core.pagination import pagination_params
from scp_tracker.extensions import db
from scp_tracker.people.permissions import (
    can_add_progress,
    can_ask_lead_change,
    can_change_lead_agencies,
    can_edit_objective,
    can_manage,
    can_record_event_for,
    role_required,
)
from scp_tracker.plans import (
    key_priority_leads,
    next_plan,
    objective_page,
    plan_list,
    progress,
    queries,
    services,
)
from scp_tracker.plans.filter_form import ObjectiveFilterForm
from scp_tracker.plans.forms import (
    LeadProgressForm,
    NextPlanForm,
    ObjectiveForm,
    ProgressForm,
)
from scp_tracker.plans.lookup import plan_for_year
from scp_tracker.plans.models import Objective, Plan

bp = Blueprint("plans", __name__, static_folder="static", static_url_path="/static/plans")

def plan_or_none() -> Plan | None:
    """The plan asked for by ?year=, else the current plan; an unknown year is a 404."""
    year = arg_text("year")
    plan = plan_for_year(year)
    if plan is None and year:
        abort(404)
    return plan


def no_plan():
    """The page shown while there is no plan at all."""
    return render_template("plans/no_plan.html", can_manage=can_manage(current_user))


def _objective_or_404(objective_id: int):
    """The objective to edit or add progress to, with what those pages and services need, or 404."""
    objective = objective_page.get_objective(objective_id)
    if objective is None:
        abort(404)
    return objective


@bp.get("/plan")
@role_required()
def index():
    """The plan's objectives by key priority, filtered, sorted and paginated."""
    plan = plan_or_none()
    if plan is None:
        return no_plan()
    now = utcnow()
    form = ObjectiveFilterForm(request.args)
    offered = plan_list.filter_choices(plan)
    form.set_choices(offered)
    form.validate()  # an invalid filter is shown with its error and ignored
    sort = form.sort_key()
    result = plan_list.list_objectives(plan, form.filters(), offered.key_priorities, sort=sort,
                                       page=arg_int("page", 1), today=today_in_london(now), now=now)
    args = request.args.to_dict()
    return render_template(
        "plans/index.html", plan=plan, form=form, result=result,
        groups=_by_key_priority(result.objectives) if sort == "priority" else None,
        is_filtered=any(value for name, value in args.items() if name not in ("year", "page", "sort")),
        key_priorities=offered.key_priorities, can_manage=can_manage(current_user),
        key_priority_lead_people=key_priority_leads.lead_people(kp.id for kp in offered.key_priorities),
        pagination=pagination_params(result.page, result.pages,
                                     lambda n: url_for("plans.index", **{**args, "page": n})),
    )


def _by_key_priority(objectives: list) -> list[tuple]:
    """Objectives in plan order, grouped under their key priority."""
    return [(kp, list(group)) for kp, group in groupby(objectives, key=lambda o: o.key_priority)]


@bp.get("/objectives/<int:objective_id>")
@role_required()
def objective(objective_id: int):
    """Everything about one objective, its progress and its change history."""
    details = objective_page.objective_details(objective_id)
    if details is None:
        abort(404)
    titles = queries.priority_titles(details.plan_id)
    return render_template(
        "plans/objective.html", objective=details, history=objective_page.change_history(details.id),
        police_titles=titles["police"], pcc_titles=titles["pcc"],
        can_add_progress=can_add_progress(current_user, details), can_edit=can_edit_objective(current_user, details),
        can_record_event=can_record_event_for(current_user, current_user.contact.agency_id),
        can_retire=can_manage(current_user) and details.status == "open",
    )


@bp.route("/objectives/<int:objective_id>/edit", methods=["GET", "POST"])
@role_required()
def edit(objective_id: int):
    """Change an objective; every changed field goes into its history."""
    objective = _objective_or_404(objective_id)
    if not can_edit_objective(current_user, objective):
        abort(403)
    form = ObjectiveForm(data=ObjectiveForm.initial(objective) if request.method == "GET" else None)
    if not can_change_lead_agencies(current_user):
        del form.lead_agencies  # a lead asks the coordinator instead (with a progress update)
    form.set_choices(**objective_page.edit_choices(objective))
    edit_guard = EditGuard(form, version=lambda: objective.version, shown=lambda: ObjectiveForm.initial(objective),
                           model=Objective, record_id=objective.id,
                           describe_as={"funding": lambda: services.funding_summary(objective)})
    if form.validate_on_submit():
        changed = edit_guard.save(lambda: services.update_objective(objective, form.values(),
                                                                     Actor.for_user(current_user)))
        if not edit_guard.conflict:
            flash("Your changes have been saved" if changed else "Nothing was changed", "success")
            return redirect(url_for("plans.objective", objective_id=objective.id))
    return render_template("plans/edit.html", form=form, objective=objective,
                           conflict=edit_guard.conflict), edit_guard.status


@bp.route("/objectives/<int:objective_id>/progress", methods=["GET", "POST"])
@role_required()
def add_progress(objective_id: int):
    """Write progress on an objective: what happened, its RAG, and whether its end date should move."""
    objective = _objective_or_404(objective_id)
    if not can_add_progress(current_user, objective):
        abort(403)
    leads_now = [link.agency_id for link in objective.lead_links]
    if can_ask_lead_change(current_user, objective):  # a lead asks the coordinator to change the lead agencies
        form = LeadProgressForm(data={"rag": objective.rag, "requested_lead_agencies": leads_now}
                                if request.method == "GET" else None)
        form.set_agencies(objective_page.edit_choices(objective)["agencies"])
    else:
        form = ProgressForm(data={"rag": objective.rag} if request.method == "GET" else None)
    # The form sets the objective's RAG: saved after someone else changed it, it would silently put the old one back.
    edit_guard = EditGuard(form, version=lambda: objective.version, shown=lambda: {"rag": objective.rag})
    if form.validate_on_submit():
        values = form.values_for(leads_now) if isinstance(form, LeadProgressForm) else form.values()
        edit_guard.save(lambda: progress.add_progress(objective, values, Actor.for_user(current_user), now=utcnow()))
        if not edit_guard.conflict:
            flash("Your progress update has been saved" + (
                ". The coordinator has been asked to change the lead agencies"
                if values.requested_agency_ids is not None else ""), "success")
            return redirect(url_for("plans.objective", objective_id=objective.id))
    return render_template("plans/progress.html", form=form, objective=objective,
                           conflict=edit_guard.conflict), edit_guard.status


@bp.get("/priorities")
@role_required()
def priorities():
    """The police and PCC priority lists of the plan, with how many objectives serve each."""
    plan = plan_or_none()
    if plan is None:
        return no_plan()
    return render_template("plans/priorities.html", plan=plan, lists=queries.priority_lists(plan))


@bp.get("/plans")
@role_required()
def plans():
    """Every plan year with its status."""
    return render_template("plans/plans.html", years=queries.plan_years(), can_manage=can_manage(current_user))


@bp.route("/plans/next", methods=["GET", "POST"])
@role_required("coordinator")
def start_next():
    """Start next year's plan, carrying forward the open objectives the coordinator chooses."""
    plan = plan_or_none()
    if plan is None:
        abort(404)
    open_objectives = queries.open_objectives(plan)
    form = NextPlanForm(data={"title": next_plan.suggested_title(plan),
                              "objectives": [o.id for o in open_objectives]} if request.method == "GET" else None)
    form.set_objectives(open_objectives)
    if form.validate_on_submit():
        try:
            new_plan = next_plan.carry_forward(plan, form.objectives.data, title=form.title.data.strip(),
                                              actor=Actor.for_user(current_user))
        except services.PlanError as error:
            db.session.rollback()  # a race lost on the plan's year spoils the transaction
            form.title.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"The {new_plan.year} plan has been started with {len(form.objectives.data)} objectives "
                  f"carried forward", "success")
            return redirect(url_for("plans.index", year=new_plan.year))
    return render_template("plans/next.html", form=form, plan=plan, next_year=next_plan.next_year(plan.year))
