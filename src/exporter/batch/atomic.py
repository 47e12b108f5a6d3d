"""Output files: a temporary beside the target renamed on success; devices and FIFOs written through."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from exporter.errors import WriterError

#: Temporary files are named ``.NAME.PID.XXXX`` + this suffix: a later run removes those whose
#: process is dead (after SIGKILL), never a live run's.
TMP_SUFFIX = ".exporter-tmp"

#: Errors of the output's file system (not of the writer): reported as "cannot write PATH".
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS, errno.EPIPE}


def cannot_write(target: Path | str, exc: OSError) -> WriterError:
    """The one-line error for an output that cannot be written."""
    return WriterError(f"cannot write {target}: {exc.strerror or exc}")


def landing_path(target: Path) -> Path:
    """The file a write to ``target`` replaces: a symlink's final target, else ``target``."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def is_stream(target: Path) -> bool:
    """Whether ``target`` is a character device or FIFO, written through rather than replaced."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def write_through(target: Path, data: bytes) -> None:
    """Write ``data`` into a device or FIFO (opened once, as a shell redirection would)."""
    try:
        with open(target, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise cannot_write(target, exc) from None


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary stream; on success it replaces ``target`` atomically, on error it vanishes.

    An existing good ``target`` is never touched unless the new file is complete. A symlink
    stays and its target is replaced; a device or FIFO gets the bytes when they are complete;
    a folder or another kind of file is a WriterError naming ``target``.
    """
    real = landing_path(target)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    except OSError as exc:
        raise cannot_write(target, exc) from None
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        buffer = io.BytesIO()
        yield buffer
        write_through(target, buffer.getvalue())
        return
    if stat.S_ISDIR(mode):
        raise WriterError(f"cannot write {target}: it is a directory")
    if not stat.S_ISREG(mode):
        raise WriterError(f"cannot write {target}: not a regular file, device or FIFO")
    tmp: Path | None = None
    finishing = False  # past the writer: any OSError now is the output's
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        # SIGINT/SIGTERM raise here (signals.py): held back until ``tmp`` names the new file, a
        # signal can never leave a temporary that this block does not know about.
        with _signals_held():
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{real.name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=real.parent
            )
            tmp = Path(tmp_name)
        with os.fdopen(fd, "wb") as stream:
            yield stream
            finishing = True
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, real)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(exc, OSError) and (tmp is None or finishing or exc.errno in _OUTPUT_ERRNOS):
            raise cannot_write(target, exc) from None
        raise


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM (where the platform can) until the block has run."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old = mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_output(target) as stream:
        stream.write(data)


def temporary_owner(name: str) -> int | None:
    """The PID in a temporary file's name (None: a name without one, from an older version)."""
    parts = name.removesuffix(TMP_SUFFIX).rsplit(".", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def remove_stray_temporaries(folder: Path, prefix: str = "") -> int:
    """Delete temporary files left by dead runs under ``folder`` (with ``prefix``: only that
    output's, in ``folder`` itself); a live run's are kept. Returns how many were removed."""
    from exporter.batch.lock import pid_alive

    if not folder.is_dir():
        return 0
    count = 0
    found = folder.glob(prefix + "*" + TMP_SUFFIX) if prefix else folder.rglob("*" + TMP_SUFFIX)
    for stray in found:
        owner = temporary_owner(stray.name)
        if owner is not None and pid_alive(owner):
            continue
        with contextlib.suppress(OSError):
            stray.unlink()
            count += 1
    return count
