"""The front-end assets: pinned to the GOV.UK Frontend the Jinja macros were ported from, built locally.

CI builds the assets (scripts/build-assets.sh) and sets SCP_REQUIRE_ASSETS=1, so a missing or
GOV.UK-branded build fails there; elsewhere the build checks are skipped, the rest always run.
"""

import json
import os
from importlib.metadata import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "scp_tracker" / "static"
BUILT_FILES = ("css/main.css", "govuk/govuk-frontend.min.js", "js/init.js", "images/favicon.svg", "manifest.json")

requires_assets = pytest.mark.skipif(
    os.environ.get("SCP_REQUIRE_ASSETS") != "1", reason="set SCP_REQUIRE_ASSETS=1 after scripts/build-assets.sh"
)


def test_npm_packages_are_pinned_exactly_and_locked():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in package["devDependencies"].items():
        assert version[0].isdigit(), f"{name} is not pinned to an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_govuk_frontend_is_the_version_the_jinja_macros_were_ported_from():
    version = json.loads((ROOT / "package.json").read_text())["devDependencies"]["govuk-frontend"]
    description = metadata("govuk-frontend-jinja").get_payload()
    assert f"GOV.UK%20Frontend-v{version}-blue" in description


def test_stylesheet_is_branded_for_the_partnership_not_govuk():
    scss = (ROOT / "assets" / "scss" / "main.scss").read_text()
    assert "$govuk-font-family: (arial, sans-serif)" in scss
    assert "$govuk-include-default-font-face: false" in scss
    assert 'components/header"' not in scss


def test_pages_reference_the_built_stylesheet_and_script(client):
    html = client.get("/cookies").get_data(as_text=True)
    assert 'href="/static/css/main.css"' in html
    assert 'src="/static/js/init.js"' in html


@requires_assets
@pytest.mark.parametrize("name", BUILT_FILES)
def test_built_asset_exists_and_is_served(client, name):
    assert (STATIC / name).is_file()
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    response.close()


@requires_assets
def test_built_stylesheet_has_no_gds_transport_font():
    css = (STATIC / "css" / "main.css").read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "font-family:arial,sans-serif" in css
    assert "\n" not in css.strip(), "not compressed"


@requires_assets
def test_start_up_script_imports_govuk_frontend_beside_it():
    script = (STATIC / "js" / "init.js").read_text()
    assert "from '../govuk/govuk-frontend.min.js'" in script
    assert "initAll()" in script
