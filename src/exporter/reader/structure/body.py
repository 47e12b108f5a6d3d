"""The body: an ordered list of rules, each tried on a unit until one claims it."""

from __future__ import annotations

from collections.abc import Callable

from exporter.model import Boilerplate, Break, Paragraph, plain
from exporter.reader.normalize import PAGE_BREAK_MARK
from exporter.reader.structure import (
    attachments,
    boilerplate,
    code,
    contents,
    headings,
    items,
    markdown,
    numbered,
    pieces,
    signature,
    verse,
)
from exporter.reader.structure.draft import Body, Draft
from exporter.reader.structure.shapes import ARTICLE_KINDS, CHAPTER, quoted_lines
from exporter.reader.structure.units import Unit

#: A rule looks at unit ``i``: it adds its blocks and returns the index after what it claimed,
#: or returns None and adds nothing.
Rule = Callable[[Body, int], int | None]


def page_break(body: Body, i: int) -> int | None:
    """Rule: a form feed in the text is a page break."""
    if body.units[i].text != PAGE_BREAK_MARK:
        return None
    body.add(Break("page"))
    return i + 1


def _furniture(text: str) -> bool:
    return (
        boilerplate.is_control_line(text)
        or boilerplate.is_promo(text)
        or boilerplate.is_caption(text)
    )


def furniture(body: Body, i: int) -> int | None:
    """Rule: a page's controls or a download site's notice between paragraphs (a copied page
    repeats 打開字典 顯示注釋 around every paragraph) is boilerplate, kept apart."""
    units = body.units
    if units[i].indent < 0 or not _furniture(units[i].text):
        return None
    j = i + 1
    while j < len(units) and units[j].indent >= 0 and _furniture(units[j].text):
        j += 1
    body.add(Boilerplate(tuple(u.text for u in units[i:j])))
    return j


def paragraph(body: Body, i: int) -> int | None:
    """Rule: anything else is a plain paragraph (always claims the unit)."""
    body.add(Paragraph(plain(body.units[i].text)))
    return i + 1


#: The rules in the order they are tried: the most specific markers first, verse before the
#: paragraph that takes everything left. ``contents`` must come before ``chapter``.
RULES: tuple[Rule, ...] = (
    page_break,
    furniture,
    signature.closing,
    code.code_block,
    markdown.thematic_break,
    contents.contents,
    headings.chapter,
    headings.article,
    headings.prologue,
    numbered.chapter_number,
    markdown.heading,
    attachments.attachments,
    headings.gongwen_ordinal,
    items.news_item,
    markdown.bullet_list,
    markdown.quote,
    headings.section_name,
    verse.verse,
    pieces.piece_title,
    paragraph,
)


def _is_law(units: list[Unit]) -> bool:
    return any((m := CHAPTER.match(u.text)) and m.group("kind") in ARTICLE_KINDS for u in units)


def parse_body(units: list[Unit], draft: Draft, rules: tuple[Rule, ...] = RULES) -> None:
    """Add the blocks of the body's units to ``draft``, trying ``rules`` in order on each."""
    law = _is_law(units)
    # A law's parts are its articles: short lines in it (an annex's table) title nothing.
    titles, sections = (set(), set()) if law else pieces.piece_titles(units)
    body = Body(
        units,
        draft,
        has_articles=law,
        quoted=quoted_lines([u.text for u in units]),
        piece_titles=titles,
        piece_sections=sections,
        numbered=set() if law else numbered.numbered_chapters(units),
    )
    i = 0
    while i < len(units):
        for rule in rules:
            after = rule(body, i)
            if after is not None:
                i = after
                break
        else:  # pragma: no cover - paragraph() always claims
            raise AssertionError("no rule claimed the unit")
