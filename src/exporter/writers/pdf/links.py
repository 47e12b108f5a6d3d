"""PDF links: a URI made 7-bit safe, and the keys a #fragment may match a heading by."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

# Characters kept as they are in a URI (RFC 3986 §2.2 reserved and §2.3 unreserved, and %).
_SAFE = "!#$%&'()*+,/:;=?@[]~-._"
_PUNCT = re.compile(r"[^\w\- ]")


def uri(href: str) -> str:
    """``href`` with every other character percent-encoded as UTF-8: a URI action's string is
    7-bit ASCII (ISO 32000-1 §12.6.4.7)."""
    return quote(href, safe=_SAFE)


def anchor_key(label: str, fragment: bool = False) -> list[str]:
    """The forms a heading is linked by: its label itself and a GitHub-style slug (lower case,
    punctuation dropped, spaces as hyphens); for a ``fragment`` its percent-decoding too."""
    text = unquote(label) if fragment else label
    text = text.strip()
    if not text:
        return []
    slug = _PUNCT.sub("", text.lower()).replace(" ", "-")
    return [text, slug] if slug and slug != text else [text]
