"""Modules stay small (issue 17): none of an area's modules over about 400 lines, each saying what it holds."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400
# Every module of the application, its settings, its scheduler and its benchmarks: a new one is checked without a
# list to edit.
MODULES = sorted(path for folder in ("scp_tracker", "config", "jobs", "benchmarks")
                 for path in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_each_module_is_small_and_says_what_it_holds(path):
    text = path.read_text()
    lines = len(text.splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it where its sections are, into modules of the same area"
    assert ast.get_docstring(ast.parse(text)), "a one-line docstring saying what the module holds"
