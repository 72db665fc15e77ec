"""Fixtures and helpers of the browser tests: the system's Chromium, the app on a real loopback server, axe-core,
keyboard-only moves and visible focus.

The browser test modules import these fixtures by name. They are not in a tests/browser/conftest.py on purpose:
conftest modules outside a package all share the module name "conftest", so a second one would replace the
suite's in sys.modules and break `from conftest import …` elsewhere in the suite.
"""

import os
import re
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from scp_tracker import create_app
from scp_tracker.extensions import db as _db

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package: Playwright cannot download browsers here
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = ("serious", "critical")
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000  # a page of this app answers in well under a second; fail fast rather than after 30 s

# pytest-playwright's stand-in for pytest-base-url defines a session fixture as an instance method, which pytest
# 9.2 deprecates (PytestRemovedIn10Warning) and our warnings-are-errors setting would fail on: filter that one.
BASE_URL_FIXTURE_WARNING = (
    r"ignore:Session-scoped fixtures defined as instance methods are deprecated\.\n"
    r"Instance attributes set in the 'base_url' fixture:pytest.PytestRemovedIn10Warning"
)


def require_chromium(path: Path = CHROMIUM, environ=os.environ) -> str:
    """The browser to launch. Missing, it skips a developer's run but fails a CI run (CI set, as CI services and
    .ci/run's caller set it): CI must never pass without running the browser tests."""
    if path.exists():
        return str(path)
    message = f"{path} is missing: apt-get install -y chromium"
    if environ.get("CI"):
        pytest.fail(f"{message} (CI must run the browser tests)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium, headless, with the flags a container needs."""
    return {**browser_type_launch_args, "executable_path": require_chromium(), "args": CHROMIUM_ARGS}


@dataclass
class LiveServer:
    """The app as a browser sees it: its address, and the app object that serves it."""

    url: str
    app: Flask


@pytest.fixture
def live_server(app, tmp_path):
    """The app served by a real threaded server on 127.0.0.1, on the test's database, with CSRF on.

    The suite's `app` (CSRF off, its context pushed) stays the test's own: factories write through it and
    services run in it. Both apps share one file-backed database (SQLite) or server (PostgreSQL), so each sees
    what the other committed; a test commits before the browser acts, and rolls back before it reads.
    """
    served = create_app({
        "SCP_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": True,
    })
    served.instance_path = str(tmp_path / "served-instance")
    server = make_server("127.0.0.1", 0, served, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    # Links in emails, whichever app writes them (a request, or a service the test runs), lead here.
    served.config["BASE_URL"] = app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    yield LiveServer(url, served)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with served.app_context():
        _db.engine.dispose()  # before the suite's `app` empties the database


@pytest.fixture
def context(new_context, live_server):
    """A browser context on the live server, 1280 pixels wide, in UK English and London time."""
    context = new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed by `npm ci` from package.json."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (make setup does)", pytrace=False)
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def check_accessibility(axe_source):
    """check_accessibility(page): axe-core finds no serious or critical WCAG 2.2 AA violation on the page.

    The script is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    govern, so the page is tested with the policy it really has.
    """

    def _check(page) -> None:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {page.url}:\n" + "\n".join(_describe(v) for v in blocking)

    return _check


def _describe(violation: dict) -> str:
    """One violation as a developer needs it: rule, impact, help, and where."""
    targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


# --- the keyboard ----------------------------------------------------------------------------------------------

# Whether the focused element shows that it has focus: an outline that can be seen, or a box shadow or background
# that changes with focus. Radios and checkboxes hide their input and draw focus on the label's ::before.
FOCUS_STYLE_JS = """
() => {
  const element = document.activeElement;
  if (!element || element === document.body) return {visible: false, reason: 'nothing has focus'};
  const isChoice = element.matches('input[type=checkbox], input[type=radio]');
  const target = isChoice && element.labels.length ? element.labels[0] : element;
  const pseudo = isChoice ? '::before' : null;
  const snapshot = () => {
    const style = getComputedStyle(target, pseudo);
    return {outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
            outlineColor: style.outlineColor, boxShadow: style.boxShadow,
            backgroundColor: style.backgroundColor};
  };
  const transparent = colour => /rgba\\(.*,\\s*0\\)$/.test(colour) || colour === 'transparent';
  const focused = snapshot();
  element.blur();
  const unfocused = snapshot();
  element.focus({preventScroll: true});
  const outline = focused.outlineStyle !== 'none' && focused.outlineWidth >= 2 && !transparent(focused.outlineColor);
  const visible = outline || focused.boxShadow !== unfocused.boxShadow
                  || focused.backgroundColor !== unfocused.backgroundColor;
  return {visible, element: element.outerHTML.slice(0, 200), focused, unfocused};
}
"""


def assert_focus_visible(page) -> None:
    """The element with focus shows it (WCAG 2.4.7)."""
    style = page.evaluate(FOCUS_STYLE_JS)
    assert style["visible"], f"focus is not visible on {page.url}: {style}"


def focused_matches(page, selector: str) -> bool:
    """Whether the element with focus matches a CSS selector."""
    return page.evaluate("selector => !!document.activeElement && document.activeElement.matches(selector)", selector)


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 40) -> int:
    """Press Tab (or Shift+Tab) until the element matching selector has focus, checking focus is visible at
    every stop on the way; returns the number of presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if focused_matches(page, selector):
            return presses
    raise AssertionError(f"{limit} presses of {key} on {page.url} never reached {selector}")


def sign_in_with_keyboard(page, email: str, password: str) -> None:
    """Sign in from the sign-in page with Tab, typing and Enter only."""
    page.goto("/sign-in")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(password)
    tab_to(page, "button[type=submit], input[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


# --- email -----------------------------------------------------------------------------------------------------

def text_of(message: EmailMessage) -> str:
    """An email's plain-text part."""
    return message.get_body(("plain",)).get_content()


def link_path(message: EmailMessage, prefix: str, after: str = "") -> str:
    """The path of the first link starting with prefix ("/update/") in an email's text, after the given words."""
    text = text_of(message)
    start = text.index(after) if after else 0
    match = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"[^\s]+)", text[start:])
    assert match, f"no {prefix} link after {after!r} in:\n{text}"
    return match.group(1)
