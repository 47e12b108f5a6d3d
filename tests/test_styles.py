"""One style table, three writers: a quote, a byline, a dateline, titles and headings read back from
PDF, DOCX and EPUB; the shared zip and XML policies."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pdfplumber
import pytest
from conftest import all_blocks_document
from lxml import etree

from exporter import diagnostics, fonts
from exporter.model import (
    Document,
    Heading,
    Metadata,
    Paragraph,
    Subtitle,
    Text,
    Title,
    plain,
    text_of,
)
from exporter.options import GONGWEN, MM, STANDARD, Profile, WriteOptions
from exporter.typesetting.styles import BlockStyle, Kind, block_style, heading_style
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


def _zipfile_package(entries: list[tuple[str, bytes]], stored: frozenset[str]) -> bytes:
    """The same package written by the standard library's zipfile (the reference)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, _zip.DEFAULT_TIME)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=_zip.LEVEL)
    return buf.getvalue()


def test_zip_is_the_package_zipfile_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Entries up to a chunk are the very bytes zipfile writes (headers, directory, deflate).
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    entries = [
        ("mimetype", b"application/epub+zip"),
        ("EPUB/正文.xhtml", "<p>满纸荒唐言，一把辛酸泪。</p>".encode() * 3000),
        ("empty", b""),
    ]
    stored = frozenset({"mimetype"})
    assert _zip.package(entries, stored=stored) == _zipfile_package(entries, stored)


def test_zip_large_entry_deflated_in_pieces_reads_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # A novel's document.xml is several chunks: compressed side by side, one valid stream,
    # the same bytes whatever the number of cores.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    line = "<w:p><w:r><w:t>却说那女娲氏炼石补天之时，于大荒山无稽崖炼成高十二丈。</w:t></w:r></w:p>"
    big = "".join(f"{line}{n}" for n in range(60_000)).encode()
    assert len(big) > 3 * _zip.CHUNK
    entries = [("word/document.xml", big), ("word/styles.xml", b"<w:styles/>")]
    monkeypatch.setattr(_zip.os, "cpu_count", lambda: 1)
    alone = _zip.package(entries)
    monkeypatch.setattr(_zip.os, "cpu_count", lambda: 8)
    assert _zip.package(entries) == alone
    with zipfile.ZipFile(io.BytesIO(alone)) as zf:
        assert zf.testzip() is None
        assert zf.read("word/document.xml") == big
    reference = _zipfile_package(entries, frozenset())
    assert len(alone) <= len(reference) * 1.01  # the pieces cost under 1 % of the size


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


# -- titles and headings ----------------------------------------------------------------------

#: A document with a title, a subtitle, headings of levels 1-4 and a chapter heading; each
#: sample's text is unique in it, so each can be found in every format.
HEADINGS_DOC = Document(
    Metadata(title="示范标题"),
    (
        Title(plain("示范标题")),
        Subtitle(plain("副题文字")),
        Paragraph(plain("正文段落。" * 10)),
        Heading(1, "一、", plain("总体要求")),
        Paragraph(plain("正文段落。" * 10)),
        Heading(2, "（一）", plain("工作目标")),
        Heading(3, "1.", plain("明确责任")),
        Heading(4, "（1）", plain("细化分工")),
        Paragraph(plain("正文段落。" * 10)),
        Heading(1, "第一章", plain("总则")),
        Paragraph(plain("正文段落。" * 10)),
    ),
)
#: sample -> (the text that finds it, its block in HEADINGS_DOC)
HEAD_SAMPLES = {
    "title": "示范标题",
    "subtitle": "副题文字",
    "heading1": "总体要求",
    "heading2": "工作目标",
    "heading3": "明确责任",
    "heading4": "细化分工",
    "chapter": "总则",
}


def _expected(sample: str, profile: Profile) -> BlockStyle:
    if sample in ("title", "subtitle"):
        return block_style(sample, profile)  # type: ignore[arg-type]
    block = next(
        b
        for b in HEADINGS_DOC.blocks
        if isinstance(b, Heading) and text_of(b.content) == HEAD_SAMPLES[sample]
    )
    return heading_style(block, profile)


def _write_doc(writer: DocxWriter | EpubWriter | PdfWriter, profile: Profile, **kw: bool) -> bytes:
    out = io.BytesIO()
    options = WriteOptions(profile=profile, system_fonts=False, source_date_epoch=0, **kw)
    writer.write(HEADINGS_DOC, options, out)
    return out.getvalue()


def _docx_heads(data: bytes) -> dict[str, tuple[bool, float, str, float]]:
    """sample -> (centred, first-line indent in body characters, eastAsia face, size in pt),
    each property the paragraph's own, else its style's (through basedOn)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    styles = etree.fromstring(z.read("word/styles.xml"))
    by_id = {s.get(f"{W}styleId"): s for s in styles.iterfind(f"{W}style")}
    body = etree.fromstring(z.read("word/document.xml"))
    normal_sz = by_id["Normal"].find(f"{W}rPr/{W}sz")
    assert normal_sz is not None
    char = int(normal_sz.get(f"{W}val") or 0) * 10  # one body character, twips

    def prop(p: etree._Element, path: str, attr: str) -> str | None:
        """``path`` under a style (pPr/…, rPr/…): the paragraph's own pPr first."""
        el = p.find(path) if path.startswith(f"{W}pPr/") else None
        if el is not None and el.get(f"{W}{attr}") is not None:
            return el.get(f"{W}{attr}")
        style_el = p.find(f"{W}pPr/{W}pStyle")
        style_id = style_el.get(f"{W}val") if style_el is not None else "Normal"
        while style_id:
            style = by_id[style_id]
            el = style.find(path)
            if el is not None and el.get(f"{W}{attr}") is not None:
                return el.get(f"{W}{attr}")
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return None

    out = {}
    for p in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        for sample, needle in HEAD_SAMPLES.items():
            if text.endswith(needle):
                face = prop(p, f"{W}rPr/{W}rFonts", "eastAsia") or ""
                size = int(prop(p, f"{W}rPr/{W}sz", "val") or 0) / 2
                indent = int(prop(p, f"{W}pPr/{W}ind", "firstLine") or 0) / char
                out[sample] = (prop(p, f"{W}pPr/{W}jc", "val") == "center", indent, face, size)
    return out


def _css_rules(css: str) -> dict[str, str]:
    return {sel.strip(): decls for sel, decls in re.findall(r"^([^{}@]+?) \{([^}]*)\}", css, re.M)}


def _epub_heads(data: bytes, profile: Profile) -> dict[str, tuple[bool, float, str, float]]:
    """sample -> (centred, first-line indent in body characters, first family, size in pt) as
    the stylesheet sets the element that holds the sample in the content documents."""
    z = zipfile.ZipFile(io.BytesIO(data))
    rules = _css_rules(z.read("EPUB/style.css").decode())
    out = {}
    for name in z.namelist():
        if not name.endswith(".xhtml") or name.endswith("nav.xhtml"):
            continue
        for el in etree.fromstring(z.read(name)).iter():
            text = "".join(el.itertext())
            sample = next((s for s, t in HEAD_SAMPLES.items() if text.endswith(t)), None)
            if sample is None or etree.QName(el).localname in ("html", "body", "header"):
                continue
            tag, classes = etree.QName(el).localname, (el.get("class") or "").split()
            decls = ""  # every rule whose selector names this element, in stylesheet order
            for sel, body in rules.items():
                for one in sel.split(", "):
                    parts = one.split(".")
                    if parts[0] == tag and set(parts[1:]) <= set(classes) and parts[1:]:
                        decls += body
            if not decls:  # the document's <title> in <head>
                continue
            family = re.findall(r'font-family: "([^"]+)"', decls)[-1]
            size_em = float(re.findall(r"font-size: ([0-9.]+)em", decls)[-1])
            indent_em = float(re.findall(r"text-indent: (-?[0-9.]+)em", decls)[-1])
            centred = re.findall(r"text-align: (\w+)", decls)[-1] == "center"
            out[sample] = (centred, indent_em * size_em, family, size_em * profile.body_size_pt)
    return out


def _pdf_heads(data: bytes, profile: Profile) -> dict[str, tuple[bool, float, str, float]]:
    """sample -> (centred, first-line indent in body characters, font name, size) of the line
    holding the sample: centred when its margins to the type area are equal within 0.5 pt."""
    left = profile.margin_left_mm * MM
    right = left + profile.text_width_mm * MM
    cell = (
        profile.text_width_mm * MM / profile.chars_per_line
        if profile.chars_per_line
        else profile.body_size_pt
    )
    out = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines: dict[float, list[dict[str, Any]]] = {}
            for c in page.chars:
                lines.setdefault(round(c["top"], 1), []).append(c)
            for chars in lines.values():
                chars.sort(key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                for sample, needle in HEAD_SAMPLES.items():
                    if text.endswith(needle):
                        x0, x1 = chars[0]["x0"], chars[-1]["x1"]
                        own = chars[-1]
                        centred = abs((x0 - left) - (right - x1)) < 0.5
                        out[sample] = (centred, (x0 - left) / cell, own["fontname"], own["size"])
    return out


@pytest.mark.parametrize("profile", [STANDARD, GONGWEN], ids=["standard", "gongwen"])
def test_writers_agree_on_titles_and_headings(profile: Profile) -> None:
    docx = _docx_heads(_write_doc(DocxWriter(), profile))
    epub = _epub_heads(_write_doc(EpubWriter(), profile, embed_fonts=False), profile)
    pdf = _pdf_heads(_write_doc(PdfWriter(), profile), profile)
    fontset = fonts.fontset_for(WriteOptions(profile=profile, system_fonts=False))
    for sample in HEAD_SAMPLES:
        st = _expected(sample, profile)
        centred = st.align in ("centre", "balanced")
        indent = 0.0 if centred else st.left + st.indent
        family = profile.roles[st.role].families[0]
        size = st.size_pt(profile)
        assert docx[sample] == (centred, pytest.approx(indent), family, size), sample
        assert epub[sample] == (
            centred,
            pytest.approx(indent, abs=0.01),
            family,
            pytest.approx(size, abs=0.01),
        ), sample
        pdf_centred, pdf_indent, name, pdf_size = pdf[sample]
        assert pdf_centred == centred, sample
        if not centred:
            assert pdf_indent == pytest.approx(indent, abs=0.01), sample
        face = re.sub(r"[^a-z]", "", fontset.face(st.role).full_name.lower())
        assert face in re.sub(r"[^a-z]", "", name.lower()), sample
        assert pdf_size == pytest.approx(size), sample
    # What a reader of Chinese documents expects: the title and a chapter heading centred,
    # the other headings two characters in like paragraphs (GB/T 9704-2012 §7.3.3).
    assert docx["title"][0] and docx["chapter"][0] and pdf["chapter"][0] and epub["chapter"][0]
    for level in range(1, 5):
        assert not pdf[f"heading{level}"][0] and pdf[f"heading{level}"][1] == pytest.approx(
            2, abs=0.01
        )
        assert not epub[f"heading{level}"][0]
