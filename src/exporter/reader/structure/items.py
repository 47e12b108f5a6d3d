"""News collections: several articles in one file, each under its own title and byline."""

from __future__ import annotations

from exporter.model import (
    Block,
    Byline,
    Lead,
    Paragraph,
    Records,
    Subtitle,
    Title,
    block_texts,
    plain,
)
from exporter.reader.structure.draft import Body, Draft
from exporter.reader.structure.ranks import RANK, RankedHeading
from exporter.reader.structure.shapes import BYLINE, DATELINE, title_like
from exporter.reader.structure.units import Unit

#: An item's title and its second title line (a news headline and its 副题).
ITEM_TITLE_MAX = 50
ITEM_TITLE2_MAX = 40
#: A scraped web page's "title" this short is a UI word (下载, 打印, 首页) above the real one.
UI_WORD_MAX = 4
#: The head's title is an item's when a byline follows it within this many blocks
#: (title, subtitle, then bylines).
HEAD_BYLINE_REACH = 4


def _item_head(units: list[Unit], i: int) -> list[Block | RankedHeading] | None:
    """Title (+ second title line) + byline(s) of one item in a collection, or None."""
    n = len(units)
    if not title_like(units[i].text, ITEM_TITLE_MAX):
        return None
    k = i + 1
    second = k < n and not units[k].group_start and title_like(units[k].text, ITEM_TITLE2_MAX)
    if second and not BYLINE.match(units[k].text):
        k += 1
    if not (k < n and not units[k].group_start and BYLINE.match(units[k].text)):
        return None
    out: list[Block | RankedHeading] = [RankedHeading(RANK["item"], "", plain(units[i].text))]
    if k == i + 2:
        out.append(Subtitle(plain(units[i + 1].text)))
    while k < n and not units[k].group_start and BYLINE.match(units[k].text):
        out.append(Byline(plain(units[k].text)))
        k += 1
    return out


def news_item(body: Body, i: int) -> int | None:
    """Rule: an item's title (maybe a second title line) right above an 作者：/时间： byline,
    then maybe a dateline-led lead."""
    head = _item_head(body.units, i)
    if head is None:
        return None
    body.draft.blocks.extend(head)
    i += len(head)
    if i < len(body.units) and (m := DATELINE.match(body.units[i].text)):
        dl = m.group("dl")
        body.add(Lead(dl, plain(body.units[i].text[len(dl) :].lstrip(" \u3000"))))
        i += 1
    return i


def _text(block: Block) -> str:
    return "".join(block_texts(block))


def first_item_too(draft: Draft) -> None:
    """In a collection of news items, the head's title is the first item's title, not the file's:
    make it an item heading like the others (the metadata title stays as found)."""
    blocks = draft.blocks
    items = [
        k for k, b in enumerate(blocks) if isinstance(b, RankedHeading) and b.rank == RANK["item"]
    ]
    head = next(
        (k for k, b in enumerate(blocks[:2]) if isinstance(b, Title)), None
    )  # after 发文字号
    if head is None or not items:
        return
    title = blocks[head]
    assert isinstance(title, Title)
    if len(items) == 1 and len(_text(title)) <= UI_WORD_MAX:
        _promote_only_item(draft, head, items[0])
    elif any(isinstance(b, Byline | Records) for b in blocks[head : head + HEAD_BYLINE_REACH]):
        blocks[head] = RankedHeading(RANK["item"], "", title.content)


def _promote_only_item(draft: Draft, head: int, item: int) -> None:
    """A scraped web page: short UI lines (下载, 打印…) above the real title and its byline."""
    blocks = draft.blocks
    for k in range(head, item):
        b = blocks[k]
        if isinstance(b, Title | Subtitle):
            blocks[k] = Paragraph(b.content)
    real = blocks[item]
    assert isinstance(real, RankedHeading)
    title = Title(real.content)
    blocks[item] = title
    draft.found.title = _text(title)
    after = blocks[item + 1] if item + 1 < len(blocks) else None
    draft.found.subtitle = _text(after) if isinstance(after, Subtitle) else ""
