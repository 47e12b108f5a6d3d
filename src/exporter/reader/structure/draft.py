"""What structure detection builds: the blocks so far, the metadata found, the markup dropped."""

from __future__ import annotations

from dataclasses import dataclass, field

from exporter.model import Block
from exporter.reader.structure.ranks import RankedHeading
from exporter.reader.structure.units import Unit
from exporter.record import record


@dataclass
class Found:
    """What the text's own head says about the document (for its metadata)."""

    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    source: str = ""
    place: str = ""
    document_number: str = ""
    language: str = "zh-CN"


@record
class Parsed:
    """The blocks found, what the reader learnt for the metadata, and text it dropped on purpose."""

    blocks: tuple[Block, ...]
    found: Found
    dropped: tuple[str, ...]


@dataclass
class Draft:
    """Parsed under construction: headings still carry their kind's rank, not a level."""

    blocks: list[Block | RankedHeading] = field(default_factory=list)
    found: Found = field(default_factory=Found)
    dropped: list[str] = field(default_factory=list)


@dataclass
class Body:
    """What the body rules see: every body unit, the draft, and what earlier lines showed."""

    units: list[Unit]
    draft: Draft
    has_articles: bool = False  # a law: 第X条 lines, so 一、 and （一） inside are list items
    chapters_begun: bool = False  # a chapter line was met that was not part of a contents run
    quoted: list[bool] = field(default_factory=list)  # per unit: inside a quotation
    piece_titles: set[int] = field(default_factory=set)  # units that title a piece of text
    piece_sections: set[int] = field(default_factory=set)  # units that head such pieces
    numbered: set[int] = field(default_factory=set)  # bare chapter numbers (1, 2, 3 …)
    #: The last ordinal at each rank in the current section: its number, and whether it was a
    #: sentence of body text (then its siblings are body text too).
    last_ordinal: dict[int, tuple[int, bool]] = field(default_factory=dict)

    def add(self, block: Block | RankedHeading) -> None:
        if isinstance(block, RankedHeading):  # a heading opens a section: lower ranks restart
            self.last_ordinal = {r: n for r, n in self.last_ordinal.items() if r <= block.rank}
        self.draft.blocks.append(block)

    def in_quote(self, i: int) -> bool:
        """Unit ``i`` stands inside a quotation (an amendment quoting the new text)."""
        return i < len(self.quoted) and self.quoted[i]

    def in_sequence(self, rank: int, number: int) -> bool:
        """An ordinal heading numbered ``number`` may follow: 1 opens a list, any other number
        follows its predecessor at the same rank in the same section, itself not body text."""
        return number == 1 or self.last_ordinal.get(rank) == (number - 1, False)
