"""Titled pieces: a collection's short unnumbered titles (a poem's, a story's) over their text."""

from __future__ import annotations

from exporter.model import plain
from exporter.reader.structure.draft import Body
from exporter.reader.structure.markdown import is_separator
from exporter.reader.structure.ranks import RANK, RankedHeading
from exporter.reader.structure.shapes import DATELINE, starts_block, title_like
from exporter.reader.structure.units import Unit

#: A piece's title: at most this many characters (念奴娇·赤壁怀古, 劳山道士).
PIECE_TITLE_MAX = 20
#: A short line alone between blank lines is a title only when the text has at least this many
#: of them, each over text of its own: one such line is as likely a stray phrase.
PIECES_MIN = 3
#: ... and they are at least this share of the text's groups (paragraphs): 0.2-0.5 in a book of
#: poems or stories, about 0.02 in a novel whose few short lines alone are stray phrases (红楼梦:
#: 59 in 2,654 groups).
PIECES_SHARE = 0.05
#: Sections over the pieces (中主李璟词, 后主李煜词): at least two of them.
PIECES_SECTIONS_MIN = 2


def _alone(units: list[Unit], i: int) -> bool:
    """Unit ``i`` is a short line standing alone between blank lines, shaped like a title (a
    text of one paragraph a line without blank lines has none: its short lines are as often a
    table's or a chart's)."""
    u = units[i]
    return (
        u.group_start
        and (i + 1 >= len(units) or units[i + 1].group_start)
        and u.indent >= 0
        and title_like(u.text, PIECE_TITLE_MAX)
        and not u.text.isdigit()
        and not u.is_break
        and not starts_block(u.text)
        and not is_separator(u.text)
        and not u.text.startswith(("#", "-"))  # markup, a command's option (-c)
        and not any(c in u.text for c in "，：:「」！？!?")  # a clause, a speech, a cry
        and u.text[-1] not in "…．.。”』"  # a sentence, a quotation
        and not (u.text[0] in "（(" and u.text[-1] in "）)")  # an aside: （本报平壤12月28日电）
    )


def _subheads(units: list[Unit]) -> set[int]:
    """A news round-up's subheads: a short line opening a paragraph group, its own dateline
    paragraph right under it (热播发射画面民众沸腾 / 本报平壤12月14日电…)."""
    return {
        i
        for i in range(len(units) - 1)
        if units[i].group_start
        and not units[i + 1].group_start
        and units[i].indent >= 0
        and title_like(units[i].text, PIECE_TITLE_MAX)
        and not starts_block(units[i].text)
        and not DATELINE.match(units[i].text)
        and DATELINE.match(units[i + 1].text)
    }


def piece_titles(units: list[Unit]) -> tuple[set[int], set[int]]:
    """Units that title the text under them: short lines alone between blank lines, each with
    text (not another such line) after it, at least PIECES_MIN of them in the document; and
    the sections above them (中主李璟词 alone right above the title 应天长)."""
    alone = {i for i in range(len(units)) if _alone(units, i)}
    titles = {
        i for i in alone if i + 1 < len(units) and i + 1 not in alone and not units[i + 1].is_break
    }
    groups = sum(1 for u in units if u.group_start)
    if len(titles) < PIECES_MIN or len(titles) < PIECES_SHARE * groups:
        titles = set()
    titles |= _subheads(units)
    if not titles:
        return set(), set()
    sections = {i for i in alone if i + 1 in titles}
    # One such line is more likely the author's name under the book's title than a section.
    return titles, sections if len(sections) >= PIECES_SECTIONS_MIN else set()


def piece_title(body: Body, i: int) -> int | None:
    """Rule: a piece's title (see piece_titles), a heading below any numbered division."""
    if i in body.piece_sections:
        rank = RANK["anthology"]
    elif i in body.piece_titles:
        rank = RANK["poem"]
    else:
        return None
    body.add(RankedHeading(rank, "", plain(body.units[i].text)))
    return i + 1
