"""The output folder's lock: one run at a time updates its manifest; a dead run's lock is taken over."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_NAME = ".exporter-lock"
#: Seconds of waiting before the waiting run says so (a manifest save takes milliseconds).
NOTE_AFTER = 1.0
_POLL = 0.05


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (a zombie has exited; unknown counts as alive)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there: never guess "dead"
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, owned by another user
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def lock_holder(path: Path) -> int | None:
    """The PID written in lock file ``path`` (None: none or unreadable)."""
    try:
        pid = json.loads(path.read_text("utf-8")).get("pid")
    except (OSError, ValueError, AttributeError):
        return None
    return pid if isinstance(pid, int) else None


@contextlib.contextmanager
def folder_lock(
    folder: Path, waiting: Callable[[int | None], None] | None = None
) -> Iterator[None]:
    """Hold ``folder``'s lock file (created, holding this PID; removed on release).

    ``waiting`` is called once, with the holder's PID, when the lock is still busy after
    NOTE_AFTER seconds. A lock whose holder died is free: flock(2) locks die with their process;
    without flock the PID in the file decides.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    acquire = _acquire_flock if fcntl is not None else _acquire_exclusive
    fd = acquire(path, _Waiter(path, waiting))
    try:
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid()}).encode())
        yield
    finally:
        # Removed while still held: a run that opened this file meanwhile sees it is gone.
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


class _Waiter:
    """Sleeps between attempts and reports, once, that the run waits."""

    def __init__(self, path: Path, note: Callable[[int | None], None] | None) -> None:
        self.path, self.note, self.start = path, note, time.monotonic()

    def wait(self) -> None:
        if self.note is not None and time.monotonic() - self.start > NOTE_AFTER:
            self.note(lock_holder(self.path))
            self.note = None
        time.sleep(_POLL)


def _acquire_flock(path: Path, waiter: _Waiter) -> int:
    import fcntl

    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            waiter.wait()
            continue
        # The holder we waited for removes the file before it unlocks: ours must still be it.
        try:
            st, now = os.fstat(fd), os.stat(path)
            if (st.st_dev, st.st_ino) == (now.st_dev, now.st_ino):
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def _acquire_exclusive(path: Path, waiter: _Waiter) -> int:
    while True:
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = lock_holder(path)
            if (not pid_alive(holder)) if holder is not None else _older_than(path, 10.0):
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            waiter.wait()


def _older_than(path: Path, seconds: float) -> bool:
    """Whether ``path`` was last changed more than ``seconds`` ago (a lock left without a PID)."""
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False
