"""Contents: a book's own table of contents, a run of chapter lines with no text between them."""

from __future__ import annotations

from exporter.model import Contents, plain
from exporter.reader.structure.draft import Body
from exporter.reader.structure.shapes import ARTICLE_KINDS, CHAPTER, PROLOGUE

#: At least this many chapter lines in a row: two or three can be a chapter heading with a
#: subtitle line; the one contents in the corpus (老残游记) lists 20.
CONTENTS_MIN_ENTRIES = 4


def contents(body: Body, i: int) -> int | None:
    """Rule: chapter lines in one group before any chapter has begun are the book's contents.

    Any other chapter line marks the chapters as begun, so a later run is headings.
    """
    units = body.units
    m = CHAPTER.match(units[i].text)
    if not m or m.group("kind") in ARTICLE_KINDS:
        return None
    j = i
    while (
        j < len(units)
        and units[j].group == units[i].group
        and (CHAPTER.match(units[j].text) or PROLOGUE.match(units[j].text))
    ):
        j += 1
    if j - i >= CONTENTS_MIN_ENTRIES and not body.chapters_begun:
        body.add(Contents(tuple(plain(x.text) for x in units[i:j])))
        return j
    body.chapters_begun = True
    return None
