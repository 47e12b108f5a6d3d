"""Attachments: the 附件 note after the body (GB/T 9704 §7.3.4) or an attachment's own label (§8)."""

from __future__ import annotations

import re

from exporter.model import Attachments, ListItem, plain
from exporter.reader.structure.draft import Body
from exporter.reader.structure.shapes import ATTACH

#: An attachment line (label and name, or one listed item) is a name, not a sentence: the
#: corpus's longest is 24 characters (附件二：香港特别行政区立法会的产生办法和表决程序).
ATTACH_LINE_MAX = 60
#: A numbered item of the note: 附件：1. 名称 (GB/T 9704 §7.3.4 numbers several attachments).
_ATTACH_ITEM = re.compile(r"^(?P<num>\d{1,2}[.．、])[\s\u3000]*(?P<rest>.+)$")


def _item(text: str) -> ListItem:
    m = _ATTACH_ITEM.match(text)
    return ListItem(m.group("num"), plain(m.group("rest"))) if m else ListItem("", plain(text))


def attachments(body: Body, i: int) -> int | None:
    """Rule: 附件 / 附件：名称 / 附件：1. … with the numbered lines under it."""
    units = body.units
    text = units[i].text
    m = ATTACH.match(text)
    first = m.group("rest") if m else ""
    if not m or (first and not _ATTACH_ITEM.match(first) and len(text) > ATTACH_LINE_MAX):
        return None
    items = [_item(first)] if first else []
    j = i + 1
    # 附件1 (a number, no colon) heads the attachment itself (GB/T 9704 §8); only a note lists.
    while (
        j < len(units)
        and not m.group("n")
        and (im := _ATTACH_ITEM.match(units[j].text))
        and len(units[j].text) <= ATTACH_LINE_MAX
    ):
        items.append(ListItem(im.group("num"), plain(im.group("rest"))))
        j += 1
    body.add(Attachments(m.group("label"), tuple(items)))
    return j
