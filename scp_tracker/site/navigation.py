"""The service navigation: a few groups as a coordinator thinks of the work, each with its own pages.

A group shows for a person when at least one of its pages is served and theirs to open (the page's view says
who may open it, through people.permissions.role_required); its link goes to the first such page. On the pages
of a group with more than one page, a sub-navigation lists them.
"""

from dataclasses import dataclass

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from scp_tracker.people.permissions import may_open

OPEN_PATHS_KEY = "scp_tracker.navigation_open_paths"


@dataclass(frozen=True)
class Group:
    """A top-level navigation item: its pages as (text, path), and other paths that belong to it."""

    text: str
    pages: tuple[tuple[str, str], ...]
    also: tuple[str, ...] = ()


# At most seven groups: what a coordinator does (the plan, chasing it in rounds, events), what they show the
# board, and who is who; then the settings. The board report is a group of its own, one click away.
NAVIGATION = (
    Group("Dashboard", (("Dashboard", "/"),)),
    Group("Plan", (
        ("Objectives", "/plan"),
        ("Indicators", "/indicators"),
        ("Police and PCC priorities", "/priorities"),
        ("Plan years", "/plans"),
        ("End date requests", "/end-date-requests"),
        ("Import a plan", "/import"),
    ), also=("/objectives", "/plans", "/key-priorities", "/indicators")),
    Group("Rounds", (
        ("Rounds", "/rounds"),
        ("Chasing", "/chasing"),
        ("Reminders", "/reminders/preview"),
        ("Emails sent", "/emails"),
    ), also=("/rounds", "/reminders")),
    Group("Events", (("Events", "/events"),)),
    Group("Board report", (("Board report", "/report"),)),
    Group("People", (
        ("Agencies", "/agencies"),
        ("Contacts", "/contacts"),
        ("Users", "/users"),
    )),
    Group("Settings", (
        ("Reminder settings", "/reminders/settings"),
        ("Paused reminders", "/reminders/paused"),
        ("Your notifications", "/notifications/settings"),
    )),
)


def service_navigation(user) -> list[dict]:
    """The top-level items this user may open, the group of the page they are on marked."""
    if user is None or not user.is_authenticated:
        return []
    here = current_group()
    items = []
    for group in NAVIGATION:
        pages = open_pages(user, group)
        if not pages:
            continue
        is_here = here is not None and here.text == group.text
        items.append({
            "text": group.text,
            "href": request.script_root + pages[0][1],
            "current": is_here and request.path == pages[0][1],
            "active": is_here and request.path != pages[0][1],
        })
    return items


def sub_navigation(user) -> list[dict]:
    """The pages of the group this page is in that the user may open, or [] when there is only one."""
    group = current_group()
    if group is None or user is None or not user.is_authenticated:
        return []
    pages = open_pages(user, group)
    if len(pages) < 2:
        return []
    here = _best_path(request.path, [path for _text, path in pages])
    return [{"text": text, "href": request.script_root + path, "current": path == here, "group": group.text}
            for text, path in pages]


def open_pages(user, group: Group) -> list[tuple[str, str]]:
    """The group's pages that some view serves and this signed-in user may open."""
    open_paths = _open_paths(user)
    return [(text, path) for text, path in group.pages if path in open_paths]


def _open_paths(user) -> frozenset[str]:
    """The navigation's paths that some view serves and this signed-in user may open.

    That depends only on their roles, as routes do not change once serving, so it is worked out once for each
    set of roles (every page draws the navigation, and working it out cost a twentieth of a bare page).
    """
    by_roles = current_app.extensions.setdefault(OPEN_PATHS_KEY, {})
    if user.roles not in by_roles:
        endpoints = {path: _endpoint(path) for group in NAVIGATION for _text, path in group.pages}
        by_roles[user.roles] = frozenset(
            path for path, endpoint in endpoints.items()
            if endpoint is not None and may_open(user, current_app.view_functions[endpoint])
        )
    return by_roles[user.roles]


def current_group() -> Group | None:
    """The group whose page (or other path) best matches the page being shown."""
    best: tuple[int, Group] | None = None
    for group in NAVIGATION:
        paths = [path for _text, path in group.pages] + list(group.also)
        match = _best_path(request.path, paths)
        if match is not None and (best is None or len(match) > best[0]):
            best = (len(match), group)
    return best[1] if best else None


def _best_path(here: str, paths: list[str]) -> str | None:
    """The longest of the paths that is this page or a folder it is in ("/" only matches itself)."""
    matches = [path for path in paths if here == path or (path != "/" and here.startswith(path + "/"))]
    return max(matches, key=len) if matches else None


def _endpoint(path: str) -> str | None:
    """The endpoint serving GET at the path, if any."""
    adapter = current_app.create_url_adapter(request)
    assert adapter is not None  # only None outside a request, and this is given one
    try:
        endpoint, _args = adapter.match(path, method="GET")
    except (RequestRedirect, HTTPException):
        return None  # not served as written (a redirect means the navigation's path is wrong)
    return str(endpoint)
