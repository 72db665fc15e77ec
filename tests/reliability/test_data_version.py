"""The data version (scp_tracker.core.data_version): every write moves it, so figures kept on it are never stale.

Every POST route of app.url_map is walked with a valid-enough write: the route's own form as its page draws it,
with the changes the table below makes. A route without an entry fails the test, so a new write path is walked
too. Writes made behind the services, through the session, move it all the same and show on the dashboard at once.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from sqlalchemy import text, update
from support.reliability import changed_tables, table_snapshot

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.data_version import UNCOUNTED_TABLES, current_version
from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db as _db
from scp_tracker.operations.models import SchedulerHeartbeat
from scp_tracker.plans.models import Objective


@dataclass(frozen=True)
class Write:
    """A write through a route: who makes it, the route's parameters (names in the world) and what to type."""

    role: str = "coordinator"
    params: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    read_form: bool = True  # start from the fields the route's GET page draws


def write(role="coordinator", data=None, read_form=True, **params) -> Write:
    """One write of the table below."""
    return Write(role, params, data or {}, read_form)


TODAY = today_in_london()
DAY = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]
PASSWORD = "correct horse battery staple"  # support.people
NEW_PASSWORD = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}

# rule → the write it is walked with.
WRITES: dict[str, Write] = {
    "/account/password": write("viewer", {"current_password": PASSWORD, **NEW_PASSWORD}),
    "/agencies/<int:agency_id>/deactivate": write(agency_id="spare_agency"),
    "/agencies/<int:agency_id>/edit": write(agency_id="spare_agency", data={"name": "Spare Agency Renamed"}),
    "/agencies/<int:agency_id>/reactivate": write(agency_id="spare_agency"),
    "/agencies/add": write(data={"abbreviation": "NEWA", "name": "A new agency"}),
    "/agencies/<int:agency_id>/single-sign-on/domains": write(agency_id="spare_agency", read_form=False,
                                                              data={"domain": "new.example.org", "role": "viewer"}),
    "/agencies/<int:agency_id>/single-sign-on/domains/<int:domain_id>/remove": write(
        agency_id="spare_agency", domain_id="sign_in_domain", read_form=False),
    # refused here, where no provider is set up (tests/people/test_people_single_sign_on.py requires it with one)
    "/agencies/<int:agency_id>/single-sign-on/required": write(agency_id="spare_agency", data={"requires": "yes"},
                                                               read_form=False),
    "/chasing": write(data={"objectives": ["@lead_objective"]}),
    "/contacts/<int:contact_id>/deactivate": write(contact_id="spare_contact"),
    "/contacts/<int:contact_id>/edit": write(contact_id="spare_contact", data={"name": "Sam Spare-Renamed"}),
    "/contacts/<int:contact_id>/reactivate": write(contact_id="spare_contact"),
    "/contacts/add": write(data={"name": "Nina New", "email": "nina.new@example.org", "agency_id": "@spare_agency"}),
    "/emails/<int:outbox_id>/resend": write(outbox_id="outbox_message"),
    "/end-date-requests/<int:update_id>": write(update_id="end_date_request", data={"decision": "approve"},
                                                read_form=False),
    "/lead-requests/<int:update_id>": write(update_id="lead_request", data={"decision": "approve"},
                                            read_form=False),
    "/funding-requests/<int:update_id>": write(update_id="funding_request", data={"decision": "approve"},
                                               read_form=False),
    "/events/<int:event_id>/edit": write(event_id="other_event", data={"title": "CBC event renamed"}),
    "/events/new": write(data={"title": "A new event", "kind": "training", "starts_on": DAY,
                                     "organising_agency_id": "@lead_agency"}),
    "/indicators/new": write(data={"name": "Knife crime", "key_priority": "@key_priority"}),
    "/indicators/<int:indicator_id>/edit": write(indicator_id="lead_indicator", data={"target_value": "90"}),
    "/indicators/<int:indicator_id>/figures": write("lead", indicator_id="lead_indicator",
                                                    data={"period": "2016-Q3", "value": "120"}),
    "/indicators/tolerance": write(data={"tolerance_percent": "8"}),
    "/indicators/carry": write(read_form=False),  # no plan of the year before in the world: a 404
    "/your-objectives/<token>/figures": write("anonymous", token="lead_link_token"),  # none late: nothing to save
    "/import": write(read_form=False),
    "/import/confirm": write(read_form=False),
    "/import/columns": write(read_form=False),  # a preview: nothing written
    "/notifications/<int:notification_id>/read": write(notification_id="missing"),
    "/notifications/read": write(),
    "/notifications/settings": write(),
    "/notifications/settings/<token>": write("anonymous", token="preferences_token"),
    "/objectives/<int:objective_id>/edit": write(objective_id="other_objective", data={"title": "Keep Safe renamed"}),
    "/objectives/<int:objective_id>/progress": write(objective_id="other_objective",
                                                     data={"text": "Going well", "rag": "green"}),
    "/plans/next": write(),
    "/plans/<year>/agree": write(year="plan_year", data={"agreed_on": DAY, "meeting": "Partnership board"}),
    "/plans/<year>/key-priorities/new": write(year="plan_year", data={"title": "Tackle fraud"}),
    "/plans/<year>/objectives/new": write(year="plan_year", data={"key_priority": "@key_priority",
                                                                  "title": "A new objective", "text": "Do it"}),
    "/objectives/<int:objective_id>/retire": write(objective_id="other_objective"),
    # archiving the plan or retiring its key priority would leave later routes nothing to change: walked in
    # tests/plans (test_plan_life.py, test_add_retire.py)
    "/plans/<year>/archive": write(year="missing_year"),
    "/key-priorities/<int:key_priority_id>/retire": write(key_priority_id="missing"),
    "/preferences": write("lead"),
    "/preferences/<token>": write("anonymous", token="preferences_token"),
    "/preferences/<token>/calendar": write("anonymous", token="preferences_token"),
    "/preferences/calendar": write("lead"),
    "/reminders/send": write(),
    "/reminders/settings": write(),
    "/rounds": write(data={"meeting_on": ["20", "9", "2016"]}),
    "/rounds/<int:round_id>": write(round_id="meeting_round"),  # remind now: a signal the reminders area hears
    "/rounds/<int:round_id>/change": write(round_id="meeting_round", data={"name": "Spring board"}),
    "/rounds/<int:round_id>/remove": write(round_id="meeting_round", read_form=False),
    "/reset-password/<token>": write("anonymous", NEW_PASSWORD, token="reset_token"),
    "/set-password/<token>": write("anonymous", NEW_PASSWORD, token="invite_token"),
    "/sign-in": write("anonymous", {"email": "viewer@example.org", "password": PASSWORD}),
    "/sign-in/forgotten": write("anonymous", {"email": "lead@example.org"}),
    "/sign-out": write("viewer", read_form=False),
    "/update/<token>": write("anonymous", {"text": "Progress by link", "rag": "green"}, token="update_token"),
    "/your-objectives/<token>": write("anonymous", {"objectives-0-text": "Progress by link",
                                                    "objectives-0-rag": "green"}, token="lead_link_token"),
    "/update/<token>/fresh": write("anonymous", token="tampered_token"),
    "/users/<int:user_id>/disable": write(user_id="lead_user"),
    "/users/<int:user_id>/enable": write(user_id="lead_user"),
    "/users/<int:user_id>/resend-invitation": write(user_id="invited_user"),
    "/users/<int:user_id>/role": write(user_id="lead_user", data={"roles": "partner"}),
    "/users/invite": write(data={"name": "Sam Spare", "email": "sam.spare@example.org", "roles": "viewer",
                                 "agency_id": "@spare_agency"}),
}


class FormFields(HTMLParser):
    """The values a browser would send from the page's POST forms (text, hidden, checked, selected)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._in_post_form = False
        self._select: str | None = None
        self._first_option: tuple[str, str] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = (attrs.get("method") or "").lower() == "post" and "app-sign-out" not in (
                attrs.get("class") or "")
        if not self._in_post_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values.setdefault(name, []).append(attrs.get("value") or ("y" if attrs.get("type") == "checkbox"
                                                                          else ""))
        elif tag == "select":
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = (self._select, attrs.get("value") or "")
            if "selected" in attrs:
                self.values[self._select] = [attrs.get("value") or ""]
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, [""])

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if self._select not in self.values and self._first_option:
                self.values[self._select] = [self._first_option[1]]
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.values[self._textarea][-1] = self.values[self._textarea][-1].lstrip("\n")
            self._textarea = None
        elif tag == "form":
            self._in_post_form = False


def form_data(client, path: str, item: Write, world) -> dict:
    """What to post: the route's form as drawn, with the entry's values typed over it."""
    values: dict[str, list[str]] = {}
    if item.read_form:
        page = client.get(path)
        if page.status_code == 200:
            parser = FormFields()
            parser.feed(page.get_data(as_text=True))
            values = parser.values
    typed = {name: value if isinstance(value, list) else [value] for name, value in item.data.items()}
    return {**values, **{name: [_value(value, world) for value in values] for name, values in typed.items()}}


def _value(value: str, world) -> str:
    """A typed value; "@name" is the id of a thing of the world."""
    return str(world.params[value[1:]]) if value.startswith("@") else value


def _path(rule, params: dict, world) -> str:
    """The URL of a rule with the world's values for its parameters."""
    return rule.build({**(rule.defaults or {}), **{name: world.params[value] for name, value in params.items()}})[1]


def test_every_post_route_that_writes_moves_the_data_version(app, world, client_as):
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    missing = sorted({rule.rule for rule in rules} - set(WRITES))
    assert not missing, f"POST routes with no write in the table (walk them): {missing}"
    wrote, forgotten = [], []
    for rule in rules:
        item = WRITES[rule.rule]
        client = client_as(item.role)
        path = _path(rule, item.params, world)
        data = form_data(client, path, item, world)
        before, version = table_snapshot(), current_version()
        response = client.post(path, data=data)
        response.close()
        changed = [name for name in changed_tables(before, table_snapshot()) if name != "data_version"]
        moved = current_version() != version
        _db.session.rollback()
        counted = [name for name in changed if name not in UNCOUNTED_TABLES]
        if counted:
            wrote.append(rule.rule)
            if not moved:
                forgotten.append(f"POST {path} ({response.status_code}) changed {counted}, the version did not move")
    assert not forgotten, "\n".join(forgotten)
    # The walk is a real one: routes wrote (the rest, with the world's data, had nothing to do: an empty chasing
    # list, an import without a file, a link already used, a queued email that needs no resending).
    assert len(wrote) >= 30, sorted(set(WRITES) - set(wrote))


def _flat(body: str) -> str:
    """A page's text without tags or extra spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_a_change_behind_the_services_shows_on_the_dashboard_at_once(db, sample_plan, plans_client, make_event,
                                                                     known_agency, count_queries):
    sample = sample_plan(8)  # end dates from 30 days ago: all eight overdue
    client = plans_client("coordinator")
    assert "Overdue 8 open objectives" in _flat(client.get("/").get_data(as_text=True))
    with count_queries() as statements:
        client.get("/")
    assert not [s for s in statements if "GROUP BY" in s]  # the figures were kept

    # Through the session, as a command, a job or a future service that forgets every rule would write.
    db.session.get(Objective, sample.objective_ids[0]).end_date = today_in_london() + timedelta(days=100)
    db.session.commit()
    assert "Overdue 7 open objectives" in _flat(client.get("/").get_data(as_text=True))

    db.session.execute(update(Objective).where(Objective.id == sample.objective_ids[1]).values(status="cancelled"))
    db.session.commit()
    assert "Overdue 6 open objectives" in _flat(client.get("/").get_data(as_text=True))

    event = make_event(known_agency("EP"), starts_on=today_in_london(), attendance=41,
                       objectives=[db.session.get(Objective, sample.objective_ids[2])])
    db.session.commit()
    assert "41" in _flat(client.get("/").get_data(as_text=True))
    event.attendance = 59
    db.session.commit()
    body = _flat(client.get("/").get_data(as_text=True))
    assert "59" in body and " 41 " not in body


def test_only_committed_counted_changes_move_the_version(db, sample_plan):
    sample = sample_plan(2)
    start = current_version()
    db.session.get(Objective, sample.objective_ids[0]).title = "Never kept"
    db.session.flush()
    db.session.rollback()
    assert current_version() == start  # rolled back: nothing changed

    now = utcnow()
    db.session.add(SchedulerHeartbeat(process_key="host:1", hostname="host", pid=1, started_at=now, last_beat_at=now))
    db.session.commit()
    assert current_version() == start  # the scheduler's beat is no figure's business

    objective = db.session.get(Objective, sample.objective_ids[0])
    objective.title = objective.title  # set to what it was: no change
    db.session.commit()
    assert current_version() == start

    objective.title = "Renamed"
    db.session.flush()
    objective.rag = "red"  # two flushes, one transaction: one move
    db.session.commit()
    assert current_version() == start + 1

    db.session.delete(db.session.scalar(db.select(ChangeRecord)))
    db.session.commit()
    assert current_version() == start + 2

    db.session.execute(text("SELECT title FROM objective"))
    db.session.commit()
    assert current_version() == start + 2  # only read
    db.session.execute(text("UPDATE objective SET rag = 'amber'"))
    db.session.commit()
    assert current_version() == start + 3
