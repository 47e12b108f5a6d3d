"""A minimal PNG encoder for rendered pages (8-bit RGB, no filter; RFC 2083), so no imaging library is needed."""

from __future__ import annotations

import struct
import zlib


def encode_rgb(pixels: bytes | memoryview, width: int, height: int, stride: int) -> bytes:
    """The PNG file of ``height`` rows of ``width`` RGB pixels, ``stride`` bytes apart."""
    view = memoryview(pixels).cast("B")
    row = width * 3
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter type 0 (None) per scanline, RFC 2083 §6
        raw += view[y * stride : y * stride + row]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(bytes(raw), 3)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
