"""A real OpenID Connect provider on loopback (the npm package oidc-provider, run by Node), and the sign-in dance.

`start_oidc_provider(redirect_uris)` starts one (tests/support/oidc_provider.mjs) and stops it after the test
session; `OidcTestProvider.settings()` are the SCP_ environment variables that point the app at it. Node missing
skips a developer's run and fails a CI run, as Chromium does for the browser tests.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "scp-tracker"
CLIENT_SECRET = "scp-tracker-secret"
NAME = "test"  # the provider's name in SCP_OIDC_PROVIDERS
TEST_CLIENT_BASE_URL = "http://127.0.0.1:5000"  # the testing settings' SCP_BASE_URL: the test client's callback
START_SECONDS = 20


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_node() -> str:
    """The node binary: missing, it skips a developer's run but fails a CI run."""
    node = shutil.which("node")
    if node is None:
        message = "node is missing: apt-get install -y nodejs npm, then npm ci"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must run the sign-in tests with a real provider)", pytrace=False)
        pytest.skip(message)
    if not (PROJECT_ROOT / "node_modules" / "oidc-provider").exists():
        pytest.fail("node_modules/oidc-provider is missing: run `npm ci` (make setup does)", pytrace=False)
    return node


class OidcTestProvider:
    """One running provider: its address, its accounts and mode (read on every request), and the app settings."""

    def __init__(self, node: str, redirect_uris: list[str], state_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state_path = state_path
        self.state: dict = {"accounts": {}, "mode": None}
        self._write()
        self.log_path = state_path.with_suffix(".log")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [node, str(SCRIPT)], cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, "OIDC_PORT": str(self.port), "OIDC_STATE": str(state_path),
                     "OIDC_REDIRECT_URIS": " ".join(redirect_uris)})
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                requests.get(f"{self.url}/.well-known/openid-configuration", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"the OpenID provider did not start: {self.log_path.read_text()[-2000:]}")
                time.sleep(0.1)

    def _write(self) -> None:
        self.state_path.write_text(json.dumps(self.state), encoding="utf-8")

    def account(self, login: str, **claims) -> None:
        """Someone the provider knows, by the login typed on its page (also their subject), with these claims."""
        self.state["accounts"][login] = claims
        self._write()

    def mode(self, mode: str | None) -> None:
        """Make the token endpoint hand out a bad ID token (wrong_audience, expired, bad_signature, wrong_issuer,
        wrong_nonce), re-signed with the provider's own key but for bad_signature; None: good ones."""
        self.state["mode"] = mode
        self._write()

    def settings(self, **extra: str) -> dict[str, str]:
        """The environment that points the app at this provider, as a deployment would set it."""
        return {"SCP_OIDC_PROVIDERS": NAME, f"SCP_OIDC_{NAME.upper()}_ISSUER": self.url,
                f"SCP_OIDC_{NAME.upper()}_CLIENT_ID": CLIENT_ID,
                f"SCP_OIDC_{NAME.upper()}_CLIENT_SECRET": CLIENT_SECRET,
                f"SCP_OIDC_{NAME.upper()}_DISPLAY_NAME": "Test Council", **extra}

    def config(self) -> dict[str, str]:
        """The same settings as app config keys (what from_prefixed_env makes of them)."""
        return {key.removeprefix("SCP_"): value for key, value in self.settings().items()}

    def stop(self) -> None:
        """Stop the provider (a provider that is down, for the tests that need one)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def start_oidc_provider(tmp_path_factory):
    """start_oidc_provider(redirect_uris): a fresh provider whose client "scp-tracker" may return to these URIs."""
    node = require_node()
    started: list[OidcTestProvider] = []

    def _start(redirect_uris: list[str]) -> OidcTestProvider:
        provider = OidcTestProvider(node, redirect_uris, tmp_path_factory.mktemp("oidc") / "state.json")
        started.append(provider)
        return provider

    yield _start
    for provider in started:
        provider.stop()


@pytest.fixture(scope="session")
def oidc_provider(start_oidc_provider) -> OidcTestProvider:
    """The test session's provider, for the test client (whose callback is at the testing SCP_BASE_URL)."""
    return start_oidc_provider([f"{TEST_CLIENT_BASE_URL}/sign-in/with/{NAME}/callback"])


@pytest.fixture
def oidc_settings(monkeypatch, oidc_provider) -> OidcTestProvider:
    """The app built in this test reads the provider's settings from the environment, as in production."""
    oidc_provider.mode(None)
    oidc_provider.state["accounts"].clear()
    for key, value in oidc_provider.settings().items():
        monkeypatch.setenv(key, value)
    return oidc_provider


_FORM = re.compile(r'<form[^>]*action="([^"]+)"', re.S)
_HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')


def sign_in_at_provider(authorize_url: str, login: str, *, callback_prefix: str) -> str:
    """Go through the provider's own pages as a person would (its sign-in form, then its consent), from the URL
    the app sent the browser to; returns the callback URL, with code and state, that the provider sends back to."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(callback_prefix):
                return location
            response = browser.get(location, allow_redirects=False, timeout=10)
            continue
        form = _FORM.search(response.text)
        assert form, f"the provider answered {response.status_code} without a form: {response.text[:500]}"
        fields = {name: unescape(value) for name, value in _HIDDEN.findall(response.text)}
        if 'name="login"' in response.text:
            fields.update(login=login, password="any password")
        response = browser.post(urljoin(response.url, unescape(form.group(1))), data=fields, allow_redirects=False,
                                timeout=10)
    raise AssertionError("the provider never sent the browser back")


def path_of(url: str) -> str:
    """A URL's path and query, as the test client takes them."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def dance(client, login: str, *, start: str = f"/sign-in/with/{NAME}") -> tuple[str, object]:
    """The whole sign-in with the test client: the app's start, the provider's pages, the app's callback.

    Returns the callback path (to replay it) and the app's answer to it.
    """
    started = client.get(start)
    assert started.status_code == 302, started.get_data(as_text=True)[:500]
    callback = path_of(sign_in_at_provider(started.headers["Location"], login,
                                           callback_prefix=f"{TEST_CLIENT_BASE_URL}/sign-in/with/"))
    return callback, client.get(callback)
