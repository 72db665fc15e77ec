"""Pages under load: the app served by gunicorn with the production settings, signed in, loaded by wrk.

Everything stays on 127.0.0.1. Each wrk run is bounded in time and stops by itself.
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, replace
from http.cookies import SimpleCookie
from pathlib import Path

from config import PROJECT_ROOT


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Wait until something listens on the port, or fail if the process died or took too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} after {timeout:.0f} s")


def stop(process: subprocess.Popen, timeout: float = 30.0) -> None:
    """Ask a child process to stop (SIGTERM), and kill it if it does not."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Gunicorn:
    """`gunicorn wsgi:app` on a free loopback port, with the given environment (the production settings)."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        command = [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
                   "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **env},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def __enter__(self) -> "Gunicorn":
        wait_for_port(self.port, self.process)
        return self

    def __exit__(self, *exc) -> None:
        stop(self.process)

    def workers_cpu_seconds(self) -> float:
        """CPU time (user and system) the workers have used so far, from /proc: what requests cost the app itself."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue  # a process that ended while we looked
            if int(fields[1]) == self.process.pid:  # fields after the name: state, ppid, ...; utime and stime at 11, 12
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def request(self, method: str, path: str, *, cookie: str = "", form: dict | None = None, timeout: float = 30):
        """One HTTP request: (status, headers, body text). Cookies are sent only as given, never remembered."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Cookie": cookie} if cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read().decode("utf-8", "replace")
        finally:
            connection.close()


def _session_cookie(headers, name: str = "session") -> str:
    """The session cookie a response set, as a Cookie header value."""
    for value in headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie(value)
        if name in cookie:
            return f"{name}={cookie[name].value}"
    raise RuntimeError(f"the response set no {name} cookie")


def sign_in(server: Gunicorn, email: str, password: str) -> str:
    """Sign in through the sign-in form like a browser, and return the signed-in session's Cookie header.

    The production session cookie is Secure, so an http client (wrk included) would not send it back by
    itself: the cookie is read from Set-Cookie and sent by hand.
    """
    status, headers, body = server.request("GET", "/sign-in")
    if status != 200:
        raise RuntimeError(f"GET /sign-in answered {status}")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', body)
    if token is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    cookie = _session_cookie(headers)
    status, headers, _ = server.request("POST", "/sign-in", cookie=cookie,
                                        form={"csrf_token": token.group(1), "email": email, "password": password})
    if status != 302:
        raise RuntimeError(f"signing in answered {status}, not a redirect: check the email and password")
    return _session_cookie(headers)


@dataclass(frozen=True)
class Load:
    """What wrk measured on one address."""

    path: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors plus answers that were not 2xx or 3xx
    cpu_ms_per_request: float | None = None  # the server's workers' CPU time per request, when measured


# How long wrk waits for an answer: a request that takes longer counts as an error, not in the latencies.
TIMEOUT_SECONDS = 10
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(path: str, output: str) -> Load:
    """The figures of a `wrk --latency` report."""
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    if not {"50", "99"} <= percentiles.keys() or "Requests/sec" not in output:
        raise RuntimeError(f"wrk gave no figures for {path}:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if (non_2xx := re.search(r"Non-2xx or 3xx responses: (\d+)", output)):
        errors += int(non_2xx.group(1))
    return Load(
        path=path,
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_milliseconds(percentiles["50"]), p99_ms=_milliseconds(percentiles["99"]), errors=errors,
    )


def wrk_path() -> str:
    """wrk, or a message saying how to get it."""
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk (Debian's package)")
    return found


def load(server: Gunicorn, path: str, *, cookie: str, connections: int, seconds: int, threads: int = 1,
         script: Path | None = None, script_args: tuple[str, ...] = ()) -> Load:
    """Load one address for a fixed time with wrk, after a short warm-up, and read its report.

    `script` is a wrk Lua script that changes each request (first_view.lua: a query string never seen before,
    and with `script_args` a file of addresses to walk, which the warm-up walks backwards).
    """
    url = f"http://127.0.0.1:{server.port}{path}"
    command = [wrk_path(), "--threads", str(threads), "--connections", str(connections), "--latency",
               "--timeout", f"{TIMEOUT_SECONDS}s", "--header", f"Cookie: {cookie}",
               *(["--script", str(script)] if script else [])]
    warm_up_args = ["--", *script_args, "backwards"] if script_args else []
    subprocess.run([*command, "--duration", "2s", url, *warm_up_args], check=True, capture_output=True, timeout=60)
    cpu_before = server.workers_cpu_seconds()
    measured_args = ["--", *script_args] if script_args else []
    report = subprocess.run([*command, "--duration", f"{seconds}s", url, *measured_args], check=True,
                            capture_output=True, text=True, timeout=seconds + 60)
    cpu_seconds = server.workers_cpu_seconds() - cpu_before
    measured = parse_wrk(path, report.stdout)
    return replace(measured, cpu_ms_per_request=1000 * cpu_seconds / max(measured.requests, 1))
