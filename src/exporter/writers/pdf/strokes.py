"""Lines drawn beside the text: the 公文's red separator and the 版记's rules (GB/T 9704-2012 §7.2.7, §7.4.1)."""

from __future__ import annotations

from exporter.record import record
from exporter.writers.pdf.draw import fmt

#: The red of the 版头 (GB/T 9704-2012 gives no colour value: pure red, as offices print it).
RED = (1.0, 0.0, 0.0)
BLACK = (0.0, 0.0, 0.0)


@record
class Stroke:
    """A horizontal line: from ``x0`` to ``x1`` (points from the type area's left edge), ``dy``
    points below the top of the row that carries it, ``width`` thick, in ``colour`` (RGB)."""

    x0: float
    x1: float
    dy: float
    width: float
    colour: tuple[float, float, float] = BLACK

    def ops(self, left: float, top: float) -> str:
        """The path operators of the line for a row whose top is at ``top``."""
        r, g, b = self.colour
        y = top - self.dy
        return (
            f"q {fmt(r)} {fmt(g)} {fmt(b)} RG {fmt(self.width)} w 0 J "
            f"{fmt(left + self.x0)} {fmt(y)} m {fmt(left + self.x1)} {fmt(y)} l S Q"
        )


def fill_colour(colour: tuple[float, float, float]) -> str:
    """The fill-colour operator glyphs are painted with (``rg``)."""
    r, g, b = colour
    return f"{fmt(r)} {fmt(g)} {fmt(b)} rg"
