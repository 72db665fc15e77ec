"""The "Your objectives" page a reminder email's one link opens: a thin view over reminders.your_objectives."""

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.inputs import arg_int
from scp_tracker.extensions import db
from scp_tracker.indicators.chasing import record_late_figures
from scp_tracker.indicators.services import IndicatorError
from scp_tracker.people.models import Agency
from scp_tracker.plans import funding_requests, lead_requests
from scp_tracker.reminders.emailed_updates import LinkError
from scp_tracker.reminders.services import ReminderError
from scp_tracker.reminders.views import LINK_PAGE_HEADERS
from scp_tracker.reminders.your_figures import FiguresForm, late_figures_for
from scp_tracker.reminders.your_objectives import (
    asked_objectives,
    needs_funding,
    needs_lead,
    record_answers,
    usable_lead_link,
    waiting_requests,
)
from scp_tracker.reminders.your_objectives_forms import YourObjectivesForm

bp = Blueprint("your_objectives", __name__)


def _link_problem(error: LinkError):
    """Why the link does not work and what to do: the next reminder brings a new link, or ask the coordinator."""
    status = 404 if error.state == "unknown" else 410
    return render_template("reminders/link_problem.html", error=error, form=None, token=None,
                           lead_link=True), status, LINK_PAGE_HEADERS


@bp.route("/your-objectives/<token>", methods=["GET", "POST"])
def show(token: str):
    """Every objective the link's contact is asked about, with one form; GET changes nothing, POST records what was
    filled in (all or nothing) and comes back to the page."""
    now = utcnow()
    try:
        link = usable_lead_link(token, now)
    except LinkError as error:
        return _link_problem(error)
    contact = link.contact
    objectives = asked_objectives(contact)
    agencies = list(db.session.scalars(select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.abbreviation)))
    form = YourObjectivesForm() if request.method == "POST" else YourObjectivesForm.opening(objectives)
    form.bind(objectives, agencies)
    problem = None
    if form.validate_on_submit():
        try:
            updates = record_answers(token, form.answers(), now=now)
        except LinkError as error:
            db.session.rollback()
            return _link_problem(error)
        except ReminderError as error:
            db.session.rollback()
            problem = str(error)
            objectives = asked_objectives(contact)
            form = YourObjectivesForm.opening(objectives)
            form.bind(objectives, agencies)
        else:
            db.session.commit()
            return redirect(url_for("your_objectives.show", token=token, saved=len(updates)))
    blocks = form.blocks()
    waiting = waiting_requests([block.objective.id for block in blocks if block.objective is not None])
    waiting_updates = [update for updates in waiting.values() for update in updates]
    status = 409 if any(block.conflict for block in blocks) else 200
    return render_template(
        "reminders/your_objectives.html", form=form, blocks=blocks, contact=contact, link=link, problem=problem,
        saved=arg_int("saved", minimum=1, maximum=1000) if request.method == "GET" else None,
        waiting=waiting, lead_asked_for=lead_requests.asked_for(
            [update for update in waiting_updates if update.lead_request_status == "pending"]),
        describe_funding_request=funding_requests.describe_request, needs_funding=needs_funding,
        needs_lead=needs_lead, figures_form=FiguresForm.for_figures(late_figures_for(contact, now)),
        figures_saved=arg_int("figures", minimum=0, maximum=1000) if request.method == "GET" else None,
    ), status, LINK_PAGE_HEADERS


@bp.post("/your-objectives/<token>/figures")
def save_figures(token: str):
    """Record the indicator figures filled in (the link's contact's late ones), all or none; back to the page."""
    now = utcnow()
    try:
        link = usable_lead_link(token, now)
    except LinkError as error:
        return _link_problem(error)
    form = FiguresForm.for_figures(late_figures_for(link.contact, now))
    if form.validate_on_submit():
        try:
            saved = record_late_figures(link.contact, form.values(), today_in_london(now), now)
        except IndicatorError as error:
            db.session.rollback()
            field = form._fields.get(error.field)
            (field.errors if field is not None else form.form_errors).append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("your_objectives.show", token=token, figures=len(saved)) + "#figures")
    return render_template("reminders/your_figures.html", figures_form=form, contact=link.contact,
                           token=token), 200, LINK_PAGE_HEADERS
