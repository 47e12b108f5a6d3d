"""PDF writer, checked by reading the produced files with pypdf and pdfplumber."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from conftest import REAL, SAMPLE, VARIANTS, all_blocks_document, attachment_document
from pypdf import PdfReader

from exporter import __version__, diagnostics
from exporter.model import (
    Boilerplate,
    Contents,
    Document,
    Heading,
    Metadata,
    Paragraph,
    Rule,
    Title,
    document_text,
    plain,
    text_of,
)
from exporter.options import GONGWEN, MM, STANDARD, WriteOptions
from exporter.reader import read_file, read_text
from exporter.typesetting.linebreak import HANGING, NO_END, NO_START
from exporter.writers.pdf import PdfWriter

STD = WriteOptions(profile=STANDARD, source_date_epoch=1583452800)
GW = WriteOptions(profile=GONGWEN, source_date_epoch=1583452800)
_PAGE_NUMBER = re.compile(r"^\s*(—\s*\d+\s*—|\d+)\s*$")


def render(doc: Document, options: WriteOptions = STD) -> bytes:
    out = io.BytesIO()
    PdfWriter().write(doc, options, out)
    return out.getvalue()


def squash(text: str) -> str:
    return "".join(text.split())


def text_layer_pdfium(pdf: bytes) -> str:
    """``text_layer`` as PDFium (pypdfium2) reads it: 18 times as fast as pypdf on a
    2,000-page novel, the same text (``test_pdfium_and_pypdf_read_the_same_text_layer``)."""
    parts = []
    reader = None
    document = pdfium.PdfDocument(pdf)
    for index in range(len(document)):
        page = document[index]
        # PDFium reports a "-" it takes for a word broken at a line's end as U+FFFE.
        text = page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\ufffe", "-")
        lines = text.split("\n")
        if len(lines) > 1 and _PAGE_NUMBER.match(lines[-2]):
            reader = reader or PdfReader(io.BytesIO(pdf))
            if _is_running_head(reader.pages[index]):
                del lines[-2:]
        if lines and _PAGE_NUMBER.match(lines[-1]):
            lines.pop()
        parts.append("".join(lines))
    document.close()
    return squash("".join(parts))


def text_layer(pdf: bytes) -> str:
    """The text of every page in content-stream order (pypdf), each page's number line dropped,
    and a book's running head, drawn after the number (see test_books), with it."""
    parts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = page.extract_text().split("\n")
        if len(lines) > 1 and _PAGE_NUMBER.match(lines[-2]) and _is_running_head(page):
            del lines[-2:]
        if lines and _PAGE_NUMBER.match(lines[-1]):
            lines.pop()
        parts.append("".join(lines))
    return squash("".join(parts))


def _is_running_head(page: Any) -> bool:
    """Whether the page's content ends with a running head (a pagination artifact)."""
    return b"/Subtype /Header" in page.get_contents().get_data()


def rows(page: Any) -> list[list[dict[str, Any]]]:
    """Lines of a page from glyph positions (pdfplumber), each sorted left to right."""
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (c["top"], c["x0"]))
    out: list[list[dict[str, Any]]] = []
    for c in chars:
        if out and abs(out[-1][0]["top"] - c["top"]) < 2.5:
            out[-1].append(c)
        else:
            out.append([c])
    return [sorted(r, key=lambda c: c["x0"]) for r in out]


def body_rows(pdf: Any, options: WriteOptions) -> list[tuple[int, list[dict[str, Any]]]]:
    bottom = (options.profile.margin_top_mm + options.profile.text_height_mm) * MM
    found = []
    for pi, page in enumerate(pdf.pages):
        for r in rows(page):
            if r[0]["top"] < bottom:
                found.append((pi, r))
    return found


def check_breaks_and_edges(data: bytes, options: WriteOptions) -> int:
    """No prohibited line start or end, and every continuation line ends at the right margin."""
    left = options.profile.margin_left_mm * MM
    right = left + options.profile.text_width_mm * MM
    checked = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = body_rows(pdf, options)
    for (_, a), (_, b) in itertools.pairwise(lines):
        # Next line flush left in a face of this one: a did not end a paragraph (附件1 heading a
        # new page is flush left too, but in Hei).
        continues = abs(b[0]["x0"] - left) < 1.0 and any(
            c["fontname"] == b[0]["fontname"] for c in a
        )
        if abs(a[0]["x0"] - left) < 1.0 or a[0]["x0"] - left < 40:
            if continues:
                assert a[-1]["text"] not in NO_END, "".join(c["text"] for c in a)
                assert b[0]["text"] not in NO_START, "".join(c["text"] for c in b)
                if a[-1]["x0"] >= right - 0.05:  # a closing mark hung past the margin (gongwen)
                    assert a[-1]["text"] in HANGING and abs(a[-1]["x0"] - right) < 0.05
                    a = a[:-1]
                # Justified: the last glyph reaches the margin (a trimmed mark may overhang; on the
                # grid a narrow glyph at the end is set at the right of its half cell).
                assert a[-1]["x1"] >= right - 0.05, "".join(c["text"] for c in a)
                assert a[-1]["x1"] <= right + a[-1]["size"] / 2 + 0.05
                checked += 1
    return checked


# -- text layer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.slow) if p.stat().st_size > 400_000 else p
        for p in sorted(REAL.glob("*.txt"))
    ],
    ids=lambda p: p.stem,
)
@pytest.mark.parametrize("options", [STD, GW], ids=["standard", "gongwen"])
def test_text_layer_equals_model_for_every_fixture(path: Path, options: WriteOptions) -> None:
    doc = read_file(path)
    # PDFium reads the large books (pypdf takes minutes on 红楼梦's 2,000 pages).
    layer = (text_layer_pdfium if path.stat().st_size > 400_000 else text_layer)(
        render(doc, options)
    )
    assert without_entry_numbers(layer, doc) == squash(document_text(doc))


@pytest.mark.parametrize(
    "name",
    [
        "news_xinhua_poverty_symposium_2020",
        "novel_shuihu_prologue_ch001-002",
        "mixed_copywriting_guidelines_zh-Hans",
    ],
)
@pytest.mark.parametrize("options", [STD, GW], ids=["standard", "gongwen"])
def test_pdfium_and_pypdf_read_the_same_text_layer(name: str, options: WriteOptions) -> None:
    pdf = render(read_file(REAL / f"{name}.txt"), options)
    assert text_layer_pdfium(pdf) == text_layer(pdf)


def test_pdfium_reads_characters_no_font_covers() -> None:
    """An uncovered character is set invisibly (3 Tr) on a blank glyph of its width, so the
    text layer keeps it: pypdf reads it, and PDFium (Chromium's viewer) too, which reads a
    glyph without any outline as a space (the blank holds a speck: writers/pdf/blanks.py)."""
    pdf = render(read_text("标题\n\n甲乙\u0e20丙\u1103丁\u200d戊。\n").document)
    assert "甲乙\u0e20丙\u1103丁\u200d戊。" in text_layer(pdf)
    assert "甲乙\u0e20丙\u1103丁\u200d戊。" in text_layer_pdfium(pdf)


def without_entry_numbers(layer: str, doc: Document) -> str:
    """The text layer without the page numbers a contents list's entries get (page furniture
    the writer adds after each entry, see test_books): each entry's text, in order, followed
    by digits loses the digits."""
    pos = 0
    for block in doc.blocks:
        if isinstance(block, Contents):
            for line in block.lines:
                entry = squash(text_of(line))
                at = layer.find(entry, pos) if entry else -1
                if at < 0:
                    continue
                end = at + len(entry)
                digits = len(layer[end:]) - len(layer[end:].lstrip("0123456789"))
                layer = layer[:end] + layer[end + digits :]
                pos = end
    return layer


def test_text_layer_all_blocks_both_profiles() -> None:
    doc = all_blocks_document()
    for options in (STD, GW):
        layer = text_layer(render(doc, options))
        # Its contents entry 一、总体要求 gets the page of that heading (see test_books).
        assert "一、总体要求1二、主要任务" in layer
        assert without_entry_numbers(layer, doc) == squash(document_text(doc))


def test_markup_in_source_appears_literally_and_no_file_is_read() -> None:
    doc = read_file(VARIANTS / "markup_like_news.txt")
    source = squash(document_text(doc))
    assert "<img" in source or "<script" in source or "&" in source
    text = text_layer(render(doc))
    assert text == source


def test_img_tag_reads_no_file(tmp_path: Path) -> None:
    """An <img src> naming a real image must print literally: no image is embedded, no file read."""
    png = tmp_path / "secret.png"
    # a valid 1x1 PNG whose bytes carry a marker
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    png.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"tEXt", b"Comment\x00SECRET-MARKER-4711")
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )
    line = f'看图<img src="{png}" width="100" height="100"/>与<a href="javascript:alert(1)">链接</a>&amp;'
    doc = read_text(f"标题\n\n{line}\n").document
    data = render(doc)
    assert b"/Subtype /Image" not in data and b"/XObject" not in data
    assert b"SECRET-MARKER" not in data
    assert b"/URI" not in data and b"/Annots" not in data  # no link became a link
    assert text_layer(data) == squash(document_text(doc))
    assert f'<imgsrc="{png}"' in text_layer(data)


# -- layout measured from glyph positions ---------------------------------------------------


def test_sample_breaks_and_justification() -> None:
    data = render(read_file(SAMPLE))
    assert check_breaks_and_edges(data, STD) > 50


def test_novel_chapter_breaks_and_justification() -> None:
    data = render(read_file(REAL / "novel_sanguo_ch001-003_webtxt.txt"))
    assert check_breaks_and_edges(data, STD) > 200


def test_gongwen_report_breaks_and_justification() -> None:
    data = render(read_file(REAL / "govreport_2026_guangdong.txt"), GW)
    assert check_breaks_and_edges(data, GW) > 800


def test_gongwen_ascii_quotes_at_line_end_meet_the_margin() -> None:
    # ASCII " is narrower than its half cell: at a line's end (or before a hung mark) it is
    # set against the margin.
    data = render(read_file(REAL / "classic_renjian_cihua.txt"), GW)
    assert check_breaks_and_edges(data, GW) > 100
    doc = Document(
        Metadata(), (Paragraph(plain("一二三四五六七八九十" * 2 + "一二三四'七'，八九")),)
    )
    check_breaks_and_edges(render(doc, GW), GW)


def test_gongwen_grid_28_by_22() -> None:
    doc = Document(
        Metadata(title="测试"),
        (Paragraph(plain("国务院各部委各直属机构要认真贯彻执行本通知精神切实加强组织领导" * 60)),),
    )
    data = render(doc, GW)
    p = GONGWEN
    pitch_x = p.text_width_mm * MM / 28
    pitch_y = p.text_height_mm * MM / 22
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages[:-1]:
            body = [r for r in rows(page) if r[0]["top"] < (37 + 225) * MM]
            assert len(body) == 22
            tops = [r[0]["top"] for r in body]
            assert all(abs(b - a - pitch_y) < 0.01 for a, b in itertools.pairwise(tops))
            assert abs(tops[0] - 37 * MM) < 0.1 * MM  # the em box starts at the type area
            for r in body[1:]:
                assert len(r) == 28
                assert abs(r[0]["x0"] - 28 * MM) < 0.01
                xs = [c["x0"] for c in r]
                assert all(abs(b - a - pitch_x) < 0.01 for a, b in itertools.pairwise(xs))
            assert all(c["size"] == pytest.approx(16, abs=0.01) for r in body for c in r)
        check_breaks_and_edges(data, GW)


def test_gongwen_report_fills_22_rows_a_page() -> None:
    """Every row sits on the 22-row grid, and a page stops short of row 22 only when the next
    page starts with a heading kept with its text, or an attachment (a new page by §8)."""
    data = render(read_file(REAL / "govreport_2026_guangdong.txt"), GW)
    pitch = GONGWEN.text_height_mm * MM / 22
    top = GONGWEN.margin_top_mm * MM
    short = []
    fonts: dict[str, int] = {}
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            body = [r for r in rows(page) if r[0]["top"] < top + 22 * pitch]
            index = [(r[0]["top"] - top) / pitch for r in body]
            assert all(abs(k - round(k)) < 0.01 for k in index), index
            pages.append((body, round(max(index))))
            for c in itertools.chain.from_iterable(body):
                fonts[c["fontname"]] = fonts.get(c["fontname"], 0) + 1
    body_font = max(fonts, key=fonts.__getitem__)
    assert len(pages) > 40
    for (_, last), (nxt, _) in itertools.pairwise(pages):
        if last < 21:
            first = nxt[0]
            short.append("".join(c["text"] for c in first)[:8])
            assert first[0]["fontname"] != body_font, short[-1]
    assert len(short) <= 0.1 * len(pages), short


def test_attachment_starts_a_new_page_with_its_title_on_line_three() -> None:
    data = render(attachment_document(), GW)
    left = GONGWEN.margin_left_mm * MM
    top = GONGWEN.margin_top_mm * MM
    pitch = GONGWEN.text_height_mm * MM / 22
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
        label, title, body = body_rows(pdf, GW)[1:4]
    assert [pi for pi, _ in (label, title, body)] == [1, 1, 1]
    label_row, title_row = label[1], title[1]
    assert "".join(c["text"] for c in label_row) == "附件1"
    assert abs(label_row[0]["x0"] - left) < 0.01  # flush left
    assert abs(label_row[0]["top"] - top) < 0.01  # on the first line
    assert label_row[0]["fontname"] != body[1][0]["fontname"]  # Hei, not the body face
    assert "".join(c["text"] for c in title_row) == "2026年省十件民生实事"
    assert title_row[0]["size"] == pytest.approx(22)
    assert abs(title_row[0]["top"] - (top + 2 * pitch)) < 0.01  # the third line
    centre = (title_row[0]["x0"] + title_row[-1]["x1"]) / 2
    assert abs(centre - (left + GONGWEN.text_width_mm * MM / 2)) < 1


@pytest.mark.parametrize("options", [STD, GW], ids=["standard", "gongwen"])
def test_first_line_starts_at_the_top_margin(options: WriteOptions) -> None:
    """The title's em box (pdfplumber's top, from the font's em-box Descent) and every page's
    first line start exactly at the top of the type area: 30 mm, or 37 mm for GB/T 9704."""
    data = render(read_file(REAL / "govreport_2026_guangdong.txt"), options)
    top = options.profile.margin_top_mm * MM
    with pdfplumber.open(io.BytesIO(data), pages=range(1, 4)) as pdf:
        for page in pdf.pages:
            first = rows(page)[0]
            assert abs(first[0]["top"] - top) < 0.05, (page.page_number, first[0])


def test_gongwen_page_numbers() -> None:
    doc = Document(Metadata(), (Paragraph(plain("公文正文" * 400)),))
    data = render(doc, GW)
    left = 28 * MM
    right = left + 156 * MM
    bottom = (37 + 225) * MM
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
        for number, page in enumerate(pdf.pages[:2], start=1):
            foot = [c for c in page.chars if c["top"] > bottom and c["text"].strip()]
            assert "".join(c["text"] for c in foot) == f"—{number}—"
            assert all(c["size"] == pytest.approx(14) for c in foot)
            dash = foot[0]
            mid = (dash["top"] + dash["bottom"]) / 2
            assert 5 * MM < mid - bottom < 9 * MM
            if number % 2:
                assert foot[-1]["x1"] == pytest.approx(right - 14, abs=0.5)
            else:
                assert foot[0]["x0"] == pytest.approx(left + 14, abs=0.5)


def test_standard_page_numbers_centred() -> None:
    data = render(Document(Metadata(), (Paragraph(plain("正文" * 1500)),)))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[1]
        foot = [c for c in page.chars if c["top"] > page.height * 0.9]
        assert "".join(c["text"] for c in foot) == "2"
        assert (foot[0]["x0"] + foot[-1]["x1"]) / 2 == pytest.approx(page.width / 2, abs=1)


def test_heading_never_alone_at_page_foot_and_signature_kept_together() -> None:
    doc = all_blocks_document()
    # Without the contents block, whose lines repeat the headings' text but may end a page.
    blocks = [b for b in doc.blocks if not isinstance(b, Contents)]
    filler = [Paragraph(plain("填充" * 19 * k)) for k in range(1, 9)]
    # the filler goes just before the first heading
    head = next(i for i, b in enumerate(blocks) if isinstance(b, Heading))
    for extra in range(0, 30):
        body = (*blocks[:head], *filler, Paragraph(plain("补" * 38 * extra)), *blocks[head:])
        data = render(Document(doc.meta, tuple(body)), STD)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            lines = body_rows(pdf, STD)
        for (pa, a), (pb, _) in itertools.pairwise(lines):
            text = "".join(c["text"] for c in a)
            if text in ("一、总体要求", "1.明确责任", "（1）细化分工"):
                assert pa == pb, (extra, text)
        pages = {
            pi for pi, r in lines if "".join(c["text"] for c in r) in ("示范办公室", "2020年3月6日")
        }
        assert len(pages) == 1


def test_signature_layout_gb9704() -> None:
    data = render(all_blocks_document(), GW)
    right = (28 + 156) * MM
    cell = 156 * MM / 28
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = {"".join(c["text"] for c in r): r for _, r in body_rows(pdf, GW)}
    name, date = lines["示范办公室"], lines["2020年3月6日"]
    # The date is longer than name + 2 chars: it is right-indented 2 chars, the name 2 chars left.
    assert date[-1]["x1"] == pytest.approx(right - 2 * cell, abs=0.5)
    assert date[0]["x0"] - name[0]["x0"] == pytest.approx(2 * cell, abs=0.5)


# -- the file -------------------------------------------------------------------------------


def test_fonts_embedded_and_no_stray_helvetica() -> None:
    data = render(all_blocks_document())
    reader = PdfReader(io.BytesIO(data))
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            seen += 1
            assert font["/Subtype"] == "/Type0", font
            assert font["/Encoding"] == "/Identity-H"
            cid = font["/DescendantFonts"][0].get_object()
            assert cid["/Subtype"] == "/CIDFontType2"
            assert "/W" in cid
            assert "/FontFile2" in cid["/FontDescriptor"].get_object()
            assert "/ToUnicode" in font
    assert seen
    assert b"Helvetica" not in data


def test_deterministic_bytes() -> None:
    doc = read_file(SAMPLE)
    assert render(doc) == render(doc)
    assert render(doc, GW) == render(doc, GW)


def test_deterministic_bytes_with_blank_glyphs(monkeypatch: pytest.MonkeyPatch) -> None:
    # A joiner and a character no font covers get blank glyphs added to the subset with
    # fontTools, which stamps head.modified with the time of saving unless told not to: the
    # same document written a second later differed (the mixed copywriting guidelines did).
    from fontTools.ttLib.tables import _h_e_a_d

    doc = read_text("标题\n\n正文有零宽连接符\u200d与\U000f0001私用区字符。\n").document
    with diagnostics.collect():
        monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 3_900_000_000)
        first = render(doc)
        monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 3_900_000_002)
        assert render(doc) == first


def test_an_undated_document_has_no_pdf_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = Document(Metadata(title="无日期"), (Title(plain("无日期")), Paragraph(plain("正文。"))))
    data = render(doc, WriteOptions(profile=STANDARD))
    info = PdfReader(io.BytesIO(data)).metadata
    assert info is not None and info.title == "无日期"
    assert info["/Creator"] == f"exporter {__version__}"
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert b"CreationDate" not in data and b"ModDate" not in data
    assert b"D:2000" not in data  # reportlab's invariant-mode date is not written either
    year_only = Document(Metadata(date="2020"), doc.blocks)  # no day known: none invented
    assert "/CreationDate" not in (
        PdfReader(io.BytesIO(render(year_only, WriteOptions()))).metadata or {}
    )
    dated = Document(Metadata(date="2020-03-06"), doc.blocks)
    info = PdfReader(io.BytesIO(render(dated, WriteOptions()))).metadata
    assert info is not None and info["/CreationDate"] == info["/ModDate"]
    assert info["/CreationDate"].startswith("D:20200306")
    # SOURCE_DATE_EPOCH (1583452800 s: 2020-03-06 UTC) is the build time an undated file may bear.
    info = PdfReader(io.BytesIO(render(doc))).metadata
    assert info is not None and info["/ModDate"].startswith("D:20200306")


def test_metadata_outline_and_language() -> None:
    doc = all_blocks_document()
    reader = PdfReader(io.BytesIO(render(doc)))
    info = reader.metadata
    assert info is not None
    assert info.title == "关于做好示范文档工作的通知"
    assert info.author == "示范办公室"
    assert info.subject == "——测试用例"
    assert info["/Creator"] == info["/Producer"] == f"exporter {__version__}"
    assert info["/CreationDate"].startswith("D:20200306")
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    outline = reader.outline
    assert outline[0].title == "关于做好示范文档工作的通知"
    nested = outline[1]
    assert isinstance(nested, list)
    assert nested[0].title.startswith("一、")
    tw = Document(Metadata(title="中華民國憲法", language="zh-TW"), (Title(plain("中華民國憲法")),))
    assert PdfReader(io.BytesIO(render(tw))).trailer["/Root"]["/Lang"] == "zh-TW"


def test_uncovered_character_is_boxed_and_reported() -> None:
    ch = "\U000f0001"  # private use plane 15: no bundled face covers it
    doc = Document(Metadata(title="t"), (Paragraph(plain(f"前{ch}后")),))
    with diagnostics.collect() as diags:
        data = render(doc)
    assert [d.code for d in diags] == ["uncovered-chars"]
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    assert b" re S" in content  # the box
    assert text_layer(data).startswith("前") and text_layer(data).endswith("后")


def test_one_type0_font_per_face_and_one_text_object_per_line() -> None:
    doc = read_file(REAL / "novel_sanguo_ch001-003_webtxt.txt")
    data = render(doc)
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[2]
    fonts = page["/Resources"]["/Font"]
    names = [f.get_object()["/BaseFont"] for f in fonts.values()]
    assert len(names) == len(set(names)) <= 4  # body, title, headings, page number at most
    content = page.get_contents().get_data()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = len(rows(pdf.pages[2]))
    assert content.count(b"BT") == lines
    # One font selection per line and face (an 8-bit subset font switched nearly every glyph).
    assert content.count(b" Tf") <= 2 * lines
    assert len(content) < 300 * lines


def test_text_extraction_exact_with_pypdf_and_pdfplumber() -> None:
    # A compatibility ideograph next to its unified twin (same glyph: distinct text), an Extension
    # B character (no bundled face: boxed, kept through a surrogate pair), joiner, selector.
    text = "豈\uf900豈𠀀葛\U000e0100字\u200d字\ufe0f。ABC 123后"
    doc = Document(Metadata(title="t"), (Paragraph(plain(text)),))
    with diagnostics.collect():
        data = render(doc)
    # pypdf reads the quarter-em Han/Latin gap (a TJ offset) as a space; nothing else differs.
    first = PdfReader(io.BytesIO(data)).pages[0].extract_text().split("\n")[0]
    assert first.replace(" ", "") == text.replace(" ", "")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = [c["text"] for c in pdf.pages[0].chars]
    assert "".join(chars[: len(text)]) == text
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    assert content.count(b" re S") == 1  # only the Extension B character is boxed


def _grid_line(r: list[dict[str, Any]], left: float, cell: float) -> tuple[float, bool, str]:
    """A body line measured on the gongwen grid: the cells it fills inside the measure (indent
    included), whether every full-width glyph starts on the half-cell grid (no stretch), and the
    mark hung past the right edge, if any."""
    right = left + 28 * cell
    half = cell / 2
    hung = ""
    if r[-1]["x0"] >= right - 0.05:
        hung = r[-1]["text"]
        r, end = r[:-1], r[-1]["x0"]  # the line's cells end where the hung mark starts
    last = r[-1]
    wide = ord(last["text"]) >= 0x2E80 or last["text"] in "“”‘’"
    if not hung:  # a narrow glyph's half cells: its right edge rounded to the half-cell grid
        end = last["x0"] + cell if wide else left + round((last["x1"] - left) / half) * half
    on_grid = all(
        abs(k - round(k)) < 0.01
        for c in r
        if ord(c["text"]) >= 0x2E80
        for k in [(c["x0"] - left) / half]
    )
    return (end - left) / cell, on_grid, hung


def test_gongwen_half_width_characters_take_half_a_cell() -> None:
    """Full-width glyphs sit on the grid; digits take half a cell each, so full lines are 28."""
    text = "12月23日第18次会议通过第20版" * 40  # even half cells: every line can be 28
    doc = Document(Metadata(title="测试"), (Paragraph(plain(text)),))
    data = render(doc, GW)
    p = GONGWEN
    left = p.margin_left_mm * MM
    cell = p.text_width_mm * MM / 28
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = body_rows(pdf, GW)
    lines = [(pi, r) for pi, r in lines if r[0]["size"] == pytest.approx(16)]  # not the title
    assert len(lines) > 10
    for _, r in lines[:-1]:
        cells, on_grid, hung = _grid_line(r, left, cell)
        assert (cells, on_grid, hung) == (pytest.approx(28, abs=0.01), True, "")


def test_gongwen_odd_half_cells_padded_beside_a_narrow_word() -> None:
    """A line half a cell short (an odd number of digits on it) is not spread: the half cell goes
    beside a number (a quarter each side, clreq's Han-Latin space), and every Han character
    stays on the (half-)cell grid."""
    # A lone digit is one half cell in any face (3% may squeeze into two): a unit is 11 half
    # cells, so most lines fall half a cell short.
    text = "增长率为3。" * 80
    data = render(Document(Metadata(title="测试"), (Paragraph(plain(text)),)), GW)
    left = GONGWEN.margin_left_mm * MM
    cell = GONGWEN.text_width_mm * MM / 28
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = [r for _, r in body_rows(pdf, GW) if r[0]["size"] == pytest.approx(16)]
    assert len(lines) > 10
    padded = 0
    for r in lines[:-1]:
        han = [(c["x0"] - left) / (cell / 2) for c in r if ord(c["text"]) >= 0x2E80]
        assert all(abs(k - round(k)) < 0.01 for k in han), "".join(c["text"] for c in r)
        cells, _, hung = _grid_line(r, left, cell)
        assert cells == pytest.approx(28, abs=0.01) and hung in ("", *HANGING)
        padded += any(  # a quarter cell or more beside a number
            (ord(a["text"]) < 0x2E80) != (ord(b["text"]) < 0x2E80)
            and b["x0"] - a["x1"] > cell / 4 - 2
            for a, b in itertools.pairwise(r)
        )
    assert padded > 5


def test_gongwen_narrow_words_are_set_as_units() -> None:
    """A number or Latin word keeps its own letter spacing (3.9%, not 3. 9%) and takes whole
    half cells, so the Han characters after it stay on the grid."""
    paras = tuple(Paragraph(plain("增长3.9%，达到2026年WTO标准。")) for _ in range(20))
    data = render(Document(Metadata(title="测试"), paras), GW)  # one-line paragraphs: no stretch
    left = GONGWEN.margin_left_mm * MM
    cell = GONGWEN.text_width_mm * MM / 28
    half = cell / 2
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = body_rows(pdf, GW)
    words = 0
    for _, r in lines:
        i = 0
        while i < len(r):
            if ord(r[i]["text"]) >= 0x2E80:
                k = (r[i]["x0"] - left) / half
                assert abs(k - round(k)) < 0.01, r[i]
                i += 1
                continue
            j = i
            while j < len(r) and ord(r[j]["text"]) < 0x2E80:
                j += 1
            word = r[i:j]
            gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(word)]
            # one even letter spacing inside the word, at most 0.12 em tighter than the font's
            assert max(gaps) - min(gaps, default=0) < 0.05 if gaps else True
            assert min(gaps, default=0) >= -0.12 * 16 - 0.01
            if j < len(r):
                span = (r[j]["x0"] - word[0]["x0"]) / half
                assert abs(span - round(span)) < 0.01 and round(span) >= len(word)
                words += 1
            i = j
    assert words > 30


def test_gongwen_real_document_lines_hold_28_cells() -> None:
    data = render(read_file(REAL / "gongwen_spc_amend27_civil_2020.txt"), GW)
    p = GONGWEN
    left = p.margin_left_mm * MM
    cell = p.text_width_mm * MM / 28
    right = left + p.text_width_mm * MM
    exact = stretched = hung_marks = 0
    with pdfplumber.open(io.BytesIO(data), pages=range(1, 11)) as pdf:
        for _, r in body_rows(pdf, GW):
            if r[-1]["x1"] >= right - 1.5 and len(r) > 10:  # reaches the margin
                cells, on_grid, hung = _grid_line(r, left, cell)
                # Never more than 28 cells inside the type area; a mark past it is one closing
                # mark that starts exactly at the margin (hanging punctuation, as in Word).
                assert cells == pytest.approx(28, abs=0.05), "".join(c["text"] for c in r)
                if hung:
                    assert hung in HANGING and abs(r[-1]["x0"] - right) < 0.05
                    hung_marks += 1
                if on_grid:
                    exact += 1
                else:  # a unit that may not be split or start a line was pushed down
                    stretched += 1
    assert exact + stretched > 100 and hung_marks > 0
    assert exact >= 0.95 * (exact + stretched), (exact, stretched)


def test_a_rule_is_a_short_centred_line_its_characters_invisible_in_the_text_layer() -> None:
    doc = Document(
        Metadata(),
        (Paragraph(plain("第一段。")), Rule("=" * 78), Paragraph(plain("第二段。"))),
    )
    data = render(doc)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        left = STANDARD.margin_left_mm * MM
        width = STANDARD.text_width_mm * MM
        rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.01]
        assert len(rules) == 1  # one short rule, centred in the type area
        rule = rules[0]
        assert rule["x1"] - rule["x0"] == pytest.approx(width / 4, abs=0.01)
        assert (rule["x0"] + rule["x1"]) / 2 == pytest.approx(left + width / 2, abs=0.01)
        first = next(c for c in page.chars if c["text"] == "一")
        second = next(c for c in page.chars if c["text"] == "二")
        # between the two paragraphs, and the 78 characters take one line only (no tall gap)
        assert first["bottom"] < rule["top"] < second["top"]
        assert second["top"] - first["top"] == pytest.approx(2 * STANDARD.line_pitch_pt, abs=0.5)
    # pdfplumber (by position) and pypdf (in content order) both read every character
    assert squash(text) == "第一段。" + "=" * 78 + "第二段。1"  # 1: the page number
    assert text_layer(data) == "第一段。" + "=" * 78 + "第二段。"
    # the characters are set in text rendering mode 3 (invisible), not printed across the page
    stream = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data().decode("latin-1")
    hidden = [ln for ln in stream.splitlines() if ln.startswith("q 3 Tr BT")]
    shown = [ln for ln in stream.splitlines() if ln.startswith("BT")]
    assert len(hidden) == 2 and len(shown) == 3  # 78 = wrap to two lines; 2 paragraphs, page no.


def test_boilerplate_is_set_small_and_flush_left_with_every_character() -> None:
    doc = Document(
        Metadata(),
        (
            Boilerplate(("【打印】", "【关闭】")),
            Paragraph(plain("正文段落，字号如常。")),
            Boilerplate(("责任编辑：李四",)),
        ),
    )
    data = render(doc)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        body = next(c for c in page.chars if c["text"] == "正")
        small = [c for c in page.chars if c["text"] in "打印关闭责任编辑李四"]
        assert len(small) == 10
        assert all(c["size"] == pytest.approx(0.75 * body["size"], abs=0.01) for c in small)
        left = STANDARD.margin_left_mm * MM
        starts = [c for c in page.chars if c["text"] in "【责"]
        assert min(c["x0"] for c in starts) == pytest.approx(left, abs=0.05)  # no indent
    assert text_layer(data) == "【打印】【关闭】正文段落，字号如常。责任编辑：李四"


# -- tables, links, images, strike, nested lists (issue 15) ---------------------------------


def _png(width: int, height: int) -> bytes:
    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 60, 60)).save(out, "PNG")
    return out.getvalue()


def _type_area(options: WriteOptions) -> tuple[float, float, float, float]:
    """left, top, right, bottom of the type area in pdfplumber's coordinates (top down)."""
    p = options.profile
    left, top = p.margin_left_mm * MM, p.margin_top_mm * MM
    return left, top, left + p.text_width_mm * MM, top + p.text_height_mm * MM


def _table_doc(n: int, long: int = 1) -> Document:
    from exporter.model import Table

    body = tuple(
        (plain(f"第{i}行"), plain("说明文字，检查单元格内的断行。" * (1 + (i * long) % 3) + f"止{i}止"),
         plain(str(i * 100)))
        for i in range(n)
    )  # fmt: skip
    header = ((plain("名称"), plain("说明"), plain("金额")),)
    return Document(
        Metadata(title="表"),
        (Paragraph(plain("表前的段落。")), Table(("left", "", "right"), header, body),
         Paragraph(plain("表后的段落。"))),
    )  # fmt: skip


def _page_texts(data: bytes) -> list[str]:
    """Each page's text in content order, its page number dropped, whitespace removed."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        lines = page.extract_text().split("\n")
        if lines and _PAGE_NUMBER.match(lines[-1]):
            lines.pop()
        out.append(squash("".join(lines)))
    return out


def _cell_x(page: Any, text: str) -> tuple[float, float]:
    """The x extent of the first run of ``text`` found among a page's characters."""
    chars = page.chars
    s = "".join(c["text"] for c in chars)
    i = s.index(text)
    run = chars[i : i + len(text)]
    return min(c["x0"] for c in run), max(c["x1"] for c in run)


@pytest.mark.parametrize("options", [STD, GW], ids=["standard", "gongwen"])
def test_table_is_ruled_with_every_cell_in_its_column(options: WriteOptions) -> None:
    doc = _table_doc(3)
    data = render(doc, options)
    left, _, right, _ = _type_area(options)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        lines = page.lines
        assert all(ln["linewidth"] == pytest.approx(0.5) for ln in lines)
        verticals = sorted({round(ln["x0"], 2) for ln in lines if abs(ln["x0"] - ln["x1"]) < 0.01})
        horizontals = sorted(
            {round(ln["top"], 2) for ln in lines if abs(ln["top"] - ln["bottom"]) < 0.01}
        )
        assert len(verticals) == 4 and len(horizontals) == 5  # 3 columns; header + 3 rows
        assert verticals[0] == pytest.approx(left, abs=0.01)
        assert verticals[-1] == pytest.approx(right, abs=0.01)  # the table fills the measure
        for k, (a, b) in enumerate(itertools.pairwise(verticals)):
            for text in (("名称", "说明", "金额")[k], ("第1行", "止1止", "100")[k]):
                x0, x1 = _cell_x(page, text)
                assert a + 1 < x0 and x1 < b - 1, (text, a, b, x0, x1)
        # header in the heading face (Hei), cells in the body face
        head = next(c for c in page.chars if c["text"] == "名")
        cell = next(c for c in page.chars if c["text"] == "第" and c["top"] > head["top"])
        assert head["fontname"] != cell["fontname"] and "Sans" in head["fontname"]
        # column alignment: 金额 right, 名称 left; every cell's text between two rules
        amounts = [c for c in page.chars if c["text"] == "0" and c["top"] > head["bottom"]]
        assert max(c["x1"] for c in amounts) == pytest.approx(verticals[3] - 0.5 * (
            options.profile.text_width_mm * MM / (options.profile.chars_per_line or 0)
            if options.profile.chars_per_line else options.profile.body_size_pt), abs=1.5)  # fmt: skip
        # (on the grid a digit's half cell is narrower than its glyph's own advance)
        assert _cell_x(page, "第0行")[0] == pytest.approx(_cell_x(page, "名称")[0], abs=0.01)
        for r in rows(page):
            top = r[0]["top"]
            if horizontals[0] < top < horizontals[-1]:
                assert sum(1 for h in horizontals if h < top) in (1, 2, 3, 4)
    assert text_layer(data) == squash(document_text(doc))


@pytest.mark.parametrize("options", [STD, GW], ids=["standard", "gongwen"])
def test_long_table_repeats_its_header_and_never_splits_a_row(options: WriteOptions) -> None:
    doc = _table_doc(40)
    data = render(doc, options)
    pages = _page_texts(data)
    assert len(pages) >= 3
    # every page after the first opens with the header again (marked as an artifact) ...
    header = "名称说明金额"
    for text in pages[1:]:
        assert text.startswith(header)
    stream = PdfReader(io.BytesIO(data)).pages[1].get_contents().get_data()
    assert stream.count(b"/Artifact BMC") == 1
    # ... and apart from the repeats the text layer is the model's text
    joined = pages[0] + "".join(t[len(header) :] for t in pages[1:])
    assert joined == squash(document_text(doc))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        where: dict[str, set[int]] = {}
        for pi, page in enumerate(pdf.pages):
            text = "".join(c["text"] for c in page.chars)
            for i in range(40):
                for mark in (f"第{i}行", f"止{i}止"):  # a row's first and last characters
                    if mark in text:
                        where.setdefault(f"{i}", set()).add(pi)
            # the first text line of every page after the first is the header
            first = rows(page)[0]
            assert pi == 0 or "".join(c["text"] for c in first).startswith("名称")
    assert all(len(pages_of_row) == 1 for pages_of_row in where.values()), where
    assert len(where) == 40


def test_a_row_taller_than_a_page_is_split() -> None:
    from exporter.model import Table

    text = "很长的单元格文字，" * 500
    doc = Document(
        Metadata(), (Table((), ((plain("甲"), plain("乙")),), ((plain("左"), plain(text)),)),)
    )
    data = render(doc)
    pages = _page_texts(data)
    assert len(pages) >= 2
    assert all(p.startswith("甲乙") for p in pages)
    layer = text_layer(data)  # the header once, then its repeats on the later pages
    assert layer.count("甲乙") == len(pages)
    assert "甲乙" + layer[2:].replace("甲乙", "") == squash(document_text(doc))


def test_a_very_wide_table_wraps_its_cells_inside_the_type_area() -> None:
    from exporter.model import Table

    cells = tuple(
        plain(f"第{k}列的内容相当长，需要折行才能放下。Latin words too") for k in range(8)
    )
    doc = Document(Metadata(), (Table((), (), (cells, cells)),))
    data = render(doc)
    left, _, right, _ = _type_area(STD)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        ink = [c for c in page.chars if c["text"].strip()]  # a space at a line's end may hang
        assert all(left - 0.3 <= c["x0"] and c["x1"] <= right + 0.3 for c in ink)
        assert all(left - 0.3 <= ln["x0"] and ln["x1"] <= right + 0.3 for ln in page.lines)
        verticals = {round(ln["x0"], 2) for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01}
        assert len(verticals) == 9
    assert text_layer(data) == squash(document_text(doc))


def test_gongwen_table_rows_keep_the_grid() -> None:
    doc = _table_doc(3)
    data = render(doc, GW)
    pitch = GONGWEN.text_height_mm * MM / 22
    _, top, _, _ = _type_area(GW)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        tops = sorted(
            {round(ln["top"], 3) for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.01}
        )
        for y in tops:  # every rule on a line of the grid
            assert (y - top) / pitch == pytest.approx(round((y - top) / pitch), abs=1e-3)
        after = next(r for r in rows(page) if "".join(c["text"] for c in r).startswith("表后"))
        em_top = after[0]["top"]  # pdfplumber's glyph top: the em box's (0.88 em up)
        k = (em_top - top) / pitch
        assert k == pytest.approx(round(k), abs=0.05)  # the paragraph after it on the grid
        assert em_top > tops[-1]


def test_links_are_uri_annotations_over_their_text_on_every_line() -> None:
    from exporter.model import Link, Text

    href = "https://example.com/路径?a=1&b=(2)"
    long = "一段很长的链接文字" * 12
    doc = Document(
        Metadata(),
        (
            Heading(1, "一、", plain("总体要求")),
            Paragraph((Text("见"), Link(href, (Text(long),)), Text("，又见"),
                       Link("#一总体要求", (Text("上文"),)), Text("与"),
                       Link("#不存在", (Text("别处"),)), Text("。"))),
        ),
    )  # fmt: skip
    data = render(doc)
    reader = PdfReader(io.BytesIO(data))
    annots = [a.get_object() for a in reader.pages[0]["/Annots"]]
    uris = [a for a in annots if "/A" in a]
    assert len(uris) >= 2  # the long link wraps: one annotation per line
    assert {a["/A"]["/URI"] for a in uris} == {"https://example.com/%E8%B7%AF%E5%BE%84?a=1&b=(2)"}
    assert all(a["/Subtype"] == "/Link" and list(a["/Border"]) == [0, 0, 0] for a in annots)
    dests = [a for a in annots if "/Dest" in a]
    assert len(dests) == 1  # #一总体要求 goes to the heading; #不存在 links nowhere
    assert len(annots) == len(uris) + 1
    page_h = reader.pages[0].mediabox.height
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = pdf.pages[0].chars
        start = "".join(c["text"] for c in chars).index(long)
        for c in chars[start : start + len(long)]:
            cx, cy = (c["x0"] + c["x1"]) / 2, page_h - (c["top"] + c["bottom"]) / 2
            assert any(
                float(a["/Rect"][0]) <= cx <= float(a["/Rect"][2])
                and float(a["/Rect"][1]) <= cy <= float(a["/Rect"][3])
                for a in uris
            ), c["text"]
        heading = next(c for c in pdf.pages[0].chars if c["text"] == "总")
        assert float(dests[0]["/Dest"][3]) == pytest.approx(page_h - heading["top"], abs=3)
    assert text_layer(data) == squash(document_text(doc))


@pytest.mark.parametrize("options", [STD, GW], ids=["standard", "gongwen"])
def test_a_standalone_image_is_drawn_in_the_type_area_with_its_alt_text_kept(
    options: WriteOptions,
) -> None:
    from exporter.model import Image, Resource, Text

    doc = Document(
        Metadata(),
        (
            Paragraph(plain("图前。")),
            Paragraph((Text(" "), Image("宽图的说明", "wide"), Text(" "))),
            Paragraph((Image("小图", "small"),)),
            Paragraph((Text("文中的"), Image("行内图", "small"), Text("保留替代文字。"))),
            Paragraph((Image("未嵌入的图", ""),)),
        ),
        (
            Resource("wide", "image/png", _png(3000, 600)),
            Resource("small", "image/png", _png(80, 40)),
        ),
    )
    data = render(doc, options)
    left, top, right, bottom = _type_area(options)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        images = [im for p in pdf.pages for im in p.images]
        assert len(images) == 2  # the inline image and the unembedded one stay text
        wide, small = images
        assert wide["x0"] == pytest.approx(left, abs=0.01) and wide["x1"] == pytest.approx(
            right, abs=0.01
        )
        assert (wide["x1"] - wide["x0"]) / (wide["bottom"] - wide["top"]) == pytest.approx(
            5, rel=1e-3
        )
        assert small["x1"] - small["x0"] == pytest.approx(60, abs=0.01)  # 80 px at 96 dpi
        assert (small["x0"] + small["x1"]) / 2 == pytest.approx((left + right) / 2, abs=0.01)
        for im in images:
            assert top - 0.01 <= im["top"] and im["bottom"] <= bottom + 0.01
        before = next(c for c in pdf.pages[0].chars if c["text"] == "前")
        assert before["bottom"] < wide["top"]
    # the alt text is in the text layer, set invisibly over the picture
    assert text_layer(data) == squash(document_text(doc))
    stream = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    assert stream.count(b"q 3 Tr BT") == 2 and stream.count(b" Do") == 2


def test_a_tall_jpeg_is_scaled_to_the_page_height() -> None:
    from PIL import Image as PILImage

    from exporter.model import Image, Resource

    out = io.BytesIO()
    PILImage.new("RGB", (200, 4000), (10, 120, 10)).save(out, "JPEG")
    doc = Document(Metadata(), (Paragraph((Image("长图", "j"),)),),
                   (Resource("j", "image/jpeg", out.getvalue()),))  # fmt: skip
    data = render(doc)
    _, top, _, bottom = _type_area(STD)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        (im,) = pdf.pages[0].images
        assert im["bottom"] - im["top"] <= bottom - top + 0.01
        assert (im["bottom"] - im["top"]) / (im["x1"] - im["x0"]) == pytest.approx(20, rel=1e-3)
    assert b"/DCTDecode" in data  # the JPEG passed through as it is
    assert text_layer(data) == "长图"


def test_strike_draws_a_line_through_the_struck_text() -> None:
    from exporter.model import Strike, Text

    doc = Document(Metadata(), (Paragraph((Text("保留"), Strike((Text("删除"),)), Text("。"))),))
    data = render(doc)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        struck = [c for c in page.chars if c["text"] in "删除"]
        kept = [c for c in page.chars if c["text"] in "保留"]
        (line,) = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.01]
        assert line["x0"] == pytest.approx(struck[0]["x0"], abs=0.01)
        assert line["x1"] == pytest.approx(struck[-1]["x1"], abs=0.01)
        assert struck[0]["top"] < line["top"] < struck[0]["bottom"]
        assert line["x0"] >= kept[-1]["x1"] - 0.01
    assert text_layer(data) == "保留删除。"


def test_nested_list_blocks_are_indented_under_their_item() -> None:
    from exporter.model import ListBlock, ListItem

    inner = ListBlock(False, (ListItem("-", plain("嵌套项")),))
    doc = Document(Metadata(), (ListBlock(True, (ListItem("1.", plain("外层项"), (inner,)),)),))
    data = render(doc)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        outer_x = _cell_x(pdf.pages[0], "1.")[0]
        inner_x = _cell_x(pdf.pages[0], "-")[0]
    assert inner_x - outer_x == pytest.approx(2 * STANDARD.body_size_pt, abs=0.05)
    assert text_layer(data) == squash(document_text(doc))


def test_tables_links_and_images_are_deterministic() -> None:
    from exporter.model import Image, Link, Resource, Text

    doc = _table_doc(30)
    doc = Document(
        doc.meta,
        (Paragraph((Link("https://example.com/", (Text("链接"),)),)),
         Paragraph((Image("图", "p"),)), *doc.blocks),
        (Resource("p", "image/png", _png(300, 200)),),
    )  # fmt: skip
    assert render(doc) == render(doc)
    assert render(doc, GW) == render(doc, GW)
