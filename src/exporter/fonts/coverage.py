"""Coverage: the characters of a document that no font covers, and reporting them once."""

from __future__ import annotations

from exporter import diagnostics
from exporter.errors import FontError
from exporter.fonts.chars import is_ignorable
from exporter.fonts.fontset import FontSet, fontset_for, role_of
from exporter.model import Document, block_texts
from exporter.options import WriteOptions
from exporter.record import record


@record
class Uncovered:
    """A character no font covers, with where it first occurs."""

    char: str
    count: int
    first_block: int
    first_line: int | None = None

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    def __str__(self) -> str:
        where = f"line {self.first_line}" if self.first_line else f"block {self.first_block + 1}"
        return f"{self.codepoint} {self.char} at {where}"


def check_document(doc: Document, fontset: FontSet, source: str | None = None) -> list[Uncovered]:
    """Characters of ``doc`` that neither their role's face nor any fallback covers.

    In order of first occurrence; ``source`` (the text the document was read from) gives lines.
    """
    from exporter.model.framing import flattened

    seen: dict[str, list[int]] = {}
    for i, block in enumerate(flattened(doc).blocks):  # the 公文 fields' text too
        role = role_of(block)
        for text in block_texts(block):
            for face, run in fontset.runs(text, role):
                if face is None:
                    for ch in run:
                        if is_ignorable(ch):
                            continue
                        entry = seen.setdefault(ch, [0, i])
                        entry[0] += 1
    result = []
    for ch, (count, block_index) in seen.items():
        line = None
        if source is not None:
            pos = source.find(ch)
            if pos >= 0:
                line = source.count("\n", 0, pos) + 1
        result.append(Uncovered(ch, count, block_index, line))
    return result


def report_uncovered(
    doc: Document, options: WriteOptions, source: str | None = None
) -> list[Uncovered]:
    """Check coverage once per document: warn (or, with ``strict``, raise FontError).

    The batch runner checks first, with the source text so the report names lines; a writer
    that checks the same document object again gets the remembered answer and no second warning.
    """
    key = (id(doc), options.fingerprint())
    for seen_key, seen_doc, seen_missing in _checked:
        if seen_key == key and seen_doc is doc:
            if seen_missing and options.strict:
                raise FontError(_uncovered_message(seen_missing))
            return seen_missing
    missing = check_document(doc, fontset_for(options, doc.meta.language), source)
    _checked.append((key, doc, missing))  # holds ``doc`` so that its id is not reused meanwhile
    del _checked[:-4]
    if missing:
        message = _uncovered_message(missing)
        if options.strict:
            raise FontError(message)
        diagnostics.warn("uncovered-chars", message, chars=[str(u) for u in missing])
    return missing


_checked: list[tuple[tuple[int, str], Document, list[Uncovered]]] = []


def _uncovered_message(missing: list[Uncovered]) -> str:
    listing = ", ".join(str(u) for u in missing[:20])
    more = f" (+{len(missing) - 20} more)" if len(missing) > 20 else ""
    return f"{len(missing)} character(s) no font covers: {listing}{more}"
