"""PDF drawing helpers: number formatting and a boxed code point drawn as paths for uncovered characters."""

from __future__ import annotations


def fmt(v: float) -> str:
    """A number for a content stream: at most 3 decimals, no trailing zeros, no ``-0``."""
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# Seven-segment shapes of the hex digits: segments a b c d e f g (top, upper right, lower right,
# bottom, lower left, upper left, middle).
_SEGMENTS = {
    "0": "abcdef", "1": "bc", "2": "abdeg", "3": "abcdg", "4": "bcfg", "5": "acdfg",
    "6": "acdefg", "7": "abc", "8": "abcdefg", "9": "abcdfg", "A": "abcefg", "B": "cdefg",
    "C": "adef", "D": "bcdeg", "E": "adefg", "F": "aefg",
}  # fmt: skip
_ENDS = {
    "a": ((0, 2), (1, 2)), "b": ((1, 2), (1, 1)), "c": ((1, 1), (1, 0)), "d": ((0, 0), (1, 0)),
    "e": ((0, 0), (0, 1)), "f": ((0, 1), (0, 2)), "g": ((0, 1), (1, 1)),
}  # fmt: skip


def box_glyph_ops(ch: str, x: float, baseline: float, size: float) -> str:
    """Content-stream operators drawing ``ch``'s code point in a box one em wide.

    Used for characters no font covers: the box shows the reader exactly which character is
    missing, as the hex digits of its code point (paths, so nothing enters the text layer).
    """
    digits = f"{ord(ch):04X}"
    half = (len(digits) + 1) // 2
    rows = [digits[:half], digits[half:]]
    pad = size * 0.08
    bottom = baseline - size * 0.12
    top = bottom + size
    ops = [
        "q 0 G 0.5 w",
        f"{fmt(x + pad)} {fmt(bottom + pad)} {fmt(size - 2 * pad)} {fmt(size - 2 * pad)} re S",
        f"{fmt(size * 0.035)} w 1 J",
    ]
    inner = size - 4 * pad
    cell_w = inner / max(len(r) for r in rows)
    dw = cell_w * 0.6
    dh = (inner / 2) * 0.8
    for r, row in enumerate(rows):
        y0 = top - 2 * pad - (r + 1) * (inner / 2) + (inner / 2 - dh) / 2
        for k, d in enumerate(row):
            x0 = x + 2 * pad + k * cell_w + (cell_w - dw) / 2
            for seg in _SEGMENTS[d]:
                (ax, ay), (bx, by) = _ENDS[seg]
                ops.append(
                    f"{fmt(x0 + ax * dw)} {fmt(y0 + ay * dh / 2)} m "
                    f"{fmt(x0 + bx * dw)} {fmt(y0 + by * dh / 2)} l"
                )
    ops.append("S Q")
    return " ".join(ops)
