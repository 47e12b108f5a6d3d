"""Signals: SIGTERM becomes SystemExit (temporaries removed on the way out); workers die with the parent."""

from __future__ import annotations

import os
import signal
import sys

#: Seconds between a worker's checks that its parent is alive (where prctl is missing).
PARENT_POLL = 0.5
#: Seconds a worker whose parent died has to clean up after SIGTERM before it is ended.
GRACE = 5.0


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit(128 + SIGTERM) in this process (and in each worker)."""

    def _handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _handler)


def init_worker(parent: int) -> None:
    """A pool worker's initializer: SIGTERM exits cleanly, and the worker dies with ``parent``."""
    exit_on_sigterm()
    exit_with_parent(parent)


def exit_with_parent(parent: int) -> None:
    """End this process soon after ``parent`` dies, even by SIGKILL (which runs no clean-up).

    Linux delivers SIGTERM at the parent's death (prctl PR_SET_PDEATHSIG); everywhere a daemon
    thread also polls the parent PID, which changes when the orphan is re-parented.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # died before the request above took effect
        os._exit(128 + signal.SIGTERM)
    import threading

    threading.Thread(target=_watch, args=(parent,), name="exporter-parent", daemon=True).start()


def _watch(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os.kill(os.getpid(), signal.SIGTERM)  # the main thread removes its temporary file and exits
    time.sleep(GRACE)
    os._exit(128 + signal.SIGTERM)
