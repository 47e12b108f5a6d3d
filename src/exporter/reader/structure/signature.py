"""Signature: the closing signer lines and date (GB/T 9704 §7.3.5 发文机关署名、成文日期)."""

from __future__ import annotations

import re

from exporter.model import Block, Paragraph, Rule, Signature, plain
from exporter.reader.structure.draft import Body
from exporter.reader.structure.markdown import is_separator
from exporter.reader.structure.shapes import DATE_LINE, iso_date, starts_block, title_like
from exporter.reader.structure.units import Unit

#: Signers above the date: a joint document names a few senders; more short lines up there
#: are the body's last lines.
MAX_SIGNERS = 3
#: A signer is an organ's or a person's name (最高人民检察院); a longer line is body text.
SIGNER_MAX = 30
#: A 附注 after the date (GB/T 9704 §7.3.7): in parentheses, short.
_ANNOTATION = re.compile(r"^[（(][^）)]{1,40}[）)]$")
#: Two senders on one line, and how long a sender's name is at least.
_SIGNER_GAP = re.compile(r"\u3000+| {2,}")
SIGNER_MIN = 2
#: A line ending a sentence is the body's, not a signer's (GB/T 15834 句末点号, plus ； and …).
_SENTENCE_END = "。！？；…"


def _closing_rules(units: list[Unit]) -> int:
    """How many separator lines, each alone in its group, end ``units`` (after a date line)."""
    n = 0
    while n < len(units) and units[-1 - n].group_start and is_separator(units[-1 - n].text):
        n += 1
    return n


def _notes(units: list[Unit], end: int) -> int:
    """How many 附注 lines (（此件公开发布）, GB/T 9704 §7.3.7) stand right before ``end``."""
    n = 0
    while end - n > 0 and _ANNOTATION.match(units[end - n - 1].text):
        n += 1
    return n


def _signers_above(units: list[Unit], date_at: int, start: int = 0) -> int:
    """The index of the first signer line above the date line at ``date_at``."""
    j = date_at
    while (
        j > start
        and date_at - j < MAX_SIGNERS
        and title_like(units[j - 1].text, SIGNER_MAX)
        and not starts_block(units[j - 1].text)
        and not is_separator(units[j - 1].text)
        and units[j - 1].text[-1] not in _SENTENCE_END
    ):
        j -= 1
    return j


def tail(body: list[Unit]) -> list[Unit]:
    """The closing signer/date lines, if the text ends with a date line (and maybe signers),
    with any 附注 line after the date and separator lines under it (they become a paragraph
    and Rules after the Signature)."""
    end = len(body) - _closing_rules(body)
    date_at = end - _notes(body, end)
    if date_at == 0 or not DATE_LINE.match(body[date_at - 1].text):
        return []
    return body[_signers_above(body, date_at - 1) :]


def signature(tail: list[Unit]) -> list[Block]:
    """The Signature block for the tail found (none for no tail), then its 附注 and rules."""
    if not tail:
        return []
    end = len(tail) - _closing_rules(tail)
    date_at = end - _notes(tail, end) - 1
    signers = tuple(part for u in tail[:date_at] for part in _split_signers(u.text))
    after: list[Block] = [Paragraph(plain(u.text)) for u in tail[date_at + 1 : end]]
    after += [Rule(u.text) for u in tail[end:]]
    return [Signature(signers, tail[date_at].text), *after]


def _split_signers(text: str) -> list[str]:
    """国务院办公厅　中央军委办公厅: two senders of a joint document on one line, set apart by
    ideographic (or two or more) spaces, are two signers."""
    parts = [p for p in _SIGNER_GAP.split(text) if p]
    return parts if len(parts) > 1 and all(len(p) >= SIGNER_MIN for p in parts) else [text]


def closing(body: Body, i: int) -> int | None:
    """Rule: signer lines and a date line inside the text, where a part ends (the covering
    notice's 落款 before an attached text, GB/T 9704 §7.3.5 and §8): a blank line or the
    end after the date (and its 附注)."""
    units = body.units
    if units[i].indent < 0 or DATE_LINE.match(units[i].text):
        return None
    k = i + 1
    while k < len(units) and k - i < MAX_SIGNERS and not DATE_LINE.match(units[k].text):
        k += 1
    if k >= len(units) or not DATE_LINE.match(units[k].text) or _signers_above(units, k, i) != i:
        return None
    end = k + 1
    while end < len(units) and _ANNOTATION.match(units[end].text):
        end += 1
    if end < len(units) and not units[end].group_start:
        return None
    body.draft.blocks.extend(signature(units[i:end]))
    body.draft.found.date = iso_date(units[k].text) or body.draft.found.date
    return end
