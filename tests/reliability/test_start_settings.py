"""The console script and gunicorn as a newcomer and an operator meet them: with the `.env` that `make setup`
writes, every command works as typed; without it (or with refused production settings) one line names the
setting and the fix, the exit code is non-zero and there is no traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import PROJECT_ROOT
from config.checks import MIN_SECRET_BITS, secret_bits
from config.local_env import write_development_env

BIN = Path(sys.executable).parent
OUR_COMMANDS = ("import-plan", "export-plan", "people", "reminders", "outbox", "scheduler", "serve", "db")


def _run(args: list[str], cwd: Path, **settings: str) -> subprocess.CompletedProcess:
    """A program from the venv in a bare environment: only PATH, this checkout's code and the given settings."""
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(PROJECT_ROOT), "HOME": str(cwd), **settings}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _one_line_refusal(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and all(word in lines[0] for word in words), lines[0]
    return lines[0]


@pytest.mark.parametrize("command", [["--help"], ["reminders", "preview"], ["db", "upgrade"], []])
def test_without_a_dotenv_the_cli_says_in_one_line_to_run_make_setup(tmp_path, command):
    result = _run([str(BIN / "scp-tracker"), *command], tmp_path)
    _one_line_refusal(result, "SCP_ENV is not set", "SCP_SECRET_KEY", "SCP_BASE_URL", "make setup")


def test_refused_production_settings_are_one_line_naming_the_setting_and_the_fix(tmp_path):
    refused = _run([str(BIN / "scp-tracker"), "--help"], tmp_path, SCP_ENV="production", SCP_SECRET_KEY="changeme",
                   SCP_BASE_URL="https://scp.example.org")
    line = _one_line_refusal(refused, "SCP_SECRET_KEY is too weak", "secrets.token_hex(32)")
    assert "also refused" not in line
    unknown = _run([str(BIN / "scp-tracker"), "routes"], tmp_path, SCP_ENV="prod")
    _one_line_refusal(unknown, "SCP_ENV='prod' is not an environment")


def test_with_the_generated_dotenv_the_readme_commands_work_as_typed(tmp_path):
    assert write_development_env(tmp_path / ".env")
    instance = {"SCP_INSTANCE_PATH": str(tmp_path / "instance")}  # not the checkout's own database
    listed = _run([str(BIN / "scp-tracker"), "--help"], tmp_path, **instance)
    assert listed.returncode == 0 and listed.stderr == ""
    assert all(f"  {command} " in listed.stdout for command in OUR_COMMANDS), listed.stdout
    plan = str(PROJECT_ROOT / "tests/fixtures/plans/scp-annual-plan-2016-17-draft.txt")
    for command in (["db", "upgrade"], ["import-plan", plan], ["reminders", "preview", "--on", "2016-10-05"],
                    ["export-plan", "--format", "csv"]):
        result = _run([str(BIN / "scp-tracker"), *command], tmp_path, **instance)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (command, result.stderr)
    assert (tmp_path / "instance" / "scp_tracker.db").exists()


def test_the_dotenv_holds_a_fresh_strong_secret_and_an_existing_one_is_never_overwritten(tmp_path):
    first, second = tmp_path / "a.env", tmp_path / "b.env"
    assert write_development_env(first) and write_development_env(second)
    secrets_written = [dict(line.split("=", 1) for line in path.read_text().splitlines()
                            if line and not line.startswith("#"))["SCP_SECRET_KEY"] for path in (first, second)]
    assert secrets_written[0] != secrets_written[1]
    assert all(secret_bits(secret) >= MIN_SECRET_BITS for secret in secrets_written)
    first.write_text("SCP_ENV=development\nSCP_SECRET_KEY=my own\n")
    assert not write_development_env(first)
    assert first.read_text() == "SCP_ENV=development\nSCP_SECRET_KEY=my own\n"
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=PROJECT_ROOT)
    assert ignored.returncode == 0, ".env must be git-ignored: it holds a secret"


def test_gunicorn_refuses_in_one_line_per_worker_and_stops(tmp_path):
    result = _run([str(BIN / "gunicorn"), "--bind", "127.0.0.1:0", "--workers", "1", "--chdir", str(PROJECT_ROOT),
                   "--control-socket", str(tmp_path / "gunicorn.ctl"), "wsgi:app"],
                  tmp_path, SCP_BASE_URL="https://scp.example.org")  # no SCP_ENV: gunicorn reads no .env
    assert result.returncode != 0 and "Traceback" not in result.stderr
    refusals = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert refusals == ["Error: production refuses to start: SCP_SECRET_KEY is not set: production needs a random "
                        "secret. Make one with: python3 -c 'import secrets; print(secrets.token_hex(32))'"]
