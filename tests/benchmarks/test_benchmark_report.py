"""How the benchmark reads wrk's report and judges the issue's targets (figures made up here; nothing is timed)."""

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.run import check_targets, table  # noqa: E402
from benchmarks.web import Gunicorn, parse_wrk  # noqa: E402

WRK_REPORT = """Running 10s test @ http://127.0.0.1:40123/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    62.91ms   12.30ms 151.02ms   80.00%
    Req/Sec    31.80      5.10    40.00     70.00%
  Latency Distribution
     50%   60.12ms 
     75%   68.00ms 
     90%   80.50ms 
     99%    1.20s 
  318 requests in 10.01s, 9.62MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:     31.77
Transfer/sec:    984.12KB
"""


def test_wrk_s_figures_are_read_in_milliseconds():
    load = parse_wrk("/", WRK_REPORT)
    assert (load.requests, load.rps, load.p50_ms, load.p99_ms) == (318, 31.77, 60.12, 1200.0)
    assert load.errors == 7  # socket errors and answers that were not 2xx or 3xx


def test_a_report_without_figures_is_an_error_that_shows_it():
    with pytest.raises(RuntimeError, match="wrk gave no figures for /plan"):
        parse_wrk("/plan", "unable to connect to 127.0.0.1:1 Connection refused\n")


def results(**changes) -> dict:
    """Figures that meet every target, with some changed."""
    cpu = {"cpu_ms_per_request": 6.0, "baseline_cpu_ms_per_request": 1.5, "cpu_ratio": 0.25}
    page = {"path": "/", "rps": 300.0, "p50_ms": 20.0, "p99_ms": 60.0, "baseline_rps": 1000.0, "ratio": 0.3, **cpu}
    figures = {
        "machine": "test machine", "when": "2026-11-18T07:00:00+00:00", "quick": False,
        "dataset": {"objectives_open": 10_030, "rows": {"reminder_record": 200_000}, "seconds": 30},
        "reminder_run": {"objectives": 10_030, "seconds": 0.8, "queries": 12, "baseline_seconds": 0.4, "ratio": 2.0,
                         "reminders": 250, "digests": 100, "write": {"seconds": 3.0}},
        "delivery": {"messages": 2000, "per_second": 150.0, "baseline_per_second": 200.0, "ratio": 0.75},
        "pages": {"dashboard": dict(page), "plan": dict(page), "objective": dict(page),
                  "layout_only": {"path": "/accessibility", "rps": 400.0, "baseline_rps": 1000.0, "ratio": 0.4, **cpu},
                  "plan_first_view": {"path": "/plan", "rps": 200.0, "baseline_rps": 1000.0, "ratio": 0.2, **cpu}},
        "import": {"real_plan_seconds": 0.3, "xlsx_1000_rows_seconds": 3.0, "xlsx_reimport_seconds": 2.0},
        "scheduler_peak_rss_mb": 150.0,
    }
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = figures
        for name in parents:
            target = target[name]
        target[last] = value
    return figures


def test_figures_within_every_target_meet_them_all():
    checks = check_targets(results())
    assert len(checks) == 13
    assert all(check["met"] for check in checks)
    assert all(check["missed_by"] == "" for check in checks)


@pytest.mark.parametrize(("change", "what", "missed_by"), [
    ({"reminder_run__seconds": 2.5}, "Reminder run: time", "1.5 s over (150% more than allowed)"),
    ({"reminder_run__queries": 14}, "Reminder run: SQL queries", "2 over (17% more than allowed)"),
    ({"delivery__ratio": 0.15}, "Delivery: share of plain smtplib's rate", "0.15 short (50% below the target)"),
    ({"pages__plan__p99_ms": 300.0}, "Page plan: p99 latency", "150 ms over (100% more than allowed)"),
    ({"scheduler_peak_rss_mb": 250.0}, "Scheduler: peak RSS", "50 MB over (25% more than allowed)"),
])
def test_a_missed_target_says_by_how_much(change, what, missed_by):
    missed = [check for check in check_targets(results(**change)) if not check["met"]]
    assert [(check["what"], check["missed_by"]) for check in missed] == [(what, missed_by)]


def test_the_table_shows_each_figure_and_each_verdict():
    figures = results(reminder_run__seconds=2.5)
    figures["targets"] = check_targets(figures)
    text = table(figures)
    assert "reminder run, dry (s)" in text and "2.500" in text
    assert "MISSED by 1.5 s over" in text
    assert text.count(" met") == 12
    assert text.count("server CPU per request (ms)") == 5  # three pages, the layout and the plan's first view
    assert "(plan, each a first view)" in text


def test_the_server_s_cpu_is_what_its_workers_used():
    """The workers are the server process's children: CPU one of them burns is counted, the parent's is not."""
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(30)"
    parent = subprocess.Popen(["sh", "-c", f'{sys.executable} -c "$0" & wait', burn], start_new_session=True)
    server = SimpleNamespace(process=parent)
    try:
        used = 0.0
        for _ in range(100):  # until the child has burnt its 0.3 s (it also has to start)
            used = Gunicorn.workers_cpu_seconds(server)
            if used >= 0.3:
                break
            subprocess.run(["sleep", "0.05"])
        assert 0.3 <= used < 2.0
    finally:
        os.killpg(parent.pid, signal.SIGKILL)  # the shell and its child: they are a session of their own
        parent.wait()
