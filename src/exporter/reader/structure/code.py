"""Code: fenced blocks (``` or ~~~) kept verbatim; the fence lines are markup."""

from __future__ import annotations

from exporter.model import CodeBlock
from exporter.reader.structure.draft import Body
from exporter.reader.structure.shapes import FENCE
from exporter.reader.structure.units import VERBATIM


def code_block(body: Body, i: int) -> int | None:
    """Rule: a run of verbatim units; each fenced stretch becomes a CodeBlock, fences dropped."""
    units = body.units
    if units[i].indent != VERBATIM:
        return None
    j = i
    code: list[str] = []
    while j < len(units) and units[j].indent == VERBATIM:
        line = units[j].text
        if FENCE.match(line):
            body.draft.dropped.append(line.strip())
            if code:
                body.add(CodeBlock("\n".join(code)))
            code = []
        else:
            code.append(line)
        j += 1
    if code:
        body.add(CodeBlock("\n".join(code)))
    return j
