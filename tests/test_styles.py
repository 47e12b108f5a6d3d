"""One style table, three writers: a quote, a byline and a dateline read back from PDF, DOCX and EPUB;
the shared zip and XML policies."""

from __future__ import annotations

import io
import re
import zipfile

import pdfplumber
import pytest
from conftest import all_blocks_document
from lxml import etree

from exporter import diagnostics, fonts
from exporter.model import Document, Metadata, Paragraph, Text
from exporter.options import GONGWEN, STANDARD, Profile, WriteOptions
from exporter.typesetting.styles import Kind, block_style
from exporter.writers import _xml, _zip
from exporter.writers.docx import DocxWriter
from exporter.writers.epub import EpubWriter
from exporter.writers.pdf import PdfWriter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Text of the sample document set as each kind (see conftest.all_blocks_document).
SAMPLES: dict[Kind, str] = {"quote": "天下兴亡", "byline": "记者", "dateline": "新华社北京"}


def _write(writer: DocxWriter | EpubWriter | PdfWriter, profile: Profile, **kw: bool) -> bytes:
    out = io.BytesIO()
    options = WriteOptions(profile=profile, system_fonts=False, source_date_epoch=0, **kw)
    writer.write(all_blocks_document(), options, out)
    return out.getvalue()


def _docx_style(data: bytes, style_id: str) -> tuple[str, float]:
    """(eastAsia family, size in pt) of a DOCX style."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))
    style = root.find(f"{W}style[@{W}styleId='{style_id}']")
    assert style is not None, style_id
    fonts_el = style.find(f"{W}rPr/{W}rFonts")
    size_el = style.find(f"{W}rPr/{W}sz")
    assert fonts_el is not None and size_el is not None, style_id
    return fonts_el.get(f"{W}eastAsia") or "", int(size_el.get(f"{W}val") or 0) / 2


def _css_rule(css: str, selector: str) -> tuple[str, float]:
    """(first family, size in ems) of a CSS rule."""
    found = re.search(re.escape(selector) + r" \{([^}]*)\}", css)
    assert found is not None, selector
    family = re.search(r'font-family: "([^"]+)"', found.group(1))
    size = re.search(r"font-size: ([0-9.]+)em", found.group(1))
    assert family is not None and size is not None, selector
    return family.group(1), float(size.group(1))


def _pdf_font(data: bytes, text: str) -> tuple[str, float]:
    """(font name, size) of the characters of ``text`` in the PDF (one font for all)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            chars = page.chars
            line = "".join(c["text"] for c in chars)
            at = line.find(text)
            if at >= 0:
                used = {(c["fontname"], round(c["size"], 2)) for c in chars[at : at + len(text)]}
                assert len(used) == 1, used
                return used.pop()
    raise AssertionError(f"{text} not in the PDF")


@pytest.mark.parametrize("profile", [STANDARD, GONGWEN], ids=["standard", "gongwen"])
def test_writers_agree_on_quote_byline_and_dateline(profile: Profile) -> None:
    docx_data = _write(DocxWriter(), profile)
    css = (
        zipfile.ZipFile(io.BytesIO(_write(EpubWriter(), profile, embed_fonts=False)))
        .read("EPUB/style.css")
        .decode()
    )
    pdf_data = _write(PdfWriter(), profile)
    fontset = fonts.fontset_for(WriteOptions(profile=profile, system_fonts=False))
    docx_ids = {"quote": "Quote", "byline": "Byline", "dateline": "Dateline"}
    selectors = {"quote": "blockquote > p", "byline": "p.byline", "dateline": "span.dateline"}
    for kind, text in SAMPLES.items():
        st = block_style(kind, profile)
        family = profile.roles[st.role].families[0]
        size = st.size_pt(profile)
        assert _docx_style(docx_data, docx_ids[kind]) == (family, size), kind
        assert _css_rule(css, selectors[kind]) == (family, size / profile.body_size_pt), kind
        name, pdf_size = _pdf_font(pdf_data, text)
        assert fontset.face(st.role).full_name.replace(" ", "").lower() in name.lower(), kind
        assert pdf_size == pytest.approx(size), kind
    # The three kinds are not all in the body face: the check above has something to catch.
    assert block_style("quote", profile).role != "body"
    assert block_style("dateline", profile).role != "body"


# -- zip ------------------------------------------------------------------------------------


def test_zip_same_bytes_twice_and_fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    entries = [("mimetype", b"application/epub+zip"), ("a.xml", b"<a/>" * 100)]
    first = _zip.package(entries, stored=frozenset({"mimetype"}))
    assert first == _zip.package(entries, stored=frozenset({"mimetype"}))
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert [i.filename for i in infos] == ["mimetype", "a.xml"]
    assert infos[0].compress_type == zipfile.ZIP_STORED and not infos[0].extra
    assert infos[1].compress_type == zipfile.ZIP_DEFLATED
    assert {i.date_time for i in infos} == {_zip.DEFAULT_TIME}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_zip_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000001")
    infos = zipfile.ZipFile(io.BytesIO(_zip.package([("a", b"x")]))).infolist()
    assert infos[0].date_time == (2023, 11, 14, 22, 13, 20)  # 2 s resolution: rounded down
    # An explicit epoch (WriteOptions.source_date_epoch) wins over the environment.
    infos = zipfile.ZipFile(io.BytesIO(_zip.package([("a", b"x")], explicit_epoch=0))).infolist()
    assert infos[0].date_time == _zip.DEFAULT_TIME  # 1970 is before zip's epoch: clamped


def test_document_date_is_never_a_zip_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = Document(Metadata(title="题", date="2021-05-06"), (Paragraph((Text("正文"),)),))
    for writer in (DocxWriter(), EpubWriter()):
        out = io.BytesIO()
        writer.write(doc, WriteOptions(system_fonts=False, embed_fonts=False), out)
        infos = zipfile.ZipFile(io.BytesIO(out.getvalue())).infolist()
        assert {i.date_time for i in infos} == {_zip.DEFAULT_TIME}, writer.name


# -- XML ------------------------------------------------------------------------------------


def test_xml_forbidden_characters_become_visible_stand_ins() -> None:
    assert _xml.text("a\x00b\x1fc\ufffed\ud800e") == "a\u2400b\u241fc\ufffdd\ufffde"
    assert _xml.text("<&>\r\t\n") == "&lt;&amp;&gt;&#13;\t\n"
    assert _xml.attr('"x"') == "&quot;x&quot;"
    # Whatever goes in, the result parses as XML 1.0.
    etree.fromstring(f'<a b="{_xml.attr("".join(map(chr, range(0x20))))}"/>'.encode())


def test_docx_and_epub_report_forbidden_characters_alike() -> None:
    doc = Document(Metadata(title="题"), (Paragraph((Text("甲\x01乙\ufffe丙"),)),))
    seen = {}
    for writer in (DocxWriter(), EpubWriter()):
        with diagnostics.collect() as warnings:
            writer.write(doc, WriteOptions(system_fonts=False, embed_fonts=False), io.BytesIO())
        found = [w for w in warnings if w.code == "xml-forbidden-chars"]
        assert len(found) == 1, writer.name
        seen[writer.name] = found[0].data["chars"]
    assert seen["docx"] == seen["epub"] == ["U+0001", "U+FFFE"]
