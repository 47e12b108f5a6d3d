"""Headings: chapters and articles, prologues, the gongwen ordinals, a book's named parts."""

from __future__ import annotations

import re

from exporter.model import plain
from exporter.reader.structure.draft import Body
from exporter.reader.structure.ranks import RANK, RankedHeading
from exporter.reader.structure.shapes import (
    ARTICLE_KINDS,
    CHAPTER,
    GW_LEVELS,
    NAMED_PART,
    PROLOGUE,
    VOLUME,
    ordinal_value,
    title_like,
)
from exporter.reader.structure.verse import anthology_section

#: A heading's own text after its ordinal: the corpus's longest is 55 characters (a style
#: guide's numbered rule); a longer line is a numbered paragraph, not a heading.
HEADING_MAX = 60
#: A heading of two phrases joined by a comma, without a stop, is at most this long (the
#: longest seen: 24); it needs text under it, as a one-sentence heading does.
HEADING_COMMA_MAX = 40
#: A run-in heading is the paragraph's first sentence when that sentence is this short
#: (一、总体要求。…); a longer first sentence makes the whole line a paragraph.
RUN_IN_MAX = 40
#: 楔子 / 序言 on a line of its own is a heading; a longer line opening with the word is prose.
PROLOGUE_MAX = 40
#: A law article with only a note after it (第十条（删除）) is a heading with no body.
_ARTICLE_NOTE = re.compile(r"[（(][^）)]{1,20}[）)]")
#: A book's named part (学而篇) or an anthology's section (五言絕句, 国风·周南): 2-8 characters.
_SECTION_NAME = re.compile(r"[\u4e00-\u9fff·]{2,8}")


def heading_parts(rest: str) -> tuple[str, str] | None:
    """(heading text, run-in body) for the text after an ordinal, or None for a plain paragraph."""
    if title_like(rest, HEADING_MAX) and rest[-1] not in "；：" and "，" not in rest:
        return rest, ""
    if _LABEL.fullmatch(rest):
        return rest, ""  # 一、计篇： a short name with a colon, as a label heads what follows
    if title_like(rest, HEADING_COMMA_MAX) and rest[-1] not in "；：":
        return rest, ""  # （一）深入落实城市总体规划，推动京津冀协同发展: two phrases, no stop
    stop = rest.find("。")
    if 0 < stop <= RUN_IN_MAX and stop + 1 < len(rest):
        return rest[: stop + 1], rest[stop + 1 :].lstrip(" \u3000")
    if (
        stop == len(rest) - 1
        and len(rest) <= HEADING_MAX
        and not any(c in rest for c in "；：！？")
    ):
        return rest, ""  # one sentence alone on its line: the whole line is the heading
    return None


#: A short name and a colon after an ordinal (计篇：, 总体要求：) is a label; a clause with a verb
#: before the colon (将第十条修改为：, 通知如下：) leads into the text.
_LABEL = re.compile(r"[^，。；：、将为如下]{1,10}[：:]")


def _is_sentence(rest: str) -> bool:
    """Text after an ordinal that reads as a sentence (clause marks inside or at its end), not
    as a heading that is merely too long (十、修改《…》 naming a long title)."""
    return "。" in rest[:-1] or any(c in rest for c in "，；：")


def _ordinal_rank(text: str) -> int | None:
    """The rank of the gongwen ordinal that opens ``text``, if one does."""
    for kind, pat in GW_LEVELS:
        if pat.match(text):
            return RANK[kind]
    return None


def _has_text_under(body: Body, i: int, rank: int) -> bool:
    """Whether unit ``i`` is text under a heading of ``rank``: not the end, not code, not a
    division (第X章) or an ordinal of the same or a higher rank."""
    if i >= len(body.units) or body.units[i].indent < 0:
        return False  # the end, or code: a numbered step (1. 安装依赖。) above its command
    text = body.units[i].text
    if CHAPTER.match(text) or body.units[i].is_break:
        return False
    under = _ordinal_rank(text)
    return under is None or under > rank


def chapter(body: Body, i: int) -> int | None:
    """Rule: 第X章 / 第X回 / 第X卷 (also 第 3 章, 卷一, 卷之三) with a short title after it."""
    text = body.units[i].text
    m = CHAPTER.match(text)
    if m and m.group("kind") in ARTICLE_KINDS:
        return None
    if m:
        num, kind = (m.group("pre") or "") + m.group("num"), m.group("kind")
    elif v := VOLUME.match(text):
        m, num, kind = v, v.group("num"), "卷"
    elif NAMED_PART.match(text) and (body.units[i].group_start or i == 0):
        # 逍遥游第一: the name and its number make the heading, at the level of 学而篇.
        body.add(RankedHeading(RANK["篇"], "", plain(text)))
        return i + 1
    else:
        return None
    rest = m.group("rest").strip(" \u3000")
    if len(rest) > HEADING_MAX or "。" in rest[:-1]:
        return None
    body.add(RankedHeading(RANK[kind], num, plain(rest)))
    return i + 1


def article(body: Body, i: int) -> int | None:
    """Rule: a law article 第X条, its text run in after the number."""
    m = CHAPTER.match(body.units[i].text)
    if not m or m.group("kind") not in ARTICLE_KINDS:
        return None
    num = (m.group("pre") or "") + m.group("num")
    rest = m.group("rest").strip(" \u3000")
    rank = RANK[m.group("kind")]
    if _ARTICLE_NOTE.fullmatch(rest) or not rest:
        body.add(RankedHeading(rank, num, plain(rest)))
    else:
        body.add(RankedHeading(rank, num, (), plain(rest)))
    return i + 1


def prologue(body: Body, i: int) -> int | None:
    """Rule: 楔子 / 序言 / 尾声 … opening a group, as a chapter-level heading."""
    u = body.units[i]
    m = PROLOGUE.match(u.text)
    if not m or len(u.text) > PROLOGUE_MAX or not u.group_start:
        return None
    body.add(RankedHeading(RANK["prologue"], m.group("num"), plain(m.group("rest").strip())))
    return i + 1


def gongwen_ordinal(body: Body, i: int) -> int | None:
    """Rule: 一、 （一） 1. （1） (GB/T 9704 §7.3.3) before a heading or a run-in first sentence.

    Not in a law (第X条 present): there these ordinals number the items of an article. Not
    inside a quotation (an amendment quoting the new text of an item), and not out of sequence:
    （四） needs a （三） before it in the section, itself a heading or merely too long for one;
    after siblings that are sentences of body text it is body text too.
    """
    if body.in_quote(i):
        return None
    if body.has_articles:
        return _law_part(body, i)
    text = body.units[i].text
    for kind, pat in GW_LEVELS:
        m = pat.match(text)
        if m and not m.group("rest") and kind in ("cn", "pcn"):
            return _bare_ordinal(body, i, m.group("num"), RANK[kind])
        if m and m.group("rest"):
            parts = heading_parts(m.group("rest"))
            number = ordinal_value(m.group("num"))
            rank = RANK[kind]
            if parts is None or number is None or not body.in_sequence(rank, number):
                if number is not None:  # body text, still a sibling the next ordinal follows
                    after_text = body.last_ordinal.get(rank, (0, False))[1]
                    body.last_ordinal[rank] = (number, after_text or _is_sentence(m.group("rest")))
                return None
            head, run_in = parts
            if (
                (head.endswith("。") or "，" in head)
                and not run_in
                and not _has_text_under(body, i + 1, rank)
            ):
                # A sentence alone on its line heads a section only with text under it; with
                # a sibling or a higher heading right after, it is an item (1.删除第十一条。).
                body.last_ordinal[rank] = (number, True)
                return None
            body.add(RankedHeading(rank, m.group("num"), plain(head), plain(run_in)))
            body.last_ordinal[rank] = (number, False)
            return i + 1
    return None


def _bare_ordinal(body: Body, i: int, num: str, rank: int) -> int | None:
    """（一） or 一、 alone on its line, in sequence, with text under it: the number of a part
    without a name (a story told in parts)."""
    number = ordinal_value(num)
    if (
        number is None
        or not body.in_sequence(rank, number)
        or not _has_text_under(body, i + 1, rank)
    ):
        return None
    body.add(RankedHeading(rank, num, ()))
    body.last_ordinal[rank] = (number, False)
    return i + 1


def _law_part(body: Body, i: int) -> int | None:
    """In a law, 一、 and （一） number an article's items; a short 一、审限 line with no stop,
    right above an article, heads a part of articles instead (a chapter without 第X章)."""
    units, text = body.units, body.units[i].text
    nxt = units[i + 1].text if i + 1 < len(units) else ""
    m_next = CHAPTER.match(nxt)
    if not m_next or m_next.group("kind") not in ARTICLE_KINDS:
        return None
    for _kind, pat in GW_LEVELS[:2]:
        m = pat.match(text)
        rest = m.group("rest") if m else ""
        if m and title_like(rest, HEADING_MAX) and rest[-1] not in "；：" and "，" not in rest:
            body.add(RankedHeading(RANK["章"], m.group("num"), plain(rest)))
            return i + 1
    return None


def section_name(body: Body, i: int) -> int | None:
    """Rule: a book's named part alone on its line (学而篇), or an anthology's section (五言絕句)
    standing alone right above a titled poem."""
    units = body.units
    u = units[i]
    alone = u.group_start and (i + 1 >= len(units) or units[i + 1].group_start)
    if not alone or not _SECTION_NAME.fullmatch(u.text):
        return None
    if u.text.endswith("篇"):
        kind = "篇"
    elif anthology_section(units, i + 1):
        kind = "anthology"
    else:
        return None
    body.add(RankedHeading(RANK[kind], "", plain(u.text)))
    return i + 1
