"""Document <-> JSON with a schema version; the form `exporter inspect` prints and plug-ins may read."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from exporter.errors import SchemaError
from exporter.model import (
    Addressee,
    Attachments,
    Block,
    Break,
    Byline,
    CodeBlock,
    Contents,
    DocNumber,
    Document,
    Emphasis,
    Heading,
    Inline,
    Inlines,
    Lead,
    ListBlock,
    ListItem,
    Metadata,
    Note,
    Paragraph,
    Quote,
    Signature,
    Subtitle,
    Text,
    Title,
    Verse,
)

#: Bump on any incompatible change; readers refuse other versions.
SCHEMA = "exporter.document/1"

_TYPE_OF: dict[type, str] = {
    Title: "title",
    Subtitle: "subtitle",
    DocNumber: "docnumber",
    Byline: "byline",
    Addressee: "addressee",
    Lead: "lead",
    Heading: "heading",
    Paragraph: "paragraph",
    Quote: "quote",
    ListBlock: "list",
    Verse: "verse",
    CodeBlock: "code",
    Contents: "contents",
    Attachments: "attachments",
    Signature: "signature",
    Break: "break",
}
_CLASS_OF = {v: k for k, v in _TYPE_OF.items()}


def _inlines_out(content: Inlines) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in content:
        if isinstance(item, Text):
            out.append({"type": "text", "text": item.text})
        elif isinstance(item, Emphasis):
            out.append({"type": "emph", "content": _inlines_out(item.content)})
        else:
            out.append({"type": "note", "content": _inlines_out(item.content)})
    return out


def _items_out(items: tuple[ListItem, ...]) -> list[dict[str, Any]]:
    return [{"marker": it.marker, "content": _inlines_out(it.content)} for it in items]


def block_to_json(block: Block) -> dict[str, Any]:
    """One block as a JSON object with a lower-case ``type``."""
    obj: dict[str, Any] = {"type": _TYPE_OF[type(block)]}
    match block:
        case (
            Title(content)
            | Subtitle(content)
            | Byline(content)
            | Addressee(content)
            | Paragraph(content)
            | Quote(content)
        ):
            obj["content"] = _inlines_out(content)
        case DocNumber(text) | CodeBlock(text):
            obj["text"] = text
        case Lead(dateline, content):
            obj["dateline"] = dateline
            obj["content"] = _inlines_out(content)
        case Heading(level, number, content, body):
            obj.update(level=level, number=number, content=_inlines_out(content))
            obj["body"] = _inlines_out(body)
        case ListBlock(ordered, items):
            obj["ordered"] = ordered
            obj["items"] = _items_out(items)
        case Attachments(label, items):
            obj["label"] = label
            obj["items"] = _items_out(items)
        case Verse(lines) | Contents(lines):
            obj["lines"] = [_inlines_out(line) for line in lines]
        case Signature(signers, date):
            obj["signers"] = list(signers)
            obj["date"] = date
        case Break(kind):
            obj["kind"] = kind
    return obj


def to_json(doc: Document) -> dict[str, Any]:
    """The document as a JSON-ready dict: ``schema``, ``meta``, ``blocks``."""
    meta = asdict(doc.meta)
    meta["authors"] = list(doc.meta.authors)
    return {"schema": SCHEMA, "meta": meta, "blocks": [block_to_json(b) for b in doc.blocks]}


def dumps(doc: Document, indent: int | None = 2) -> str:
    """The document as JSON text (UTF-8 characters kept, not escaped)."""
    return json.dumps(to_json(doc), ensure_ascii=False, indent=indent) + "\n"


# --- reading ---------------------------------------------------------------------------------


def _need(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise SchemaError(f"{where}: missing key {key!r}")
    value = obj[key]
    if not isinstance(value, kind):
        raise SchemaError(f"{where}: {key!r} has the wrong type")
    return value


def _inlines_in(data: Any, where: str) -> Inlines:
    if not isinstance(data, list):
        raise SchemaError(f"{where}: inline content must be a list")
    out: list[Inline] = []
    for item in data:
        if not isinstance(item, dict):
            raise SchemaError(f"{where}: inline must be an object")
        kind = item.get("type")
        if kind == "text":
            out.append(Text(_need(item, "text", str, where)))
        elif kind == "emph":
            out.append(Emphasis(_inlines_in(item.get("content"), where)))
        elif kind == "note":
            out.append(Note(_inlines_in(item.get("content"), where)))
        else:
            raise SchemaError(f"{where}: unknown inline type {kind!r}")
    return tuple(out)


def _items_in(data: Any, where: str) -> tuple[ListItem, ...]:
    if not isinstance(data, list):
        raise SchemaError(f"{where}: items must be a list")
    return tuple(
        ListItem(_need(it, "marker", str, where), _inlines_in(it.get("content"), where))
        for it in data
    )


def block_from_json(obj: Any, where: str) -> Block:
    """One block from its JSON object."""
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        raise SchemaError(f"{where}: a block must be an object with a 'type'")
    kind = obj["type"]
    cls = _CLASS_OF.get(kind)
    if cls is None:
        raise SchemaError(f"{where}: unknown block type {kind!r}")
    if cls in (Title, Subtitle, Byline, Addressee, Paragraph, Quote):
        return cls(_inlines_in(obj.get("content"), where))
    if cls in (DocNumber, CodeBlock):
        return cls(_need(obj, "text", str, where))
    if cls is Lead:
        return Lead(_need(obj, "dateline", str, where), _inlines_in(obj.get("content"), where))
    if cls is Heading:
        level = _need(obj, "level", int, where)
        if level < 1:
            raise SchemaError(f"{where}: heading level must be 1 or more")
        return Heading(
            level,
            _need(obj, "number", str, where),
            _inlines_in(obj.get("content"), where),
            _inlines_in(obj.get("body", []), where),
        )
    if cls is ListBlock:
        return ListBlock(
            bool(_need(obj, "ordered", bool, where)), _items_in(obj.get("items"), where)
        )
    if cls is Attachments:
        return Attachments(_need(obj, "label", str, where), _items_in(obj.get("items"), where))
    if cls in (Verse, Contents):
        lines = _need(obj, "lines", list, where)
        return cls(tuple(_inlines_in(line, where) for line in lines))
    if cls is Signature:
        signers = _need(obj, "signers", list, where)
        if not all(isinstance(s, str) for s in signers):
            raise SchemaError(f"{where}: signers must be strings")
        return Signature(tuple(signers), _need(obj, "date", str, where))
    kind_value = obj.get("kind", "page")
    if kind_value not in ("page", "section"):
        raise SchemaError(f"{where}: break kind must be 'page' or 'section'")
    return Break(kind_value)


def from_json(data: Any) -> Document:
    """A Document from its JSON form; SchemaError for another schema version or a malformed one."""
    if not isinstance(data, dict):
        raise SchemaError("document JSON must be an object with schema, meta and blocks")
    schema = data.get("schema")
    if schema != SCHEMA:
        raise SchemaError(
            f"unsupported document schema {schema!r} (this exporter reads {SCHEMA!r})"
        )
    meta_obj = _need(data, "meta", dict, "meta")
    known = {f.name for f in fields(Metadata)}
    unknown = set(meta_obj) - known
    if unknown:
        raise SchemaError(f"meta: unknown key(s) {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for f in fields(Metadata):
        if f.name in meta_obj:
            v = meta_obj[f.name]
            if f.name == "authors":
                if not isinstance(v, list) or not all(isinstance(a, str) for a in v):
                    raise SchemaError("meta: authors must be a list of strings")
                v = tuple(v)
            elif not isinstance(v, str):
                raise SchemaError(f"meta: {f.name} must be a string")
            values[f.name] = v
    blocks = _need(data, "blocks", list, "blocks")
    return Document(
        Metadata(**values),
        tuple(block_from_json(b, f"blocks[{i}]") for i, b in enumerate(blocks)),
    )


def loads(text: str) -> Document:
    """A Document from JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not valid JSON: {exc}") from None
    return from_json(data)
