"""A loopback SMTP sink in its own process, so the server does not share the sender's interpreter and core.

    python -m benchmarks.sink PORT

accepts every message on 127.0.0.1:PORT and throws it away, printing "ready" once it listens and the number
of messages it took when stopped (SIGTERM, or its parent process ending).
"""

import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class CountingSink:
    """Accepts every message and keeps only the count."""

    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        """Take the message."""
        self.messages += 1
        return "250 Message accepted for delivery"


def main(port: int) -> None:
    """Serve until SIGTERM, then say how many messages came."""
    sink = CountingSink()
    # 127.0.0.1, not the default ::1, and a real port: aiosmtpd cannot be given port 0.
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopped.set())
    parent = os.getppid()
    print("ready", flush=True)
    # Stop on SIGTERM, or by itself once the benchmark that started it has gone.
    while not stopped.wait(1.0) and os.getppid() == parent:
        pass
    controller.stop()
    try:
        print(sink.messages, flush=True)
    except BrokenPipeError:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]))
