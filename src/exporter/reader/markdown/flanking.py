"""CJK-friendly emphasis: delimiter runs flanked by CJK text open and close (``**“引号”**后``).

CommonMark §6.2 makes ``**`` after a punctuation mark and before a letter not right-flanking, so
``**“引号”**后`` and ``中文**“引号”**`` stay literal asterisks. The CommonMark CJK-friendly
amendment (commonmark-spec issue 650) changes only the flanking tests: a CJK character next to
a delimiter run counts as punctuation would on the other side. These rules replace markdown-it's
``emphasis`` and ``strikethrough`` tokenizers with the same code around that one test; pairing
(the post-processing rules) is markdown-it's own, and every character is kept either way.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, Scanned, StateInline


def is_cjk(ch: str) -> bool:
    """A CJK character as the amendment defines it: East Asian Width W, F or H (UAX #11), not
    an emoji (approximated by the emoji blocks), or Hangul."""
    code = ord(ch)
    if 0x1F000 <= code <= 0x1FAFF:  # emoji and pictographs: wide, but no CJK text
        return False
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF:
        return True
    return unicodedata.east_asian_width(ch) in ("W", "F", "H")


def _is_variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0E or 0xE0100 <= code <= 0xE01EF


def _punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def scan_delims(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """markdown-it's ``StateInline.scanDelims`` with the amendment's flanking tests."""
    src, maximum = state.src, state.posMax
    marker = src[start]
    before = start - 1
    # A variation selector belongs to the character before it (漢︀, 。︀).
    while before >= 0 and _is_variation_selector(src[before]):
        before -= 1
    last = src[before] if before >= 0 else " "  # the line's start counts as whitespace
    pos = start
    while pos < maximum and src[pos] == marker:
        pos += 1
    count = pos - start
    nxt = src[pos] if pos < maximum else " "  # so does its end

    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    last_cjk, next_cjk = is_cjk(last), is_cjk(nxt)
    last_punct, next_punct = _punct(last), _punct(nxt)
    # Only non-CJK punctuation restricts flanking; a CJK neighbour outside allows it.
    left = not next_space and (
        not (next_punct and not next_cjk) or last_space or last_punct or last_cjk
    )
    right = not last_space and (
        not (last_punct and not last_cjk) or next_space or next_punct or next_cjk
    )
    can_open = left and (can_split_word or not right or last_punct)
    can_close = right and (can_split_word or not left or next_punct)
    return Scanned(can_open, can_close, count)


def _emphasis(state: StateInline, silent: bool) -> bool:
    """``*`` and ``_`` runs: each marker a text token and a delimiter (markdown-it's rule)."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = scan_delims(state, state.pos, marker == "*")
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _strikethrough(state: StateInline, silent: bool) -> bool:
    """``~~`` runs (GFM): pairs of tildes as delimiters, an odd one as text (markdown-it's rule)."""
    if silent or state.src[state.pos] != "~":
        return False
    scanned = scan_delims(state, state.pos, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        token = state.push("text", "", 0)
        token.content = "~"
        length -= 1
    for _ in range(0, length, 2):
        token = state.push("text", "", 0)
        token.content = "~~"
        state.delimiters.append(
            Delimiter(
                marker=ord("~"),
                length=0,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def cjk_friendly_emphasis(md: MarkdownIt) -> None:
    """Use the CJK-friendly flanking tests for emphasis, strong emphasis and strikethrough."""
    md.inline.ruler.at("emphasis", _emphasis)
    md.inline.ruler.at("strikethrough", _strikethrough)
