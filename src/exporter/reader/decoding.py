"""Bytes -> text: BOM and NUL-pattern sniffing, strict UTF-8, then charset-normalizer for GB18030/GBK/Big5."""

from __future__ import annotations

import codecs

from exporter.errors import InputError
from exporter.record import record

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8-BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE"),
)

# Signatures of binary formats people rename to .txt by mistake.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (DOCX/EPUB/XLSX?)"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)

#: Names accepted by --encoding besides Python codec names.
ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}


@record
class Decoded:
    """Decoded text and the encoding it was read with (as recorded in the model)."""

    text: str
    encoding: str


def _utf16_without_bom(data: bytes, weak: bool) -> str | None:
    """UTF-16 without a BOM shows NUL bytes at every other position in ASCII-heavy text. CJK
    text has few NULs; ``weak`` (used only once UTF-8 has failed) also reads the byte order off
    the newlines, 00 0A in big-endian and 0A 00 in little-endian."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > half * 0.2 and even_nul < half * 0.02:
        return "utf-16-le"
    if even_nul > half * 0.2 and odd_nul < half * 0.02:
        return "utf-16-be"
    if weak and len(data) % 2 == 0 and (even_nul or odd_nul):
        pairs = list(zip(data[0::2], data[1::2], strict=False))
        be = pairs.count((0, 10))
        le = pairs.count((10, 0))
        if be > le * 4 and be >= 1:
            return "utf-16-be"
        if le > be * 4 and le >= 1:
            return "utf-16-le"
    return None


def text_codec(encoding: str) -> str:
    """The Python codec for an ``--encoding`` name; InputError for an unknown name or a codec
    that does not decode bytes to text (rot13, base64, hex, zlib, undefined)."""
    codec = ALIASES.get(encoding.lower(), encoding)
    try:
        info = codecs.lookup(codec)
    except LookupError:
        raise InputError(f"--encoding: unknown encoding {encoding!r}") from None
    try:
        usable = info._is_text_encoding and isinstance(info.incrementaldecoder().decode(b"a"), str)
    except (UnicodeError, TypeError):  # ``undefined`` refuses every byte
        usable = False
    if not usable:
        raise InputError(f"--encoding: {encoding!r} is not a text encoding")
    return codec


def _refuse_nul(data: bytes, name: str) -> None:
    """A NUL byte in bytes that are neither UTF-8, UTF-16 nor UTF-32 marks a binary file."""
    nul = data.find(0)
    if nul >= 0:
        raise InputError(f"{name}: NUL byte at offset {nul}: not a text file")


def _looks_binary(data: bytes) -> str | None:
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            return what
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with some damage rather than another encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good_multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return good_multibyte > bad * 4


def decode(data: bytes, name: str, encoding: str | None = None, errors: str = "strict") -> Decoded:
    """Decode a file's bytes; InputError names the file and byte offset of undecodable input."""
    if errors not in ("strict", "replace"):
        raise InputError(f"--errors must be 'strict' or 'replace', not {errors!r}")
    if encoding:
        codec = text_codec(encoding)
        if codec.replace("_", "-").lower() in ("utf-8", "utf8") and data.startswith(
            codecs.BOM_UTF8
        ):
            codec = "utf-8-sig"
        return Decoded(_strict(data, codec, name, errors), encoding)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom) :], codec, name, errors), label)
    what = _looks_binary(data)
    if what:
        raise InputError(f"{name}: this is {what}, not a text file")
    utf16 = _utf16_without_bom(data, weak=False)
    if not utf16:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            utf8_error = exc
        else:  # a stray NUL in UTF-8 text is a control character: removed with a warning
            return Decoded(text, "UTF-8")
        utf16 = _utf16_without_bom(data, weak=True)
    if utf16:
        label = "UTF-16LE" if utf16.endswith("le") else "UTF-16BE"
        return Decoded(_strict(data, utf16, name, errors), label)
    _refuse_nul(data, name)
    if _mostly_utf8(data):
        if errors == "replace":
            return Decoded(data.decode("utf-8", errors="replace"), "UTF-8")
        raise InputError(
            f"{name}: invalid UTF-8 at byte {utf8_error.start} ({utf8_error.reason}); "
            "pass --encoding or --errors replace"
        )
    detected = _detect(data)
    if detected is None:
        if errors == "replace":
            return Decoded(data.decode("utf-8", errors="replace"), "UTF-8")
        raise InputError(
            f"{name}: cannot determine the encoding (not UTF-8, UTF-16, GB18030 or Big5; "
            f"first bad byte at {utf8_error.start}); pass --encoding"
        )
    codec, label = detected
    return Decoded(_strict(data, codec, name, errors), label)


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=["gb18030", "big5", "cp950"]).best()
    if best is None:
        return None
    if best.encoding in ("big5", "cp950"):
        return "big5hkscs", "Big5"
    return "gb18030", "GB18030"


def _strict(data: bytes, codec: str, name: str, errors: str) -> str:
    try:
        return data.decode(codec, errors=errors)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: cannot decode as {codec} at byte {exc.start} ({exc.reason}); "
            "pass --encoding or --errors replace"
        ) from None
