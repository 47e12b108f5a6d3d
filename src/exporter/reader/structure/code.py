"""Code: fenced blocks (``` or ~~~) kept verbatim, the fences markup; indented pre-formatted runs."""

from __future__ import annotations

import textwrap

from exporter.model import CodeBlock
from exporter.reader.structure.draft import Body
from exporter.reader.structure.shapes import FENCE
from exporter.reader.structure.units import PREFORMATTED, VERBATIM


def preformatted(body: Body, i: int) -> int | None:
    """Rule: a run of pre-formatted lines (indented commands, a table) between blank lines is
    a CodeBlock, its common indent removed and every other space and break kept."""
    units = body.units
    if units[i].indent != PREFORMATTED:
        return None
    j = i + 1
    while j < len(units) and units[j].indent == PREFORMATTED and not units[j].group_start:
        j += 1
    body.add(CodeBlock(textwrap.dedent("\n".join(u.text for u in units[i:j])).strip("\n")))
    return j


def code_block(body: Body, i: int) -> int | None:
    """Rule: a run of verbatim units; each fenced stretch becomes a CodeBlock, fences dropped."""
    units = body.units
    if units[i].indent == PREFORMATTED:
        return preformatted(body, i)
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
