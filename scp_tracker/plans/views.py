"""The plan tracker's pages: the plan, an objective, editing and progress, the dashboard, board report, chasing."""

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from pathlib import Path

from dateutil.relativedelta import relativedelta
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from scp_tracker.clock import today_in_london, utcnow
from scp_tracker.documents.export import FORMATS, export_plan
from scp_tracker.documents.parser import PlanFileError
from scp_tracker.documents.services import import_plan
from scp_tracker.extensions import db
from scp_tracker.people.permissions import (
    can_add_progress,
    can_ask_lead_change,
    can_change_lead_agencies,
    can_edit_objective,
    can_manage,
    can_record_event_for,
    has_role,
    role_required,
)
from scp_tracker.plans import lead_requests, queries, services, uploads
from scp_tracker.plans.forms import (
    ChaseForm,
    ImportConfirmForm,
    ImportForm,
    LeadProgressForm,
    NextPlanForm,
    ObjectiveFilterForm,
    ObjectiveForm,
    ProgressForm,
    ReportForm,
)
from scp_tracker.plans.history import Actor
from scp_tracker.plans.lookup import plan_for_year
from scp_tracker.plans.models import Objective, Plan
from scp_tracker.site.edits import EditGuard
from scp_tracker.site.templating import kept_in

bp = Blueprint("plans", __name__, static_folder="static", static_url_path="/static/plans")

# Months shown by default in the board report's "what changed since".
REPORT_MONTHS = 3
# Who reads the board report (the coordinator takes it to the board; board members are viewers).
REPORT_ROLES = ("coordinator", "viewer")
# The plan list's filter panels kept per process, apart from the layout's renderings (site.templating): every
# filter combination makes a panel, and browsing them should not push the header and navigation out.
KEPT_FILTER_PANELS = 200
FILTER_PANELS_KEY = "scp_tracker.plan_filter_panels"
# The plan lists kept per process (plan_listing): one per plan and query string seen since the history last moved.
KEPT_PLAN_LISTS = 200
PLAN_LISTS_KEY = "scp_tracker.plan_lists"
# The objective pages kept per process (objective): one per objective seen since the history last moved.
KEPT_OBJECTIVE_PAGES = 200
OBJECTIVE_PAGES_KEY = "scp_tracker.objective_pages"


def _plan_or_none() -> Plan | None:
    """The plan asked for by ?year=, else the current plan; an unknown year is a 404."""
    year = request.args.get("year")
    plan = plan_for_year(year)
    if plan is None and year:
        abort(404)
    return plan


def _no_plan():
    """The page shown while there is no plan at all."""
    return render_template("plans/no_plan.html", can_manage=can_manage(current_user))


def _objective_or_404(objective_id: int):
    """The objective to edit or add progress to, with what those pages and services need, or 404."""
    objective = queries.get_objective(objective_id)
    if objective is None:
        abort(404)
    return objective


def pagination_params(page: int, pages: int, href) -> dict | None:
    """govukPagination's parameters: first, last and the pages around this one, with gaps as ellipses."""
    if pages <= 1:
        return None
    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    hrefs = {number: href(number) for number in shown}  # previous and next are among them: build each link once
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": hrefs[number], "current": number == page})
        previous = number
    params = {"items": items}
    if page > 1:
        params["previous"] = {"href": hrefs[page - 1]}
    if page < pages:
        params["next"] = {"href": hrefs[page + 1]}
    return params


@bp.get("/plan")
@role_required()
def index():
    """The plan's objectives by key priority, filtered, sorted and paginated."""
    plan = _plan_or_none()
    if plan is None:
        return _no_plan()
    return render_template("plans/index.html", plan=plan, listing=plan_listing(plan))


@dataclass(frozen=True)
class PlanListing:
    """The plan list's content drawn for one query string, and whether its filters had errors (for the title)."""

    has_errors: bool
    content: Markup


def plan_listing(plan: Plan) -> PlanListing:
    """This query string's list, drawn once and kept in the process until the history moves or the day changes.

    Everyone who may see the plan sees the same list, so it is kept apart from the page around it (the header
    shows the person). Lists filtered on days without an update are also drawn again when the next objective
    reaches that age. At most KEPT_PLAN_LISTS are kept per worker.
    """
    now = utcnow()
    today = today_in_london(now)
    what = ("plan list", plan.id, plan.year, plan.title, plan.status, request.script_root,
            tuple(request.args.items(multi=True)))
    return queries.remembered(what, (today,), lambda: _draw_listing(plan, today, now), now=now,
                              store=PLAN_LISTS_KEY, limit=KEPT_PLAN_LISTS)


def _draw_listing(plan: Plan, today: date, now: datetime) -> tuple[PlanListing, datetime | None]:
    """The list for this query string, and when time alone changes it (None: only a change does)."""
    panel = filter_panel(plan)
    result = queries.list_objectives(plan, panel.filters, sort=panel.sort,
                                     page=request.args.get("page", 1, type=int), today=today, now=now)
    args = request.args.to_dict()
    content = render_template(
        "plans/_list.html", plan=plan, filter_panel=panel, result=result,
        groups=_by_key_priority(result.objectives) if panel.sort == "priority" else None,
        is_filtered=any(value for name, value in args.items() if name not in ("year", "page", "sort")),
        pagination=pagination_params(result.page, result.pages,
                                     lambda n: url_for("plans.index", **{**args, "page": n})),
    )
    days = panel.filters.no_update_days
    until = None if days is None else queries.next_to_go_without_update(plan, days=days, now=now)
    return PlanListing(panel.has_errors, Markup(content)), until


def _by_key_priority(objectives: list) -> list[tuple]:
    """Objectives in plan order, grouped under their key priority."""
    return [(kp, list(group)) for kp, group in groupby(objectives, key=lambda o: o.key_priority)]


@dataclass(frozen=True)
class FilterPanel:
    """The plan list's filters as read from one query string: what they select, and their form drawn."""

    filters: queries.ObjectiveFilters
    sort: str
    has_errors: bool
    error_summary: Markup
    form: Markup


def filter_panel(plan: Plan) -> FilterPanel:
    """This request's filters, read and drawn once per plan, choices and query string, then kept in the process.

    The form shows nothing but the query string and the choices, nothing of the person (it has no CSRF token:
    it changes nothing). The choices are read on every request (three small queries) so that a key priority or
    agency added or renamed shows at once; the page number does not change the form.
    """
    offered = queries.filter_choices(plan)
    key = (plan.id, plan.year, offered, request.script_root,
           tuple((name, value) for name, value in request.args.items(multi=True) if name != "page"))
    return kept_in(FILTER_PANELS_KEY, KEPT_FILTER_PANELS, key, lambda: _read_filters(plan, offered))


def _read_filters(plan: Plan, offered: queries.FilterChoices) -> FilterPanel:
    """Validate the query string against the choices and draw the form and its error summary."""
    form = ObjectiveFilterForm(request.args)
    form.set_choices(offered)
    form.validate()
    return FilterPanel(
        filters=form.filters(), sort=form.sort_key(), has_errors=bool(form.errors),
        error_summary=get_template_attribute("site/macros.html", "error_summary")(form),
        form=get_template_attribute("plans/_filters.html", "filter_form")(form, plan),
    )


@bp.get("/objectives/<int:objective_id>")
@role_required()
def objective(objective_id: int):
    """Everything about one objective, its progress and its change history."""
    page = queries.remembered(("objective page", objective_id, request.script_root), (),
                              lambda: (_objective_page(objective_id), None),
                              store=OBJECTIVE_PAGES_KEY, limit=KEPT_OBJECTIVE_PAGES)
    if page is None:
        abort(404)
    return render_template("plans/objective.html", objective=page.objective, body=page.body_for(current_user))


@dataclass(frozen=True)
class ObjectivePage:
    """An objective's page below the header, remembered until the history moves: what it shows, and its body
    drawn once for each set of actions a viewer may be offered (the only part that differs between viewers)."""

    objective: queries.ObjectiveDetails
    drawn: dict = field(default_factory=dict)

    def body_for(self, user) -> Markup:
        """The body with the buttons and links this person may use."""
        offered = (can_add_progress(user, self.objective), can_edit_objective(user, self.objective),
                   can_record_event_for(user, user.contact.agency_id))
        if offered not in self.drawn:
            titles = queries.priority_titles(self.objective.plan_id)
            self.drawn[offered] = Markup(render_template(
                "plans/_objective.html", objective=self.objective, history=queries.change_history(self.objective.id),
                police_titles=titles["police"], pcc_titles=titles["pcc"],
                can_add_progress=offered[0], can_edit=offered[1], can_record_event=offered[2],
            ))
        return self.drawn[offered]


def _objective_page(objective_id: int) -> ObjectivePage | None:
    """The objective's page to remember, or None if there is no such objective."""
    details = queries.objective_details(objective_id)
    return None if details is None else ObjectivePage(details)


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
    form.set_choices(**queries.edit_choices(objective))
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
        form.set_agencies(queries.edit_choices(objective)["agencies"])
    else:
        form = ProgressForm(data={"rag": objective.rag} if request.method == "GET" else None)
    # The form sets the objective's RAG: saved after someone else changed it, it would silently put the old one back.
    edit_guard = EditGuard(form, version=lambda: objective.version, shown=lambda: {"rag": objective.rag})
    if form.validate_on_submit():
        values = form.values_for(leads_now) if isinstance(form, LeadProgressForm) else form.values()
        edit_guard.save(lambda: services.add_progress(objective, values, Actor.for_user(current_user), now=utcnow()))
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
    plan = _plan_or_none()
    if plan is None:
        return _no_plan()
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
    plan = _plan_or_none()
    if plan is None:
        abort(404)
    open_objectives = queries.open_objectives(plan)
    form = NextPlanForm(data={"title": services.suggested_title(plan),
                              "objectives": [o.id for o in open_objectives]} if request.method == "GET" else None)
    form.set_objectives(open_objectives)
    if form.validate_on_submit():
        try:
            new_plan = services.carry_forward(plan, form.objectives.data, title=form.title.data.strip(),
                                              actor=Actor.for_user(current_user))
        except services.PlanError as error:
            db.session.rollback()  # a race lost on the plan's year spoils the transaction
            form.title.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"The {new_plan.year} plan has been started with {len(form.objectives.data)} objectives "
                  f"carried forward", "success")
            return redirect(url_for("plans.index", year=new_plan.year))
    return render_template("plans/next.html", form=form, plan=plan, next_year=services.next_year(plan.year))


@bp.get("/")
@role_required()
def dashboard():
    """The home page: the plan's RAG by key priority, what needs attention, funding and end dates."""
    plan = _plan_or_none()
    if plan is None:
        return _no_plan()
    now = utcnow()
    today = today_in_london(now)
    return render_template(
        "plans/dashboard.html", plan=plan, today=today,
        figures=queries.remembered_dashboard(plan, today=today, now=now),
        due_soon_days=queries.DUE_SOON_DAYS, stale_days=queries.STALE_DAYS,
        can_see_report=has_role(current_user, *REPORT_ROLES),
    )


@bp.get("/report")
@role_required(*REPORT_ROLES)
def board_report():
    """The printable board report: each key priority's objectives, RAG, latest progress and changes since a date."""
    plan = _plan_or_none()
    if plan is None:
        return _no_plan()
    today = today_in_london()
    default = today - relativedelta(months=REPORT_MONTHS)
    form = ReportForm(request.args if "since" in request.args else None, since=default)
    since = form.since.data if form.validate() and form.since.data else default
    return render_template("plans/report.html", plan=plan, form=form, since=since, today=today,
                           sections=queries.board_report(plan, since=since))


@bp.route("/chasing", methods=["GET", "POST"])
@role_required("coordinator")
def chasing():
    """Objectives that need an update, and a button to ask their leads for one (written to the outbox)."""
    plan = _plan_or_none()
    if plan is None:
        return _no_plan()
    now = utcnow()
    items = queries.chasing_list(plan, today=today_in_london(now), now=now)
    form = ChaseForm()
    form.set_objectives(items)
    if form.validate_on_submit():
        chosen = set(form.objectives.data)
        result = services.request_updates([item for item in items if item.objective.id in chosen],
                                          actor=Actor.for_user(current_user), now=now)
        db.session.commit()
        flash(_chase_message(result), "success")
        return redirect(url_for("plans.chasing", **request.args))
    return render_template("plans/chasing.html", plan=plan, items=items, form=form, stale_days=queries.STALE_DAYS,
                           today=today_in_london(now))


def _chase_message(result: services.ChaseResult) -> str:
    """What the coordinator is told after asking for updates."""
    emails = f"{result.emails} request{'' if result.emails == 1 else 's'} for an update"
    message = f"{emails} will be sent in the next few minutes"
    if result.nobody_to_ask:
        message += f". Nobody to ask about: {', '.join(result.nobody_to_ask)} (add a lead contact first)"
    return message


@bp.get("/end-date-requests")
@role_required("coordinator")
def end_date_requests():
    """Leads' requests to move an end date or change the lead agencies, for the coordinator to approve or decline."""
    leads = lead_requests.pending()
    return render_template("plans/end_date_requests.html", requests=services.end_date_requests(),
                           lead_requests=leads, asked_for=lead_requests.asked_for(leads))


@bp.post("/lead-requests/<int:update_id>")
@role_required("coordinator")
def decide_lead_request(update_id: int):
    """Approve or decline a lead's request to change an objective's lead agencies (only the coordinator may)."""
    decision = request.form.get("decision")
    if not FlaskForm().validate_on_submit() or decision not in ("approve", "decline"):
        abort(400)
    update = lead_requests.find(update_id)
    if update is None:
        abort(404)
    try:
        lead_requests.decide(update, decision == "approve", Actor.for_user(current_user))
    except services.PlanError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"The lead agencies of {update.objective.title} are now {update.objective.lead_text or 'TBC'}"
              if decision == "approve" else
              f"The request to change the lead agencies of {update.objective.title} was declined", "success")
    return redirect(url_for("plans.end_date_requests"))


@bp.post("/end-date-requests/<int:update_id>")
@role_required("coordinator")
def decide_end_date_request(update_id: int):
    """Approve or decline one request (the buttons carry the decision); approving moves the end date."""
    decision = request.form.get("decision")
    if not FlaskForm().validate_on_submit() or decision not in ("approve", "decline"):
        abort(400)
    update = services.end_date_request(update_id)
    if update is None:
        abort(404)
    try:
        services.decide_end_date_request(update, decision == "approve", Actor.for_user(current_user), now=utcnow())
    except services.PlanError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"The end date of {update.objective.title} is now {update.objective.end_date_text}"
              if decision == "approve" else
              f"The request to move the end date of {update.objective.title} was declined", "success")
    return redirect(url_for("plans.end_date_requests"))


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
                                 as_of=today_in_london(), dry_run=True)
        except (uploads.UploadError, PlanFileError) as error:
            form.plan_file.errors.append(str(error))
        else:
            stored = uploads.save(_upload_folder(), upload.filename, content)
            confirm = ImportConfirmForm(formdata=None, upload=stored, filename=upload.filename)
            return render_template("plans/import_preview.html", report=report, form=confirm)
    return render_template("plans/import.html", form=form)


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
        report = import_plan(content, form.filename.data, actor=Actor.for_user(current_user),
                             as_of=today_in_london(), dry_run=False)
    except (uploads.UploadError, PlanFileError) as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("plans.import_upload"))
    db.session.commit()
    uploads.delete(folder, form.upload.data)
    flash(report.summary(), "success")
    return redirect(url_for("plans.index", year=report.plan_year))


@bp.get("/export/<fmt>")
@role_required()
def export(fmt: str):
    """Download the plan as JSON (lossless), CSV, a spreadsheet or the printable plan document."""
    plan = _plan_or_none()
    if plan is None or fmt not in FORMATS:
        abort(404)
    content, mimetype, filename = export_plan(plan, fmt)
    return Response(content, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
