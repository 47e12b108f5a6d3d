"""Document <-> JSON with a schema version; the form `exporter inspect` prints and plug-ins may read."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import asdict, fields
from typing import Any, assert_never

from exporter.errors import SchemaError
from exporter.model import (
    BLOCK_CLASSES,
    Addressee,
    Attachments,
    Block,
    Boilerplate,
    Break,
    Byline,
    Code,
    CodeBlock,
    Contents,
    DocNumber,
    Document,
    Emphasis,
    Heading,
    Image,
    Inline,
    Inlines,
    Lead,
    Link,
    ListBlock,
    ListItem,
    Metadata,
    Note,
    Paragraph,
    Quote,
    Records,
    Resource,
    Rule,
    Signature,
    Strike,
    Strong,
    Subtitle,
    Table,
    TableRow,
    Text,
    Title,
    Verse,
)
from exporter.model.official import FIELD_NAMES, TUPLE_FIELDS, Official

#: Bump on any incompatible change; readers refuse other versions. Version 2 added strong,
#: strike, code, link and image inlines, table blocks, nested list items and a list's start,
#: and the document's resources; a version 1 document is a version 2 one without them. The
#: ``records`` block (a law's 题注) was added to version 2 later: older readers refuse it as an
#: unknown type rather than misread it.
SCHEMA = "exporter.document/2"
SCHEMAS = ("exporter.document/1", SCHEMA)
#: Link targets a document may hold: web and mail addresses, and places in the document itself
#: (never javascript:, data: or a local file).
SAFE_HREF = ("http://", "https://", "mailto:", "#")


def _inlines_out(content: Inlines) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in content:
        match item:
            case Text(text):
                out.append({"type": "text", "text": text})
            case Emphasis(inner):
                out.append({"type": "emph", "content": _inlines_out(inner)})
            case Note(inner):
                out.append({"type": "note", "content": _inlines_out(inner)})
            case Strong(inner):
                out.append({"type": "strong", "content": _inlines_out(inner)})
            case Strike(inner):
                out.append({"type": "strike", "content": _inlines_out(inner)})
            case Code(text):
                out.append({"type": "code", "text": text})
            case Link(href, inner):
                out.append({"type": "link", "href": href, "content": _inlines_out(inner)})
            case Image(alt, resource):
                out.append({"type": "image", "alt": alt, "resource": resource})
            case _:
                assert_never(item)
    return out


def _items_out(items: tuple[ListItem, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for it in items:
        obj: dict[str, Any] = {"marker": it.marker, "content": _inlines_out(it.content)}
        if it.blocks:
            obj["blocks"] = [block_to_json(b) for b in it.blocks]
        out.append(obj)
    return out


def block_to_json(block: Block) -> dict[str, Any]:
    """One block as a JSON object with a lower-case ``type``."""
    obj: dict[str, Any] = {"type": block.json_type}
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
        case DocNumber(text) | CodeBlock(text) | Rule(text):
            obj["text"] = text
        case Lead(dateline, content):
            obj["dateline"] = dateline
            obj["content"] = _inlines_out(content)
        case Heading(level, number, content, body):
            obj.update(level=level, number=number, content=_inlines_out(content))
            obj["body"] = _inlines_out(body)
        case ListBlock(ordered, items, start):
            obj["ordered"] = ordered
            obj["items"] = _items_out(items)
            if start != 1:
                obj["start"] = start
        case Table(align, header, body):
            obj["align"] = list(align)
            obj["header"] = [[_inlines_out(cell) for cell in row] for row in header]
            obj["body"] = [[_inlines_out(cell) for cell in row] for row in body]
        case Attachments(label, items):
            obj["label"] = label
            obj["items"] = _items_out(items)
        case Verse(lines) | Contents(lines) | Records(lines):
            obj["lines"] = [_inlines_out(line) for line in lines]
        case Signature(signers, date):
            obj["signers"] = list(signers)
            obj["date"] = date
        case Boilerplate(lines):
            obj["lines"] = list(lines)
        case Break(kind):
            obj["kind"] = kind
        case _:
            assert_never(block)
    return obj


def to_json(doc: Document) -> dict[str, Any]:
    """The document as a JSON-ready dict: ``schema``, ``meta``, ``blocks``."""
    meta = asdict(doc.meta)
    meta["authors"] = list(doc.meta.authors)
    # Only a document with 公文 fields carries the key: other documents' JSON is unchanged.
    meta.pop("official")
    if doc.meta.official:
        meta["official"] = official_to_json(doc.meta.official)
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "meta": meta,
        "blocks": [block_to_json(b) for b in doc.blocks],
    }
    if doc.resources:
        out["resources"] = [
            {"id": r.id, "media_type": r.media_type, "data": base64.b64encode(r.data).decode()}
            for r in doc.resources
        ]
    return out


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
        elif kind == "strong":
            out.append(Strong(_inlines_in(item.get("content"), where)))
        elif kind == "strike":
            out.append(Strike(_inlines_in(item.get("content"), where)))
        elif kind == "code":
            out.append(Code(_need(item, "text", str, where)))
        elif kind == "link":
            href = _need(item, "href", str, where)
            if not href.startswith(SAFE_HREF):
                raise SchemaError(f"{where}: link href {href[:40]!r} is not http(s), mailto or #")
            out.append(Link(href, _inlines_in(item.get("content"), where)))
        elif kind == "image":
            out.append(Image(_need(item, "alt", str, where), item.get("resource", "")))
        else:
            raise SchemaError(f"{where}: unknown inline type {kind!r}")
    return tuple(out)


def _items_in(data: Any, where: str) -> tuple[ListItem, ...]:
    if not isinstance(data, list):
        raise SchemaError(f"{where}: items must be a list")
    return tuple(
        ListItem(
            _need(it, "marker", str, where),
            _inlines_in(it.get("content"), where),
            tuple(block_from_json(b, where) for b in it.get("blocks", [])),
        )
        for it in data
    )


def _content(cls: type[Title | Subtitle | Byline | Addressee | Paragraph | Quote]) -> _Parser:
    return lambda obj, where: cls(_inlines_in(obj.get("content"), where))


def _text(cls: type[DocNumber | CodeBlock | Rule]) -> _Parser:
    return lambda obj, where: cls(_need(obj, "text", str, where))


def _lines(cls: type[Verse | Contents | Records]) -> _Parser:
    def parse(obj: dict[str, Any], where: str) -> Block:
        lines = _need(obj, "lines", list, where)
        return cls(tuple(_inlines_in(line, where) for line in lines))

    return parse


def _lead(obj: dict[str, Any], where: str) -> Block:
    return Lead(_need(obj, "dateline", str, where), _inlines_in(obj.get("content"), where))


def _heading(obj: dict[str, Any], where: str) -> Block:
    level = _need(obj, "level", int, where)
    if level < 1:
        raise SchemaError(f"{where}: heading level must be 1 or more")
    return Heading(
        level,
        _need(obj, "number", str, where),
        _inlines_in(obj.get("content"), where),
        _inlines_in(obj.get("body", []), where),
    )


def _list(obj: dict[str, Any], where: str) -> Block:
    start = obj.get("start", 1)
    if not isinstance(start, int) or isinstance(start, bool):
        raise SchemaError(f"{where}: list start must be an integer")
    return ListBlock(
        bool(_need(obj, "ordered", bool, where)), _items_in(obj.get("items"), where), start
    )


def _rows(data: Any, where: str) -> tuple[TableRow, ...]:
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        raise SchemaError(f"{where}: table rows must be lists of cells")
    return tuple(tuple(_inlines_in(cell, where) for cell in row) for row in data)


def _table(obj: dict[str, Any], where: str) -> Block:
    align = _need(obj, "align", list, where)
    if not all(a in ("", "left", "center", "right") for a in align):
        raise SchemaError(f"{where}: column alignment must be '', left, center or right")
    return Table(tuple(align), _rows(obj.get("header", []), where), _rows(obj.get("body"), where))


def _attachments(obj: dict[str, Any], where: str) -> Block:
    return Attachments(_need(obj, "label", str, where), _items_in(obj.get("items"), where))


def _signature(obj: dict[str, Any], where: str) -> Block:
    signers = _need(obj, "signers", list, where)
    if not all(isinstance(s, str) for s in signers):
        raise SchemaError(f"{where}: signers must be strings")
    return Signature(tuple(signers), _need(obj, "date", str, where))


def _boilerplate(obj: dict[str, Any], where: str) -> Block:
    lines = _need(obj, "lines", list, where)
    if not all(isinstance(line, str) for line in lines):
        raise SchemaError(f"{where}: boilerplate lines must be strings")
    return Boilerplate(tuple(lines))


def _break(obj: dict[str, Any], where: str) -> Block:
    kind = obj.get("kind", "page")
    if kind not in ("page", "section"):
        raise SchemaError(f"{where}: break kind must be 'page' or 'section'")
    return Break(kind)


_Parser = Callable[[dict[str, Any], str], Block]

_PARSERS: dict[type[Block], _Parser] = {
    Title: _content(Title),
    Subtitle: _content(Subtitle),
    DocNumber: _text(DocNumber),
    Byline: _content(Byline),
    Records: _lines(Records),
    Addressee: _content(Addressee),
    Lead: _lead,
    Heading: _heading,
    Paragraph: _content(Paragraph),
    Quote: _content(Quote),
    ListBlock: _list,
    Verse: _lines(Verse),
    CodeBlock: _text(CodeBlock),
    Contents: _lines(Contents),
    Attachments: _attachments,
    Signature: _signature,
    Rule: _text(Rule),
    Boilerplate: _boilerplate,
    Table: _table,
    Break: _break,
}
# A block class without a parser would be read as something else or refused: fail at import.
if set(_PARSERS) != set(BLOCK_CLASSES):  # pragma: no cover - a programming error
    raise ImportError(f"serialize: no JSON parser for {set(BLOCK_CLASSES) - set(_PARSERS)}")
_BY_TYPE: dict[str, _Parser] = {cls.json_type: _PARSERS[cls] for cls in BLOCK_CLASSES}


def block_from_json(obj: Any, where: str) -> Block:
    """One block from its JSON object; SchemaError for an unknown ``type`` or a malformed one."""
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        raise SchemaError(f"{where}: a block must be an object with a 'type'")
    parse = _BY_TYPE.get(obj["type"])
    if parse is None:
        raise SchemaError(f"{where}: unknown block type {obj['type']!r}")
    return parse(obj, where)


def from_json(data: Any) -> Document:
    """A Document from its JSON form; SchemaError for another schema version or a malformed one."""
    if not isinstance(data, dict):
        raise SchemaError("document JSON must be an object with schema, meta and blocks")
    schema = data.get("schema")
    if schema not in SCHEMAS:
        raise SchemaError(
            f"unsupported document schema {schema!r} (this exporter reads {', '.join(SCHEMAS)})"
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
            if f.name == "official":
                v = official_from_json(v)
            elif f.name == "authors":
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
        _resources(data.get("resources", [])),
    )


def _resources(data: Any) -> tuple[Resource, ...]:
    if not isinstance(data, list):
        raise SchemaError("resources must be a list")
    out: list[Resource] = []
    for i, obj in enumerate(data):
        where = f"resources[{i}]"
        if not isinstance(obj, dict):
            raise SchemaError(f"{where}: a resource must be an object")
        try:
            raw = base64.b64decode(_need(obj, "data", str, where), validate=True)
        except binascii.Error:
            raise SchemaError(f"{where}: data is not base64") from None
        out.append(
            Resource(_need(obj, "id", str, where), _need(obj, "media_type", str, where), raw)
        )
    return tuple(out)


def official_to_json(official: Official) -> dict[str, Any]:
    """The 公文 fields that are set (lists for issuers and signers, a boolean for has_seal)."""
    out: dict[str, Any] = {}
    for name in FIELD_NAMES:
        value = getattr(official, name)
        if value:
            out[name] = list(value) if name in TUPLE_FIELDS else value
    return out


def official_from_json(data: Any) -> Official:
    """The 公文 fields from ``meta.official``; SchemaError for an unknown key or a wrong type."""
    if not isinstance(data, dict):
        raise SchemaError("meta: official must be an object")
    unknown = set(data) - set(FIELD_NAMES)
    if unknown:
        raise SchemaError(f"meta.official: unknown key(s) {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, v in data.items():
        if name in TUPLE_FIELDS:
            if not isinstance(v, list) or not all(isinstance(a, str) for a in v):
                raise SchemaError(f"meta.official: {name} must be a list of strings")
            v = tuple(v)
        elif name == "has_seal":
            if not isinstance(v, bool):
                raise SchemaError("meta.official: has_seal must be true or false")
        elif not isinstance(v, str):
            raise SchemaError(f"meta.official: {name} must be a string")
        values[name] = v
    return Official(**values)


def loads(text: str) -> Document:
    """A Document from JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"not valid JSON: {exc}") from None
    return from_json(data)
