"""Every main page as its first viewer sees it, under wrk against /healthz of the same server, and the targets.

A first view is what someone sees when nothing was kept for the address they ask for: each request of a load
adds a query-string value never asked for before (`first_view.lua`), and the objective page and the events
list also walk through different objectives and filters, one per request. The same pages on a county ten
times bigger (`--large`) are compared with these figures.
"""

import itertools
import random
from pathlib import Path

from sqlalchemy import select

from benchmarks import web
from benchmarks.targets import at_least, at_most, below
from scp_tracker.events.models import EVENT_KINDS, EVENT_STATUSES
from scp_tracker.extensions import db
from scp_tracker.plans.models import KeyPriority, Objective

# gunicorn's sync workers, one per core; wrk keeps one request in flight per worker, for pages and baseline alike.
WORKERS = CONNECTIONS = 2
# A page with the full layout but no data of its own (the accessibility statement).
LAYOUT_ONLY = "/accessibility"
FIRST_VIEW_SCRIPT = Path(__file__).with_name("first_view.lua")
# Each page's least share of /healthz's requests per second, in the order they are measured and shown.
SHARES = {"layout_only": 0.5, "dashboard": 0.25, "plan": 0.25, "objective": 0.25, "events": 0.25}
LABELS = {"layout_only": f"layout only {LAYOUT_ONLY}", "dashboard": "dashboard", "plan": "plan list, filtered, page 2",
          "objective": "objective page", "events": "events list"}
P99_LIMIT_MS = 100.0
# On the county ten times bigger, a page may cost at most this many times its figure on the usual county.
LARGE_LIMIT = 1.5


def first_view_addresses(plan_id: int, *, seed: int) -> dict[str, list[str]]:
    """The addresses each page's load walks through, in the current plan (run in an app context).

    The objective page gets every objective of the plan and the events list every combination of its kind,
    status and key priority filters and the first three pages, both shuffled from the seed; the other pages
    keep one address, which the script's throwaway value makes new on every request.
    """
    rng = random.Random(seed)
    key_priorities = db.session.scalars(
        select(KeyPriority.id).where(KeyPriority.plan_id == plan_id).order_by(KeyPriority.number)).all()
    objectives = db.session.scalars(
        select(Objective.id).join(KeyPriority).where(KeyPriority.plan_id == plan_id).order_by(Objective.id)).all()
    rng.shuffle(objectives)
    events = []
    for kind, status, key_priority, page in itertools.product(
            ("", *EVENT_KINDS), ("", *EVENT_STATUSES), ("", *key_priorities), (1, 2, 3)):
        query = "&".join(f"{name}={value}" for name, value in (("kind", kind), ("status", status),
                                                               ("key_priority", key_priority), ("page", page))
                         if value)
        events.append(f"/events?{query}")
    rng.shuffle(events)
    return {
        "layout_only": [LAYOUT_ONLY],
        "dashboard": ["/"],
        "plan": [f"/plan?key_priority={key_priorities[0]}&rag=amber&page=2"],
        "objective": [f"/objectives/{objective_id}" for objective_id in objectives],
        "events": events,
    }


def bench_pages(settings: dict[str, str], email: str, password: str, addresses: dict[str, list[str]],
                seconds: int, folder: Path) -> dict:
    """Each page's first views under wrk against /healthz of the same server, signed in as `email`.

    /healthz is loaded just before and just after each page, and the page is compared with the mean of those
    two, so a machine that gets busier during the run shows in the page and its baseline alike.
    """
    files = {}
    for name, paths in addresses.items():
        files[name] = folder / f"first-views-{name}.txt"
        files[name].write_text("\n".join(paths) + "\n")
    with web.Gunicorn(settings, workers=WORKERS) as server:
        cookie = web.sign_in(server, email, password)

        # Each page is checked just before its own load, so a page slow enough to have gunicorn replace a
        # worker does it among its own figures, not the pages' before it.
        def check(paths: list[str]) -> None:
            """Ask for the page's first addresses once: each must answer 200 signed in."""
            for path in paths[:3]:
                try:
                    status, _, _ = server.request("GET", path, cookie=cookie, timeout=60)
                except OSError:
                    return  # too slow to answer (gunicorn stops a worker after 30 s): the load will show it
                if status != 200:
                    raise RuntimeError(f"GET {path} answered {status} while signed in")

        def measure(path: str, script_args: tuple[str, ...] = ()) -> web.Load:
            return web.load(server, path, cookie=cookie, connections=CONNECTIONS, seconds=seconds,
                            script=FIRST_VIEW_SCRIPT if script_args else None, script_args=script_args)

        healthz = [measure("/healthz")]
        loads = {}
        for name, paths in addresses.items():
            check(paths)
            loads[name] = measure(paths[0], (str(files[name]),))
            healthz.append(measure("/healthz"))
    figures = {}
    for n, (name, result) in enumerate(loads.items()):
        figures[name] = page_figures(result, healthz[n], healthz[n + 1], len(addresses[name]))
    figures["baseline"] = {"path": "/healthz", "rps": [round(h.rps, 1) for h in healthz],
                           "p99_ms": [round(h.p99_ms, 1) for h in healthz],
                           "cpu_ms_per_request": [round(h.cpu_ms_per_request, 2) for h in healthz],
                           "errors": sum(h.errors for h in healthz)}
    figures["server"] = {"workers": WORKERS, "connections": CONNECTIONS, "seconds": seconds}
    return figures


def page_figures(result: web.Load, before: web.Load, after: web.Load, addresses: int) -> dict:
    """One page's figures against the mean of /healthz's just before and just after it."""
    baseline_rps = (before.rps + after.rps) / 2
    baseline_cpu = (before.cpu_ms_per_request + after.cpu_ms_per_request) / 2
    # A load whose every request timed out has no latencies: its p99 is at least wrk's timeout.
    p99_ms = round(result.p99_ms if result.requests else web.TIMEOUT_SECONDS * 1000.0, 1)
    ratio, cpu_ms = round(result.rps / baseline_rps, 3), round(result.cpu_ms_per_request, 2)
    return {
        "path": result.path, "addresses": addresses, "rps": round(result.rps, 1), "p50_ms": round(result.p50_ms, 1),
        "p99_ms": p99_ms, "baseline_rps": round(baseline_rps, 1), "ratio": ratio, "requests": result.requests,
        "errors": result.errors,
        # What a request costs the server's workers in CPU, against /healthz: the app's own cost, apart from
        # wrk's and the kernel's share of the rates.
        "cpu_ms_per_request": cpu_ms, "baseline_cpu_ms_per_request": round(baseline_cpu, 2),
        "cpu_ratio": round(baseline_cpu / max(result.cpu_ms_per_request, 1e-9), 3),
        "first_view": {"ratio": ratio, "cpu_ms": cpu_ms, "p99_ms": p99_ms},
    }


def compare_large(usual: dict, large: dict) -> dict:
    """Each page's first view on the large county against the usual one: how many times its CPU and p99."""
    compared = {}
    for name in SHARES:
        small, big = usual[name]["first_view"], large[name]["first_view"]
        compared[name] = {"first_view": big, "cpu_times": round(big["cpu_ms"] / max(small["cpu_ms"], 1e-9), 2),
                          "p99_times": round(big["p99_ms"] / max(small["p99_ms"], 1e-9), 2)}
    return compared


def page_targets(pages: dict, large: dict | None = None) -> list[dict]:
    """The pages' targets: each first view's share of /healthz and its p99; on the large county, its growth."""
    checks = []
    for name, share in SHARES.items():
        page = pages[name]["first_view"]
        checks.append(at_least(f"First view, {LABELS[name]}: share of /healthz req/s", page["ratio"], share))
        checks.append(below(f"First view, {LABELS[name]}: p99 latency", page["p99_ms"], P99_LIMIT_MS, " ms"))
    if large and "error" in large:
        checks.append({"what": f"{large['objectives']:,} objectives: the pages measured", "target": "measured",
                       "value": "failed", "met": False, "missed_by": f"not measured: {large['error']}"})
    elif large:
        times = f"{large['objectives']:,} vs {large['usual_objectives']:,} objectives"
        for name in SHARES:
            page = large["pages"][name]
            checks.append(at_most(f"{times}, {LABELS[name]}: CPU per request", page["cpu_times"], LARGE_LIMIT, "×"))
            checks.append(at_most(f"{times}, {LABELS[name]}: p99 latency", page["p99_times"], LARGE_LIMIT, "×"))
    return checks


def page_lines(pages: dict) -> list[str]:
    """The table's lines for the pages' first views, as the rest of the table lays them out."""
    lines = ["first views, each request new (req/s):"]
    for name in SHARES:
        page = pages[name]
        lines += [
            f"{'  ' + LABELS[name]:<34}{page['rps']:>16.1f}{page['baseline_rps']:>16.1f}{page['ratio']:>9.3f}",
            f"{'    p50 / p99 (ms)':<34}{page['p50_ms']:>16.1f}{page['p99_ms']:>16.1f}",
            # Not a target: what the workers spent, against /healthz, which is where the ratio comes from.
            f"{'    server CPU per request (ms)':<34}{page['cpu_ms_per_request']:>16.2f}"
            f"{page['baseline_cpu_ms_per_request']:>16.2f}{page['cpu_ratio']:>9.3f}",
        ]
    return lines


def large_lines(large: dict | None) -> list[str]:
    """The table's lines for the large county's pages (none without --large)."""
    if not large:
        return []
    if "error" in large:
        return [f"{large['objectives']:,} objectives (--large): not measured: {large['error']}", ""]
    made = large["dataset"]
    lines = [
        f"{large['objectives']:,} objectives (--large), made in {made['seconds']:.0f} s at a peak RSS of "
        f"{made['peak_rss_mb']:.0f} MB; each page's first view against its figure above:",
        f"{'what':<34}{'CPU ms':>16}{'× above':>16}{'p99 ms':>9}{'× above':>9}",
    ]
    for name in SHARES:
        page = large["pages"][name]
        lines.append(f"{'  ' + LABELS[name]:<34}{page['first_view']['cpu_ms']:>16.2f}{page['cpu_times']:>16.2f}"
                     f"{page['first_view']['p99_ms']:>9.1f}{page['p99_times']:>9.2f}")
    return [*lines, ""]
