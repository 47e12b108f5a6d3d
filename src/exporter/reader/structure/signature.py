"""Signature: the closing signer lines and date (GB/T 9704 §7.3.5 发文机关署名、成文日期)."""

from __future__ import annotations

from exporter.model import Block, Rule, Signature
from exporter.reader.structure.markdown import is_separator
from exporter.reader.structure.shapes import DATE_LINE, starts_block, title_like
from exporter.reader.structure.units import Unit

#: Signers above the date: a joint document names a few senders; more short lines up there
#: are the body's last lines.
MAX_SIGNERS = 3
#: A signer is an organ's or a person's name (最高人民检察院); a longer line is body text.
SIGNER_MAX = 30
#: A line ending a sentence is the body's, not a signer's (GB/T 15834 句末点号, plus ； and …).
_SENTENCE_END = "。！？；…"


def _closing_rules(units: list[Unit]) -> int:
    """How many separator lines, each alone in its group, end ``units`` (after a date line)."""
    n = 0
    while n < len(units) and units[-1 - n].group_start and is_separator(units[-1 - n].text):
        n += 1
    return n


def tail(body: list[Unit]) -> list[Unit]:
    """The closing signer/date lines, if the text ends with a date line (and maybe signers),
    with any separator lines under the date (they become Rules after the Signature)."""
    end = len(body) - _closing_rules(body)
    if end == 0 or not DATE_LINE.match(body[end - 1].text):
        return []
    j = end - 1
    signers = 0
    while (
        j > 0
        and signers < MAX_SIGNERS
        and title_like(body[j - 1].text, SIGNER_MAX)
        and not starts_block(body[j - 1].text)
        and not is_separator(body[j - 1].text)
        and body[j - 1].text[-1] not in _SENTENCE_END
    ):
        j -= 1
        signers += 1
    return body[j:]


def signature(tail: list[Unit]) -> list[Block]:
    """The Signature block for the tail found (none for no tail)."""
    if not tail:
        return []
    end = len(tail) - _closing_rules(tail)
    rules = [Rule(u.text) for u in tail[end:]]
    return [Signature(tuple(u.text for u in tail[: end - 1]), tail[end - 1].text), *rules]
