"""JSON schema tests: exact round trips, every block type named, bad JSON refused clearly."""

from __future__ import annotations

import json
from typing import get_args

import pytest
from conftest import all_blocks_document

from exporter.errors import SchemaError
from exporter.model import BLOCK_CLASSES, Block, Document, Paragraph, plain
from exporter.model.serialize import (
    SCHEMA,
    block_from_json,
    block_to_json,
    dumps,
    from_json,
    loads,
    to_json,
)


def test_all_blocks_round_trip() -> None:
    doc = all_blocks_document()
    assert loads(dumps(doc)) == doc
    data = to_json(doc)
    assert set(data) == {"schema", "meta", "blocks"}
    assert data["schema"] == SCHEMA
    types = [b["type"] for b in data["blocks"]]
    assert set(types) == {
        "docnumber", "title", "subtitle", "addressee", "byline", "records", "lead", "contents", "heading",
        "paragraph", "quote", "list", "verse", "code", "rule", "break", "attachments", "signature",
        "boilerplate", "table",
    }  # fmt: skip
    heading = next(b for b in data["blocks"] if b["type"] == "heading")
    assert heading["level"] == 1 and heading["number"] == "一、"
    emph = [i["type"] for b in data["blocks"] if b["type"] == "paragraph" for i in b["content"]]
    assert "emph" in emph and "note" in emph


def test_all_blocks_fixture_covers_every_block_class() -> None:
    """Every block class of the model appears in the fixture the writers' tests share, so a new
    block type cannot be added without every writer's tests meeting it."""
    doc = all_blocks_document()
    present = {type(b) for b in doc.blocks}
    missing = [cls.__name__ for cls in BLOCK_CLASSES if cls not in present]
    assert not missing, f"all_blocks_document lacks {missing}"
    assert len(BLOCK_CLASSES) == len(get_args(Block)) >= 16


def test_json_types_are_distinct_and_round_trip_one_by_one() -> None:
    kinds = [cls.json_type for cls in BLOCK_CLASSES]
    assert len(set(kinds)) == len(kinds)
    for block in all_blocks_document().blocks:
        obj = block_to_json(block)
        assert obj["type"] == block.json_type
        assert block_from_json(obj, "test") == block


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be an object"),
        (
            {"schema": "exporter.document/3", "meta": {}, "blocks": []},
            "unsupported document schema",
        ),
        ({"schema": SCHEMA, "meta": {"colour": "red"}, "blocks": []}, "unknown key"),
        (
            {"schema": SCHEMA, "meta": {}, "blocks": [{"type": "chart"}]},
            "unknown block type 'chart'",
        ),
        (
            {
                "schema": SCHEMA,
                "meta": {},
                "blocks": [{"type": "heading", "number": "一、", "content": []}],
            },
            "missing key 'level'",
        ),
        (
            {
                "schema": SCHEMA,
                "meta": {},
                "blocks": [{"type": "heading", "level": 0, "number": "", "content": []}],
            },
            "level must be 1",
        ),
        ({"schema": SCHEMA, "meta": {"authors": "张三"}, "blocks": []}, "authors must be a list"),
        (
            {
                "schema": SCHEMA,
                "meta": {},
                "blocks": [{"type": "paragraph", "content": [{"type": "bold"}]}],
            },
            "unknown inline type",
        ),
    ],
)
def test_bad_json_refused(data: object, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        from_json(data)


def test_not_json() -> None:
    with pytest.raises(SchemaError, match="not valid JSON"):
        loads("{")


def test_json_keeps_characters_unescaped() -> None:
    text = dumps(all_blocks_document())
    assert "关于做好示范文档工作的通知" in text  # ensure_ascii=False: readable Chinese
    assert json.loads(text)["meta"]["document_number"] == "国办发〔2022〕35号"


def test_schema_2_carries_inlines_tables_nested_lists_and_resources() -> None:
    from exporter.model import Image, Resource

    doc = all_blocks_document()
    doc = Document(
        doc.meta,
        (*doc.blocks, Paragraph((Image("图", "img1"),))),
        (Resource("img1", "image/png", b"\x89PNG\r\n\x1a\n\x00binary"),),
    )
    data = to_json(doc)
    assert data["schema"] == "exporter.document/2"
    assert data["resources"][0]["media_type"] == "image/png"
    assert loads(dumps(doc)) == doc


def test_a_version_1_document_still_loads() -> None:
    text = '{"schema": "exporter.document/1", "meta": {"title": "旧"}, "blocks": [{"type": "paragraph", "content": [{"type": "text", "text": "正文"}]}]}'
    assert loads(text).blocks == (Paragraph(plain("正文")),)


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "vbscript:x"]
)
def test_a_link_to_anything_but_the_web_mail_or_the_document_is_refused(href: str) -> None:
    block = {"type": "paragraph", "content": [{"type": "link", "href": href, "content": []}]}
    text = json.dumps({"schema": SCHEMA, "meta": {}, "blocks": [block]})
    with pytest.raises(SchemaError, match="href"):
        loads(text)
