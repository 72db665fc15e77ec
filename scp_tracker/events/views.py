"""Pages for events held: the list with filters and exports, recording an event, one event and its history."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.edits import EditGuard, shown_values
from scp_tracker.core.history import Actor
from scp_tracker.core.inputs import arg_int
from scp_tracker.core.pagination import pagination_params
from scp_tracker.events import exports
from scp_tracker.events.choices import agency_choices, filter_choices, objective_groups
from scp_tracker.events.forms import EventFilterForm, EventForm
from scp_tracker.events.history import event_history, get_event
from scp_tracker.events.listing import events_for_export, list_events
from scp_tracker.events.models import AUDIENCE_SUGGESTIONS, Event
from scp_tracker.events.recording import EventError, record_event, update_event
from scp_tracker.extensions import db
from scp_tracker.people.permissions import can_manage, can_record_event_for, role_required
from scp_tracker.plans.lookup import current_plan

bp = Blueprint("events", __name__)

RECORDERS = ("coordinator", "lead", "partner")


def _filter_form() -> EventFilterForm:
    """The list's filters from the query string, checked against what they offer."""
    form = EventFilterForm(request.args)
    form.set_choices(filter_choices(current_plan(), arg_int("objective")))
    form.validate()
    return form


@bp.get("/events")
@role_required()
def index():
    """Events held and planned, newest first, filtered by the query string and paginated."""
    form = _filter_form()
    page = list_events(form.filters(), page=arg_int("page", 1))
    query_args = form.query_args()
    return render_template(
        "events/index.html", form=form, page=page, query_args=query_args,
        pagination=pagination_params(page.page, page.pages,
                                     lambda number: url_for("events.index", page=number, **query_args)),
        can_record=can_record_event_for(current_user, current_user.contact.agency_id),
    )


@bp.get("/events/export.csv")
@role_required()
def export_csv():
    """The filtered events as a CSV file."""
    events = events_for_export(_filter_form().filters())
    return Response(exports.to_csv(events), mimetype="text/csv",
                    headers=_download_headers(f"events-{today_in_london().isoformat()}.csv"))


@bp.get("/events/export.xlsx")
@role_required()
def export_xlsx():
    """The filtered events as an Excel workbook."""
    events = events_for_export(_filter_form().filters())
    return Response(exports.to_xlsx(events), mimetype=exports.XLSX_MIMETYPE,
                    headers=_download_headers(f"events-{today_in_london().isoformat()}.xlsx"))


def _download_headers(filename: str) -> dict:
    """Headers that make the browser save the file (and not keep a copy of people's data in caches)."""
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


def _own_agency_id() -> int:
    """The signed-in person's agency."""
    return current_user.contact.agency_id


def _prepare(form: EventForm, event: Event | None) -> None:
    """Offer the agencies and the current plan's objectives (and the event's own, from any plan)."""
    chosen_agencies = [event.organising_agency_id, *(a.id for a in event.partner_agencies)] if event else []
    form.set_choices(
        agencies=agency_choices(also_ids=chosen_agencies),
        objective_groups=objective_groups(current_plan(), also_ids=[o.id for o in event.objectives]
                                          if event else ()),
        can_choose_organiser=can_manage(current_user),
    )


def _show_errors(form: EventForm, error: EventError) -> None:
    """Put the rules' messages on their fields, or on the whole form."""
    for name, message in error.errors.items():
        target = form._fields.get(name)
        if target is not None:
            target.errors = [*target.errors, message]
        else:
            form.form_errors.append(message)


def _render_form(form: EventForm, event: Event | None, edit_guard: EditGuard | None = None):
    """The event form page (refused with what changed when an edit came from a form opened before a change)."""
    conflict = edit_guard.conflict if edit_guard else None
    return render_template("events/form.html", form=form, event=event, audience_suggestions=AUDIENCE_SUGGESTIONS,
                           own_agency=current_user.contact.agency, conflict=conflict), 409 if conflict else 200


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(*RECORDERS)
def new():
    """Record an event: today's date and my agency to start with, and the objective it came from, if any."""
    today = today_in_london()
    objective_id = arg_int("objective")
    form = EventForm(starts_on=today, status="held", organising_agency_id=_own_agency_id(),
                     objective_ids=[objective_id] if objective_id else [])
    _prepare(form, None)
    if form.validate_on_submit():
        organiser = form.organising_agency_id.data if "organising_agency_id" in form else _own_agency_id()
        if not can_record_event_for(current_user, organiser):
            abort(403)
        try:
            event = record_event(Actor.for_user(current_user), form.values(organiser), today=today, now=utcnow())
        except EventError as error:
            _show_errors(form, error)
        else:
            db.session.commit()
            flash(f"{event.title} has been recorded", "success")
            return redirect(url_for("events.show", event_id=event.id))
    return _render_form(form, None)


def _event_or_404(event_id: int) -> Event:
    """The event with everything its pages show, or 404."""
    event = get_event(event_id)
    if event is None:
        abort(404)
    return event


@bp.get("/events/<int:event_id>")
@role_required()
def show(event_id: int):
    """One event: what, when, who came, how it went, and its change history."""
    event = _event_or_404(event_id)
    return render_template("events/show.html", event=event, history=event_history(event.id),
                           can_edit=can_record_event_for(current_user, event.organising_agency_id))


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(*RECORDERS)
def edit(event_id: int):
    """Change an event, most often to add who came and how it went; only its agency or the coordinator may."""
    event = _event_or_404(event_id)
    if not can_record_event_for(current_user, event.organising_agency_id):
        abort(403)
    form = EventForm(**_as_it_is(event))
    _prepare(form, event)
    edit_guard = EditGuard(form, version=lambda: event.version, model=Event, record_id=event.id,
                           shown=lambda: shown_values(EventForm(formdata=None, **_as_it_is(event))))
    if form.validate_on_submit():
        organiser = form.organising_agency_id.data if "organising_agency_id" in form else event.organising_agency_id
        if not can_record_event_for(current_user, organiser):
            abort(403)
        try:
            changed = edit_guard.save(lambda: update_event(
                Actor.for_user(current_user), event, form.values(organiser), today=today_in_london(), now=utcnow()))
        except EventError as error:
            _show_errors(form, error)
        else:
            if not edit_guard.conflict:
                flash(f"{event.title} has been updated" if changed else "Nothing was changed", "success")
                return redirect(url_for("events.show", event_id=event.id))
    return _render_form(form, event, edit_guard)


def _as_it_is(event: Event) -> dict:
    """The edit form's values for the event as it is."""
    return {"obj": event, "cost": _pounds(event.cost_pence),
            "partner_agency_ids": [a.id for a in event.partner_agencies],
            "objective_ids": [o.id for o in event.objectives]}


def _pounds(pence: int | None) -> str:
    """Pence as the cost box shows it: "250" or "1250.50"."""
    if pence is None:
        return ""
    return str(pence // 100) if pence % 100 == 0 else f"{pence // 100}.{pence % 100:02d}"
