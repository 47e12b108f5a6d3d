"""XML escaping for every XML part we write (DOCX, EPUB), with one policy for characters XML 1.0 forbids."""

from __future__ import annotations

import re
from collections.abc import Iterable

from exporter import diagnostics

# XML 1.0 §2.2 Char excludes C0 controls other than TAB/LF/CR, lone surrogates and U+FFFE/U+FFFF;
# not even a character reference may name them, so they can never reach a file.
#
# Policy: each is replaced in place by a visible stand-in (a C0 control by its U+2400 Control
# Picture, anything else by U+FFFD) and reported once per output as ``xml-forbidden-chars``
# through exporter.diagnostics. Replacing rather than dropping keeps the README's "nothing lost"
# honest: the reader already removes (and reports) control characters, so only text built by
# the API can carry them, and there the mark shows where a character could not be written.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# CR is legal, but a parser folds a literal CR into LF: written as a reference it survives.
_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]")


def _stand_in(match: re.Match[str]) -> str:
    cp = ord(match.group())
    if cp == 0x0D:
        return "&#13;"
    if cp < 0x20:
        return chr(0x2400 + cp)  # U+2400 Control Pictures: the control stays visible, in place
    return "\ufffd"


def text(value: str) -> str:
    """``value`` escaped for XML character data, forbidden characters replaced (see above)."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _SPECIAL.search(value) is not None:
        value = _SPECIAL.sub(_stand_in, value)
    return value


def attr(value: str) -> str:
    """``value`` escaped for a double-quoted attribute (or character data), as :func:`text`."""
    value = text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    return value


def forbidden(value: str) -> list[str]:
    """The distinct characters of ``value`` that XML cannot hold, as ``U+XXXX``, sorted."""
    return sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(value)})


def report_forbidden(texts: Iterable[str], where: str, fmt: str) -> None:
    """Warn once when ``texts`` hold characters XML cannot carry (:func:`text` writes stand-ins)."""
    codes = sorted({c for t in texts for c in forbidden(t)})
    if codes:
        diagnostics.warn(
            "xml-forbidden-chars",
            f"{where}: {fmt} cannot hold character(s) {', '.join(codes[:10])}"
            f"{' …' if len(codes) > 10 else ''}; written as visible stand-ins "
            "(U+2400 control pictures or U+FFFD)",
            chars=codes,
            format=fmt,
        )
