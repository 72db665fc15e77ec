"""The browser tests' own set-up: a missing browser fails CI rather than letting it pass without them."""

import pytest
from browser_support import require_chromium


def test_a_missing_browser_fails_a_ci_run(tmp_path):
    """With CI set, no Chromium is a failure, not a skip."""
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        require_chromium(tmp_path / "chromium", {"CI": "true"})


def test_a_missing_browser_skips_a_developers_run(tmp_path):
    """Without CI, no Chromium skips the browser tests, saying how to install it."""
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        require_chromium(tmp_path / "chromium", {})


def test_an_installed_browser_is_used_where_it_is(tmp_path):
    """The system's browser is launched from its path: Playwright downloads nothing."""
    browser = tmp_path / "chromium"
    browser.touch()
    assert require_chromium(browser, {"CI": "true"}) == str(browser)
