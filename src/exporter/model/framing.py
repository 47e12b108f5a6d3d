"""A 公文's fields placed around its body in reading order: the 版头, the 附注, the 版记 (GB/T 9704-2012 §7)."""

from __future__ import annotations

from dataclasses import replace

from exporter.model.blocks import (
    Block,
    Boilerplate,
    Byline,
    DocNumber,
    Document,
    Paragraph,
    Records,
    Rule,
    Signature,
    Subtitle,
    Title,
    plain,
)
from exporter.model.official import Official, Part
from exporter.record import record

#: Blocks that may stand above the 发文字号 in a scraped text's head.
_FRONT = (Title, Subtitle, Byline, Records, DocNumber, Rule, Boilerplate)


@record
class Framed:
    """What every writer prints of a document with 公文 fields, in reading order.

    ``head``: the 版头's parts (份号, 密级, 紧急程度, then with a 发文机关标志 the issuers, the
    发文字号 and the 签发人 line); ``body``: the document's blocks less the DocNumber block the
    版头 took; ``note``: the 附注, printed after the body's ``note_after`` first blocks (the line
    after the 成文日期, §7.3.7); ``tail``: the 版记's parts (抄送, 印发). ``masthead``: a
    发文机关标志 is printed.
    """

    head: tuple[tuple[Part, str], ...]
    body: tuple[Block, ...]
    note: str
    note_after: int
    tail: tuple[tuple[Part, str], ...]
    masthead: bool


def frame(doc: Document) -> Framed:
    """The document's 公文 fields around its blocks (all empty for a document without any)."""
    off = doc.meta.official
    blocks = doc.blocks
    if not off:
        return Framed((), blocks, "", len(blocks), (), False)
    head: list[tuple[Part, str]] = []
    if off.copy:
        head.append(("copy", off.copy))
    if off.classification_text():
        head.append(("classification", off.classification_text()))
    if off.urgency:
        head.append(("urgency", off.urgency))
    masthead = bool(off.issuers)
    if masthead:
        head.extend(("issuer", name) for name in off.issuers)
        at = _number_block(blocks)
        found = blocks[at] if at >= 0 else None
        number = found.text if isinstance(found, DocNumber) else doc.meta.document_number
        if at >= 0:
            blocks = blocks[:at] + blocks[at + 1 :]
        if number:
            head.append(("number", number))
        if off.signers:
            head.append(("signer", off.signer_text()))
    last_signature = max((i for i, b in enumerate(blocks) if isinstance(b, Signature)), default=-1)
    note_after = last_signature + 1 if last_signature >= 0 else len(blocks)
    tail: list[tuple[Part, str]] = []
    if off.cc:
        tail.append(("cc", off.cc_text()))
    if off.printed_text():
        tail.append(("printed", off.printed_text()))
    return Framed(tuple(head), blocks, off.note, note_after, tuple(tail), masthead)


def _number_block(blocks: tuple[Block, ...]) -> int:
    """The index of the DocNumber block in the text's head (before any body block), or -1."""
    for i, block in enumerate(blocks):
        if isinstance(block, DocNumber):
            return i
        if not isinstance(block, _FRONT):
            return -1
    return -1


def flattened(doc: Document) -> Document:
    """The document with its 公文 fields as plain blocks where a writer without a 版头 prints
    them (above the body, the 附注 after the signature, the 版记 lines below it), and no fields
    left in its metadata: what writers that do not lay out a 公文 write."""
    if not doc.meta.official:
        return doc
    fr = frame(doc)

    def para(text: str) -> Block:
        return Paragraph(plain(text))

    head = [DocNumber(t) if k == "number" else para(t) for k, t in fr.head]
    body = list(fr.body)
    if fr.note:
        body.insert(fr.note_after, para(fr.note))
    tail = [para(t) for _, t in fr.tail]
    meta = replace(doc.meta, official=Official())
    return replace(doc, meta=meta, blocks=(*head, *body, *tail))


def framed_body(doc: Document, framed: Framed) -> Document:
    """The blocks a writer sets between its 版头 and 版记: the body, the 附注 after the
    signature (a paragraph: 左空二字, the line after the date, §7.3.7); no fields left."""
    blocks = list(framed.body)
    if framed.note:
        blocks.insert(framed.note_after, Paragraph(plain(framed.note)))
    return replace(doc, meta=replace(doc.meta, official=Official()), blocks=tuple(blocks))
