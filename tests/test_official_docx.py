"""The 公文 版头 and 版记 in DOCX: the XML (lxml) and LibreOffice's rendering (GB/T 9704-2012 §7.2, §7.4)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES
from lxml import etree
from test_docx import _render

import exporter
from exporter.model import document_text
from exporter.options import GONGWEN, MM
from exporter.reader import read_path

FULL = FIXTURES / "official" / "full_notice.txt"
SCRAPED = FIXTURES / "official" / "scraped_notice.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
TOP = GONGWEN.margin_top_mm * MM
LEFT = GONGWEN.margin_left_mm * MM
WIDTH = GONGWEN.text_width_mm * MM
BOTTOM = TOP + GONGWEN.text_height_mm * MM


def docx_of(path: Path, profile: str = "gongwen") -> bytes:
    doc = read_path(path).document
    return exporter.write(doc, "docx", options=exporter.write_options(profile))


def body(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")).find("w:body", NS)


def text(el: Any) -> str:
    return "".join(el.itertext())


def test_head_paragraphs_in_order_masthead_red_and_the_red_line_a_border() -> None:
    paras = body(docx_of(FULL)).findall("w:p", NS)
    assert [text(p) for p in paras[:5]] == [
        "000123", "机密★1年", "特急", "某某市人民政府文件", "某府发〔2024〕12号"]  # fmt: skip
    mast = paras[3]
    assert mast.find(".//w:color", NS).get(f"{{{W}}}val") == "FF0000"
    assert mast.find(".//w:jc", NS).get(f"{{{W}}}val") == "center"
    assert mast.find(".//w:rFonts", NS).get(f"{{{W}}}eastAsia") == "方正小标宋简体"
    line = paras[4].find("w:pPr/w:pBdr/w:bottom", NS)
    assert line.get(f"{{{W}}}color") == "FF0000" and line.get(f"{{{W}}}val") == "single"
    # 密级 in 黑体 (§7.2.2).
    assert paras[1].find(".//w:rFonts", NS).get(f"{{{W}}}eastAsia") == "黑体"


def test_colophon_is_a_floating_table_at_the_foot_with_thick_and_thin_rules() -> None:
    tbl = body(docx_of(FULL)).find("w:tbl", NS)
    pos = tbl.find("w:tblPr/w:tblpPr", NS)
    assert pos.get(f"{{{W}}}vertAnchor") == "margin"
    rows = tbl.findall("w:tr", NS)
    assert text(rows[0]).startswith("抄送：") and text(rows[0]).endswith("。")
    assert text(rows[1]) == "某某市人民政府办公室2024年1月5日印发"
    heights = sum(int(r.find("w:trPr/w:trHeight", NS).get(f"{{{W}}}val")) for r in rows)
    area = round(GONGWEN.text_height_mm * 72 / 25.4 * 20)
    assert int(pos.get(f"{{{W}}}tblpY")) + heights == area  # its bottom on the type area's
    borders = tbl.find("w:tblPr/w:tblBorders", NS)
    size = {e.tag.split("}")[1]: e.get(f"{{{W}}}sz") for e in borders}
    assert size["top"] == size["bottom"] == "8" and size["insideH"] == "6"  # 0.35 / 0.25 mm


@pytest.mark.parametrize("path", [FULL, SCRAPED], ids=["front_matter", "scraped"])
@pytest.mark.parametrize("profile", ["gongwen", "gongwen-letter", "standard"])
def test_every_character_in_order(path: Path, profile: str) -> None:
    doc = read_path(path).document
    got = "".join(text(el) for el in body(docx_of(path, profile)).iter(f"{{{W}}}t"))
    assert "".join(got.split()) == "".join(document_text(doc).split())


@pytest.mark.soffice
def test_libreoffice_renders_the_head_and_the_colophon_in_place(tmp_path: Path) -> None:
    import pdfplumber

    pdfs = _render({"full": docx_of(FULL)}, tmp_path)
    with pdfplumber.open(pdfs["full"]) as pdf:
        first, last = pdf.pages[0], pdf.pages[-1]
        red = [c for c in first.chars if tuple(c.get("non_stroking_color") or ()) == (1, 0, 0)]
        assert "".join(c["text"] for c in red) == "某某市人民政府文件"
        # The masthead's top near 35 mm below the type area (LibreOffice sets an exact line's
        # glyphs by the font's own ascent: within 3.5 mm).
        assert abs(min(c["top"] for c in red) - TOP - 35 * MM) < 3.5 * MM
        # LibreOffice may stroke a border twice: one rule, however many strokes.
        (rule,) = {round(ln["top"], 1): ln for ln in first.lines
                   if tuple(ln["stroking_color"]) == (1, 0, 0)}.values()  # fmt: skip
        number = next(c for c in first.chars if c["text"] == "〔")
        assert abs(rule["top"] - (number["top"] + 16) - 4 * MM) < 1.5 * MM
        assert abs(rule["x1"] - rule["x0"] - WIDTH) < 0.5 * MM
        rules = sorted((ln for ln in last.lines if tuple(ln["stroking_color"]) != (1, 0, 0)),
                       key=lambda ln: ln["top"])  # fmt: skip
        assert [round(r["linewidth"] / MM, 2) for r in rules] == [0.35, 0.26, 0.35]
        # As wide as the type area (§7.4.1), from its left edge to its right (156 mm).
        for r in rules:
            assert abs(r["x0"] - LEFT) < 0.2 * MM and abs(r["x1"] - (LEFT + WIDTH)) < 0.2 * MM
        # The last rule on the type area's bottom edge (its middle within 0.5 mm).
        assert abs(rules[-1]["top"] - BOTTOM) < 0.5 * MM
        cc = next(c for c in last.chars if c["text"] == "抄")
        assert rules[0]["top"] < cc["top"] < rules[1]["top"]


def test_embedded_faces_hold_the_head_and_colophon_characters() -> None:
    """The 版头 and 版记 are set outside the blocks; the font subsets embedded in the DOCX still
    hold their characters: the masthead's in the 小标宋 family, 密级's in 黑体, 抄送's in 仿宋."""
    from test_docx_fonts import embedded

    fonts = embedded(docx_of(FULL))
    cmap = {name: set(f.getBestCmap()) for (name, _), f in fonts.items()}
    xbs = next(v for k, v in cmap.items() if "小标宋" in k)
    hei = next(v for k, v in cmap.items() if k == "黑体")
    fang = next(v for k, v in cmap.items() if k == "仿宋")
    assert {ord(c) for c in "某市人民政府文件"} <= xbs
    assert {ord(c) for c in "机密特急"} <= hei
    assert {ord(c) for c in "抄送市委各部门人大常委会办公室印发"} <= fang


@pytest.mark.parametrize("profile", ["gongwen", "standard"])
def test_docx_title_breaks_where_the_pdf_does(profile: str) -> None:
    """A wrapped title keeps the PDF's lines in DOCX (manual breaks): words whole and the
    trapezoid of GB/T 9704-2012 §7.3.1, not wherever Word fills a line (…期间安 / 全生产…)."""
    import pdfplumber

    doc = read_path(FULL).document
    options = exporter.write_options(profile)
    pdf = exporter.write(doc, "pdf", options=options)
    data = exporter.write(doc, "docx", options=options)
    assert pdf is not None and data is not None
    size = options.profile.roles["title"].size_pt
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        rows: dict[int, str] = {}
        for c in opened.pages[0].chars:
            if c["size"] == pytest.approx(size):
                rows[round(c["top"])] = rows.get(round(c["top"]), "") + c["text"]
    pdf_lines = [rows[k] for k in sorted(rows) if "通知" in rows[k] or "关于" in rows[k]]
    title = next(
        p for p in body(data).iter(f"{{{W}}}p") if p.find("w:pPr/w:pStyle", NS) is not None
        and p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Title"
    )  # fmt: skip
    docx_lines, current = [], ""
    for el in title.iter(f"{{{W}}}t", f"{{{W}}}br"):
        if el.tag == f"{{{W}}}br":
            docx_lines.append(current)
            current = ""
        else:
            current += el.text or ""
    docx_lines.append(current)
    assert len(docx_lines) == 2 and docx_lines == pdf_lines
    assert "".join(docx_lines) == "某某市人民政府关于做好2024年春节期间安全生产工作的通知"


def _notice(extra: int, *, short: bool = False) -> str:
    """The full notice with ``extra`` more paragraphs; ``short``: its body one paragraph."""
    text = FULL.read_text("utf-8")
    end = "某某市人民政府\n2024年1月3日"
    head, _, rest = text.partition("各区县人民政府")
    body = rest.partition(end)[0]
    if short:
        body = body.partition("　　一、")[0]
    more = "　　四、加强应急值守。节日期间各单位要严格落实值班制度，保持通信畅通。\n\n" * extra
    return head + "各区县人民政府" + body + more + end + "\n"


def _docx_text(text: str, profile: str = "gongwen") -> bytes:
    from exporter.reader import read_text

    doc = read_text(text).document
    return exporter.write(doc, "docx", options=exporter.write_options(profile))


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _section_footers(data: bytes, sect: Any) -> list[str]:
    """The text and field codes of a section's footers."""
    files = _parts(data)
    rels = etree.fromstring(files["word/_rels/document.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for ref in sect.findall("w:footerReference", NS):
        xml = etree.fromstring(files["word/" + target[ref.get(f"{{{R}}}id")]])
        out.append("".join(xml.itertext()))
    return out


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def test_colophon_after_an_odd_last_page_opens_an_even_page_section_without_numbers() -> None:
    """GB/T 9704-2012 §7.4.1, §7.5: the 版记 on an even page; the body ending on page 1, it
    takes a section that starts on an even page, whose footers carry no PAGE field; the body's
    section ends in the body's last paragraph (no empty paragraph that could take a line)."""
    data = _docx_text(_notice(0, short=True))
    b = body(data)
    inner = b.findall("w:p/w:pPr/w:sectPr", NS)
    assert len(inner) == 1
    closing = inner[0].getparent().getparent()
    assert text(closing) == "（此件公开发布）"
    # The new section: an empty paragraph (LibreOffice drops a section break that a floating
    # table follows directly), then the 版记.
    assert text(closing.getnext()) == "" and closing.getnext().getnext().tag == f"{{{W}}}tbl"
    final = b.find("w:sectPr", NS)
    assert final.find("w:type", NS).get(f"{{{W}}}val") == "evenPage"
    types = {r.get(f"{{{W}}}type") for r in final.findall("w:footerReference", NS)}
    assert types == {"default", "even"}
    assert all("PAGE" not in t and "—" not in t for t in _section_footers(data, final))
    assert any("PAGE" in t for t in _section_footers(data, inner[0]))


def test_colophon_with_room_on_an_even_last_page_stays_in_the_body_section() -> None:
    assert body(docx_of(FULL)).find("w:p/w:pPr/w:sectPr", NS) is None
    final = body(docx_of(FULL)).find("w:sectPr", NS)
    assert final.find("w:type", NS) is None


#: LibreOffice's PDF export leaves out the blank pages it inserts for a section that starts on
#: an even page unless told not to; printing keeps them.
WITH_BLANKS = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


@pytest.mark.soffice
def test_libreoffice_puts_the_colophon_on_an_even_page_blank_page_before_it(
    tmp_path: Path,
) -> None:
    """Rendered by LibreOffice (its pagination, not the PDF typesetter's): the 版记 alone on the
    last page, which is even; a blank page before it when the body ends on an even page; pages
    of body text numbered, the blank and the 版记 pages not (§7.4.1, §7.5). The body ending on
    page 1, the 版记 is page 2; ending full on page 2 (6 more paragraphs), page 3 is blank;
    with room on page 2 (1 more), the 版记 stands there under the body."""
    import pdfplumber

    notices = {"short": _notice(0, short=True), "roomy": _notice(1), "full2": _notice(6),
               "odd3": _notice(8)}  # fmt: skip
    pdfs = _render({k: _docx_text(v) for k, v in notices.items()}, tmp_path, WITH_BLANKS)
    got: dict[str, list[str]] = {}
    for name in notices:
        with pdfplumber.open(pdfs[name]) as pdf:
            got[name] = ["".join(c["text"] for c in p.chars) for p in pdf.pages]
    for name, pages in got.items():
        assert len(pages) % 2 == 0, name
        assert "抄送" in pages[-1] and all("抄送" not in p for p in pages[:-1]), name
        # Pages holding body text (what stands before the 版记's 抄送 on them).
        body_pages = [n for n, p in enumerate(pages, 1) if p.partition("抄送")[0]]
        for n, page in enumerate(pages, start=1):
            assert ("—" in page) == (n in body_pages), (name, n, page[-12:])
        if name != "roomy":
            last_body = max(body_pages)
            assert pages[last_body:-1] == [""] * (len(pages) - 1 - last_body), name
            assert pages[-1].startswith("抄送"), name
    assert len(got["short"]) == 2 and len(got["roomy"]) == 2
    assert "某某市人民政府办公室" in got["roomy"][1] and "（此件公开发布）" in got["roomy"][1]
    assert len(got["full2"]) == 4 and got["full2"][2] == ""


def test_letter_first_page_has_an_empty_footer_and_the_lower_double_line() -> None:
    """§10.1: the 信函's first page carries no page number (w:titlePg, its first-page footer
    without PAGE) and, as the upper one, a red double line near its foot (thin over thick)."""
    data = docx_of(FULL, "gongwen-letter")
    b = body(data)
    sect = b.find("w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    refs = {r.get(f"{{{W}}}type"): r for r in sect.findall("w:footerReference", NS)}
    assert set(refs) == {"default", "even", "first"}
    files = _parts(data)
    rels = etree.fromstring(files["word/_rels/document.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels}
    first = etree.fromstring(files["word/" + target[refs["first"].get(f"{{{R}}}id")]])
    assert "PAGE" not in "".join(first.itertext())
    kinds = [e.get(f"{{{W}}}val") for e in b.iterfind("w:p/w:pPr/w:pBdr/w:bottom", NS)]
    assert kinds == ["thickThinSmallGap", "thinThickSmallGap"]


@pytest.mark.soffice
def test_libreoffice_renders_the_letter_first_page(tmp_path: Path) -> None:
    """Rendered by LibreOffice: no page number on page 1, the 抄送 on the last page (it was
    lost: its floating table anchored to a hidden paragraph), the red double lines 170 mm wide
    centred on the type area, the upper thick over thin 4 mm below the masthead, the lower
    thin over thick with its thick line 20 mm above the page's bottom edge (§10.1)."""
    import pdfplumber

    pdfs = _render({"letter": docx_of(FULL, "gongwen-letter")}, tmp_path)
    with pdfplumber.open(pdfs["letter"]) as pdf:
        first, last = pdf.pages[0], pdf.pages[-1]
        texts = ["".join(c["text"] for c in p.chars) for p in pdf.pages]
        assert "—" not in texts[0] and "— 2 —".replace(" ", "") in texts[1].replace(" ", "")
        assert "抄送：市委各部门" in texts[-1] and last.page_number == 2
        red = [ln for ln in first.lines if tuple(ln["stroking_color"]) == (1, 0, 0)]
        lines = sorted({(round(ln["top"], 1), ln["linewidth"]): ln for ln in red}.values(),
                       key=lambda ln: ln["top"])  # fmt: skip
        assert [round(ln["linewidth"], 2) for ln in lines] == [2.25, 0.75, 0.75, 2.25]
        for ln in lines:
            assert abs(ln["x1"] - ln["x0"] - 170 * MM) < 0.5 * MM
            assert abs((ln["x0"] + ln["x1"]) / 2 - (LEFT + WIDTH / 2)) < 0.5 * MM
        page_h = GONGWEN.page_height_mm * MM
        assert abs(lines[3]["top"] - (page_h - 20 * MM)) < 0.5 * MM
        assert 0 < lines[3]["top"] - lines[2]["top"] < 1.5 * MM
        mast = [c for c in first.chars if tuple(c.get("non_stroking_color") or ()) == (1, 0, 0)]
        # The masthead's em box bottom (baseline + 0.12 em for a CJK face) 4 mm above the line.
        size = mast[0]["size"]
        em_bottom = page_h - mast[0]["matrix"][5] + 0.12 * size
        assert abs(lines[0]["top"] - em_bottom - 4 * MM) < 1.0 * MM
        # The 发文字号 at the right margin, on the first line under the double line, whose
        # em box top stands 7/8 of a 3号 character below the lines (thick line's middle + 4 pt).
        number = [c for c in first.chars if c["x0"] > LEFT + WIDTH / 2 and c["top"] < 80 * MM
                  and c not in mast]  # fmt: skip
        assert "".join(c["text"] for c in number) == "某府发〔2024〕12号"
        assert abs(max(c["x1"] for c in number) - (LEFT + WIDTH)) < 1.0 * MM
        top = page_h - number[0]["matrix"][5] - 0.88 * 16
        assert abs(top - (lines[0]["top"] + 4 + 14)) < 0.8 * MM


@pytest.mark.soffice
def test_libreoffice_fills_the_first_page_as_the_pdf_does(tmp_path: Path) -> None:
    """GB/T 9704 §5.2.2: 22 lines a page, so the DOCX's pages end where the PDF's do. The full
    notice's page 1 ends inside the run-in heading paragraph 三、…: its first line stays at the
    foot (no widow control, the heading style's keepLines off for a run-in heading)."""
    import pdfplumber

    doc = read_path(FULL).document
    options = exporter.write_options("gongwen")
    pdfs = _render({"full": exporter.write(doc, "docx", options=options)}, tmp_path)
    (tmp_path / "ours.pdf").write_bytes(exporter.write(doc, "pdf", options=options))

    def last_body_line(path: Path) -> str:
        with pdfplumber.open(path) as pdf:
            rows: dict[int, str] = {}
            for c in pdf.pages[0].chars:
                if c["size"] > 15:  # the body's 3号 lines, not the page number
                    rows[round(c["top"])] = rows.get(round(c["top"]), "") + c["text"]
            return rows[max(rows)]

    ours = last_body_line(tmp_path / "ours.pdf")
    assert ours.startswith("三、严格落实值班值守制度。")
    assert last_body_line(pdfs["full"]).startswith("三、严格落实值班值守制度。")
