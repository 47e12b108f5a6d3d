"""A law's 题注: the adoption and amendment records under its title, read as one block."""

from __future__ import annotations

import re

from exporter.model import Records, plain
from exporter.reader.structure.draft import Draft
from exporter.reader.structure.shapes import CHAPTER
from exporter.reader.structure.units import Unit

#: One record: a date, then the body that acted and what it did (通过, 修正, 修订, 公布, 施行,
#: 批准), maybe in parentheses; the corpus's longest record is 62 characters.
_RECORD = re.compile(
    r"^[（(]?\d{4}年\d{1,2}月\d{1,2}日.*(?:通过|修正|修订|公布|施行|批准)[^。]*[）)]?$"
)
RECORD_MAX = 120


def is_record(text: str) -> bool:
    """Whether a line under a title is an adoption or amendment record (题注)."""
    return len(text) <= RECORD_MAX and not CHAPTER.match(text) and bool(_RECORD.match(text))


def records(units: list[Unit], i: int, draft: Draft) -> int:
    """The run of records from unit ``i`` (blank lines between them or not) as one Records
    block; returns the index after it (``i`` when unit ``i`` is no record)."""
    k = i
    while k < len(units) and is_record(units[k].text):
        k += 1
    if k > i:
        draft.blocks.append(Records(tuple(plain(u.text) for u in units[i:k])))
    return k
