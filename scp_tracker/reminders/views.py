"""Reminder pages: updating from an emailed link, preferences, calendar feeds, and the coordinator's preview,
settings and pauses. Thin views over the reminders services."""

from datetime import datetime, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from scp_tracker.core import links
from scp_tracker.core.clock import LONDON, today_in_london, utcnow
from scp_tracker.core.edits import EditGuard, fingerprint
from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.notifications import preference_links as tokens
from scp_tracker.people.models import Contact
from scp_tracker.people.permissions import role_required
from scp_tracker.plans import update_links
from scp_tracker.plans.forms import ProgressForm
from scp_tracker.reminders import forms, services
from scp_tracker.reminders.calendar_feeds import (
    active_calendar_feed,
    calendar_for_token,
    new_calendar_feed,
    revoke_calendar_feeds,
)
from scp_tracker.reminders.emailed_updates import LinkError, send_fresh_link, update_from_link, usable_token
from scp_tracker.reminders.preferences import paused_contacts, preferences_of, save_preferences
from scp_tracker.reminders.rules import KIND_LABELS, is_run_day
from scp_tracker.reminders.settings import load_settings, save_settings

bp = Blueprint("reminders", __name__)

# Pages opened from emailed links: the token in the address must not leak to other sites or caches.
LINK_PAGE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


# --- updating an objective from an emailed link ------------------------------------------------

def _link_problem(error: LinkError):
    """The page for a link that cannot be used, offering a new one when we know whose it was."""
    form = forms.FreshLinkForm() if error.token is not None else None
    status = 404 if error.state == "unknown" else 410
    assert request.view_args is not None  # called only from views routed with <token>
    return render_template("reminders/link_problem.html", error=error, form=form,
                           token=request.view_args["token"]), status, LINK_PAGE_HEADERS


@bp.route("/update/<token>", methods=["GET", "POST"])
def update(token: str):
    """Show an objective and its update form (changing nothing); a POST records the update and uses the link up."""
    now = utcnow()
    try:
        update_token = usable_token(token, now)
    except LinkError as error:
        return _link_problem(error)
    objective = update_token.objective
    form = ProgressForm(rag=objective.rag)
    # The form sets the objective's RAG: saved after someone else changed it, it would silently put the old one back.
    edit_guard = EditGuard(form, version=lambda: objective.version, shown=lambda: {"rag": objective.rag})
    if form.validate_on_submit():
        try:
            edit_guard.save(lambda: update_from_link(token, form.values(), now=now))
        except LinkError as error:
            db.session.rollback()
            return _link_problem(error)
        if not edit_guard.conflict:  # a refused save leaves the link unused
            return redirect(url_for("reminders.update_done", token=token))
        db.session.expire_all()  # read the link again: a submission at the same moment may have used it up
        try:
            usable_token(token, now)
        except LinkError as error:
            return _link_problem(error)
    return render_template("reminders/update.html", form=form, objective=objective, contact=update_token.contact,
                           token=update_token, conflict=edit_guard.conflict), edit_guard.status, LINK_PAGE_HEADERS


@bp.get("/update/<token>/done")
def update_done(token: str):
    """The confirmation after an update from a link (only ever shown for a link that has been used)."""
    update_token = update_links.find_update_token(token)
    if update_token is None or update_token.used_at is None:
        return redirect(url_for("reminders.update", token=token))
    return render_template("reminders/update_done.html", objective=update_token.objective,
                           contact=update_token.contact), 200, LINK_PAGE_HEADERS


@bp.post("/update/<token>/fresh")
def fresh_link(token: str):
    """Email a new link to the person an expired or used link was for (at most once a day per objective)."""
    update_token = update_links.find_update_token(token)
    form = forms.FreshLinkForm()
    if update_token is None or not form.validate_on_submit():
        return _link_problem(LinkError("unknown"))
    try:
        sent = send_fresh_link(update_token, now=utcnow())
    except services.ReminderError as error:
        db.session.rollback()
        return render_template("reminders/fresh_link_sent.html", problem=str(error)), 200, LINK_PAGE_HEADERS
    db.session.commit()
    return render_template("reminders/fresh_link_sent.html", sent=sent,
                           objective=update_token.objective), 200, LINK_PAGE_HEADERS


# --- a contact's own preferences and calendar ---------------------------------------------------

def _contact_for(token: str | None) -> Contact | None:
    """The contact whose preferences these are: from a signed emailed link, or the signed-in user's own."""
    if token is not None:
        return tokens.contact_from_preferences_token(token)
    return current_user.contact if current_user.is_authenticated else None


def _actor(contact: Contact) -> Actor:
    """Who the history says changed the preferences."""
    if current_user.is_authenticated and current_user.contact_id == contact.id:
        return Actor.for_user(current_user)
    return Actor.for_contact(contact)


def _preferences_page(contact: Contact, token: str | None, form, calendar_url: str | None = None):
    """The preferences page; opened from an emailed link, its address must not leak."""
    return render_template(
        "reminders/preferences.html", form=form, contact=contact, token=token,
        calendar_form=forms.CalendarForm(), calendar_feed=active_calendar_feed(contact),
        calendar_url=calendar_url,
    ), 200, LINK_PAGE_HEADERS if token else {}


def _without_contact(token: str | None):
    """An expired preferences link gets a page saying so; no link and no sign-in goes to sign in."""
    if token is not None:
        return render_template("reminders/link_problem.html", error=LinkError("expired"), form=None,
                               token=None, preferences=True), 410, LINK_PAGE_HEADERS
    return redirect(url_for("people.login", next=request.path))


@bp.route("/preferences", methods=["GET", "POST"], defaults={"token": None})
@bp.route("/preferences/<token>", methods=["GET", "POST"])
def preferences(token: str | None):
    """Pause reminders until a date and choose the optional kinds."""
    contact = _contact_for(token)
    if contact is None:
        return _without_contact(token)
    form = forms.PreferencesForm() if request.method == "POST" else \
        forms.PreferencesForm.showing(preferences_of(contact))
    if form.validate_on_submit():
        try:
            save_preferences(contact, form.preferences(), _actor(contact), today=today_in_london())
        except services.ReminderError as error:
            db.session.rollback()
            form.paused_until.errors = [*form.paused_until.errors, str(error)]
        else:
            db.session.commit()
            flash("Your reminder preferences have been saved", "success")
            return redirect(url_for("reminders.preferences", token=token))
    return _preferences_page(contact, token, form)


@bp.post("/preferences/calendar", defaults={"token": None})
@bp.post("/preferences/<token>/calendar")
def calendar_address(token: str | None):
    """Make a new private calendar address (shown once, ending the old one) or turn it off."""
    contact = _contact_for(token)
    if contact is None:
        return _without_contact(token)
    form = forms.CalendarForm()
    if not form.validate_on_submit():
        abort(400)
    now = utcnow()
    if form.new.data:
        raw = new_calendar_feed(contact, now=now)
        db.session.commit()
        calendar_url = links.absolute_url(url_for("reminders.calendar", token=raw))
        return _preferences_page(contact, token, forms.PreferencesForm.showing(preferences_of(contact)),
                                 calendar_url=calendar_url)
    revoke_calendar_feeds(contact, now=now)
    db.session.commit()
    flash("Your calendar address has been turned off", "success")
    return redirect(url_for("reminders.preferences", token=token))


@bp.get("/calendar/<token>.ics")
def calendar(token: str):
    """The private calendar of end dates a contact leads."""
    body = calendar_for_token(token, now=utcnow())
    if body is None:
        abort(404)
    return Response(body, mimetype="text/calendar", headers={
        **LINK_PAGE_HEADERS, "Content-Disposition": 'inline; filename="end-dates.ics"'})


# --- the coordinator's pages -------------------------------------------------------------------

def _next_run(now: datetime, settings) -> datetime:
    """When the scheduled run next happens, London time."""
    local = now.astimezone(LONDON)
    day = local.date()
    at = local.replace(hour=settings.run_hour, minute=settings.run_minute, second=0, microsecond=0)
    if local >= at:
        day += timedelta(days=1)
    while not is_run_day(day, settings):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, settings.run_hour, settings.run_minute, tzinfo=LONDON)


@bp.get("/reminders/preview")
@role_required("coordinator")
def preview():
    """Exactly what a run would send on a date (today by default), per person, without sending anything."""
    now = utcnow()
    today = today_in_london(now)
    date_form = forms.PreviewDateForm(request.args)
    on = date_form.chosen(today)
    report = services.run_reminders(on, now=now, dry_run=True, force=True)
    db.session.rollback()
    settings = load_settings()
    return render_template("reminders/preview.html", report=report, on=on, today=today, date_form=date_form,
                           next_run=_next_run(now, settings), is_run_day=is_run_day(on, settings),
                           kind_labels=KIND_LABELS, form=forms.SendNowForm())


@bp.post("/reminders/send")
@role_required("coordinator")
def send():
    """Run today's reminders now; the outbox delivers them within a minute."""
    form = forms.SendNowForm()
    if not form.validate_on_submit():
        abort(400)
    now = utcnow()
    report = services.run_reminders(today_in_london(now), now=now, force=True)
    db.session.commit()
    if report.digests:
        flash(f"{len(report.digests)} reminder emails with {report.reminder_count} reminders have been queued",
              "success")
    else:
        flash("There was nothing new to send", "success")
    return redirect(url_for("reminders.preview"))


@bp.route("/reminders/settings", methods=["GET", "POST"])
@role_required("coordinator")
def settings():
    """The thresholds, repeat periods and run time of the reminders."""
    form = forms.SettingsForm() if request.method == "POST" else forms.SettingsForm.showing(load_settings())
    # The settings are several rows: their version is a fingerprint of them all.
    edit_guard = EditGuard(form, version=lambda: fingerprint(forms.SettingsForm.shown(load_settings())),
                           shown=lambda: forms.SettingsForm.shown(load_settings()))
    if form.validate_on_submit():
        changed = edit_guard.save(lambda: save_settings(form.settings(), user_id=current_user.id,
                                                                 now=utcnow()))
        if not edit_guard.conflict:
            flash("Reminder settings saved" if changed else "No settings were changed", "success")
            return redirect(url_for("reminders.settings"))
    return render_template("reminders/settings.html", form=form, conflict=edit_guard.conflict), edit_guard.status


@bp.get("/reminders/paused")
@role_required("coordinator")
def paused():
    """Who has paused their reminders, and until when."""
    return render_template("reminders/paused.html", contacts=paused_contacts(today_in_london()))
