"""Reproducible zip packages (DOCX, EPUB): one policy for entry order, times, permissions, compression."""

from __future__ import annotations

import io
import os
import struct
import time
import zlib
from collections.abc import Iterable

from exporter.writers._background import Background
from exporter.writers._dates import PLACEHOLDER, source_date_epoch

#: The entry time when SOURCE_DATE_EPOCH is not set: the placeholder, the zip format's earliest
#: time (1980-01-01 00:00:00). An entry time says when a file was made, not what date a document
#: bears, so the document's date is never used here.
DEFAULT_TIME = (
    PLACEHOLDER.year, PLACEHOLDER.month, PLACEHOLDER.day,
    PLACEHOLDER.hour, PLACEHOLDER.minute, PLACEHOLDER.second,
)  # fmt: skip

#: Deflate level for every compressed entry. Measured on novel_hongloumeng_full (DOCX 2.7 MB,
#: EPUB 4.6 MB of entries) and the sample: level 6 is 4-7% smaller than 3 but takes 1.6-2.6
#: times as long, and deflate is most of a novel's DOCX/EPUB build; level 1 is 6-7% larger
#: than 3 for little gain in time.
LEVEL = 3

#: Bytes a deflated entry is cut into for compressing on several cores (see :func:`deflate`).
CHUNK = 1 << 20

_LATEST = (2107, 12, 31, 23, 59, 58)
_WINDOW = 1 << 15  # deflate's window: what a piece may refer back to

# The zip records (APPNOTE.TXT 6.3 §4.3.7, §4.3.12, §4.3.16) exactly as zipfile writes them for
# a seekable file: version 2.0, no data descriptor, no extra field (EPUB's mimetype must have
# none), made on Unix (3) with mode 0644, so a package is the bytes zipfile would write.
_LOCAL = "<4s2B4HL2L2H"
_CENTRAL = "<4s4B4HL2L5H2L"
_END = "<4s4H2LH"
_VERSION = 20
_UNIX = 3
_STORED, _DEFLATED = 0, 8
_UTF8_NAME = 0x800
_REGULAR_0644 = 0o100644 << 16
_ZIP64_LIMIT = 0xFFFFFFFF


def entry_time(explicit_epoch: int | None = None) -> tuple[int, int, int, int, int, int]:
    """Every entry's time: SOURCE_DATE_EPOCH (UTC, kept within what zip can hold), else DEFAULT_TIME."""
    epoch = source_date_epoch(explicit_epoch)
    if epoch is None:
        return DEFAULT_TIME
    stamp = time.gmtime(epoch)[:6]
    when = (stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5] - stamp[5] % 2)
    return min(max(when, DEFAULT_TIME), _LATEST)


class Deflating(Background[bytes]):
    """An entry's bytes being deflated in a background thread while the writer goes on (zlib
    releases the GIL, so the deflate runs on another core beside Python work)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        super().__init__(deflate, data, size=len(data))


def package(
    entries: Iterable[tuple[str, bytes | Deflating]],
    *,
    stored: frozenset[str] = frozenset(),
    explicit_epoch: int | None = None,
) -> bytes:
    """A zip of ``entries`` in the order given; names in ``stored`` are not compressed, a
    :class:`Deflating` entry's deflate was started earlier by the caller.

    Host, permissions (a regular file, 0644) and time are the same on every machine, so the
    same input gives the same bytes. EPUB 3.3 §4.2.2 (OCF ZIP container) wants ``mimetype``
    first and stored: the caller passes it first and names it in ``stored``.
    """
    given = list(entries)
    items = [(name, d.data if isinstance(d, Deflating) else d) for name, d in given]
    if len(items) >= 0xFFFF or any(len(d) >= _ZIP64_LIMIT for _, d in items):
        return _package_zip64(items, stored, explicit_epoch)
    when = entry_time(explicit_epoch)
    dos_date = (when[0] - 1980) << 9 | when[1] << 5 | when[2]
    dos_time = when[3] << 11 | when[4] << 5 | when[5] // 2
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for (name, data), (_, given_data) in zip(items, given, strict=True):
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else _UTF8_NAME
        method = _STORED if name in stored else _DEFLATED
        if method == _STORED:
            body = data
        elif isinstance(given_data, Deflating):
            body = given_data.result()
        else:
            body = deflate(data)
        crc = zlib.crc32(data)
        fields = (_VERSION, 0, flags, method, dos_time, dos_date, crc, len(body), len(data))
        header = struct.pack(_LOCAL, b"PK\x03\x04", *fields, len(raw), 0)
        central.append(
            struct.pack(_CENTRAL, b"PK\x01\x02", _VERSION, _UNIX, *fields, len(raw), 0, 0, 0, 0,
                        _REGULAR_0644, offset)
            + raw
        )  # fmt: skip
        out += (header, raw, body)
        offset += len(header) + len(raw) + len(body)
    directory = b"".join(central)
    end = struct.pack(_END, b"PK\x05\x06", 0, 0, len(items), len(items), len(directory), offset, 0)
    return b"".join((*out, directory, end))


def deflate(data: bytes) -> bytes:
    """``data`` as a raw deflate stream at LEVEL, the same bytes on any machine.

    Up to CHUNK bytes, one stream, as zipfile writes it. A larger entry (a novel's
    document.xml, 2.7 MB) is cut into CHUNK-byte pieces compressed side by side in threads
    (zlib releases the GIL), as pigz does: each piece starts from the 32 KiB before it as its
    dictionary and ends on a byte boundary (Z_SYNC_FLUSH), the last one ends the stream, so
    the pieces joined are one valid stream, within a fraction of a percent of its size. The
    pieces are fixed by CHUNK, not by the number of cores, so the bytes are too.
    """
    if len(data) <= CHUNK:
        packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush()
    view = memoryview(data)
    starts = range(0, len(data), CHUNK)
    workers = min(len(starts), os.cpu_count() or 1)

    def work(first: int) -> list[tuple[int, bytes]]:
        return [(k, _piece(view, starts[k])) for k in range(first, len(starts), workers)]

    # Threads per call, not a pool kept for the process: a forked batch worker would inherit
    # a pool whose threads do not exist in it. The caller's thread takes its share too.
    others = [Background(work, w) for w in range(1, workers)]
    done = work(0)
    for job in others:
        done += job.result()
    return b"".join(piece for _, piece in sorted(done))


def _piece(view: memoryview, start: int) -> bytes:
    end = start + CHUNK
    if start:
        window = view[max(0, start - _WINDOW) : start]
        packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, zdict=window)
    else:
        packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    last = end >= len(view)
    return packer.compress(view[start:end]) + packer.flush(
        zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    )


def _package_zip64(
    items: list[tuple[str, bytes]], stored: frozenset[str], explicit_epoch: int | None
) -> bytes:
    """Beyond what a plain zip holds (4 GiB an entry, 65,535 entries): zipfile's ZIP64."""
    import zipfile

    moment = entry_time(explicit_epoch)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", allowZip64=True) as zf:
        for name, data in items:
            info = zipfile.ZipInfo(name, moment)
            info.create_system = 3
            info.external_attr = _REGULAR_0644
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=LEVEL)
    return buf.getvalue()
