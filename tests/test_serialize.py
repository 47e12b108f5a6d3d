"""JSON schema tests: exact round trips, every block type named, bad JSON refused clearly."""

from __future__ import annotations

import json
from typing import get_args

import pytest
from conftest import all_blocks_document

from exporter.errors import SchemaError
from exporter.model import BLOCK_CLASSES, Block
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
        "docnumber", "title", "subtitle", "addressee", "byline", "lead", "contents", "heading",
        "paragraph", "quote", "list", "verse", "code", "rule", "break", "attachments", "signature",
        "boilerplate",
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
            {"schema": "exporter.document/2", "meta": {}, "blocks": []},
            "unsupported document schema",
        ),
        ({"schema": SCHEMA, "meta": {"colour": "red"}, "blocks": []}, "unknown key"),
        (
            {"schema": SCHEMA, "meta": {}, "blocks": [{"type": "table"}]},
            "unknown block type 'table'",
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
