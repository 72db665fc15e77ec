"""The role matrix: every route of app.url_map, as every role and as nobody, answers as this table says.

A route without an entry here fails the test, so a new page cannot be added without deciding who may use it.
Requests that forge another agency's ids (an objective, an event, a contact, an emailed link) are cases of their
own. Every GET is checked against a snapshot of every table: opening a page never changes anything. A POST that
is refused (403, or sent to sign in) must change nothing either. Every response carries the security headers.
"""

import re
from dataclasses import dataclass

from support.reliability import changed_tables, table_snapshot

ROLES = ("coordinator", "lead", "partner", "viewer", "anonymous")


def answers(coordinator, lead, partner, viewer, anonymous) -> dict[str, int]:
    """The status each role gets, in the order of ROLES."""
    return dict(zip(ROLES, (coordinator, lead, partner, viewer, anonymous), strict=True))


PUBLIC = answers(200, 200, 200, 200, 200)
SIGNED_IN = answers(200, 200, 200, 200, 302)
COORDINATOR = answers(200, 403, 403, 403, 302)
COORDINATOR_REDIRECTS = answers(302, 403, 403, 403, 302)
NOT_FOUND_SIGNED_IN = answers(404, 404, 404, 404, 302)
COORDINATOR_NOT_FOUND = answers(404, 403, 403, 403, 302)
ALL_REDIRECT = answers(302, 302, 302, 302, 302)
ALL_GONE = answers(410, 410, 410, 410, 410)
ALL_UNKNOWN = answers(404, 404, 404, 404, 404)


@dataclass(frozen=True)
class Case:
    """One way of calling a route: its parameters (names of the world's things) and the expected answers."""

    params: dict
    get: dict | None = None
    post: dict | None = None


def case(get=None, post=None, **params) -> Case:
    """A case of a route; parameters name things in the world fixture."""
    return Case(params, get, post)


# rule → cases. Empty POSTs: a form answers 200 with its errors; a button answers with a redirect (302).
MATRIX: dict[str, list[Case]] = {
    # static files and the public pages
    "/static/<path:filename>": [case(PUBLIC, filename="stylesheet")],
    "/static/plans/<path:filename>": [case(PUBLIC, filename="plans_stylesheet")],
    "/accessibility": [case(PUBLIC)],
    "/privacy": [case(PUBLIC)],
    "/cookies": [case(PUBLIC)],
    "/healthz": [case(PUBLIC)],
    # signing in and passwords
    "/sign-in": [case(answers(302, 302, 302, 302, 200), answers(302, 302, 302, 302, 200))],
    "/sign-out": [case(post=ALL_REDIRECT)],
    "/sign-in/forgotten": [case(PUBLIC, PUBLIC)],
    "/reset-password/<token>": [case(PUBLIC, PUBLIC, token="reset_token"),
                                case(ALL_GONE, ALL_GONE, token="tampered_token"),
                                case(ALL_GONE, ALL_GONE, token="invite_token")],  # an invitation is not a reset
    "/set-password/<token>": [case(PUBLIC, PUBLIC, token="invite_token"),
                              case(ALL_GONE, ALL_GONE, token="reset_token"),
                              case(ALL_GONE, ALL_GONE, token="tampered_token")],
    "/account/password": [case(SIGNED_IN, SIGNED_IN)],
    # signing in through an organisation's account: none is configured here (tests/people/test_people_sign_in_oidc
    # goes through the dance with a real provider)
    "/sign-in/with/<provider>": [case(ALL_UNKNOWN, provider="unknown_provider")],
    "/sign-in/with/<provider>/callback": [case(ALL_UNKNOWN, provider="unknown_provider")],
    # agencies, contacts, logins
    "/agencies": [case(SIGNED_IN)],
    "/agencies/<int:agency_id>": [case(SIGNED_IN, agency_id="lead_agency"),
                                  case(NOT_FOUND_SIGNED_IN, agency_id="missing")],
    "/agencies/add": [case(COORDINATOR, COORDINATOR)],
    "/agencies/<int:agency_id>/edit": [case(COORDINATOR, COORDINATOR, agency_id="spare_agency"),
                                       case(COORDINATOR, COORDINATOR, agency_id="lead_agency"),  # the lead's own
                                       case(answers(404, 403, 403, 403, 302), agency_id="missing")],
    "/agencies/<int:agency_id>/deactivate": [case(post=COORDINATOR_REDIRECTS, agency_id="spare_agency"),
                                             case(post=answers(404, 403, 403, 403, 302), agency_id="missing")],
    "/agencies/<int:agency_id>/reactivate": [case(post=COORDINATOR_REDIRECTS, agency_id="spare_agency")],
    "/agencies/<int:agency_id>/single-sign-on": [case(COORDINATOR, agency_id="spare_agency"),
                                          case(COORDINATOR_NOT_FOUND, agency_id="missing")],
    "/agencies/<int:agency_id>/single-sign-on/domains": [case(post=COORDINATOR, agency_id="spare_agency"),
                                                  case(post=COORDINATOR_NOT_FOUND, agency_id="missing")],
    "/agencies/<int:agency_id>/single-sign-on/required": [case(post=COORDINATOR, agency_id="spare_agency"),
                                                   case(post=COORDINATOR_NOT_FOUND, agency_id="missing")],
    "/agencies/<int:agency_id>/single-sign-on/domains/<int:domain_id>/remove": [
        # another agency's domain by its id: not found, whoever asks for it
        case(post=COORDINATOR_NOT_FOUND, agency_id="lead_agency", domain_id="sign_in_domain"),
        case(post=COORDINATOR_REDIRECTS, agency_id="spare_agency", domain_id="sign_in_domain")],
    "/contacts": [case(SIGNED_IN)],
    "/contacts/add": [case(COORDINATOR, COORDINATOR)],
    "/contacts/<int:contact_id>/edit": [case(COORDINATOR, COORDINATOR, contact_id="spare_contact"),
                                        case(COORDINATOR, COORDINATOR, contact_id="lead_contact"),  # their own
                                        case(answers(404, 403, 403, 403, 302), contact_id="missing")],
    "/contacts/<int:contact_id>/deactivate": [case(post=COORDINATOR_REDIRECTS, contact_id="spare_contact")],
    "/contacts/<int:contact_id>/reactivate": [case(post=COORDINATOR_REDIRECTS, contact_id="spare_contact")],
    "/users": [case(COORDINATOR)],
    "/users/invite": [case(COORDINATOR, COORDINATOR)],
    "/users/<int:user_id>/role": [case(COORDINATOR, COORDINATOR, user_id="invited_user"),
                                  case(COORDINATOR, COORDINATOR, user_id="lead_user")],  # promoting oneself
    "/users/<int:user_id>/disable": [case(post=COORDINATOR_REDIRECTS, user_id="invited_user")],
    "/users/<int:user_id>/enable": [case(post=COORDINATOR_REDIRECTS, user_id="invited_user")],
    "/users/<int:user_id>/resend-invitation": [case(post=COORDINATOR_REDIRECTS, user_id="invited_user")],
    # the plan
    "/": [case(SIGNED_IN)],
    "/plan": [case(SIGNED_IN)],
    "/priorities": [case(SIGNED_IN)],
    "/plans": [case(SIGNED_IN)],
    "/plans/next": [case(COORDINATOR, COORDINATOR)],
    # a plan's life, the coordinator's: POSTs that would archive or retire go to what does not exist, so the
    # world stays as the other routes expect (tests/plans/test_plan_life.py and test_add_retire.py walk them)
    "/plans/<year>/agree": [case(COORDINATOR, COORDINATOR, year="plan_year"),
                            case(COORDINATOR_NOT_FOUND, COORDINATOR_NOT_FOUND, year="missing_year")],
    "/plans/<year>/archive": [case(COORDINATOR, year="plan_year"),
                              case(post=COORDINATOR_NOT_FOUND, year="missing_year")],
    "/plans/<year>/key-priorities/new": [case(COORDINATOR, COORDINATOR, year="plan_year")],
    "/plans/<year>/objectives/new": [case(COORDINATOR, COORDINATOR, year="plan_year")],
    "/objectives/<int:objective_id>/retire": [case(COORDINATOR, objective_id="other_objective"),
                                              case(COORDINATOR_NOT_FOUND, COORDINATOR_NOT_FOUND,
                                                   objective_id="missing")],
    "/key-priorities/<int:key_priority_id>/retire": [
        case(COORDINATOR, key_priority_id="key_priority"),
        case(COORDINATOR_NOT_FOUND, COORDINATOR_NOT_FOUND, key_priority_id="missing")],
    # the board paper: leads and board viewers read it too (docs/roles.md)
    "/report": [case(answers(200, 200, 403, 200, 302))],
    # indicators: anyone signed in reads them; the coordinator describes them; figures come from the coordinator
    # or whoever the indicator names as providing them (the lead's agency, EP, here)
    "/indicators": [case(SIGNED_IN)],
    "/indicators/new": [case(COORDINATOR, COORDINATOR)],
    "/indicators/tolerance": [case(COORDINATOR, COORDINATOR)],
    "/indicators/carry": [case(COORDINATOR_NOT_FOUND, COORDINATOR_NOT_FOUND)],  # no plan of the year before
    "/indicators/<int:indicator_id>/edit": [case(COORDINATOR, COORDINATOR, indicator_id="lead_indicator"),
                                            case(COORDINATOR_NOT_FOUND, indicator_id="missing")],
    "/indicators/<int:indicator_id>/figures": [
        case(answers(200, 200, 403, 403, 302), answers(200, 200, 403, 403, 302), indicator_id="lead_indicator"),
        case(NOT_FOUND_SIGNED_IN, NOT_FOUND_SIGNED_IN, indicator_id="missing")],
    "/chasing": [case(COORDINATOR, COORDINATOR)],
    # reporting rounds: any signed-in user sees them, the coordinator sets them; the board paper as the report
    "/rounds": [case(SIGNED_IN, COORDINATOR)],
    "/rounds/<int:round_id>": [case(COORDINATOR, COORDINATOR, round_id="meeting_round"),
                               case(COORDINATOR, COORDINATOR, round_id="round"),  # closed: nothing to remind
                               case(answers(404, 403, 403, 403, 302), round_id="missing")],
    "/rounds/<int:round_id>/change": [case(COORDINATOR, COORDINATOR, round_id="meeting_round"),
                                      case(answers(404, 403, 403, 403, 302), round_id="missing")],
    "/rounds/<int:round_id>/remove": [case(post=COORDINATOR_REDIRECTS, round_id="round")],  # closed: refused
    "/rounds/<int:round_id>/board-paper": [case(answers(200, 200, 403, 200, 302), round_id="round"),
                                           case(answers(404, 404, 403, 404, 302), round_id="missing")],
    "/end-date-requests": [case(COORDINATOR)],
    "/notifications": [case(SIGNED_IN)],
    "/notifications/settings": [case(SIGNED_IN, SIGNED_IN)],
    # the signed link from a daily email: anyone holding it, signed in or not
    "/notifications/settings/<token>": [case(PUBLIC, PUBLIC, token="preferences_token"),
                                        case(answers(404, 404, 404, 404, 404), token="forged_preferences_token")],
    "/notifications/read": [case(post=ALL_REDIRECT)],
    "/notifications/<int:notification_id>/read": [case(post=NOT_FOUND_SIGNED_IN, notification_id="missing")],
    # an empty POST carries no decision: refused before anything is looked up
    "/end-date-requests/<int:update_id>": [case(post=answers(400, 403, 403, 403, 302), update_id="end_date_request")],
    # only the coordinator changes an objective's lead agencies: a lead's request waits for their decision
    "/lead-requests/<int:update_id>": [case(post=answers(400, 403, 403, 403, 302), update_id="end_date_request")],
    # nor confirms TBC funding: a lead's proposal waits for their decision
    "/funding-requests/<int:update_id>": [case(post=answers(400, 403, 403, 403, 302),
                                               update_id="end_date_request")],
    "/import": [case(COORDINATOR, COORDINATOR)],
    "/import/confirm": [case(post=answers(400, 403, 403, 403, 302))],
    # an empty POST names no kept upload: back to the import page
    "/import/columns": [case(post=answers(302, 403, 403, 403, 302))],
    "/export/<fmt>": [case(SIGNED_IN, fmt="csv")],
    "/objectives/<int:objective_id>": [case(SIGNED_IN, objective_id="lead_objective"),
                                       case(SIGNED_IN, objective_id="other_objective"),
                                       case(NOT_FOUND_SIGNED_IN, objective_id="missing")],
    "/objectives/<int:objective_id>/edit": [
        case(answers(200, 200, 403, 403, 302), answers(200, 200, 403, 403, 302), objective_id="lead_objective"),
        # the lead forging the id of an objective another agency leads
        case(COORDINATOR, COORDINATOR, objective_id="other_objective"),
        case(NOT_FOUND_SIGNED_IN, NOT_FOUND_SIGNED_IN, objective_id="missing"),
    ],
    "/objectives/<int:objective_id>/progress": [
        case(answers(200, 200, 403, 403, 302), answers(200, 200, 403, 403, 302), objective_id="lead_objective"),
        case(COORDINATOR, COORDINATOR, objective_id="other_objective"),
        case(NOT_FOUND_SIGNED_IN, NOT_FOUND_SIGNED_IN, objective_id="missing"),
    ],
    # emails
    "/emails": [case(COORDINATOR)],
    "/emails/<int:outbox_id>": [case(COORDINATOR, outbox_id="outbox_message"),
                                case(answers(404, 403, 403, 403, 302), outbox_id="missing")],
    "/emails/<int:outbox_id>/html": [case(COORDINATOR, outbox_id="outbox_message"),
                                     case(answers(404, 403, 403, 403, 302), outbox_id="missing")],
    "/emails/<int:outbox_id>/resend": [case(post=COORDINATOR_REDIRECTS, outbox_id="outbox_message")],
    # emailed links: the link is the authority, whoever is signed in
    "/update/<token>": [case(PUBLIC, PUBLIC, token="update_token"),
                        case(ALL_UNKNOWN, ALL_UNKNOWN, token="tampered_token"),
                        case(ALL_UNKNOWN, ALL_UNKNOWN, token="reset_token")],  # a password link is no update link
    "/your-objectives/<token>": [case(PUBLIC, PUBLIC, token="lead_link_token"),
                                 case(ALL_UNKNOWN, ALL_UNKNOWN, token="tampered_token"),
                                 case(ALL_UNKNOWN, ALL_UNKNOWN, token="update_token")],  # an update link is not one
    # the late indicator figures of the link's contact (none in the world: nothing to save, back to the page)
    "/your-objectives/<token>/figures": [case(post=ALL_REDIRECT, token="lead_link_token"),
                                         case(post=ALL_UNKNOWN, token="tampered_token")],
    "/update/<token>/done": [case(ALL_REDIRECT, token="update_token"),  # not used yet: back to the form
                             case(ALL_REDIRECT, token="tampered_token")],
    "/update/<token>/fresh": [case(post=PUBLIC, token="spare_update_token"),
                              case(post=ALL_UNKNOWN, token="tampered_token")],
    "/preferences": [case(SIGNED_IN, answers(302, 302, 302, 302, 302))],
    "/preferences/<token>": [case(PUBLIC, ALL_REDIRECT, token="preferences_token"),
                             case(ALL_GONE, ALL_GONE, token="forged_preferences_token")],
    "/preferences/calendar": [case(post=ALL_REDIRECT)],
    "/preferences/<token>/calendar": [case(post=ALL_REDIRECT, token="preferences_token"),
                                      case(post=ALL_GONE, token="forged_preferences_token")],
    "/calendar/<token>.ics": [case(PUBLIC, token="calendar_token"), case(ALL_UNKNOWN, token="tampered_token")],
    # reminders, for the coordinator
    "/reminders/preview": [case(COORDINATOR)],
    "/reminders/send": [case(post=COORDINATOR_REDIRECTS)],
    "/reminders/settings": [case(COORDINATOR, COORDINATOR)],
    "/reminders/paused": [case(COORDINATOR)],
    # events
    "/events": [case(SIGNED_IN)],
    "/events/export.csv": [case(SIGNED_IN)],
    "/events/export.xlsx": [case(SIGNED_IN)],
    "/events/new": [case(answers(200, 200, 200, 403, 302), answers(200, 200, 200, 403, 302))],
    "/events/<int:event_id>": [case(SIGNED_IN, event_id="partner_event"), case(SIGNED_IN, event_id="other_event"),
                               case(NOT_FOUND_SIGNED_IN, event_id="missing")],
    "/events/<int:event_id>/edit": [
        case(answers(200, 403, 200, 403, 302), answers(200, 403, 200, 403, 302), event_id="partner_event"),
        case(answers(200, 200, 403, 403, 302), answers(200, 200, 403, 403, 302), event_id="lead_event"),
        # a partner or lead forging the id of another agency's event
        case(answers(200, 403, 403, 403, 302), answers(200, 403, 403, 403, 302), event_id="other_event"),
        case(answers(404, 404, 404, 403, 302), event_id="missing"),
    ],
}

# Buttons whose effect would change what later requests find (a login disabled, a contact gone): tried last.
SIGNED_OUT_ON_PURPOSE = {"/sign-out"}
TRIED_LAST = ("/users/<int:user_id>/disable", "/users/<int:user_id>/enable", "/contacts/<int:contact_id>/deactivate",
              "/contacts/<int:contact_id>/reactivate", "/agencies/<int:agency_id>/deactivate",
              "/agencies/<int:agency_id>/reactivate")


# Pages opened from an emailed link carry its token in the address: it must not leak in a Referer.
LINK_PAGES = ("/update/", "/your-objectives/", "/reset-password/", "/set-password/", "/preferences/", "/calendar/")


# An email's HTML part, framed by its own page on the Emails page: a stricter policy of its own.
FRAMED_BY_THE_APP = re.compile(r"^/emails/\d+/html$")


def header_problems(path: str, response) -> list[str]:
    """What is wrong with a response's security headers (CSP of the app's own assets only, nosniff, a referrer
    policy, no framing)."""
    headers = response.headers
    if FRAMED_BY_THE_APP.match(path) and response.status_code == 200:
        return framed_header_problems(response)
    csp = headers.get("Content-Security-Policy", "")
    problems = [f"CSP lacks {directive}" for directive in ("default-src 'self'", "script-src 'self'",
                                                           "object-src 'none'", "frame-ancestors 'none'",
                                                           "base-uri 'self'", "form-action 'self'")
                if directive not in csp]
    if any(word in csp for word in ("unsafe-inline", "unsafe-eval", "http:", "https:", "*")):
        problems.append(f"CSP allows more than the app's own assets: {csp}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append("no X-Frame-Options: DENY")
    expected_referrer = ("no-referrer",) if path.startswith(LINK_PAGES) and response.status_code == 200 else (
        "no-referrer", "strict-origin-when-cross-origin")
    if headers.get("Referrer-Policy") not in expected_referrer:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')}")
    return problems


def framed_header_problems(response) -> list[str]:
    """What is wrong with the headers of a page the app frames: nothing may run, load or submit, only the app
    may frame it, and nothing leaks a referrer."""
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    problems = [f"CSP lacks {directive}" for directive in ("default-src 'none'", "img-src 'none'", "sandbox",
                                                           "frame-ancestors 'self'", "form-action 'none'",
                                                           "base-uri 'none'")
                if directive not in csp]
    if any(word in csp for word in ("script-src", "allow-scripts", "allow-same-origin", "http:", "https:", "*")):
        problems.append(f"CSP allows more than inline styles: {csp}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("X-Frame-Options") != "SAMEORIGIN":
        problems.append("no X-Frame-Options: SAMEORIGIN")
    if headers.get("Referrer-Policy") != "no-referrer":
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')}")
    return problems


def _path(rule, params: dict, world) -> str:
    """The URL of a rule with the world's values for its parameters."""
    values = {name: world.params[value] for name, value in params.items()}
    needed = set(rule.arguments) - set(rule.defaults or {})
    assert set(values) == needed, f"{rule.rule}: parameters {sorted(needed)} needed"
    return rule.build({**(rule.defaults or {}), **values})[1]


def _rules(app):
    """Every rule with the methods people use (HEAD and OPTIONS are Flask's own)."""
    return [(rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in app.url_map.iter_rules()]


def test_every_route_has_an_entry_in_the_matrix(app):
    rules = {rule.rule: methods for rule, methods in _rules(app)}
    missing = sorted(set(rules) - set(MATRIX))
    assert not missing, f"routes with no entry in the role matrix (decide who may use them): {missing}"
    stale = sorted(set(MATRIX) - set(rules))
    assert not stale, f"entries for routes that no longer exist: {stale}"
    for path, methods in rules.items():
        for entry in MATRIX[path]:
            for method in ("GET", "POST"):
                expected = getattr(entry, method.lower())
                assert (expected is not None) <= (method in methods), f"{method} {path} is not a route"
            # every method of the route is checked by at least one case
        for method in methods:
            assert any(getattr(entry, method.lower()) for entry in MATRIX[path]), f"{method} {path}: no expectation"


def test_every_route_answers_every_role_as_the_matrix_says(app, world, client_as):
    mismatches: list[str] = []
    changes: list[str] = []
    unsafe: list[str] = []
    rules = _rules(app)
    ordered_posts = sorted((rule for rule, methods in rules if "POST" in methods),
                           key=lambda rule: (rule.rule in TRIED_LAST, TRIED_LAST.index(rule.rule)
                                             if rule.rule in TRIED_LAST else 0))
    plan = [("GET", rule) for rule, methods in rules if "GET" in methods] + [("POST", rule) for rule in ordered_posts]
    before = table_snapshot()
    for method, rule in plan:
        for entry in MATRIX[rule.rule]:
            expected = getattr(entry, method.lower())
            if expected is None:
                continue
            path = _path(rule, entry.params, world)
            for role in ROLES:
                client = client_as(role)
                response = client.open(path, method=method, data={} if method == "POST" else None)
                status = response.status_code
                unsafe += [f"{method} {path} as {role}: {problem}" for problem in header_problems(path, response)]
                response.close()
                if status != expected[role]:
                    mismatches.append(f"{method} {path} as {role}: {status}, expected {expected[role]}")
                # Signing out goes to the sign-in page having done its work (a new session id for the login).
                refused = status in (403, 404, 405, 410) or (status == 302 and "/sign-in" in
                                                            response.headers.get("Location", "")
                                                            and rule.rule not in SIGNED_OUT_ON_PURPOSE)
                after = table_snapshot()
                if (method == "GET" or refused) and (changed := changed_tables(before, after)):
                    changes.append(f"{method} {path} as {role} ({status}) changed {changed}")
                before = after
    assert not mismatches, "answers not as the role matrix says:\n" + "\n".join(mismatches)
    assert not changes, "requests that must change nothing changed the database:\n" + "\n".join(changes)
    assert not unsafe, "responses without the security headers:\n" + "\n".join(unsafe)
