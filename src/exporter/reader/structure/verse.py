"""Verse: a group of short lines ending in verse punctuation, maybe under a title and an author."""

from __future__ import annotations

import re

from exporter.model import Block, Byline, Verse, plain
from exporter.reader.structure.draft import Body
from exporter.reader.structure.ranks import RANK, RankedHeading
from exporter.reader.structure.shapes import title_like
from exporter.reader.structure.units import Unit

#: A verse line: 2 to 64 characters (a trailing variant note not counted). A 七言 couplet is 16
#: with its punctuation; the corpus's longest verse line is a 诗经 stanza of 40 on one line
#: (汉广), so 64 leaves room for a longer stanza; longer lines are taken for prose.
VERSE_LINE_MIN = 2
VERSE_LINE_MAX = 64
#: A poem has at least two lines: one short line ending in a comma is a paragraph.
MIN_LINES = 2
#: A poem's title above its lines (静夜思, 念奴娇·赤壁怀古); longer lines are prose.
POEM_TITLE_MAX = 24
#: The author line under a poem's title (李白, 〔宋〕苏轼).
POEM_AUTHOR_MAX = 12
#: A poem is one group of lines; stop looking after this many (a group that long is prose lines).
GROUP_MAX = 400
#: How far an anthology's section heading looks ahead for the titled poem under it.
ANTHOLOGY_LOOKAHEAD = 200
#: A titled poem under a section heading: its title and at least two lines.
ANTHOLOGY_POEM_MIN = 3

#: A line that introduces verse (乱曰：, 其辭曰：) inside a poem is at most this long.
INTRO_MAX = 6
#: Lines without an end mark are verse only in a group of at least LOOSE_MIN_LINES lines of at
#: most LOOSE_LINE_MAX characters, LOOSE_BARE_SHARE of them with no mark at the end and
#: LOOSE_SHARE ending in a mark or holding a comma.
LOOSE_MIN_LINES = 3
LOOSE_LINE_MAX = 24
LOOSE_SHARE = 0.6
LOOSE_BARE_SHARE = 0.4
#: A poem whose lines but a few (this share at least) end in a mark.
MOSTLY_MARKED = 0.8

#: Verse lines end in clause or sentence punctuation, or a closing quote (GB/T 15834 点号).
_VERSE_ENDS = "，。？！；、」』”"
#: A variant note after a line (一作“…”), which the line may end with instead.
_TRAILING_NOTE = re.compile(r"[\s\u3000]*[（(][^）)]{1,20}[）)]$")


def _introduces(text: str) -> bool:
    """乱曰：, 詩曰：, 其辭曰：: a few characters and a colon that open the lines after them."""
    return 2 <= len(text) <= INTRO_MAX and text[-1] in "：:"


def verse_like(text: str) -> bool:
    """A verse line: short, ends in verse punctuation (a trailing variant note allowed)."""
    text = _TRAILING_NOTE.sub("", text)
    return (
        VERSE_LINE_MIN <= len(text) <= VERSE_LINE_MAX
        and text[-1] in _VERSE_ENDS
        and ("：“" not in text)
    )


def _verse_lines(texts: list[str]) -> bool:
    """Every line verse-like (a short line introducing a part, 乱曰： or 詩曰：, among them); or,
    in a longer group of short lines (楚辞 lines end without a mark: 吉日兮辰良，穆将愉兮上皇),
    most of them end in a mark or hold a clause break."""
    marked = [verse_like(t) or _introduces(t) for t in texts]
    if all(marked) and not all(map(_introduces, texts)):
        return True
    # A line that lost its end mark among marked ones (玄文处幽兮，矇瞍谓之不章): still a verse line.
    if sum(marked) >= MOSTLY_MARKED * len(texts) and all(
        m or (len(t) <= LOOSE_LINE_MAX and "，" in t) for m, t in zip(marked, texts, strict=True)
    ):
        return True
    if len(texts) < LOOSE_MIN_LINES or any(len(t) > LOOSE_LINE_MAX for t in texts):
        return False
    bare = sum(1 for t in texts if t and t[-1].isalnum())  # no end mark at all: 楚辞's signature
    clauses = sum(1 for t in texts if verse_like(t) or "，" in t)
    return bare >= LOOSE_BARE_SHARE * len(texts) and clauses >= LOOSE_SHARE * len(texts)


def verse_group(group: list[Unit]) -> list[Block | RankedHeading] | None:
    """Blocks for a group of lines that is a poem (title? author? lines), or None."""
    if len(group) < MIN_LINES:
        return None
    k = 0
    if not verse_like(group[0].text) and title_like(group[0].text, POEM_TITLE_MAX):
        k = 1
        if (
            len(group) > 2
            and not verse_like(group[1].text)
            and len(group[1].text) <= POEM_AUTHOR_MAX
        ):
            k = 2
    lines = group[k:]
    if len(lines) < MIN_LINES or not _verse_lines([x.text for x in lines]):
        return None
    head: list[Block | RankedHeading] = []
    if k >= 1:
        head.append(RankedHeading(RANK["poem"], "", plain(group[0].text)))
    if k == 2:
        head.append(Byline(plain(group[1].text)))
    head.append(Verse(tuple(plain(x.text) for x in lines)))
    return head


def group_at(units: list[Unit], i: int, limit: int) -> list[Unit]:
    """The units of unit ``i``'s group from ``i`` on, looking at no more than ``limit`` units."""
    return [x for x in units[i : i + limit] if x.group == units[i].group]


def anthology_section(units: list[Unit], j: int) -> bool:
    """Whether the group starting at unit ``j`` is a poem headed by its title."""
    if j >= len(units):
        return False
    group = group_at(units, j, ANTHOLOGY_LOOKAHEAD)
    blocks = verse_group(group) if len(group) >= ANTHOLOGY_POEM_MIN else None
    return blocks is not None and isinstance(blocks[0], RankedHeading)


def verse(body: Body, i: int) -> int | None:
    """Rule: a group of verse lines (a poem), maybe headed by its title and an author line."""
    u = body.units[i]
    if not u.group_start:
        return None
    group: list[Unit] = []
    for x in body.units[i:]:
        if x.group != u.group or x.indent < 0 or len(group) > GROUP_MAX:
            break  # pre-formatted lines are never verse
        group.append(x)
    blocks = verse_group(group)
    if blocks is None:
        return None
    body.draft.blocks.extend(blocks)
    return i + len(group)
