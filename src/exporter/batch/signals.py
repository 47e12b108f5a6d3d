"""Signals: SIGTERM becomes SystemExit, so open temporary outputs are removed on the way out."""

from __future__ import annotations


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit(128 + SIGTERM) in this process (and in each worker)."""
    import signal

    def _handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _handler)
