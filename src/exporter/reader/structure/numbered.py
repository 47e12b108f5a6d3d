"""Chapters numbered by a bare number alone on its line (1, 2, 3 …), as copied web texts have."""

from __future__ import annotations

from exporter.reader.structure.draft import Body
from exporter.reader.structure.ranks import RANK, RankedHeading
from exporter.reader.structure.units import Unit

#: A sequence of bare numbers titles chapters only when it has at least this many members.
NUMBERED_MIN = 3
#: What a line before a chapter number ends with: the previous chapter's last sentence.
_SENTENCE_ENDS = frozenset("。！？!?」』”’）)….")


def _number(unit: Unit) -> int | None:
    text = unit.text
    if 1 <= len(text) <= 3 and text.isascii() and text.isdigit() and not unit.is_break:
        return int(text)
    return None


def numbered_chapters(units: list[Unit]) -> set[int]:
    """Units that are chapter numbers: every bare number line of the text, in order, is exactly
    1, 2, …, N (N >= NUMBERED_MIN), and each after the first follows a finished sentence.

    A bare number is usually a page number of text pulled from a PDF, so anything less strict
    stays a paragraph: a page number falls where the page did, mid-sentence more often than not,
    and pages rarely start at 1 with nothing skipped."""
    members = [i for i, u in enumerate(units) if _number(u) is not None]
    if len(members) < NUMBERED_MIN:
        return set()
    if [_number(units[i]) for i in members] != list(range(1, len(members) + 1)):
        return set()
    for i in members:
        if i + 1 >= len(units) or units[i + 1].is_break or _number(units[i + 1]) is not None:
            return set()  # nothing under it, or a column of numbers
        if i > 0 and units[i - 1].is_break:
            return set()
    for i in members[1:]:
        if units[i - 1].text[-1] not in _SENTENCE_ENDS:
            return set()
    return set(members)


def chapter_number(body: Body, i: int) -> int | None:
    """Rule: a chapter number found by :func:`numbered_chapters`, a chapter-level heading."""
    if i not in body.numbered:
        return None
    body.add(RankedHeading(RANK["回"], body.units[i].text, ()))
    return i + 1
