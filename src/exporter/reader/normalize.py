"""Text normalisation before structure detection: line ends, control characters, trailing space.

No Unicode normalisation is applied: NFC would rewrite CJK compatibility ideographs.
"""

from __future__ import annotations

import re

from exporter.record import record

# C0 controls other than TAB and LF, DEL, C1 controls, and the noncharacters python-docx and
# XML reject (U+FFFE, U+FFFF), plus lone surrogates (only possible with --errors surrogateescape).
_CONTROL = re.compile("[\x00-\x08\x0b\x0d-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# An ANSI colour/cursor sequence: ESC [ params letter. The ESC is a control; the rest would be
# left as junk "[31m" text, so the whole sequence goes.
_ANSI = re.compile("\x1b\\[[0-9;?]*[A-Za-z]")
_FORM_FEED = "\x0c"
PAGE_BREAK_MARK = "\x0c"


@record
class Normalised:
    """Lines without line ends or trailing whitespace; a line of only a form feed is a page break."""

    lines: list[str]
    removed_controls: int
    removed_text: list[str]


def normalise(text: str) -> Normalised:
    """Split into lines (CR, LF, CRLF, mixed), drop control characters, strip trailing whitespace."""
    removed_text: list[str] = []
    removed = 0
    if "\x1b" in text:
        removed_text.extend(_ANSI.findall(text))
        removed += sum(len(m) for m in removed_text)
        text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw
        if _FORM_FEED in line and not line.replace(_FORM_FEED, "").strip():
            lines.append(PAGE_BREAK_MARK)
            continue
        if _CONTROL.search(line) or _FORM_FEED in line:
            found = _CONTROL.findall(line) + [c for c in line if c == _FORM_FEED]
            removed += len(found)
            removed_text.extend(found)
            line = _CONTROL.sub("", line).replace(_FORM_FEED, "")
        lines.append(line.rstrip())
    # A page break before the first text or after the last breaks nothing: it is removed and
    # reported like any other control character, so it can never stand as a title or a signer.
    breaks = _strip_blank_ends(lines)
    removed += breaks
    removed_text.extend(_FORM_FEED * breaks)
    return Normalised(lines, removed, removed_text)


def _strip_blank_ends(lines: list[str]) -> int:
    """Drop blank and page-break lines at both ends of ``lines``; the form feeds dropped."""
    ends = 0
    while lines and not lines[-1].strip():
        ends += lines.pop().count(_FORM_FEED)
    first = next((k for k, line in enumerate(lines) if not is_blank(line)), len(lines))
    ends += sum(line.count(_FORM_FEED) for line in lines[:first])
    lines[:first] = [line for line in lines[:first] if line != PAGE_BREAK_MARK]
    return ends


_INDENT = re.compile(r"^[ \t\u3000\u00a0\u2003\u2002]+")


def indent_of(line: str) -> int:
    """The width of a line's leading whitespace in ideographic-space units (2 ASCII spaces = 1)."""
    m = _INDENT.match(line)
    if not m:
        return 0
    width = 0.0
    for ch in m.group(0):
        width += 1.0 if ch in "\u3000\u2003" else (2.0 if ch == "\t" else 0.5)
    return int(width + 0.5)


def is_blank(line: str) -> bool:
    """Whitespace only (zero-width spaces and stray BOMs count as whitespace here)."""
    return not line.strip().strip("\u200b\ufeff").strip()
