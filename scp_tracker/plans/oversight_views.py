"""The pages that oversee the plan: the dashboard, the chasing list, and the requests waiting for the coordinator
(the board report is the reports area's)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.forms import BaseForm
from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.people.permissions import may_open, role_required
from scp_tracker.plans import (
    chasing_list,
    dashboard_figures,
    emails,
    funding_requests,
    lead_requests,
    progress,
    queries,
    services,
)
from scp_tracker.plans.forms import ChaseForm
from scp_tracker.plans.views import bp, no_plan, plan_or_none


@bp.get("/")
@role_required()
def dashboard():
    """The home page: the plan's RAG by key priority, what needs attention, funding and end dates."""
    plan = plan_or_none()
    if plan is None:
        return no_plan()
    now = utcnow()
    today = today_in_london(now)
    return render_template(
        "plans/dashboard.html", plan=plan, today=today,
        figures=dashboard_figures.kept_dashboard(plan, today=today, now=now),
        due_soon_days=queries.DUE_SOON_DAYS, stale_days=queries.STALE_DAYS,
        # The board report is the reports area's page (above this one): asked by its endpoint's name.
        can_see_report=may_open(current_user, current_app.view_functions["reports.board_report"]),
    )


@bp.route("/chasing", methods=["GET", "POST"])
@role_required("coordinator")
def chasing():
    """Objectives that need an update, and a button to ask their leads for one (written to the outbox)."""
    plan = plan_or_none()
    if plan is None:
        return no_plan()
    now = utcnow()
    items = chasing_list.chasing_list(plan, today=today_in_london(now), now=now)
    form = ChaseForm()
    form.set_objectives(items)
    if form.validate_on_submit():
        chosen = set(form.objectives.data)
        result = emails.request_updates([item for item in items if item.objective.id in chosen],
                                          actor=Actor.for_user(current_user), now=now)
        db.session.commit()
        flash(_chase_message(result), "success")
        return redirect(url_for("plans.chasing", **request.args))
    return render_template("plans/chasing.html", plan=plan, items=items, form=form, stale_days=queries.STALE_DAYS,
                           today=today_in_london(now))


def _chase_message(result: emails.ChaseResult) -> str:
    """What the coordinator is told after asking for updates."""
    requests = f"{result.emails} request{'' if result.emails == 1 else 's'} for an update"
    message = f"{requests} will be sent in the next few minutes"
    if result.nobody_to_ask:
        message += f". Nobody to ask about: {', '.join(result.nobody_to_ask)} (add a lead contact first)"
    return message


@bp.get("/end-date-requests")
@role_required("coordinator")
def end_date_requests():
    """Leads' requests to move an end date, change the lead agencies or confirm TBC funding, for the coordinator to
    approve or decline."""
    leads = lead_requests.pending()
    return render_template("plans/end_date_requests.html", requests=progress.end_date_requests(),
                           lead_requests=leads, asked_for=lead_requests.asked_for(leads),
                           funding_requests=funding_requests.pending(),
                           describe_funding_request=funding_requests.describe_request)


@bp.post("/lead-requests/<int:update_id>")
@role_required("coordinator")
def decide_lead_request(update_id: int):
    """Approve or decline a lead's request to change an objective's lead agencies (only the coordinator may)."""
    return _decide(lead_requests.find(update_id),
                   lambda update, approve: lead_requests.decide(update, approve, Actor.for_user(current_user)),
                   approved=lambda objective: f"The lead agencies of {objective.title} are now "
                                              f"{objective.lead_text or 'TBC'}",
                   declined="The request to change the lead agencies of {} was declined")


@bp.post("/funding-requests/<int:update_id>")
@role_required("coordinator")
def decide_funding_request(update_id: int):
    """Approve or decline a lead's proposed funding for a TBC line; approving confirms the funding."""
    return _decide(funding_requests.find(update_id),
                   lambda update, approve: funding_requests.decide(update, approve, Actor.for_user(current_user),
                                                                   now=utcnow()),
                   approved=lambda objective: f"The funding of {objective.title} is now "
                                              f"{services.funding_summary(objective)}",
                   declined="The proposed funding of {} was declined")


@bp.post("/end-date-requests/<int:update_id>")
@role_required("coordinator")
def decide_end_date_request(update_id: int):
    """Approve or decline one request (the buttons carry the decision); approving moves the end date."""
    return _decide(progress.end_date_request(update_id),
                   lambda update, approve: progress.decide_end_date_request(
                       update, approve, Actor.for_user(current_user), now=utcnow()),
                   approved=lambda objective: f"The end date of {objective.title} is now {objective.end_date_text}",
                   declined="The request to move the end date of {} was declined")


def _decide(update, decide, *, approved, declined: str):
    """One decision on a lead's request, from the button pressed; a request decided or superseded meanwhile is
    refused with its message."""
    decision = request.form.get("decision")
    if not BaseForm().validate_on_submit() or decision not in ("approve", "decline"):
        abort(400)
    if update is None:
        abort(404)
    try:
        decide(update, decision == "approve")
    except services.PlanError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        objective = update.objective
        flash(approved(objective) if decision == "approve" else declined.format(objective.title), "success")
    return redirect(url_for("plans.end_date_requests"))
