"""Two processes started together, each waiting for "go", so a test can make them race for the same rows."""

import subprocess
import sys

from config import PROJECT_ROOT


def race_two(script: str, *args: str, timeout: float = 60) -> list[str]:
    """Run `python -c script *args` twice; each prints "ready", then waits for "go". Returns their stdouts."""
    processes = [
        subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
        for _ in range(2)
    ]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready", process.stderr.read()
        for process in processes:  # both are ready: let them race
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=timeout) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    for (_, stderr), process in zip(outputs, processes, strict=True):
        assert process.returncode == 0, stderr
    return [stdout for stdout, _ in outputs]
