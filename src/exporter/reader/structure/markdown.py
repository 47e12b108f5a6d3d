"""Markdown markup in plain text: # headings, setext underlines, separator lines, - / 1. lists, > quotes."""

from __future__ import annotations

import re

from exporter.model import ListBlock, ListItem, Quote, Rule, plain
from exporter.reader.normalize import is_blank
from exporter.reader.structure.draft import Body
from exporter.reader.structure.ranks import RANK, RankedHeading
from exporter.reader.structure.shapes import GW_LEVELS

#: Marked lines in a row that make a list: one marked line alone is a paragraph (a dash aside).
LIST_MIN_ITEMS = 2
#: ``#`` to ``######``; levels past 4 share the lowest rank (Chinese texts nest no deeper).
_MD_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<rest>.+)$")
_MD_DEEPEST = 4
_MD_LIST = re.compile(r"^(?P<marker>[-*+•·]|\d{1,3}[.)])\s+(?P<rest>.+)$")
_SETEXT = re.compile(r"^(?:={3,}|-{3,})$")
#: A separator line: three or more of one separator character, maybe spaced (* * *), ASCII
#: or the full-width and box-drawing ones Chinese texts use (※※※, ＊＊＊, ———, ═══).
_SEPARATOR = re.compile(r"^(?P<ch>[-=*_~#—─━═·•※＊＝－～＃＿])(?:[ \u3000]*(?P=ch)){2,}$")
#: The gongwen ordinal 1. (GB/T 9704 §7.3.3) looks like a Markdown ordered-list marker.
_GW_ARABIC = GW_LEVELS[2][1]


def drop_setext(lines: list[str], dropped: list[str]) -> list[str]:
    """Lines without setext underlines (==== / ---- under a text line), which go to ``dropped``."""
    kept: list[str] = []
    for line in lines:
        if _SETEXT.match(line.strip()) and kept and not is_blank(kept[-1]):
            dropped.append(line.strip())
            continue
        kept.append(line)
    return kept


def is_separator(text: str) -> bool:
    """Whether ``text`` (a stripped line) is a separator line: ===, -----, * * *, ※※※."""
    return _SEPARATOR.match(text) is not None


def thematic_break(body: Body, i: int) -> int | None:
    """Rule: a separator line alone in its group (blank lines or the text's ends around it;
    one under a text line is a setext underline, taken out before) is a thematic break. Its
    characters stay in the Rule, so they are not reported as dropped: what ``dropped`` lists
    is absent from the model, and the reader's no-loss check counts on that."""
    units = body.units
    unit = units[i]
    alone = unit.group_start and (i + 1 >= len(units) or units[i + 1].group_start)
    if unit.indent < 0 or not alone or not is_separator(unit.text):
        return None
    body.add(Rule(unit.text))
    return i + 1


def heading(body: Body, i: int) -> int | None:
    """Rule: ``# Heading``; the # marks are markup (dropped, reported)."""
    m = _MD_HEADING.match(body.units[i].text)
    if not m:
        return None
    level = len(m.group("marks"))
    body.draft.dropped.append(m.group("marks"))
    body.add(RankedHeading(RANK[f"md{min(level, _MD_DEEPEST)}"], "", plain(m.group("rest"))))
    return i + 1


def bullet_list(body: Body, i: int) -> int | None:
    """Rule: consecutive lines opening with a list marker (- * + • · or 1. 1))."""
    units = body.units
    if not _MD_LIST.match(units[i].text) or _GW_ARABIC.match(units[i].text):
        return None
    j = i
    items: list[ListItem] = []
    while j < len(units) and (m := _MD_LIST.match(units[j].text)):
        items.append(ListItem(m.group("marker"), plain(m.group("rest"))))
        j += 1
    if len(items) < LIST_MIN_ITEMS:
        return None
    body.add(ListBlock(items[0].marker[0].isdigit(), tuple(items)))
    return j


def quote(body: Body, i: int) -> int | None:
    """Rule: a line opening with ``> `` or ``＞``; the mark is markup (dropped, reported)."""
    text = body.units[i].text
    if not text.startswith(("> ", "＞")):
        return None
    body.draft.dropped.append(text[0])
    body.add(Quote(plain(text[1:].lstrip())))
    return i + 1
