"""Atomic output files: write to a temporary file beside the target, rename into place on success."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

#: Temporary files carry this suffix so a later run can find and remove strays (after SIGKILL).
TMP_SUFFIX = ".exporter-tmp"


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary stream; on success it replaces ``target`` atomically, on error it vanishes.

    An existing good ``target`` is never touched unless the new file is complete.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix="." + target.name + ".", suffix=TMP_SUFFIX, dir=target.parent
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_output(target) as stream:
        stream.write(data)


def remove_stray_temporaries(folder: Path, prefix: str = "") -> int:
    """Delete temporary files left by a killed run under ``folder`` (with ``prefix``: only that
    output's, in ``folder`` itself); returns how many."""
    if not folder.is_dir():
        return 0
    count = 0
    found = folder.glob(prefix + "*" + TMP_SUFFIX) if prefix else folder.rglob("*" + TMP_SUFFIX)
    for stray in found:
        with contextlib.suppress(OSError):
            stray.unlink()
            count += 1
    return count
