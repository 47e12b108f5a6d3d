"""Chinese line breaking: clreq GB-style prohibitions, unbreakable units, compression and justification."""

from __future__ import annotations

import dataclasses
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from exporter.typesetting.charsets import (
    CLOSING,
    HANGING,
    NO_END,
    NO_START,
    NO_START_STRICT,
    OPENING,
)

_PUNCT = CLOSING | OPENING

_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_ALNUM = "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
# Latin words, numbers with their signs and units, URLs: runs of narrow non-space characters.
_NARROW = "[\x21-\x7e\u00a0-\u00b6\u00b8-\u02ff\u0370-\u1fff\u2010-\u2012\u2030-\u2034]"
_WORD = re.compile(_NARROW + "{2,}")
#: A run of narrow (half-width) characters: a Latin word, a number, a URL, or one such character.
NARROW_RUN = re.compile(_NARROW + "+")
# A narrow character or a space: on the grid a run of them takes whole cells (see _grid_pads).
_PAD_AFTER = re.compile(f"(?:{_NARROW}| )")
_PAD_RUN = re.compile(f"(?:{_NARROW}| )+")
_ALNUM_CHAR = re.compile(f"[{_ALNUM}]")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_HAN_LATIN = re.compile(f"[{_HAN}](?=[{_ALNUM}])|[{_ALNUM}](?=[{_HAN}])")
_NO_START_RE = re.compile(
    "["
    + re.escape("".join(sorted(NO_START | NO_START_STRICT)))
    + "\\s\u0300-\u036f\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0100-\U000e01ef]"
)
_NO_END_RE = re.compile("[" + re.escape("".join(sorted(NO_END))) + "\u200d]")
_PAIR_RE = re.compile(
    "(?:[" + re.escape("".join(sorted(CLOSING))) + "](?=[" + re.escape("".join(sorted(_PUNCT)))
    + "]))|(?:[" + re.escape("".join(sorted(OPENING))) + "](?=["
    + re.escape("".join(sorted(OPENING))) + "]))"
)  # fmt: skip
_EPS = 1e-6


@dataclass(slots=True)
class Line:
    """One laid-out line: characters ``start:end`` of the paragraph text, drawn left to right.

    ``spacing`` is added after every glyph (PDF ``Tc``); ``kerns`` are extra advances after single
    glyphs (Han/Latin gaps, punctuation compression, and ``-spacing`` inside Latin words so that
    justification never opens a word). ``width`` is the set width including all of that.
    """

    start: int
    end: int
    width: float
    spacing: float = 0.0
    kerns: list[tuple[int, float]] = field(default_factory=list)
    hung: bool = False  # its last glyph is a closing mark hung past the measure


@dataclass(slots=True)
class Prepared:
    """A paragraph's text analysed once: advances, break prohibitions, gaps and squeezable space."""

    text: str
    cum: list[float]  # cum[i] = advance of text[:i], Han/Latin gaps included
    no_break: bytearray  # 1 at i: no break between text[i-1] and text[i]
    no_stretch: bytearray  # 1 at i: no justification space between text[i-1] and text[i]
    gaps: dict[int, float]  # extra space after glyph i
    gap_pos: list[int]
    squeeze: dict[int, float]  # space that may be removed after glyph i (adjacent marks)
    squeeze_pos: list[int]
    squeeze_cum: list[float]
    end_trim: list[float]  # per glyph: what may be removed when it ends a line
    hang: bool = False  # a closing mark may hang past the measure instead of pushing a char down
    cell: float = 0.0  # character grid: the cell (0: no grid)
    # grid: a narrow run starting at this index whose half cell (see ``_grid_pads``) stands in
    # the gap before it; when a line starts with the run, the half cell goes after its last
    # glyph (the index given) instead
    lead: dict[int, tuple[int, float]] = field(default_factory=dict)
    # grid: the half cell before a narrow run that opens the text (3月6日…): the first line is
    # set in by it, as the run would be after a Han character
    indent: float = 0.0
    # grid: glyphs after which justification adds half cells (the ends of words in a heading
    # broken between words), instead of spreading the line off the grid
    stretch_at: list[int] = field(default_factory=list)
    narrow_ends: list[int] = field(default_factory=list)  # grid: last glyphs of narrow runs
    narrow_starts: list[int] = field(default_factory=list)  # grid: their first glyphs


def prepare(
    text: str,
    widths: Sequence[float],
    em: float,
    *,
    latin_gap: float | None = None,
    extra_gaps: dict[int, float] | None = None,
    compress: bool = True,
    hang: bool = False,
    cell: float = 0.0,
) -> Prepared:
    """Analyse ``text`` whose glyph advances are ``widths`` (one per character, in points).

    ``compress=False`` never squeezes punctuation (a character grid keeps every mark in its
    cell, GB/T 9704-2012 §5.2.3: 28 characters on every full line). ``hang=True`` lets a closing
    mark that falls just past a full justified line hang outside the measure, as Word and WPS
    do by default on Chinese text, so the line keeps all its characters instead of pushing one
    down (the grid's form of 先挤进). ``cell`` > 0 names the character grid's cell: a run of
    narrow characters that takes an odd number of half cells gets one more half cell beside it
    on every line, justified or not (see ``_grid_pads``), so Han characters stay on the grid and
    a number looks the same wherever it falls.
    """
    n = len(text)
    w = list(widths)
    gaps: dict[int, float] = {}
    g = em / 4 if latin_gap is None else latin_gap  # clreq: Han-Latin space at most 1/4 em
    if g:
        for m in _HAN_LATIN.finditer(text):
            i = m.start()
            gaps[i] = g
    if extra_gaps:
        for i, v in extra_gaps.items():
            if 0 <= i < n - 1:
                gaps[i] = gaps.get(i, 0.0) + v
    lead, indent = _grid_pads(text, widths, cell, gaps) if cell else ({}, 0.0)
    for i, v in gaps.items():
        w[i] += v
    cum = list(accumulate(w, initial=0.0))
    no_break, no_stretch = _break_flags(text)
    # Marks narrower than 0.9 em are drawn half-width already (proportional fonts, ASCII): only
    # full-width marks have a blank half to give up.
    full = 0.9 * em if compress else float("inf")
    squeeze, end_trim = _squeezable_space(text, widths, full)
    squeeze_pos = sorted(squeeze)
    squeeze_cum = list(accumulate((squeeze[i] for i in squeeze_pos), initial=0.0))
    return Prepared(
        text, cum, no_break, no_stretch, gaps, sorted(gaps), squeeze, squeeze_pos, squeeze_cum,
        end_trim, hang, cell, lead, indent,
        **_narrow_runs(text) if cell else {},
    )  # fmt: skip


def _break_flags(text: str) -> tuple[bytearray, bytearray]:
    """Where a line may not break, and where justification may not add space (inside words)."""
    n = len(text)
    no_break = bytearray(n + 1)
    no_stretch = bytearray(n + 1)
    for m in _WORD.finditer(text):
        s, e = m.span()
        no_break[s + 1 : e] = b"\x01" * (e - s - 1)
        no_stretch[s + 1 : e] = b"\x01" * (e - s - 1)
    for m in _NO_START_RE.finditer(text):
        no_break[m.start()] = 1
    for m in _NO_END_RE.finditer(text):
        j = m.end()
        no_break[j] = 1
        while j < n and text[j].isspace():  # 《 then a space: the space would hang, 《 end the line
            j += 1
            no_break[j] = 1
    if '"' in text or "'" in text:
        _straight_quotes(text, no_break)
    no_break[0] = 0
    no_break[n] = 0
    # Whitespace may end a line (it then hangs, unset) but never start one.
    return no_break, no_stretch


def _squeezable_space(
    text: str, widths: Sequence[float], full: float
) -> tuple[dict[int, float], list[float]]:
    """Half of each full-width mark next to another mark (clreq punctuation compression:
    adjacent marks share one em), and per glyph what may go when it ends a line."""
    squeeze: dict[int, float] = {}
    for m in _PAIR_RE.finditer(text):
        i = m.start()
        a = widths[i]
        if text[i] in CLOSING:
            if a >= full:
                squeeze[i] = a / 2
        elif widths[i + 1] >= full:
            squeeze[i] = widths[i + 1] / 2
    end_trim = [0.0] * len(text)
    for ch in CLOSING:
        start = text.find(ch)
        while start >= 0:
            if widths[start] >= full:
                end_trim[start] = widths[start] / 2
            start = text.find(ch, start + 1)
    return squeeze, end_trim


def _straight_quotes(text: str, no_break: bytearray) -> None:
    """ASCII quotes serve as both “ and ” in many e-texts: within a paragraph the odd ones open
    (never end a line) and the even ones close (never start one). An apostrophe between two
    Latin letters is not a quote."""
    n = len(text)
    for q in "\"'":
        k = 0
        i = text.find(q)
        while i >= 0:
            apostrophe = (
                q == "'" and 0 < i < n - 1 and text[i - 1].isascii() and text[i - 1].isalpha()
                and text[i + 1].isascii() and text[i + 1].isalpha()
            )  # fmt: skip
            if not apostrophe:
                k += 1
                no_break[i + 1 if k % 2 else i] = 1
            i = text.find(q, i + 1)


def _visible_end(text: str, s: int, b: int) -> int:
    while b > s and text[b - 1].isspace():
        b -= 1
    return b


def break_lines(
    p: Prepared, first_width: float, width: float, *, justify: bool = True
) -> list[Line]:
    """Greedy line breaking: compress punctuation before pushing a unit down (先挤进，后推出).

    Every line but the last is justified to its measure when ``justify`` is set.
    """
    text, cum, nb = p.text, p.cum, p.no_break
    n = len(text)
    gaps = p.gaps
    lines: list[Line] = []
    s = 0
    avail = first_width - p.indent
    while s < n:
        base = cum[s] - (p.lead[s][1] if s in p.lead else 0.0)
        # e: most characters that fit at natural width (a gap after the last one does not count).
        e = bisect_right(cum, base + avail + _EPS) - 1
        while e < n and cum[e + 1] - gaps.get(e, 0.0) - base <= avail + _EPS:
            e += 1
        if e >= n:
            lines.append(_finish(p, s, n, avail, last=True, justify=justify))
            break
        if (
            p.hang
            and justify
            and e > s
            and text[e] in HANGING
            and nb[e]
            and (e + 1 >= n or not nb[e + 1])
        ):
            # 行尾点号悬挂: the mark that may not start the next line stays, past the edge.
            lines.append(_finish(p, s, e + 1, avail, last=e + 1 >= n, justify=True, hang=True))
            s = e + 1
            avail = width
            continue
        # 先挤进: the next legal break after e, if squeezing the line's marks makes room.
        b = e + 1
        while b < n and nb[b]:
            b += 1
        vis = _visible_end(text, s, b)
        need = cum[vis] - gaps.get(vis - 1, 0.0) - base - avail
        if vis > s and need <= _squeezable(p, s, vis) + _EPS:
            end = b
        else:
            # 后推出: the last legal break at or before e.
            end = e
            while end > s and nb[end]:
                end -= 1
            if end == s:  # one unit longer than the line: cut it where it overflows
                end = max(e, s + 1)
        lines.append(_finish(p, s, end, avail, last=end >= n, justify=justify))
        s = end
        avail = width
    return lines


def _squeezable(p: Prepared, s: int, vis: int) -> float:
    lo = bisect_left(p.squeeze_pos, s)
    hi = bisect_left(p.squeeze_pos, vis - 1)
    return p.squeeze_cum[hi] - p.squeeze_cum[lo] + p.end_trim[vis - 1]


def _finish(
    p: Prepared, s: int, end: int, avail: float, *, last: bool, justify: bool, hang: bool = False
) -> Line:
    text, cum, gaps = p.text, p.cum, p.gaps
    vis = _visible_end(text, s, end)
    if vis == s:
        return Line(s, end, 0.0)
    if hang:  # the hanging mark is outside the measure: set the rest as if it ended the line
        vis -= 1
    kerns: list[tuple[int, float]] = []
    lo = bisect_left(p.gap_pos, s)
    hi = bisect_left(p.gap_pos, vis - 1)
    for i in p.gap_pos[lo:hi]:
        kerns.append((i, gaps[i]))
    natural = cum[vis] - cum[s] - gaps.get(vis - 1, 0.0)
    if s in p.lead and p.lead[s][0] < vis - 1:  # the run opens the line: its half cell after it
        kerns.append(p.lead[s])
        natural += p.lead[s][1]
    over = natural - avail
    if over > _EPS:
        room = _squeezable(p, s, vis)
        if room > _EPS:
            ratio = min(1.0, over / room)
            lo = bisect_left(p.squeeze_pos, s)
            hi = bisect_left(p.squeeze_pos, vis - 1)
            for i in p.squeeze_pos[lo:hi]:
                kerns.append((i, -p.squeeze[i] * ratio))
            trim = p.end_trim[vis - 1]
            if trim:
                kerns.append((vis - 1, -trim * ratio))
            natural -= room * ratio
        kerns.sort()
        return Line(s, end, natural, 0.0, kerns)
    spacing = 0.0
    if p.cell and justify and not last and avail - natural > p.cell / 2 - _EPS:
        natural = _pad_narrow(p, s, vis, avail, natural, kerns)
    if p.stretch_at and justify and not last and avail - natural > _EPS:
        natural = _stretch_between_words(p, s, vis, avail, natural, kerns)
    if justify and not last and vis - s > 1 and avail - natural > _EPS:
        stretch_gaps = vis - s - 1 - p.no_stretch.count(1, s + 1, vis)
        if stretch_gaps > 0:
            spacing = (avail - natural) / stretch_gaps
            i = p.no_stretch.find(1, s + 1, vis)
            while i >= 0:
                kerns.append((i - 1, -spacing))
                i = p.no_stretch.find(1, i + 1, vis)
        else:  # one word (a URL cut where it overflows) fills the line: letter-space it
            spacing = (avail - natural) / (vis - s - 1)
        natural = avail
        # The last glyph gets Tc too but nothing follows it on the line, except a hung mark,
        # which must start right at the edge.
        if hang:
            kerns.append((vis - 1, -spacing))
    if len(kerns) > 1:
        kerns.sort()
    return Line(s, end, natural, spacing, kerns, hang)


def _narrow_runs(text: str) -> dict[str, list[int]]:
    runs = [m.span() for m in _PAD_RUN.finditer(text) if m.end() < len(text)]
    return {"narrow_ends": [e - 1 for _, e in runs], "narrow_starts": [s for s, _ in runs]}


def _pad_narrow(
    p: Prepared, s: int, vis: int, avail: float, natural: float, kerns: list[tuple[int, float]]
) -> float:
    """On the grid: give half cells of a short line to narrow runs without a number or a
    letter (an ASCII quote standing for a Chinese one, which ``_grid_pads`` leaves alone) that
    leave the following Han characters half a cell off the grid (one each, in order); returns
    the new width.

    The half cell widens a space of the source when the run has one; else it is split into
    quarter cells on both sides of the run (clreq's Han-Latin space), or given whole to the
    side with a Han character when the other is a mark.
    """
    half = p.cell / 2
    # what stands before the line's glyphs but not in ``cum``: the first line's indent, the
    # half cell of a run opening the line
    shift = p.indent if s == 0 else 0.0
    if s in p.lead and p.lead[s][0] < vis - 1:
        shift += p.lead[s][1]
    text = p.text
    lo = bisect_left(p.narrow_ends, s)
    hi = bisect_left(p.narrow_ends, vis - 1)
    for j, start in zip(p.narrow_ends[lo:hi], p.narrow_starts[lo:hi], strict=True):
        if avail - natural < half - _EPS:
            break
        steps = (p.cum[j + 1] - p.cum[s] + shift) / half
        if round(steps) % 2 == 0 or abs(steps - round(steps)) > 1e-3:
            continue
        space = text.find(" ", start, j + 1)
        before = start > s and _HAN_CHAR.match(text, start - 1) is not None
        after = _HAN_CHAR.match(text, j + 1) is not None
        if space >= 0:  # the source's own space takes it
            kerns.append((space, half))
        elif before and after:
            kerns.append((start - 1, half / 2))
            kerns.append((j, half / 2))
        elif before or after:
            kerns.append((start - 1, half) if before else (j, half))
        else:
            continue
        shift += half
        natural += half
    return natural


def _stretch_between_words(
    p: Prepared, s: int, vis: int, avail: float, natural: float, kerns: list[tuple[int, float]]
) -> float:
    """On the grid: justify a line that falls whole half cells short by half cells spread
    evenly over the ends of its words, so every Han glyph stays on the (half-)cell grid."""
    half = p.cell / 2
    steps = round((avail - natural) / half)
    if steps <= 0 or abs(avail - natural - steps * half) > 1e-3:
        return natural
    slots = p.stretch_at[bisect_left(p.stretch_at, s) : bisect_left(p.stretch_at, vis - 1)]
    if not slots:
        return natural
    for k in range(steps):
        kerns.append((slots[(2 * k + 1) * len(slots) // (2 * steps) % len(slots)], half))
    return natural + steps * half


def _narrow_spans(text: str, widths: Sequence[float], cell: float) -> list[tuple[int, int]]:
    """Runs of characters narrower than a cell (digits, Latin, spaces, a half-width ·, as
    in 4·25) and of narrow words however their units are set."""
    spans: list[tuple[int, int]] = []
    start = -1
    for i, ch in enumerate(text):
        narrow = widths[i] < cell - _EPS or _PAD_AFTER.match(ch) is not None
        if narrow and start < 0:
            start = i
        elif not narrow and start >= 0:
            spans.append((start, i))
            start = -1
    if start >= 0:
        spans.append((start, len(text)))
    return spans


def _grid_pads(
    text: str, widths: Sequence[float], cell: float, gaps: dict[int, float]
) -> tuple[dict[int, tuple[int, float]], float]:
    """On the grid, give every run of narrow characters holding a digit or a letter (a number,
    a Latin word, with its spaces and signs) that takes an odd number of half cells, and that
    something follows, one more half cell, so the next character is back on the grid; returns the runs whose half cell is set
    before them (see ``Prepared.lead``) and the first line's indent (``Prepared.indent``).

    The half cell widens the run's own space when it has one; else it goes before the run when
    a Han character precedes it (the number stays with its measure word: 1997年 9月, 第 3 条
    keeps 3条 together) or it opens the text (then as the first line's indent), else after it
    when a Han character follows or the run opens the text before a mark; a run between marks
    (（LPR）) gets a quarter cell on each side.
    """
    half = cell / 2
    lead: dict[int, tuple[int, float]] = {}
    indent = 0.0
    n = len(text)
    for s, e in _narrow_spans(text, widths, cell):
        if e >= n or not _ALNUM_CHAR.search(text, s, e):
            continue
        steps = sum(widths[s:e]) / half
        if round(steps) % 2 == 0 or abs(steps - round(steps)) > 1e-3:
            continue
        space = text.find(" ", s, e)
        if space >= 0:  # the source's own space takes it
            gaps[space] = gaps.get(space, 0.0) + half
        elif s > 0 and _HAN_CHAR.match(text, s - 1):
            gaps[s - 1] = gaps.get(s - 1, 0.0) + half
            lead[s] = (e - 1, half)
        elif s == 0 and _HAN_CHAR.match(text, e):  # before it, as the first line's indent
            indent = half
        elif _HAN_CHAR.match(text, e) or s == 0:
            gaps[e - 1] = gaps.get(e - 1, 0.0) + half
        else:  # between marks, （LPR）: a quarter cell on each side, clreq's Han-Latin space
            gaps[s - 1] = gaps.get(s - 1, 0.0) + half / 2
            gaps[e - 1] = gaps.get(e - 1, 0.0) + half / 2
            lead[s] = (e - 1, half / 2)
    return lead, indent


# A number with its ordinal prefix and measure word (第八届, 第七十四次, 2026年): one unit in a title.
_NUMERAL = re.compile(
    "第?[0-9０-９〇零一二三四五六七八九十百千万亿两]+[届次条款章节号年月日件个项]?"
)


def balanced_lines(
    p: Prepared, width: float, taper: float = 0.0, costs: Sequence[float] | None = None
) -> list[Line]:
    """Lines of nearly equal length (for centred titles): the narrowest measure that needs no more
    lines than the full measure does, found by bisection. Lines are not justified.

    ``taper`` > 0 makes a two-line result a trapezoid, the upper line longer by about ``taper``:
    GB/T 9704-2012 §7.3.1 wants titles set as a trapezoid or diamond, not as a rectangle of two
    equal lines. Runs of numerals (二十七) are kept whole, as numbers are in body text; other
    words are kept whole by what a split costs. ``costs`` (see
    :func:`title_break_costs`) choose among the breaks that keep the line count: the lines'
    squared deviation from that shape, in ems, plus the cost of each break, is made least.
    """
    if _NUMERAL.search(p.text):  # 二十七, 2026年, 第八届: a title never splits a number
        nb = bytearray(p.no_break)
        for m in _NUMERAL.finditer(p.text):
            if m.end() - m.start() > 1:
                nb[m.start() + 1 : m.end()] = b"\x01" * (m.end() - m.start() - 1)
        p = dataclasses.replace(p, no_break=nb)
    lines = break_lines(p, width, width, justify=False)
    if len(lines) < 2:
        return lines
    if costs is not None:
        # One more line than needed is allowed when it saves splitting a word (at a price).
        k = len(lines)
        tries = [_least_cost(p, width, taper, k, costs), _least_cost(p, width, taper, k + 1, costs)]
        found = [(c + 3.0 * (len(ls) - k), ls) for c, ls in filter(None, tries)]
        if found:
            return min(found, key=lambda t: t[0])[1]
    lo, hi = width / len(lines) * 0.9, width
    for _ in range(12):
        mid = (lo + hi) / 2
        trial = break_lines(p, mid, mid, justify=False)
        if len(trial) <= len(lines) and all(ln.width <= mid + _EPS for ln in trial):
            hi = mid
        else:
            lo = mid
    balanced = break_lines(p, hi, hi, justify=False)
    if taper > 0 and len(balanced) == 2:
        tapered = break_lines(p, min(width, hi + taper / 2), width, justify=False)
        if len(tapered) == 2 and tapered[0].width - tapered[1].width >= taper / 2:
            return tapered
    return balanced


def _least_cost(
    p: Prepared, width: float, taper: float, k: int, costs: Sequence[float]
) -> tuple[float, list[Line]] | None:
    text, cum = p.text, p.cum
    n = len(text)
    em = cum[n] / n

    def span(a: int, b: int) -> float:
        vis = _visible_end(text, a, b)
        return cum[vis] - cum[a] - p.gaps.get(vis - 1, 0.0)

    mean = span(0, n) / k
    ends = [i for i in range(1, n) if not p.no_break[i] and not text[i].isspace()] + [n]
    # best[j][b]: least cost of text[:b] set as j lines; back[j][b]: where its last line starts
    best: list[dict[int, float]] = [{0: 0.0}] + [{} for _ in range(k)]
    back: list[dict[int, int]] = [{} for _ in range(k + 1)]
    for j in range(1, k + 1):
        for b in ends if j < k else [n]:
            for a, before in best[j - 1].items():
                if a >= b or (w := span(a, b)) > width + _EPS:
                    continue
                if k == 2:  # a trapezoid: the upper line longer than the lower by about taper
                    shape = ((w - mean - taper / 2) / em) ** 2 if j == 1 else 0.0
                else:
                    shape = ((w - mean) / em) ** 2
                c = before + shape + (costs[b] if b < n else 0.0)
                if c < best[j].get(b, math.inf):
                    best[j][b] = c
                    back[j][b] = a
    if n not in best[k]:
        return None
    bounds = [n]
    for j in range(k, 0, -1):
        bounds.append(back[j][bounds[-1]])
    bounds.reverse()
    return best[k][n], [
        _finish(p, a, b, width, last=True, justify=False) for a, b in pairwise(bounds)
    ]


_GOOD_BREAK = re.compile(
    "(?<=[，、；：。！？”’）》〉」』])|(?<=关于)|(?<=的)|(?=[“‘（《〈「『])|(?=关于)"
)
_HAN_PAIR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]{2}")
#: What splitting a segmenter's word costs a title (squared ems): more than lines five ems off
#: their shape, or one line more (3), so a word is split only when no other break fits.
WORD_SPLIT = 50.0


def title_break_costs(title: str, context: str) -> list[float]:
    """What a break before each character of ``title`` costs, in squared ems of imbalance.

    Splitting a word the segmenter finds (中华人民共和国, 工会法: see ``words``) costs
    ``WORD_SPLIT``, so a title takes a less even shape, or one more line, before it splits a
    word (GB/T 9704 §7.3.1: 词意完整). Where the segmenter finds no word, the document stands
    in: two Han characters that occur together often in ``context`` (法院, 标准) are likely a
    word, and splitting them costs up to 8 (not beside the segmenter, whose boundaries such
    pairs would blur: 共和国|工会法 occurs often in a text about that law). A break between
    words after a mark, before an opening one, around 关于 or after 的 is where titles are
    broken by hand and earns 2.
    """
    from exporter.typesetting.words import inside_words

    n = len(title)
    costs = [0.0] * (n + 1)
    inside = inside_words(title)
    for i in inside:
        costs[i] = WORD_SPLIT
    if not inside:  # no word found: the document's own frequent pairs stand in for words
        if title:  # the title's own occurrences would make every pair in it look like a word
            context = context.replace(title, "")
        for i in range(1, n):
            pair = title[i - 1 : i + 1]
            if _HAN_PAIR.fullmatch(pair):
                costs[i] = min(8.0, 2 * math.log2(1 + context.count(pair)))
    for m in _GOOD_BREAK.finditer(title):
        if 0 < m.start() < n and m.start() not in inside:
            costs[m.start()] = -2.0
    return costs
