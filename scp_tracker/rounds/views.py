"""The rounds pages: the plan's board meetings, a round's page (who has updated, remind now) and its board paper."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.formatting import gov_date
from scp_tracker.core.forms import BaseForm
from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.indicators.chasing import late_for_round
from scp_tracker.people.permissions import can_manage, may_open, role_required
from scp_tracker.plans.lookup import current_plan
from scp_tracker.rounds import meetings
from scp_tracker.rounds.figure_providers import providers_to_remind, with_providers
from scp_tracker.rounds.forms import MeetingForm, RemindNowForm
from scp_tracker.rounds.models import ReportingRound
from scp_tracker.rounds.round_page import round_progress
from scp_tracker.rounds.signals import remind_now_requested
from scp_tracker.rounds.windows import has_stored_rounds, plan_windows

bp = Blueprint("rounds", __name__)

# Who reads a board paper: as the board report, the coordinator who takes it and the board members (viewers).


def _round_or_404(round_id: int) -> ReportingRound:
    round_ = db.session.get(ReportingRound, round_id)
    if round_ is None:
        abort(404)
    return round_


@bp.route("/rounds", methods=["GET", "POST"])
@role_required()
def rounds():
    """The current plan's rounds, and (for the coordinator) a form to add a board meeting."""
    plan = current_plan()
    if plan is None:
        return render_template("plans/no_plan.html", can_manage=can_manage(current_user))
    form = MeetingForm()
    if form.is_submitted() and not can_manage(current_user):
        abort(403)
    if form.validate_on_submit():
        try:
            round_ = meetings.add_meeting(plan, form.values(), Actor.for_user(current_user))
        except meetings.RoundError as error:
            db.session.rollback()
            form.show_error(error.field, error.message)
        else:
            db.session.commit()
            flash(f"{round_.name} added: updates are due by {gov_date(round_.deadline)}", "success")
            return redirect(url_for("rounds.rounds"))
    # A GET changes nothing: quarterly defaults not stored yet are shown, unlinked, until the daily run stores them.
    stored = has_stored_rounds(plan)
    windows = plan_windows(plan)
    # The board paper is the reports area's page (above this one): asked by its endpoint's name.
    paper_view = current_app.view_functions["reports.round_paper"]
    return render_template("rounds/rounds.html", plan=plan, windows=windows, form=form, stored=stored,
                           can_manage=can_manage(current_user), can_read_paper=may_open(current_user, paper_view),
                           today=today_in_london())


@bp.route("/rounds/<int:round_id>/change", methods=["GET", "POST"])
@role_required("coordinator")
def change(round_id: int):
    """Change a board meeting's date, deadline or name, while its round is open."""
    round_ = _round_or_404(round_id)
    form = MeetingForm(data={"meeting_on": round_.meeting_on, "deadline": round_.deadline, "name": round_.name}
                       if request.method == "GET" else None)
    form.submit.label.text = "Save changes"
    if form.validate_on_submit():
        try:
            meetings.change_meeting(round_, form.values(), Actor.for_user(current_user))
        except meetings.RoundError as error:
            db.session.rollback()
            form.show_error(error.field, error.message)
        else:
            db.session.commit()
            flash(f"{round_.name} saved", "success")
            return redirect(url_for("rounds.rounds"))
    return render_template("rounds/change.html", round=round_, form=form, remove_form=BaseForm())


@bp.post("/rounds/<int:round_id>/remove")
@role_required("coordinator")
def remove(round_id: int):
    """Remove a board meeting whose round is open."""
    if not BaseForm().validate_on_submit():
        abort(400)
    round_ = _round_or_404(round_id)
    name = round_.name
    try:
        meetings.remove_meeting(round_, Actor.for_user(current_user))
    except meetings.RoundError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"{name} removed", "success")
    return redirect(url_for("rounds.rounds"))


@bp.route("/rounds/<int:round_id>", methods=["GET", "POST"])
@role_required("coordinator")
def round_page(round_id: int):
    """A round: who has updated, who has not, which figures are late, who was reminded when, and remind now for
    chosen leads and providers of late figures."""
    round_ = _round_or_404(round_id)
    progress = round_progress(round_)
    late_figures = with_providers(late_for_round(round_.plan, round_.deadline))
    to_remind = sorted({contact.id: contact for contact in (*progress.leads_to_remind,
                                                            *providers_to_remind(late_figures))}.values(),
                       key=lambda contact: (contact.name.lower(), contact.id))
    form = RemindNowForm()
    form.set_leads(to_remind)
    if round_.closed_at is None and form.validate_on_submit():  # a closed round's reminders are over
        now = utcnow()
        chosen = [contact.id for contact in to_remind if contact.id in set(form.contacts.data)]
        remind_now_requested.send(round_.id, contact_ids=chosen, actor=Actor.for_user(current_user),
                                  today=today_in_london(now), now=now)
        db.session.commit()
        names = [contact.name for contact in to_remind if contact.id in chosen]
        flash(f"Reminders asked for {len(names)} {'person' if len(names) == 1 else 'people'}: {', '.join(names)}. "
              "They go out from the outbox within a few minutes", "success")
        return redirect(url_for("rounds.round_page", round_id=round_.id))
    return render_template("rounds/round.html", progress=progress, round=round_, form=form, to_remind=to_remind,
                           late_figures=late_figures)
