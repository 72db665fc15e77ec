"""docs/reliability.md stays true: every test it names exists."""

import re

from config import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "reliability.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def test_every_test_named_in_the_reliability_table_exists():
    named = NAMED.findall(DOC.read_text())
    assert len(named) > 50
    missing = []
    for path, name in named:
        source = PROJECT_ROOT / path
        if not source.exists() or not re.search(rf"^(async )?def {name}\(", source.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert not missing, f"docs/reliability.md names tests that do not exist: {missing}"


def test_every_reliability_test_is_in_the_table():
    named = {name for _, name in NAMED.findall(DOC.read_text())}
    written = {(path.name, name) for path in (PROJECT_ROOT / "tests" / "reliability").glob("test_*.py")
               if path.name != "test_reliability_doc.py"
               for name in re.findall(r"^def (test_\w+)\(", path.read_text(), re.M)}
    unlisted = sorted(f"{file}::{name}" for file, name in written if name not in named)
    assert not unlisted, f"reliability tests missing from docs/reliability.md: {unlisted}"
