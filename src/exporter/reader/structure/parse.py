"""Structure detection's entry point: normalised lines -> Parsed (blocks, metadata, dropped)."""

from __future__ import annotations

from exporter.model import Boilerplate
from exporter.reader.structure import boilerplate
from exporter.reader.structure.body import parse_body
from exporter.reader.structure.draft import Draft, Parsed
from exporter.reader.structure.head import parse_head
from exporter.reader.structure.items import first_item_too
from exporter.reader.structure.language import detect_language
from exporter.reader.structure.markdown import drop_setext
from exporter.reader.structure.ranks import assign_levels
from exporter.reader.structure.shapes import iso_date
from exporter.reader.structure.signature import signature, tail
from exporter.reader.structure.units import units_of

#: The language is decided on the first units: enough text, and a long file costs no more.
LANGUAGE_UNITS = 2000


def parse_lines(lines: list[str]) -> Parsed:
    """Detect the structure of normalised lines."""
    draft = Draft()
    units = units_of(drop_setext(lines, draft.dropped))
    # A page break before any text (after front matter) would open the document on a blank page.
    while units and units[0].is_break:
        draft.dropped.append(units.pop(0).text)
    draft.found.language = detect_language("".join(u.text for u in units[:LANGUAGE_UNITS]))
    head = boilerplate.leading([u.text for u in units])
    if head:
        draft.blocks.append(Boilerplate(tuple(u.text for u in units[:head])))
        units = units[head:]
    furniture = units[len(units) - boilerplate.trailing([u.text for u in units]) :]
    units = units[: len(units) - len(furniture)]
    body = units[parse_head(units, draft) :]
    closing = tail(body)
    parse_body(body[: len(body) - len(closing)], draft)
    draft.blocks.extend(signature(closing))
    # GB/T 9704 §7.3.5: the 成文日期 under the signature is the document's date.
    signed = next((d for u in reversed(closing) if (d := iso_date(u.text))), "")
    draft.found.date = signed or draft.found.date
    if furniture:
        draft.blocks.append(Boilerplate(tuple(u.text for u in furniture)))
    first_item_too(draft)
    return Parsed(tuple(assign_levels(draft.blocks)), draft.found, tuple(draft.dropped))
