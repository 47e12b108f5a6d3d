"""The 命令（令）格式 (GB/T 9704-2012 §10.2, §7.3.5.3), profile gongwen-order: PDF measured from glyph and path positions, DOCX in its XML and in LibreOffice's rendering, EPUB."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import FIXTURES
from lxml import etree
from test_docx import _render

import exporter
from exporter.model import document_text
from exporter.options import GONGWEN, MM
from exporter.reader import read_path

ORDER = FIXTURES / "official" / "order.txt"
TOP = GONGWEN.margin_top_mm * MM
LEFT = GONGWEN.margin_left_mm * MM
WIDTH = GONGWEN.text_width_mm * MM
PITCH = GONGWEN.text_height_mm * MM / 22
CELL = WIDTH / 28
RED = (1.0, 0.0, 0.0)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}


def write(fmt: str) -> bytes:
    doc = read_path(ORDER).document
    data = exporter.write(doc, fmt, options=exporter.write_options("gongwen-order"))
    assert data is not None
    return data


def rows(page: Any) -> list[list[dict[str, Any]]]:
    """The page's lines of characters, top to bottom (by baseline)."""
    out: dict[float, list[dict[str, Any]]] = {}
    for c in page.chars:
        out.setdefault(round(c["matrix"][5], 0), []).append(c)
    return [sorted(out[k], key=lambda c: c["x0"]) for k in sorted(out, reverse=True)]


def text(chars: list[dict[str, Any]]) -> str:
    return "".join(c["text"] for c in chars)


def em_top(page: Any, c: dict[str, Any]) -> float:
    """A CJK glyph's em box top from the page's top (baseline less 0.88 em), whatever ascent
    the producer wrote for the font."""
    return float(page.height) - c["matrix"][5] - 0.88 * c["size"]


def test_pdf_masthead_number_body_and_signature_where_10_2_says() -> None:
    with pdfplumber.open(io.BytesIO(write("pdf"))) as pdf:
        page = pdf.pages[0]
        lines = rows(page)
        mast = [c for c in page.chars if tuple(c.get("non_stroking_color") or ()) == RED]
        assert text(mast) == "某某市人民政府令"
        # 发文机关标志 (issuing body + 令): red, centred, its top 20 mm below the type area's.
        top = min(em_top(page, c) for c in mast)
        assert abs(top - (TOP + 20 * MM)) < 0.3 * MM
        centre = (min(c["x0"] for c in mast) + max(c["x1"] for c in mast)) / 2
        assert abs(centre - (LEFT + WIDTH / 2)) < 0.5 * MM
        # 令号 centred, two lines under the masthead (下空二行).
        number = next(ln for ln in lines if text(ln) == "第12号")
        bottom = top + mast[0]["size"]
        assert abs(em_top(page, number[0]) - (bottom + 2 * PITCH)) < 0.5 * MM
        centre = (number[0]["x0"] + number[-1]["x1"]) / 2
        assert abs(centre - (LEFT + WIDTH / 2)) < 0.5 * MM
        # The body two lines under the 令号: its first row at least two lines below.
        first = next(ln for ln in lines if text(ln).startswith("《"))
        gap = em_top(page, first[0]) - (em_top(page, number[0]) + 16)
        assert 2 * PITCH - 16 <= gap + 0.5 and gap < 3 * PITCH
        # No red separator line (§10.2 names none): no red path at all.
        assert not [ln for ln in page.lines + page.rects
                    if tuple(ln.get("stroking_color") or ()) == RED
                    or tuple(ln.get("non_stroking_color") or ()) == RED]  # fmt: skip
        # §7.3.5.3: the signer's 职务 and name 右空四字 two lines under the body, the date
        # 右空四字 one line under them.
        body_end = max(i for i, ln in enumerate(lines) if "施行" in text(ln))
        signer = next(ln for ln in lines if text(ln).startswith("市长"))
        date = next(ln for ln in lines if text(ln) == "2024年1月5日")
        right = LEFT + WIDTH - 4 * CELL
        assert abs(max(c["x1"] for c in signer) - right) < 0.3 * MM
        assert abs(date[-1]["x1"] - right) < 0.3 * MM
        body_top = em_top(page, lines[body_end][0])
        assert abs(em_top(page, signer[0]) - body_top - 3 * PITCH) < 0.5 * MM
        assert abs(em_top(page, date[0]) - em_top(page, signer[0]) - 2 * PITCH) < 0.5 * MM
        # 职务 左空二字 of the name.
        name = next(c for c in signer if c["text"] == "张")
        title_end = next(c for c in signer if c["text"] == "长")
        assert abs(name["x0"] - title_end["x1"] - 2 * CELL) < 0.3 * MM


def test_pdf_masthead_stands_under_copy_classification_and_urgency() -> None:
    """份号, 密级 and 紧急程度 take three lines (30.6 mm) from the type area's top: the
    masthead, 20 mm down when alone, stands under them instead of over them."""
    from exporter.reader import read_text

    src = ORDER.read_text("utf-8").replace("---\n", "---\n份号: 7\n密级: 秘密\n紧急程度: 特急\n", 1)
    doc = read_text(src).document
    data = exporter.write(doc, "pdf", options=exporter.write_options("gongwen-order"))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        mast = [c for c in page.chars if tuple(c.get("non_stroking_color") or ()) == RED]
        urgent = next(ln for ln in rows(page) if text(ln) == "特急")
        assert min(em_top(page, c) for c in mast) >= em_top(page, urgent[0]) + 16 - 0.01


def test_docx_masthead_and_number_without_the_red_line() -> None:
    with zipfile.ZipFile(io.BytesIO(write("docx"))) as z:
        body = etree.fromstring(z.read("word/document.xml")).find("w:body", NS)
    paras = body.findall("w:p", NS)
    mast, number = paras[0], paras[1]
    assert "".join(mast.itertext()) == "某某市人民政府令"
    assert mast.find(".//w:color", NS).get(f"{{{W}}}val") == "FF0000"
    assert mast.find(".//w:jc", NS).get(f"{{{W}}}val") == "center"
    before = int(mast.find("w:pPr/w:spacing", NS).get(f"{{{W}}}before"))
    assert before == round(20 * 72 / 25.4 * 20)  # 20 mm below the type area's top
    assert "".join(number.itertext()) == "第12号"
    assert number.find(".//w:jc", NS).get(f"{{{W}}}val") == "center"
    assert body.find(".//w:pBdr", NS) is None  # no red line


@pytest.mark.soffice
def test_libreoffice_renders_the_order(tmp_path: Path) -> None:
    pdfs = _render({"order": write("docx")}, tmp_path)
    with pdfplumber.open(pdfs["order"]) as pdf:
        page = pdf.pages[0]
        mast = [c for c in page.chars if tuple(c.get("non_stroking_color") or ()) == RED]
        assert text(mast) == "某某市人民政府令"
        # LibreOffice sets the exact line's glyphs by the face's own ascent: within 3.5 mm.
        assert abs(min(em_top(page, c) for c in mast) - (TOP + 20 * MM)) < 3.5 * MM
        assert not [ln for ln in page.lines if tuple(ln["stroking_color"]) == RED]
        lines = rows(page)
        signer = next(ln for ln in lines if text(ln).startswith("市长"))
        date = next(ln for ln in lines if text(ln) == "2024年1月5日")
        right = LEFT + WIDTH - 4 * CELL
        assert abs(max(c["x1"] for c in signer) - right) < 1.0 * MM
        assert abs(date[-1]["x1"] - right) < 1.0 * MM


def test_epub_header_without_the_red_rule_and_the_fields_as_metadata() -> None:
    with zipfile.ZipFile(io.BytesIO(write("epub"))) as z:
        opf = etree.fromstring(z.read("EPUB/package.opf"))
        chapters = [etree.fromstring(z.read(n)) for n in sorted(z.namelist())
                    if n.startswith("EPUB/chap")]  # fmt: skip
    metas = {m.get("name"): m.get("content") for m in opf.iterfind(".//opf:meta", NS)}
    assert metas["exporter:official.issuers"] == "某某市人民政府令"
    header = next(h for c in chapters for h in c.iterfind(".//x:header", NS))
    assert [p.get("class") for p in header] == ["gw-issuer", "gw-number"]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
def test_every_character_in_order(fmt: str) -> None:
    doc = read_path(ORDER).document
    data = write(fmt)
    if fmt == "pdf":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            got = "".join(c["text"] for p in pdf.pages for c in p.chars if c["size"] > 15)
    elif fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = etree.fromstring(z.read("word/document.xml"))
        got = "".join(t.text or "" for t in root.iter(f"{{{W}}}t"))
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = sorted(n for n in z.namelist() if n.startswith("EPUB/chap"))
            got = "".join("".join(etree.fromstring(z.read(n)).find("x:body", NS).itertext())
                          for n in names)  # fmt: skip
    want = "".join(document_text(doc).split())
    assert sorted("".join(got.split())) == sorted(want)
    if fmt != "pdf":  # the PDF's text layer reads the 落款 row by row
        assert "".join(got.split()) == want
