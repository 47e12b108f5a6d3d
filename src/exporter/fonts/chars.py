"""Character classes: characters that need no glyph, and legacy Chinese character sets."""

from __future__ import annotations

from functools import cache

# Characters that are never drawn on their own and need no glyph: joiners, variation selectors.
_IGNORABLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} | set(range(0xFE00, 0xFE10))


def is_ignorable(ch: str) -> bool:
    """Whether ``ch`` needs no glyph: white space, joiners, variation selectors."""
    cp = ord(ch)
    return ch.isspace() or cp in _IGNORABLE or 0xE0100 <= cp <= 0xE01EF


@cache
def charset(name: str) -> frozenset[int]:
    """The code points of a legacy Chinese character set: ``gb2312``, ``gbk`` or ``big5``."""
    if name == "gb2312":
        leads, trails = range(0xA1, 0xF8), range(0xA1, 0xFF)
    elif name in ("gbk", "big5"):
        leads = range(0x81, 0xFF)
        trails = range(0x40, 0xFF)
    else:
        raise ValueError(f"unknown character set {name!r}")
    found: set[int] = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(name)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return frozenset(found)
