"""Chinese word boundaries for breaking titles, headings and bylines (GB/T 9704-2012 §7.3.1 词意完整).

The segmenter is rjieba (jieba's dictionary and HMM in Rust, MIT), imported on first use: only a
title, heading or byline that wraps needs it, so documents whose titles fit on one line never
load it. The segmenter only says where words end; the text itself is never taken from it.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exporter.typesetting.linebreak import Prepared

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_segmenter: Any = None


def _cut(text: str) -> list[str]:
    global _segmenter
    if _segmenter is None:
        import rjieba

        _segmenter = rjieba
    words: list[str] = _segmenter.cut(text)
    return words


@lru_cache(maxsize=512)
def inside_words(text: str) -> frozenset[int]:
    """The positions ``i`` (0 < i < len(text)) where a break between ``text[i-1]`` and
    ``text[i]`` would split a word of two or more Han characters.

    Empty when the segmenter's words do not give back ``text`` exactly (no break is then
    forbidden rather than a character being misplaced).
    """
    if len(text) < 2 or not _HAN.search(text):
        return frozenset()
    words = _cut(text)
    if "".join(words) != text:
        return frozenset()
    inside: set[int] = set()
    pos = 0
    for word in words:
        if len(word) > 1 and all(_HAN.match(ch) for ch in word):
            inside.update(range(pos + 1, pos + len(word)))
        pos += len(word)
    return frozenset(inside)


def keep_words(p: Prepared, mode: str, measure: float) -> Prepared:
    """``p`` with breaks forbidden inside words (``mode`` ``"words"``), or allowed only at the
    text's own spaces (``"spaces"``: a byline's date, body and event, 1997年9月24日 最高人民检察院…,
    each on a line of its own) when every space-separated part fits ``measure``; a part that
    does not fit falls back to word breaks. Numbers and Latin words are units already."""
    text = p.text
    n = len(text)
    nb = bytearray(p.no_break)
    if mode == "spaces" and any(ch.isspace() for ch in text.strip()):
        starts = [0] + [i for i in range(1, n) if text[i - 1].isspace() and not text[i].isspace()]
        ends = [*starts[1:], n]
        fits = True
        for a, b in zip(starts, ends, strict=True):
            vis = b
            while vis > a and text[vis - 1].isspace():
                vis -= 1
            if p.cum[vis] - p.cum[a] - p.gaps.get(vis - 1, 0.0) > measure + 1e-6:
                fits = False
        if fits:
            allowed = set(starts)
            for i in range(1, n):
                if i not in allowed:
                    nb[i] = 1
            return dataclasses.replace(p, no_break=nb)
    inside = inside_words(text)
    for i in inside:
        nb[i] = 1
    stretch: list[int] = []
    if p.cell:  # the grid justifies such a line between its words (see linebreak)
        stretch = [
            i - 1
            for i in range(1, n)
            if i not in inside and _HAN.match(text[i - 1]) and _HAN.match(text[i])
        ]
    return dataclasses.replace(p, no_break=nb, stretch_at=stretch)
