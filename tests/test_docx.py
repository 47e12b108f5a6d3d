"""DOCX writer: the produced package read back with python-docx, lxml and (when present) LibreOffice."""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from conftest import REAL, SAMPLE, all_blocks_document, attachment_document
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from exporter import diagnostics
from exporter.fonts import bundled_dir
from exporter.model import (
    Attachments,
    Break,
    Document,
    Emphasis,
    Heading,
    Metadata,
    Paragraph,
    Rule,
    Signature,
    Text,
    Verse,
    block_texts,
    document_text,
    plain,
)
from exporter.options import GONGWEN, STANDARD, WriteOptions
from exporter.reader import read_file
from exporter.typesetting.charsets import NO_END, NO_START
from exporter.writers import get_writer
from exporter.writers.docx import DocxWriter
from exporter.writers.docx.parts import east_asian_lang

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def write(doc: Document, options: WriteOptions | None = None) -> bytes:
    buf = io.BytesIO()
    DocxWriter().write(doc, options or WriteOptions(), buf)
    return buf.getvalue()


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(name))


@pytest.fixture(autouse=True)
def _no_env_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(scope="module")
def standard() -> bytes:
    return write(all_blocks_document())


@pytest.fixture(scope="module")
def gongwen() -> bytes:
    return write(all_blocks_document(), WriteOptions(profile=GONGWEN))


class Styles:
    """styles.xml resolved the way Word does: a style's property is its own, else its basedOn's."""

    def __init__(self, data: bytes) -> None:
        root = part(data, "word/styles.xml")
        self.root = root
        self.by_id = {s.get(q("styleId")): s for s in root.iterfind("w:style", NS)}
        self.defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)

    def name(self, style_id: str) -> str:
        return str(self.by_id[style_id].find("w:name", NS).get(q("val")))

    def find(self, style_id: str | None, path: str, attr: str) -> str | None:
        while style_id:
            style = self.by_id[style_id]
            el = style.find(path, NS)
            if el is not None and el.get(q(attr)) is not None:
                return str(el.get(q(attr)))
            based = style.find("w:basedOn", NS)
            style_id = based.get(q("val")) if based is not None else None
        if path.startswith("w:rPr/"):
            el = self.defaults.find(path.removeprefix("w:rPr/"), NS)
            if el is not None:
                return el.get(q(attr))
        return None

    def flag(self, style_id: str | None, path: str) -> bool:
        """A toggle property (w:b, w:em): on when present without w:val or with a true value."""
        while style_id:
            style = self.by_id[style_id]
            el = style.find(path, NS)
            if el is not None:
                return el.get(q("val"), "true") not in ("0", "false", "off")
            based = style.find("w:basedOn", NS)
            style_id = based.get(q("val")) if based is not None else None
        return False


def body_paragraphs(data: bytes) -> list[etree._Element]:
    """The body's paragraphs in reading order, table cells' included."""
    return part(data, "word/document.xml").findall("w:body//w:p", NS)


def para_text(p: etree._Element, notes: dict[str, str] | None = None) -> str:
    """A paragraph's text in reading order: w:tab is a tab, w:br a line feed, notes in place."""
    out = []
    for el in p.iter(q("t"), q("tab"), q("br"), q("footnoteReference")):
        if el.tag == q("t"):
            out.append(el.text or "")
        elif el.tag == q("tab"):
            out.append("\t")
        elif el.tag == q("br"):
            out.append("\n")
        elif notes is not None:
            out.append(notes[el.get(q("id"))])
    return "".join(out)


def footnotes(data: bytes) -> dict[str, str]:
    root = part(data, "word/footnotes.xml")
    return {
        str(fn.get(q("id"))): "".join(para_text(p) for p in fn.findall("w:p", NS))
        for fn in root.findall("w:footnote", NS)
        if fn.get(q("type")) is None
    }


def style_of(p: etree._Element) -> str:
    el = p.find("w:pPr/w:pStyle", NS)
    return "Normal" if el is None else str(el.get(q("val")))


# ---------------------------------------------------------------------------------------------


def test_registered_under_docx() -> None:
    writer = get_writer("docx")
    assert isinstance(writer, DocxWriter)
    assert (writer.name, writer.extension) == ("docx", ".docx")


def test_every_block_in_its_named_style(standard: bytes) -> None:
    got = [(p.style.name, p.text) for p in docx.Document(io.BytesIO(standard)).paragraphs]
    # Reviewed by hand against all_blocks_document(): one paragraph per block, list item,
    # contents line, attachment item and signature line; the Break leaves no paragraph.
    assert got == [
        ("Document Number", "国办发〔2022〕35号"),
        ("Title", "关于做好示范文档工作的通知"),
        ("Subtitle", "——测试用例"),
        ("Addressee", "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："),
        ("Byline", "（记者 张三）"),
        ("Lead", "新华社北京3月6日电今天，示范文档工作会议在北京召开。"),
        ("Contents", "一、总体要求"),
        ("Contents", "二、主要任务"),
        ("Heading 1", "一、总体要求"),
        (
            "Normal",
            "各地区、各部门要高度重视，“两不愁”“三保障”——确保……完成。A&B <b>不是标签</b> & x<y。",
        ),
        ("Heading 2", "（一）高度重视复制推广工作。各地区要结合实际，抓好落实。"),
        ("Heading 3", "1.明确责任"),
        ("Heading 4", "（1）细化分工"),
        ("Normal", "含有强调与注释的段落。"),
        ("Quote", "引文：天下兴亡，匹夫有责。"),
        ("Normal", "加粗与删除、代码pip install <x>、链接和示意图。"),
        # The Table is a w:tbl, its cell paragraphs no body paragraphs: see test_table_*.
        ("List Paragraph", "1.第一项"),
        ("List Paragraph", "2.第二项 with Latin words"),
        ("List Paragraph", "- 嵌套项"),
        ("Verse", "床前明月光，\n疑是地上霜。"),
        ("Code", "print(\"<img src='/etc/hostname'/>\")\n  indented"),
        ("Normal", "※ ※ ※"),  # the Rule: its characters a hidden run (see test_rule_*)
        ("Heading 1", "第十二条\u3000本法自公布之日起施行。"),
        ("Attachment", "附件：1.示范清单"),
        ("Attachment", "2.责任分工表"),
        ("Signature", "示范办公室"),
        ("Date", "2020年3月6日"),
        ("Boilerplate", "责任编辑：李四 【打印】【关闭】"),
        # The 题注: one paragraph, its records run on with a full-width space between them.
        (
            "Records",
            "2020年3月1日 示范委员会第一次会议通过\u30002020年3月5日 示范委员会第二次会议修正",
        ),
    ]


def test_all_text_in_order_notes_in_place(standard: bytes) -> None:
    notes = footnotes(standard)
    assert list(notes.values()) == ["注释内容"]
    text = "".join(para_text(p, notes) for p in body_paragraphs(standard))
    # Whitespace aside (writers set a gap after 第十二条 and list markers), the text is the model's.
    assert _nonspace(text) == _nonspace(document_text(all_blocks_document()))


def test_markup_like_text_is_literal(standard: bytes) -> None:
    doc_xml = part(standard, "word/document.xml")
    assert doc_xml.find(".//w:b", NS) is None and doc_xml.find(".//img") is None
    texts = [para_text(p) for p in body_paragraphs(standard)]
    assert "A&B <b>不是标签</b> & x<y。" in texts[9]


@pytest.mark.parametrize("profile", [STANDARD, GONGWEN], ids=lambda p: p.name)
def test_page_size_and_margins(profile: object) -> None:
    data = write(all_blocks_document(), WriteOptions(profile=profile))  # type: ignore[arg-type]
    section = docx.Document(io.BytesIO(data)).sections[0]
    mm = 36000  # EMU per millimetre
    assert abs(section.page_width / mm - 210) < 0.05
    assert abs(section.page_height / mm - 297) < 0.05
    p = profile
    assert abs(section.top_margin / mm - p.margin_top_mm) < 0.05  # type: ignore[attr-defined]
    assert abs(section.left_margin / mm - p.margin_left_mm) < 0.05  # type: ignore[attr-defined]
    assert abs(section.right_margin / mm - p.margin_right_mm) < 0.05  # type: ignore[attr-defined]
    # The bottom margin may give up to 0.1 mm so LibreOffice's rounding keeps the last line.
    bottom = section.bottom_margin / mm
    assert p.margin_bottom_mm - 0.1 < bottom <= p.margin_bottom_mm + 0.02  # type: ignore[attr-defined]


def test_gongwen_grid_22_lines_of_28(gongwen: bytes) -> None:
    sect = part(gongwen, "word/document.xml").find("w:body/w:sectPr", NS)
    mar = sect.find("w:pgMar", NS)
    # GB/T 9704-2012 §5.2 in Word units.
    assert [mar.get(q(k)) for k in ("top", "bottom", "left", "right")] == [
        "2098",
        "1984",
        "1587",
        "1474",
    ]
    grid = sect.find("w:docGrid", NS)
    assert grid.get(q("type")) == "linesAndChars"
    assert grid.get(q("linePitch")) == "579"
    area_w = 11906 - 1587 - 1474  # twips
    area_h = 16838 - 2098 - 1984
    assert 22 * 579 <= area_h < 23 * 579
    cell = (16 + int(grid.get(q("charSpace"))) / 4096) * 20  # twips per character on the grid
    assert 28 * cell <= area_w < 29 * cell
    styles = Styles(gongwen)
    assert styles.find("Normal", "w:pPr/w:spacing", "line") == "579"
    assert styles.find("Normal", "w:pPr/w:spacing", "lineRule") == "exact"
    # LibreOffice puts a character wider than the cell into two cells: Normal is condensed to fit.
    condense = int(styles.find("Normal", "w:rPr/w:spacing", "val") or 0) / 20
    assert 16 + condense <= cell / 20
    assert 29 * (16 + condense) * 20 > area_w  # and Word still fits no 29th character


def test_standard_grid_and_body(standard: bytes) -> None:
    grid = part(standard, "word/document.xml").find("w:body/w:sectPr/w:docGrid", NS)
    assert (grid.get(q("type")), grid.get(q("linePitch"))) == ("lines", "420")
    styles = Styles(standard)
    assert styles.find("Normal", "w:rPr/w:sz", "val") == "24"


@pytest.mark.parametrize("profile", [STANDARD, GONGWEN], ids=lambda p: p.name)
def test_normal_body_paragraph(profile: object) -> None:
    styles = Styles(write(all_blocks_document(), WriteOptions(profile=profile)))  # type: ignore[arg-type]
    size = profile.body_size_pt  # type: ignore[attr-defined]
    assert styles.find("Normal", "w:pPr/w:jc", "val") == "both"
    assert styles.find("Normal", "w:pPr/w:ind", "firstLineChars") == "200"
    assert styles.find("Normal", "w:pPr/w:ind", "firstLine") == str(round(2 * size * 20))
    assert styles.find("Normal", "w:pPr/w:spacing", "before") == "0"
    assert styles.find("Normal", "w:pPr/w:spacing", "after") == "0"
    assert styles.find("Normal", "w:rPr/w:sz", "val") == str(round(size * 2))


# Which role's family each style's Chinese text is set in.
STYLE_ROLES = {
    "Normal": "body",
    "Title": "title",
    "Subtitle": "subtitle",
    "Heading1": "heading1",
    "Heading2": "heading2",
    "Heading3": "heading3",
    "Heading4": "heading4",
    "RunInBody": "body",
    "Footer": "page_number",
    "Lead": "body",
    "Verse": "body",
    "Quote": "subtitle",  # quotations in 楷体
}


@pytest.mark.parametrize("profile", [STANDARD, GONGWEN], ids=lambda p: p.name)
def test_fonts_per_style_explicit_east_asia(profile: object) -> None:
    data = write(all_blocks_document(), WriteOptions(profile=profile))  # type: ignore[arg-type]
    styles = Styles(data)
    roles = profile.roles  # type: ignore[attr-defined]
    latin = profile.latin_families[0]  # type: ignore[attr-defined]
    for style_id, role in STYLE_ROLES.items():
        assert styles.find(style_id, "w:rPr/w:rFonts", "eastAsia") == roles[role].families[0]
        assert styles.find(style_id, "w:rPr/w:rFonts", "ascii") == latin
        assert styles.find(style_id, "w:rPr/w:rFonts", "hAnsi") == latin
        assert styles.flag(style_id, "w:rPr/w:b") == roles[role].bold, style_id
    assert styles.defaults.find("w:rFonts", NS).get(q("eastAsia")) == roles["body"].families[0]
    # No theme-font attribute may override the explicit names (python-docx's template has them).
    for name in ("word/styles.xml", "word/document.xml"):
        for el in part(data, name).iter(q("rFonts")):
            assert not [a for a in el.attrib if "Theme" in a], etree.tostring(el)


def test_every_used_style_is_defined_and_languages_zh_cn(standard: bytes) -> None:
    styles = Styles(standard)
    doc_xml = part(standard, "word/document.xml")
    used = {el.get(q("val")) for el in doc_xml.iter(q("pStyle"), q("rStyle"))}
    assert used <= set(styles.by_id)
    assert styles.defaults.find("w:lang", NS).get(q("eastAsia")) == "zh-CN"
    for style_id in STYLE_ROLES:
        assert styles.find(style_id, "w:rPr/w:lang", "eastAsia") == "zh-CN"
    theme_lang = part(standard, "word/settings.xml").find("w:themeFontLang", NS)
    assert theme_lang.get(q("eastAsia")) == "zh-CN"


def test_traditional_document_gets_zh_tw() -> None:
    doc = Document(Metadata(language="zh-Hant"), (Paragraph(plain("憲法")),))
    data = write(doc)
    assert Styles(data).defaults.find("w:lang", NS).get(q("eastAsia")) == "zh-TW"
    assert part(data, "word/settings.xml").find("w:themeFontLang", NS).get(q("eastAsia")) == (
        "zh-TW"
    )
    assert [
        east_asian_lang(t) for t in ("zh-CN", "zh-TW", "zh-Hant-HK", "zh-Hans", "zh", "en")
    ] == [
        "zh-CN",
        "zh-TW",
        "zh-HK",
        "zh-CN",
        "zh-CN",
        "zh-CN",
    ]


def test_headings_have_outline_levels(standard: bytes) -> None:
    styles = Styles(standard)
    for level in range(1, 5):
        assert styles.name(f"Heading{level}") == f"heading {level}"
        assert styles.find(f"Heading{level}", "w:pPr/w:outlineLvl", "val") == str(level - 1)
    for style_id in ("Normal", "Title", "Quote", "Lead", "Signature"):
        assert styles.find(style_id, "w:pPr/w:outlineLvl", "val") is None


@pytest.mark.parametrize("profile", ["standard", "gongwen"])
def test_run_in_heading_number_in_heading_font_body_in_body_font(
    profile: str, request: pytest.FixtureRequest
) -> None:
    data: bytes = request.getfixturevalue(profile)
    p = next(p for p in body_paragraphs(data) if style_of(p) == "Heading2")
    runs = p.findall("w:r", NS)
    by_style: dict[str, str] = {}
    for r in runs:
        style = r.find("w:rPr/w:rStyle", NS)
        key = style.get(q("val")) if style is not None else ""
        by_style[key] = by_style.get(key, "") + para_text(r)
    assert by_style == {
        "RunInHeading2": "（一）高度重视复制推广工作。",
        "RunInBody": "各地区要结合实际，抓好落实。",
    }
    styles = Styles(data)
    # The ordinal and title in the level's face, at the body's size: one paragraph, one size.
    heading_face = styles.find("Heading2", "w:rPr/w:rFonts", "eastAsia")
    assert styles.find("RunInHeading2", "w:rPr/w:rFonts", "eastAsia") == heading_face == "楷体"
    assert styles.find("RunInBody", "w:rPr/w:rFonts", "eastAsia") == styles.find(
        "Normal", "w:rPr/w:rFonts", "eastAsia"
    )
    body_size = styles.find("Normal", "w:rPr/w:sz", "val")
    assert styles.find("RunInHeading2", "w:rPr/w:sz", "val") == body_size
    assert styles.find("RunInBody", "w:rPr/w:sz", "val") == body_size
    if profile == "standard":  # the heading style's own size differs there: the check can fail
        assert styles.find("Heading2", "w:rPr/w:sz", "val") != body_size
    # Its text follows on the same line: not kept with the next paragraph.
    assert p.find("w:pPr/w:keepNext", NS).get(q("val")) == "0"


def test_emphasis_is_a_restylable_emphasis_mark(standard: bytes) -> None:
    runs = part(standard, "word/document.xml").iter(q("r"))
    emphasised = [r for r in runs if r.find("w:rPr/w:rStyle[@w:val='Emphasis']", NS) is not None]
    assert [para_text(r) for r in emphasised] == ["强调"]
    assert Styles(standard).find("Emphasis", "w:rPr/w:em", "val") == "dot"


def test_emphasis_inside_run_in_body_keeps_body_font() -> None:
    body = (Text("甲"), Emphasis((Text("乙"),)))
    data = write(Document(Metadata(), (Heading(1, "一、", plain("题"), body),)))
    runs = body_paragraphs(data)[0].findall("w:r", NS)
    last = runs[-1]
    assert last.find("w:rPr/w:rStyle", NS).get(q("val")) == "RunInBody"
    assert last.find("w:rPr/w:em", NS).get(q("val")) == "dot"


def test_east_asian_hint_on_runs_with_chinese_punctuation(standard: bytes) -> None:
    for r in part(standard, "word/document.xml").iter(q("r")):
        text = para_text(r)
        hint = r.find("w:rPr/w:rFonts", NS)
        needs = any(c in text for c in "“”‘’—…")
        assert (hint is not None and hint.get(q("hint")) == "eastAsia") == needs, text


def test_verse_keeps_line_breaks_and_code_keeps_whitespace(standard: bytes) -> None:
    paras = {style_of(p): p for p in body_paragraphs(standard)}
    verse = paras["Verse"]
    assert len(verse.findall(".//w:br", NS)) == 1
    code = paras["Code"]
    assert para_text(code) == "print(\"<img src='/etc/hostname'/>\")\n  indented"
    space = "{http://www.w3.org/XML/1998/namespace}space"
    assert all(t.get(space) == "preserve" for t in code.iter(q("t")))


def test_break_is_page_break_before_next_paragraph(standard: bytes) -> None:
    paras = body_paragraphs(standard)
    breaking = [p for p in paras if p.find("w:pPr/w:pageBreakBefore", NS) is not None]
    assert [para_text(p) for p in breaking] == ["第十二条\u3000本法自公布之日起施行。"]
    doc = Document(Metadata(), (Paragraph(plain("甲")), Break("section"), Verse((plain("乙"),))))
    verse = body_paragraphs(write(doc))[1]
    assert verse.find("w:pPr/w:pageBreakBefore", NS) is not None
    trailing = Document(Metadata(), (Paragraph(plain("甲")), Break()))
    assert len(body_paragraphs(write(trailing))) == 1


def test_attachment_items_align_and_signature_offsets(gongwen: bytes) -> None:
    paras = body_paragraphs(gongwen)
    first, second = (p for p in paras if style_of(p) == "Attachment")
    ind1, ind2 = first.find("w:pPr/w:ind", NS), second.find("w:pPr/w:ind", NS)
    # 附件：(3 em) + "1." (1 em) after a 2-character indent: names start at 6 em; the first
    # line starts at 2 em, the second item's number at 5 em (under the first's number).
    assert (ind1.get(q("leftChars")), ind1.get(q("hangingChars"))) == ("600", "400")
    assert (ind2.get(q("leftChars")), ind2.get(q("hangingChars"))) == ("600", "100")
    assert first.find("w:pPr/w:spacing", NS).get(q("before")) == "579"  # one blank line
    name = next(p for p in paras if style_of(p) == "Signature")
    date = next(p for p in paras if style_of(p) == "Date")
    # 示范办公室 is 5 em, 2020年3月6日 6 em: the date keeps 2 em on the right, its first
    # character 2 em right of the name's first, so the name moves in to 5 em (GB/T 9704 §7.3.5.2).
    assert name.find("w:pPr/w:ind", NS).get(q("rightChars")) == "500"
    assert date.find("w:pPr/w:ind", NS).get(q("rightChars")) == "200"
    styles = Styles(gongwen)
    assert styles.find("Signature", "w:pPr/w:jc", "val") == "right"
    short_date = write(
        Document(Metadata(), (Signature(("某某市人民政府办公室",), "2026年1月5日"),))
    )
    n, d = body_paragraphs(short_date)
    assert n.find("w:pPr/w:ind", NS).get(q("rightChars")) == "200"
    # Name 10 em, date 6 em (digits half-width): date right indent 2 + 10 - 6 - 2 = 4 em.
    assert d.find("w:pPr/w:ind", NS).get(q("rightChars")) == "400"


def test_attachments_without_items_and_signature_without_date() -> None:
    doc = Document(Metadata(), (Attachments("附件：", ()), Signature(("甲单位", "乙单位"), "")))
    got = [(style_of(p), para_text(p)) for p in body_paragraphs(write(doc))]
    assert got == [("Attachment", "附件："), ("Signature", "甲单位"), ("Signature", "乙单位")]


def test_attachment_starts_a_new_page_label_flush_left_title_centred() -> None:
    """GB/T 9704-2012 §8: 附件1 heads a new page; the attachment's title is a centred Title."""
    doc = attachment_document()
    paras = body_paragraphs(write(doc, WriteOptions(profile=GONGWEN)))
    got = [(style_of(p), para_text(p)) for p in paras]
    assert got == [
        ("Normal", "正文。"),
        ("AttachmentHead", "附件1"),
        ("Title", "2026年省十件民生实事"),
        ("Normal", "坚持民生为大。"),
        ("Attachment", "附件："),  # with a colon it is a note, not a new attachment
        ("Normal", "说明。"),
    ]
    assert paras[1].find("w:pPr/w:pageBreakBefore", NS) is not None
    assert paras[2].find("w:pPr/w:spacing", NS).get(q("before"))  # on the third line
    assert paras[4].find("w:pPr/w:pageBreakBefore", NS) is None


def test_footer_centred_page_field_in_standard(standard: bytes) -> None:
    sect = part(standard, "word/document.xml").find("w:body/w:sectPr", NS)
    assert [r.get(q("type")) for r in sect.findall("w:footerReference", NS)] == ["default"]
    footer = part(standard, "word/footer1.xml")
    assert [t.text for t in footer.iter(q("instrText"))] == [" PAGE "]
    assert Styles(standard).find("Footer", "w:pPr/w:jc", "val") == "center"
    assert part(standard, "word/settings.xml").find("w:evenAndOddHeaders", NS) is None


def test_footer_gongwen_dashes_odd_right_even_left(gongwen: bytes) -> None:
    sect = part(gongwen, "word/document.xml").find("w:body/w:sectPr", NS)
    refs = {r.get(q("type")): r.get(f"{{{NS_R}}}id") for r in sect.findall("w:footerReference", NS)}
    assert set(refs) == {"default", "even"}
    rels = part(gongwen, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    assert part(gongwen, "word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    for kind, align in (("default", "right"), ("even", "left")):
        footer = part(gongwen, "word/" + targets[refs[kind]])
        p = footer.find("w:p", NS)
        assert p.find("w:pPr/w:jc", NS).get(q("val")) == align
        assert [t.text for t in p.iter(q("instrText"))] == [" PAGE "]
        assert para_text(p) == "— 1 —"  # the field's cached result is 1
    assert Styles(gongwen).find("Footer", "w:rPr/w:sz", "val") == "28"  # 4号 = 14 pt


NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def test_core_properties_from_metadata_and_document_date(standard: bytes) -> None:
    props = docx.Document(io.BytesIO(standard)).core_properties
    assert props.title == "关于做好示范文档工作的通知"
    assert props.author == "示范办公室"
    assert props.last_modified_by == "示范办公室"
    assert props.language == "zh-CN"
    assert props.subject == "——测试用例"
    assert props.created == props.modified == datetime(2020, 3, 6, tzinfo=UTC)
    for name in zipfile.ZipFile(io.BytesIO(standard)).namelist():
        assert b"python-docx" not in zipfile.ZipFile(io.BytesIO(standard)).read(name)


def test_source_date_epoch_wins_and_an_undated_document_gets_no_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = write(all_blocks_document(), WriteOptions(source_date_epoch=1_700_000_000))
    props = docx.Document(io.BytesIO(data)).core_properties
    expected = datetime.fromtimestamp(1_700_000_000, tz=UTC)
    assert props.created == props.modified == expected
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    props = docx.Document(io.BytesIO(write(all_blocks_document()))).core_properties
    assert props.modified == datetime.fromtimestamp(1_600_000_000, tz=UTC)
    # Undated: SOURCE_DATE_EPOCH is the build time, so it may stand as modified, never created.
    undated = docx.Document(io.BytesIO(write(Document(Metadata(), ())))).core_properties
    assert undated.created is None
    assert undated.modified == datetime.fromtimestamp(1_600_000_000, tz=UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    undated = docx.Document(io.BytesIO(write(Document(Metadata(), ())))).core_properties
    assert undated.created is None and undated.modified is None
    assert undated.author == "" and undated.title == ""
    # A year alone names no day: no day is invented for it.
    year_only = Document(Metadata(date="2020"), ())
    assert docx.Document(io.BytesIO(write(year_only))).core_properties.created is None


def test_byte_identical_and_fixed_zip_entries(standard: bytes) -> None:
    assert write(all_blocks_document()) == standard
    infos = zipfile.ZipFile(io.BytesIO(standard)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert zipfile.ZipFile(io.BytesIO(standard)).testzip() is None


def test_zip_entry_time_is_source_date_epoch_not_the_document_date() -> None:
    data = write(all_blocks_document(), WriteOptions(source_date_epoch=1_600_000_000))
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {i.date_time for i in infos} == {(2020, 9, 13, 12, 26, 40)}


@pytest.mark.parametrize(
    ("bad", "shown"),
    [("\x01", "\u2401"), ("\x0b", "\u240b"), ("\ufffe", "\ufffd"), ("\ud800", "\ufffd")],
)
def test_xml_forbidden_character_is_replaced_and_reported(bad: str, shown: str) -> None:
    doc = Document(Metadata(), (Paragraph(plain("正常")), Paragraph(plain(f"坏{bad}字"))))
    with diagnostics.collect() as warnings:
        data = write(doc)
    text = "".join(docx.Document(io.BytesIO(data)).paragraphs[1].text)
    assert text == f"坏{shown}字"
    found = [w for w in warnings if w.code == "xml-forbidden-chars"]
    assert found and found[0].data["chars"] == [f"U+{ord(bad):04X}"]
    assert found[0].data["format"] == "DOCX"


def test_xml_forbidden_character_in_metadata() -> None:
    with diagnostics.collect() as warnings:
        data = write(Document(Metadata(title="题\x02"), ()))
    assert docx.Document(io.BytesIO(data)).core_properties.title == "题\u2402"
    assert [w.data["chars"] for w in warnings if w.code == "xml-forbidden-chars"] == [["U+0002"]]


def test_kinsoku_lists_are_the_line_breakers_sets(standard: bytes) -> None:
    settings = etree.fromstring(zipfile.ZipFile(io.BytesIO(standard)).read("word/settings.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    before = settings.find(f"{w}noLineBreaksBefore").get(f"{w}val")
    after = settings.find(f"{w}noLineBreaksAfter").get(f"{w}val")
    # Word gets the full-width part of the line breaker's own sets (ASCII left to Latin rules).
    assert set(before) == {c for c in NO_START if not c.isascii()}
    assert set(after) == {c for c in NO_END if not c.isascii()}
    assert {"．", "﹐", "﹑", "﹒"} <= set(before)


def _nonspace(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


_XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\r\ufffe\uffff"
    + "".join(map(chr, range(0x20))).replace("\t", "").replace("\n", ""),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(_XML_CHARS, min_size=1), min_size=1, max_size=4))
def test_any_xml_text_comes_back_unchanged(texts: list[str]) -> None:
    doc = Document(Metadata(title=texts[0]), tuple(Paragraph(plain(t)) for t in texts))
    got = [p.text for p in docx.Document(io.BytesIO(write(doc))).paragraphs]
    assert got == texts  # no normalisation: CJK compatibility ideographs stay as they are


@pytest.mark.parametrize("path", sorted(REAL.glob("*.txt")), ids=lambda p: p.stem)
def test_corpus_text_survives(path: Path) -> None:
    doc = read_file(path)
    data = write(doc, WriteOptions(profile=GONGWEN))
    got = "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert _nonspace(got) == _nonspace(document_text(doc))


# ---------------------------------------------------------------------------------------------
# LibreOffice: the DOCX as a user sees it


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WFA"


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: DOCX render check not run")
    return exe


def _render(docs: dict[str, bytes], tmp: Path, convert: str = "pdf") -> dict[str, Path]:
    exe = _soffice()
    for name, data in docs.items():
        (tmp / f"{name}.docx").write_bytes(data)
    profile_dir = tmp / "lo-profile"
    # LibreOffice finds fonts through fontconfig: add the bundled faces, so the render does not
    # depend on the machine having CJK fonts (without them every Han character comes out as 国).
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{escape(str(bundled_dir()))}</dir><cachedir>{escape(str(tmp / 'fc'))}</cachedir>"
        "</fontconfig>",
        "utf-8",
    )
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile_dir}",
            "--headless",
            "--convert-to",
            convert,
            "--outdir",
            str(tmp),
            *(str(tmp / f"{name}.docx") for name in docs),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
    )
    return {name: tmp / f"{name}.pdf" for name in docs}


@pytest.mark.soffice
def test_libreoffice_renders_text_pages_and_gongwen_grid(tmp_path: Path) -> None:
    import pdfplumber

    sample = read_file(SAMPLE)
    pdfs = _render(
        {
            "blocks": write(all_blocks_document(), WriteOptions(profile=GONGWEN)),
            "sample": write(sample, WriteOptions(profile=GONGWEN)),
        },
        tmp_path,
    )
    squash = re.compile(r"\s+")
    with pdfplumber.open(pdfs["blocks"]) as pdf:
        pages = [squash.sub("", p.extract_text() or "") for p in pdf.pages]
    assert len(pages) >= 2
    assert "第十二条" not in pages[0]  # the Break starts a new page
    assert pages[0].endswith("—1—") and pages[1].endswith("—2—")
    whole = "".join(pages)
    # The note is a footnote: its text sits at the foot of the page, a reference mark in place.
    assert "含有强调与注释1的段落。" in whole and "1注释内容" in whole
    for block in all_blocks_document().blocks:
        if "注释内容" in "".join(block_texts(block)):
            continue  # checked just above
        if isinstance(block, Rule):
            continue  # hidden text (w:vanish) is not printed: test_rule_* checks the XML
        for text in block_texts(block):
            for piece in squash.split(text):
                assert piece in whole, piece

    with pdfplumber.open(pdfs["sample"]) as pdf:
        pages = [squash.sub("", p.extract_text() or "") for p in pdf.pages]
        numbers = [f"—{i}—" for i in range(1, len(pages) + 1)]
        assert [p[-len(n) :] for p, n in zip(pages, numbers, strict=True)] == numbers
        text = "".join(p[: -len(n)] for p, n in zip(pages, numbers, strict=True))
        assert text == squash.sub("", document_text(sample))
        assert len(pdf.pages) >= 3
        right = (GONGWEN.margin_left_mm + GONGWEN.text_width_mm) * 72 / 25.4
        cells: list[float] = []
        lines_per_page = []
        for page in pdf.pages:
            rows: dict[int, list[dict[str, object]]] = {}
            for c in page.chars:
                if 15.5 < float(c["size"]) < 16.5 and str(c["text"]).strip():
                    rows.setdefault(round(float(c["top"])), []).append(c)
            tops = sorted(float(row[0]["top"]) for row in rows.values())
            lines_per_page.append(len(tops))
            # Body lines 28.95 pt apart (GB/T 9704: 22 lines in 225 mm), or whole multiples of it
            # where a blank or a title line intervenes.
            for a, b in itertools.pairwise(tops):
                assert abs((b - a) / 28.95 - round((b - a) / 28.95)) < 0.02, (a, b)
            for row in rows.values():
                if max(float(c["x1"]) for c in row) > right - 3:  # a full (justified) line
                    cells.append(sum(1 if is_wide(str(c["text"])) else 0.5 for c in row))
        assert max(lines_per_page[:-1]) == 22, lines_per_page
        # 28 characters a full line, not 14 (LibreOffice's double grid cells) nor 27.
        assert Counter(round(n) for n in cells).most_common(1)[0][0] == 28, Counter(cells)


def test_rule_is_a_bottom_bordered_centred_paragraph_its_characters_hidden(
    standard: bytes,
) -> None:
    # The all-blocks document's Rule("※ ※ ※"), read from the XML (ECMA-376 §17.3.1.24 pBdr,
    # §17.3.2.41 vanish): the characters are there, hidden; the paragraph shows a border only.
    rules = [p for p in body_paragraphs(standard) if p.find("w:pPr/w:pBdr", NS) is not None]
    assert len(rules) == 1
    p = rules[0]
    bottom = p.find("w:pPr/w:pBdr/w:bottom", NS)
    assert bottom is not None and bottom.get(q("val")) == "single"
    assert p.find("w:pPr/w:jc", NS).get(q("val")) == "center"
    ind = p.find("w:pPr/w:ind", NS)
    assert int(ind.get(q("leftChars"))) == int(ind.get(q("rightChars"))) > 0  # short, centred
    runs = p.findall("w:r", NS)
    assert [r.find("w:rPr/w:vanish", NS) is not None for r in runs] == [True]
    assert para_text(p) == "※ ※ ※"


def test_boilerplate_style_is_small_and_flush_left(standard: bytes) -> None:
    styles = Styles(standard)
    body = int(styles.find("Normal", "w:rPr/w:sz", "val") or 0)
    assert body and int(styles.find("Boilerplate", "w:rPr/w:sz", "val") or 0) == round(0.75 * body)
    assert styles.find("Boilerplate", "w:pPr/w:jc", "val") in ("left", "start")


# ---------------------------------------------------------------------------------------------
# Tables, links, images, strike, inline code, nested lists (issue 15)

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NSX = {**NS, "wp": WP, "a": A, "rel": PR}


def rels(data: bytes, name: str = "word/_rels/document.xml.rels") -> dict[str, etree._Element]:
    return {str(r.get("Id")): r for r in part(data, name).findall("rel:Relationship", NSX)}


def png_bytes(width: int, height: int) -> bytes:
    """A valid grey PNG written by hand (ISO/IEC 15948): signature, IHDR, IDAT, IEND."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(width: int, height: int, progressive: bool = False) -> bytes:
    from PIL import Image as PILImage  # reportlab's own dependency

    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 60, 60)).save(
        buf, "JPEG", quality=80, progressive=progressive
    )
    return buf.getvalue()


def test_table_is_a_word_table_with_a_header_row_and_aligned_cells(standard: bytes) -> None:
    from exporter.model import Table

    table = next(b for b in all_blocks_document().blocks if isinstance(b, Table))
    tbls = part(standard, "word/document.xml").findall("w:body/w:tbl", NS)
    assert len(tbls) == 1
    tbl = tbls[0]
    assert tbl.find("w:tblPr/w:tblStyle", NS).get(q("val")) == "TableGrid"
    rows = tbl.findall("w:tr", NS)
    got = [[para_text(tc) for tc in tr.findall("w:tc", NS)] for tr in rows]
    assert got == [["项目", "数量", "备注"], ["苹果", "3", "新鲜"], ["梨", "12", ""]]
    # Only the header row repeats on each page (§17.4.49).
    assert [tr.find("w:trPr/w:tblHeader", NS) is not None for tr in rows] == [True, False, False]
    for tr, style in zip(rows, ["TableHeading", "TableText", "TableText"], strict=True):
        cells = tr.findall("w:tc", NS)
        # Every cell holds exactly one paragraph, the empty one too, aligned as its column.
        assert [len(tc.findall("w:p", NS)) for tc in cells] == [1, 1, 1]
        assert [style_of(tc.find("w:p", NS)) for tc in cells] == [style] * 3
        jcs = [tc.find("w:p/w:pPr/w:jc", NS).get(q("val")) for tc in cells]
        assert jcs == list(table.align)
    strong = rows[1].findall("w:tc", NS)[2].find(".//w:r/w:rPr/w:rStyle", NS)
    assert strong.get(q("val")) == "Strong"
    # The grid: one column per cell, widths that fill the type area, the cells' widths equal.
    cols = [int(c.get(q("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
    text_width = round(STANDARD.text_width_mm * 1440 / 25.4)
    assert len(cols) == 3 and sum(cols) <= text_width and sum(cols) > 0.98 * text_width
    for tr in rows:
        assert [
            int(tc.find("w:tcPr/w:tcW", NS).get(q("w"))) for tc in tr.findall("w:tc", NS)
        ] == cols
    # Here every column's longest cell is two characters wide (项目, 数量, 备注): equal shares.
    assert max(cols) - min(cols) <= 2
    # Longer text, wider column, in proportion to the longest cell (cell margins included).
    wide = Table(("", ""), (), ((plain("一列很长很长的文字内容"), plain("1")),))
    got_cols = [
        int(c.get(q("w")))
        for c in part(write(Document(Metadata(), (wide,))), "word/document.xml").iterfind(
            ".//w:gridCol", NS
        )
    ]
    assert got_cols[0] > 4 * got_cols[1] and sum(got_cols) == sum(cols)


def test_table_styles_single_borders_and_header_in_heading_face(standard: bytes) -> None:
    styles = Styles(standard)
    grid = styles.by_id["TableGrid"]
    assert grid.get(q("type")) == "table"
    sides = grid.findall("w:tblPr/w:tblBorders/*", NS)
    assert {etree.QName(s).localname for s in sides} == {
        "top", "left", "bottom", "right", "insideH", "insideV",
    }  # fmt: skip
    assert {s.get(q("val")) for s in sides} == {"single"}
    assert styles.by_id["TableNormal"].get(q("default")) == "1"
    heading_face = styles.find("Heading1", "w:rPr/w:rFonts", "eastAsia")
    assert styles.find("TableHeading", "w:rPr/w:rFonts", "eastAsia") == heading_face
    assert styles.find("TableText", "w:rPr/w:rFonts", "eastAsia") == styles.find(
        "Normal", "w:rPr/w:rFonts", "eastAsia"
    )
    assert styles.find("TableText", "w:pPr/w:ind", "firstLine") == "0"


def test_column_widths_fill_the_width_in_proportion_with_a_floor() -> None:
    from exporter.writers.docx.tables import column_widths

    assert column_widths([100, 300], 800, 50) == [200, 600]
    squeezed = column_widths([100, 5000, 5000], 4000, 400)
    assert sum(squeezed) == 4000 and squeezed[0] == 100 and squeezed[1] == squeezed[2]
    assert column_widths([], 4000, 400) == []
    many = column_widths([900] * 20, 4000, 400)
    assert sum(many) == 4000 and min(many) >= 199


def test_two_tables_in_a_row_stay_apart_and_a_break_before_a_table() -> None:
    from exporter.model import Table

    t = Table(("",), ((plain("甲"),),), ((plain("乙"),),))
    data = write(Document(Metadata(), (t, t, Break(), t)))
    body = part(data, "word/document.xml").find("w:body", NS)
    tags = [etree.QName(el).localname for el in body]
    assert tags == ["tbl", "p", "tbl", "p", "tbl", "sectPr"]
    # The break is the empty paragraph's, once (no w:br as well: that would be a blank page).
    assert body[3].find("w:pPr/w:pageBreakBefore", NS) is not None
    assert body[3].find(".//w:br", NS) is None and body[1].find("w:pPr", NS) is None


def test_external_link_is_a_hyperlink_through_an_external_relationship(standard: bytes) -> None:
    links = part(standard, "word/document.xml").findall(".//w:hyperlink", NS)
    assert len(links) == 1
    link = links[0]
    assert para_text(link) == "链接"
    assert link.find("w:r/w:rPr/w:rStyle", NS).get(q("val")) == "Hyperlink"
    rel = rels(standard)[link.get(f"{{{R}}}id")]
    assert rel.get("Type") == f"{R}/hyperlink"
    assert rel.get("TargetMode") == "External"
    assert rel.get("Target") == "https://example.com/?a=1&b=2"  # read back unescaped
    assert Styles(standard).find("Hyperlink", "w:rPr/w:u", "val") == "single"


def test_fragment_links_go_to_heading_bookmarks_unknown_ones_stay_text() -> None:
    from exporter.model import Link, Note

    doc = Document(
        Metadata(),
        (
            Heading(1, "一、", plain("总体要求")),
            Paragraph(
                (
                    Link("#一总体要求", plain("上文")),
                    Link("#%E6%80%BB%E4%BD%93%E8%A6%81%E6%B1%82", plain("同上")),
                    Link("#nowhere", plain("无处")),
                    Link("mailto:a@example.com", plain("写信")),
                    Note((Link("https://example.org/", plain("注中链接")),)),
                )
            ),
            Heading(1, "一、", plain("总体要求")),
            Paragraph((Link("#一总体要求-1", plain("第二个")),)),
        ),
    )
    data = write(doc)
    root = part(data, "word/document.xml")
    marks = root.findall(".//w:bookmarkStart", NS)
    assert [m.get(q("name")) for m in marks] == ["heading_1", "heading_2"]
    links = root.findall(".//w:hyperlink", NS)
    anchors = [(para_text(h), h.get(q("anchor"))) for h in links if h.get(q("anchor"))]
    assert anchors == [("上文", "heading_1"), ("同上", "heading_1"), ("第二个", "heading_2")]
    assert "无处" not in [para_text(h) for h in links]
    assert "无处" in para_text(root.findall(".//w:p", NS)[1])
    mail = next(h for h in links if para_text(h) == "写信")
    assert rels(data)[mail.get(f"{{{R}}}id")].get("Target") == "mailto:a@example.com"
    # A link in a footnote resolves through the footnotes part's own relationships.
    note_link = part(data, "word/footnotes.xml").find(".//w:hyperlink", NS)
    note_rels = rels(data, "word/_rels/footnotes.xml.rels")
    assert note_rels[note_link.get(f"{{{R}}}id")].get("Target") == "https://example.org/"


def test_strike_and_inline_code(standard: bytes) -> None:
    runs = part(standard, "word/document.xml").findall(".//w:r", NS)
    struck = [para_text(r) for r in runs if r.find("w:rPr/w:strike", NS) is not None]
    assert struck == ["删除"]
    code = [r for r in runs if para_text(r) == "pip install <x>"]
    assert code[0].find("w:rPr/w:rStyle", NS).get(q("val")) == "CodeChar"
    styles = Styles(standard)
    assert styles.find("CodeChar", "w:rPr/w:rFonts", "ascii") == "Courier New"
    # The East Asian face is not set: CJK in inline code keeps the paragraph's face.
    fonts = styles.by_id["CodeChar"].find("w:rPr/w:rFonts", NS)
    assert fonts.get(q("eastAsia")) is None


def test_nested_list_items_sit_deeper(standard: bytes) -> None:
    items = [p for p in body_paragraphs(standard) if style_of(p) == "ListParagraph"]
    assert [para_text(p) for p in items] == ["1.第一项", "2.第二项 with Latin words", "- 嵌套项"]
    assert [p.find("w:pPr/w:ind", NS) is None for p in items] == [True, True, False]
    ind = items[2].find("w:pPr/w:ind", NS)
    assert int(ind.get(q("leftChars"))) == 200 and int(ind.get(q("firstLineChars"))) == 200


def _image_document() -> Document:
    from exporter.model import Image, Note, Resource, Table

    return Document(
        Metadata(title="图"),
        (
            Paragraph((Text("小图"), Image("灰色方块", "small"), Text("行内。"))),
            Paragraph((Image("宽图", "wide"), Image("照片", "photo"), Image("未嵌入的图", ""))),
            Paragraph(
                (
                    Image("又一次小图", "small"),
                    Image("坏图", "broken"),
                    Note((Image("注中图", "small"),)),
                )
            ),
            Table(
                ("", "right"),
                ((plain("图"), plain("说明")),),
                (((Image("表内图", "wide"),), plain("缩到单元格内")),),
            ),
        ),
        (
            Resource("small", "image/png", png_bytes(40, 30)),
            Resource("wide", "image/png", png_bytes(3000, 500)),
            Resource("photo", "image/jpeg", jpeg_bytes(120, 90)),
            Resource("broken", "image/png", b"not a png"),
        ),
    )


def test_images_are_inline_drawings_of_media_parts() -> None:
    data = write(_image_document())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        media = {n: zf.read(n) for n in names if n.startswith("word/media/")}
    # Each embedded resource once; the unreadable one is not a part.
    assert sorted(media) == [
        "word/media/image1.png",
        "word/media/image2.png",
        "word/media/image3.jpeg",
    ]
    assert media["word/media/image1.png"] == png_bytes(40, 30)
    types = part(data, "[Content_Types].xml")
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{ct}Default")}
    assert defaults["png"] == "image/png" and defaults["jpeg"] == "image/jpeg"

    root = part(data, "word/document.xml")
    doc_rels = rels(data)
    drawings = root.findall(".//w:drawing/wp:inline", NSX)
    described = []
    for inline in drawings:
        blip = inline.find(".//a:blip", NSX)
        rel = doc_rels[blip.get(f"{{{R}}}embed")]
        assert rel.get("Type") == f"{R}/image" and rel.get("TargetMode") is None
        assert "word/" + str(rel.get("Target")) in media
        described.append((inline.find("wp:docPr", NSX).get("descr"), rel.get("Target")))
    assert described == [
        ("灰色方块", "media/image1.png"),
        ("宽图", "media/image2.png"),
        ("照片", "media/image3.jpeg"),
        ("又一次小图", "media/image1.png"),
        ("表内图", "media/image2.png"),
    ]
    ids = [int(d.get("id")) for d in root.iter(f"{{{WP}}}docPr")]
    notes_root = part(data, "word/footnotes.xml")
    ids += [int(d.get("id")) for d in notes_root.iter(f"{{{WP}}}docPr")]
    assert len(ids) == 6 and len(set(ids)) == 6  # unique in the document (§20.4.2.5)
    note_blip = notes_root.find(".//a:blip", NSX)
    note_rel = rels(data, "word/_rels/footnotes.xml.rels")[note_blip.get(f"{{{R}}}embed")]
    assert note_rel.get("Target") == "media/image1.png"

    # Images the document does not hold, or cannot be read, keep their alt text as text.
    texts = [para_text(p) for p in body_paragraphs(data)]
    assert texts[1] == "未嵌入的图" and texts[2] == "坏图"

    # Sizes: 96 dpi (9525 EMU a pixel), scaled down to the text width, or the cell's.
    sizes = [
        (int(i.find("wp:extent", NSX).get("cx")), int(i.find("wp:extent", NSX).get("cy")))
        for i in drawings
    ]
    assert sizes[0] == (40 * 9525, 30 * 9525) and sizes[2] == (120 * 9525, 90 * 9525)
    # The wide one: the text width less the paragraph's first-line indent (2 x 12 pt).
    text_width = round(STANDARD.text_width_mm * 36000) - 2 * 240 * 635
    assert sizes[1][0] == text_width and abs(sizes[1][1] - text_width / 6) < 2
    cell = int(root.find(".//w:tbl/w:tblGrid/w:gridCol", NS).get(q("w")))
    assert sizes[4][0] <= (cell - 2 * 108) * 635 and abs(sizes[4][0] / sizes[4][1] - 6) < 0.01
    # A paragraph holding a picture has an automatic line: the exact pitch would crop it.
    for p in body_paragraphs(data):
        if p.find(".//w:drawing", NS) is not None:
            assert p.find("w:pPr/w:spacing", NS).get(q("lineRule")) == "auto"


def test_pixel_sizes_from_png_and_jpeg_headers() -> None:
    from exporter.writers.docx.media import pixel_size

    assert pixel_size("image/png", png_bytes(17, 5)) == (17, 5)
    assert pixel_size("image/jpeg", jpeg_bytes(33, 21)) == (33, 21)
    assert pixel_size("image/jpeg", jpeg_bytes(64, 48, progressive=True)) == (64, 48)
    assert pixel_size("image/png", b"\x89PNG\r\n\x1a\n") is None
    assert pixel_size("image/jpeg", b"\xff\xd8\xff\xe0\x00") is None
    assert pixel_size("image/gif", b"GIF89a\x01\x00\x01\x00") is None


def test_image_document_bytes_are_deterministic() -> None:
    assert write(_image_document()) == write(_image_document())


@pytest.mark.soffice
def test_libreoffice_renders_tables_with_repeated_header_and_images(tmp_path: Path) -> None:
    import pdfplumber

    from exporter.model import Image, Resource, Table

    body = tuple((plain(f"第{i}行"), plain(str(i * 7))) for i in range(1, 61))
    doc = Document(
        Metadata(title="渲染"),
        (
            Paragraph((Text("图前"), Image("示意图", "pic"), Text("图后"))),
            Table(("left", "right"), ((plain("名称"), plain("数量")),), body),
        ),
        (Resource("pic", "image/png", png_bytes(200, 100)),),
    )
    pdf_path = _render({"table": write(doc, WriteOptions(profile=GONGWEN))}, tmp_path)["table"]
    squash = re.compile(r"\s+")
    with pdfplumber.open(pdf_path) as pdf:
        pages = [squash.sub("", p.extract_text() or "") for p in pdf.pages]
        images = [len(p.images) for p in pdf.pages]
        rects = sum(len(p.lines) + len(p.rects) for p in pdf.pages)
    whole = "".join(pages)
    assert images[0] == 1 and sum(images) == 1  # the picture is drawn, once
    assert "图前" in whole and "图后" in whole
    for i in range(1, 61):
        assert f"第{i}行{i * 7}" in whole
    assert len(pages) >= 2
    # The header row repeats at the top of every page the table runs onto.
    assert all(p.count("名称数量") == 1 for p in pages), pages
    assert rects > 0  # the grid's borders are drawn
