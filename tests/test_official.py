"""公文 fields (GB/T 9704-2012 §7.2 版头, §7.4 版记): model, JSON, where they come from, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

from exporter.errors import InputError, SchemaError
from exporter.model import (
    Block,
    DocNumber,
    Document,
    Metadata,
    Official,
    Title,
    block_texts,
    document_text,
    plain,
)
from exporter.model.framing import flattened, frame
from exporter.model.serialize import dumps, loads
from exporter.reader import parse_meta_overrides, read_path, read_text

OFFICIAL = FIXTURES / "official"
FULL = OFFICIAL / "full_notice.txt"
SCRAPED = OFFICIAL / "scraped_notice.txt"


def nonspace(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


# -- model and JSON ---------------------------------------------------------------------------


def test_fields_round_trip_through_json_and_are_absent_when_empty() -> None:
    official = Official(issuers=("甲部", "乙部"), signers=("张三", "李四"), copy="000001",
                        classification="机密", secrecy_period="1年", urgency="特急",
                        cc="各部门。", printed_by="甲部办公厅", printed_date="2024年1月5日",
                        note="（此件公开发布）", has_seal=True)  # fmt: skip
    doc = Document(Metadata(title="t", official=official), (Title(plain("t")),))
    data = json.loads(dumps(doc))
    assert data["meta"]["official"]["issuers"] == ["甲部", "乙部"]
    assert data["meta"]["official"]["has_seal"] is True
    assert loads(dumps(doc)) == doc
    plain_doc = Document(Metadata(title="t"), (Title(plain("t")),))
    assert "official" not in json.loads(dumps(plain_doc))["meta"]


def test_older_documents_load_and_bad_fields_are_refused() -> None:
    old = {"schema": "exporter.document/1", "meta": {"title": "t"}, "blocks": []}
    assert loads(json.dumps(old)).meta.official == Official()
    bad = {"schema": "exporter.document/2", "meta": {"official": {"boss": "x"}}, "blocks": []}
    with pytest.raises(SchemaError, match="unknown key"):
        loads(json.dumps(bad))
    bad["meta"] = {"official": {"has_seal": "yes"}}
    with pytest.raises(SchemaError, match="has_seal"):
        loads(json.dumps(bad))


# -- front matter and -M -----------------------------------------------------------------------


def test_front_matter_in_chinese_fills_every_field() -> None:
    doc = read_path(FULL).document
    off = doc.meta.official
    assert off.issuers == ("某某市人民政府文件",)
    assert doc.meta.document_number == "某府发〔2024〕12号"
    assert (off.copy, off.classification, off.secrecy_period, off.urgency) == (
        "000123", "机密", "1年", "特急")  # fmt: skip
    assert off.cc.endswith("市检察院。")  # the list ends with a full stop (§7.4.2)
    assert (off.printed_by, off.printed_date) == ("某某市人民政府办公室", "2024年1月5日")
    assert off.note == "（此件公开发布）"


def test_english_keys_and_meta_overrides_win() -> None:
    text = "---\nissuer: 甲部；乙部\nsigner: 张三、李四\n---\n标题\n\n正文。\n"
    meta = parse_meta_overrides(["copy=7", "urgency=加急", "has_seal=true", "签发人=王五"])
    off = read_text(text, meta=meta).document.meta.official
    assert off.issuers == ("甲部", "乙部")
    assert off.signers == ("王五",)
    assert (off.copy, off.urgency, off.has_seal) == ("000007", "加急", True)


@pytest.mark.parametrize(
    ("pair", "needle"),
    [("份号=12a", "份号"), ("has_seal=maybe", "true or false"), ("印发日期=明天", "date")],
)
def test_bad_values_are_clear_errors(pair: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        parse_meta_overrides([pair])


# -- from the text itself --------------------------------------------------------------------


def test_scraped_head_and_tail_lines_become_fields() -> None:
    doc = read_path(SCRAPED).document
    off = doc.meta.official
    assert (off.classification, off.secrecy_period, off.urgency) == ("机密", "1年", "特急")
    assert off.cc == "党中央各部门，全国人大常委会办公厅，全国政协办公厅。"
    assert (off.printed_by, off.printed_date) == ("国务院办公厅秘书局", "2024年1月5日")
    assert isinstance(doc.blocks[0], DocNumber)  # the number the reader found stays its block
    texts = [nonspace(t) for b in doc.blocks for t in _texts(b)]
    assert not any("抄送" in t or "印发" in t or t in ("特急", "机密★1年") for t in texts)


def test_scraped_fields_lose_nothing_in_the_model() -> None:
    source = SCRAPED.read_text(encoding="utf-8")
    assert nonspace(document_text(read_path(SCRAPED).document)) == nonspace(source)


def test_lines_out_of_place_stay_text() -> None:
    text = "标题\n\n特急\n\n正文。抄送：某部。\n\n抄送：\n"
    doc = read_text(text).document
    assert not doc.meta.official
    assert nonspace(document_text(doc)) == nonspace(text)


def test_missing_fields_are_not_invented() -> None:
    doc = read_text("标题\n\n正文。\n", meta={"issuer": "某部"}).document
    fr = frame(doc)
    assert [k for k, _ in fr.head] == ["issuer"]  # no number, no signer: none printed
    assert fr.tail == ()


def test_masthead_takes_the_number_block_and_flattened_keeps_the_order() -> None:
    doc = read_path(FULL).document
    fr = frame(doc)
    assert [k for k, _ in fr.head] == ["copy", "classification", "urgency", "issuer", "number"]
    assert not any(isinstance(b, DocNumber) for b in fr.body)
    flat = flattened(doc)
    assert not flat.meta.official
    assert document_text(flat) == document_text(doc)
    assert nonspace(document_text(doc)).index("（此件公开发布）") > nonspace(
        document_text(doc)
    ).index("2024年1月3日")


def _texts(block: Block) -> list[str]:
    return list(block_texts(block))


# -- every writer prints them ------------------------------------------------------------------


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
@pytest.mark.parametrize("path", [FULL, SCRAPED], ids=["front_matter", "scraped"])
def test_every_output_carries_the_fields_in_order(fmt: str, path: Path) -> None:
    import exporter

    doc = read_path(path).document
    data = exporter.write(doc, fmt, options=exporter.write_options("standard"))
    assert _squash(output_text(fmt, data)) == _squash(document_text(doc))


def output_text(fmt: str, data: bytes) -> str:
    """The text of an output, read by an independent reader."""
    import io
    import zipfile

    if fmt == "pdf":
        from test_pdf import text_layer  # the page numbers left out

        return text_layer(data)
    if fmt == "docx":
        import docx

        return "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    from lxml import etree

    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n):
            root = etree.fromstring(z.read(name))
            body = root.find("{http://www.w3.org/1999/xhtml}body")
            out.append("".join(body.itertext()))
    return "".join(out)


# -- profiles, config, command line --------------------------------------------------------------


def test_profiles_and_config_meta_in_chinese() -> None:
    from exporter.options.build import build_settings

    config = {"profile": "gongwen-letter", "meta": {"发文机关": "某某部", "has_seal": True}}
    settings = build_settings(config, {"meta": ["抄送=甲"]})
    assert settings.write.profile.official_format == "letter"
    assert dict(settings.read.meta) == {"发文机关": "某某部", "has_seal": "True", "抄送": "甲"}
    assert exporter_profile("gongwen-minutes").official_format == "minutes"
    assert exporter_profile("gongwen").official_format == "file"
    assert exporter_profile("standard").official_format == ""


def exporter_profile(name: str) -> object:
    import exporter

    return exporter.write_options(name).profile


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
def test_same_bytes_twice(fmt: str) -> None:
    from dataclasses import replace

    import exporter

    doc = read_path(FULL).document
    options = replace(exporter.write_options("gongwen"), source_date_epoch=0)
    assert exporter.write(doc, fmt, options=options) == exporter.write(doc, fmt, options=options)


def test_command_line_letter_with_chinese_meta_and_a_bad_key(tmp_path: Path) -> None:
    from helpers import assert_clean_error, run_cli

    out = tmp_path / "letter.pdf"
    proc = run_cli("convert", str(FULL), "-p", "gongwen-letter", "-M", "签发人=张三",
                   "-o", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")
    bad = run_cli("convert", str(FULL), "-M", "发文机构=某部", "-o", str(tmp_path / "x.pdf"))
    assert_clean_error(bad, 2, "unknown metadata key")
    profile = run_cli("convert", str(FULL), "-p", "gongwen-letters", "-o", str(tmp_path / "y.pdf"))
    assert_clean_error(profile, 2, "gongwen-letter")


def test_a_text_of_field_lines_only_stays_text() -> None:
    for text in ("特急\n", "抄送：某部。\n", "机密\n\n某某办公室　2024年1月5日印发\n"):
        doc = read_text(text).document
        assert not doc.meta.official
        assert nonspace(document_text(doc)) == nonspace(text)


def test_a_last_sentence_about_printing_stays_text() -> None:
    text = "标题\n\n正文。\n\n本通知于2024年1月5日印发\n"
    doc = read_text(text).document
    assert not doc.meta.official.printed_date
