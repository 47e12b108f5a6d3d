"""Heading ranks: what kind of heading a line is, and the dense levels a document ends up with."""

from __future__ import annotations

from exporter.model import PROLOGUE_WORDS, Block, Heading, Inlines
from exporter.record import record

#: Heading kinds in rank order (lower is higher up); levels are dense ranks of the kinds one
#: document uses, so a law with only 章 and 条 gets levels 1 and 2. Gaps between the groups leave
#: room: a book's parts (编/部/卷), chapters (章/回), sections (节, then 款), law articles (条); the
#: gongwen ordinals 一、（一）1.（1） of GB/T 9704 §7.3.3; items of a news collection; poems.
RANK = {
    "编": 0, "編": 0, "部": 0, "卷": 0, "md1": 0,
    "章": 1, "回": 1, "篇": 1, "prologue": 1, "md2": 1,
    "节": 2, "節": 2, "md3": 2,
    "款": 3,  # a 節's parts in the ROC Civil Code (第一款 法人通則), above its articles
    "条": 4, "條": 4, "md4": 4,
    "cn": 10, "pcn": 11, "ar": 12, "par": 13,
    "item": 9,  # an article's own title inside a collection of news items
    "anthology": 19,  # a section of an anthology (五言絕句, 国风·周南) above its poems' titles
    "poem": 20,
}  # fmt: skip


@record
class RankedHeading:
    """A heading before levels are known: its kind's ``rank`` (see RANK) instead of a level."""

    rank: int
    number: str
    content: Inlines
    body: Inlines = ()


def _prologue(b: RankedHeading) -> bool:
    return b.number in PROLOGUE_WORDS


def assign_levels(blocks: list[Block | RankedHeading]) -> list[Block]:
    """Ranked headings -> Headings with dense 1-based levels over the ranks this document uses."""
    used = {b.rank for b in blocks if isinstance(b, RankedHeading)}
    top = min(used, default=RANK["prologue"])
    if RANK["prologue"] in used and top < RANK["prologue"]:
        # A preface before the first volume stands beside the volumes (序, 卷一, 卷二), not
        # under them; one after a volume's heading stands where that volume's chapters do.
        first_top = next(
            k for k, b in enumerate(blocks) if isinstance(b, RankedHeading) and b.rank == top
        )
        blocks = [
            RankedHeading(top, b.number, b.content, b.body)
            if k < first_top and isinstance(b, RankedHeading) and _prologue(b)
            else b
            for k, b in enumerate(blocks)
        ]
    ranks = sorted({b.rank for b in blocks if isinstance(b, RankedHeading)})
    level = {r: k + 1 for k, r in enumerate(ranks)}
    return [
        Heading(level[b.rank], b.number, b.content, b.body) if isinstance(b, RankedHeading) else b
        for b in blocks
    ]
