"""Markdown reader: mapping onto the model, CJK emphasis and line joins, links and images refused
or embedded, raw HTML as text, nothing lost against markdown-it's own rendering, and every
fixture through the three writers. The fixtures in fixtures/markdown/ were written for these tests."""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it.common.utils import escapeHtml
from pypdf import PdfReader

import exporter
from exporter import diagnostics
from exporter.errors import InputError
from exporter.model import (
    CodeBlock,
    Document,
    Emphasis,
    Heading,
    Image,
    Link,
    ListBlock,
    Note,
    Paragraph,
    Quote,
    Rule,
    Strike,
    Strong,
    Table,
    Text,
    Title,
    Verse,
    document_text,
    text_of,
)
from exporter.model.serialize import dumps, loads
from exporter.reader import read_path
from exporter.reader.markdown import read_markdown
from exporter.reader.markdown.engine import new_parser
from exporter.reader.markdown.images import media_type

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
MD_FIXTURES = sorted([*FIXTURES.glob("*.md"), *FIXTURES.glob("*.markdown")])
PNG = (FIXTURES / "images" / "chart.png").read_bytes()


def read(text: str, base: Path | None = None, name: str = "t.md") -> Document:
    return read_markdown(text, name=name, base_dir=base).document


def warnings_of(text: str, base: Path | None = None) -> tuple[Document, list[str]]:
    with diagnostics.collect() as found:
        doc = read(text, base)
    return doc, [d.code for d in found]


def body(text: str) -> tuple[object, ...]:
    """The one paragraph's content of a one-paragraph document."""
    (block,) = read(text).blocks
    assert isinstance(block, Paragraph), block
    return block.content


# ---------------------------------------------------------------------------------------------
# The independent measure: markdown-it's own rendering, as plain text


def _oracle_parser():  # type: ignore[no-untyped-def]
    md = new_parser()

    def raw_as_text(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        return escapeHtml(tokens[idx].content)  # raw HTML shown as text, as the reader keeps it

    md.add_render_rule("html_block", raw_as_text)
    md.add_render_rule("html_inline", raw_as_text)
    return md


ORACLE = _oracle_parser()


def rendered_text(markdown: str) -> str:
    """markdown-it's HTML with the tags stripped and the entities resolved."""
    return html.unescape(re.sub(r"<[^>]*>", "", ORACLE.render(markdown)))


def nonspace(text: str) -> str:
    return "".join(text.split())


def first_missing(needles: str, haystack: str) -> int:
    """Where ``needles`` stops being a subsequence of ``haystack`` (-1: it is one)."""
    pos = 0
    for i, ch in enumerate(needles):
        pos = haystack.find(ch, pos)
        if pos < 0:
            return i
        pos += 1
    return -1


def assert_in_order(expected: str, got: str, what: str) -> None:
    exp, have = nonspace(expected), nonspace(got)
    miss = first_missing(exp, have)
    assert miss < 0, f"{what}: lost {exp[miss : miss + 20]!r} (char {miss} of {len(exp)})"


# ---------------------------------------------------------------------------------------------
# Chinese-aware inline reading


@pytest.mark.parametrize(
    ("source", "strong", "after"),
    [
        ("**中文**紧贴", "中文", "紧贴"),
        ("**“引号”**后", "“引号”", "后"),
        ("前**“引号”**后", "“引号”", "后"),
        ("**该星号。**这是因为", "该星号。", "这是因为"),
        ("**《论语》**一书", "《论语》", "一书"),
        ("**「學而」**一句", "「學而」", "一句"),
        ("增长**38.5%**。", "38.5%", "。"),
    ],
)
def test_cjk_strong_emphasis_opens_and_closes(source: str, strong: str, after: str) -> None:
    content = body(source)
    strongs = [i for i in content if isinstance(i, Strong)]
    assert [text_of(s.content) for s in strongs] == [strong]
    assert text_of(content).endswith(after)
    assert "*" not in text_of(content)


def test_cjk_emphasis_and_strike() -> None:
    content = body("这是*“强调”*文字，~~“删除”~~线")
    assert [type(i) for i in content] == [Text, Emphasis, Text, Strike, Text]
    assert text_of(content) == "这是“强调”文字，“删除”线"


def test_latin_emphasis_rules_are_unchanged() -> None:
    assert text_of(body("2 * 3 * 4")) == "2 * 3 * 4"
    assert text_of(body("snake_case_name")) == "snake_case_name"
    assert [type(i) for i in body("a **b** c")] == [Text, Strong, Text]
    # CommonMark §6.2: ** after a letter and before a quote mark still opens nothing in Latin text
    assert text_of(body('a**"b"**c')) == 'a**"b"**c'


@pytest.mark.parametrize(
    ("source", "joined"),
    [
        ("第一行\n第二行", "第一行第二行"),
        ("句号。\n下一句", "句号。下一句"),
        ("English words\nwrap here", "English words wrap here"),
        ("中文\nEnglish", "中文 English"),
        ("**加粗**\n续行", "加粗续行"),
        ("末尾\n`code`", "末尾 code"),
    ],
)
def test_soft_breaks_join_the_chinese_way(source: str, joined: str) -> None:
    assert text_of(body(source)) == joined


def test_hard_breaks_make_lines() -> None:
    (verse,) = read("地址：北京市  \n海淀区\\\n某某路1号").blocks
    assert isinstance(verse, Verse)
    assert [text_of(line) for line in verse.lines] == ["地址：北京市", "海淀区", "某某路1号"]
    # inside a list item, where lines cannot be kept, they run on
    (lst,) = read("- 甲  \n乙").blocks
    assert isinstance(lst, ListBlock) and text_of(lst.items[0].content) == "甲乙"


# ---------------------------------------------------------------------------------------------
# Blocks


def test_title_and_dense_heading_levels() -> None:
    doc = read("# 报告\n\n### 一、情况\n\n正文\n\n##### （一）细节\n\n正文")
    assert isinstance(doc.blocks[0], Title) and text_of(doc.blocks[0].content) == "报告"
    heads = [b for b in doc.blocks if isinstance(b, Heading)]
    assert [(h.level, text_of(h.content)) for h in heads] == [(1, "一、情况"), (2, "（一）细节")]
    assert doc.meta.title == "报告"


def test_several_level_one_headings_are_chapters_not_a_title() -> None:
    doc = read("# 第一章\n\n甲\n\n# 第二章\n\n乙", name="book.md")
    assert not any(isinstance(b, Title) for b in doc.blocks)
    assert [b.level for b in doc.blocks if isinstance(b, Heading)] == [1, 1]
    assert doc.meta.title == "book"  # the file's name, as the text reader does


def test_a_heading_first_only_when_it_is_first() -> None:
    doc = read("前言一段。\n\n# 标题")
    assert not any(isinstance(b, Title) for b in doc.blocks)


def test_lists_nested_ordered_with_start() -> None:
    (lst,) = read("3. 第三\n   - 子甲\n   - 子乙\n\n     续段\n4. 第四").blocks
    assert isinstance(lst, ListBlock) and lst.ordered and lst.start == 3
    assert [i.marker for i in lst.items] == ["3.", "4."]
    (inner,) = lst.items[0].blocks
    assert isinstance(inner, ListBlock) and not inner.ordered
    assert [i.marker for i in inner.items] == ["-", "-"]
    assert [text_of(i.content) for i in inner.items] == ["子甲", "子乙"]
    assert isinstance(inner.items[1].blocks[0], Paragraph)


def test_table_alignment_and_short_rows() -> None:
    (table,) = read("| 甲 | 乙 | 丙 | 丁 |\n|:--|:-:|--:|---|\n| 1 | **2** |\n").blocks
    assert isinstance(table, Table)
    assert table.align == ("left", "center", "right", "")
    assert [text_of(c) for c in table.header[0]] == ["甲", "乙", "丙", "丁"]
    (row,) = table.body
    assert len(row) == 4 and isinstance(row[1][0], Strong) and row[2] == row[3] == ()


def test_code_quote_rule() -> None:
    doc = read("> 引文，\n> 续行\n\n```python\nprint(1)\n```\n\n    缩进代码\n\n* * *\n")
    quote, fence, indented, rule = doc.blocks
    assert isinstance(quote, Quote) and text_of(quote.content) == "引文，续行"
    assert fence == CodeBlock("print(1)") and indented == CodeBlock("缩进代码")
    assert rule == Rule("* * *")


def test_entities_and_escapes_are_resolved() -> None:
    assert text_of(body("\\*字\\* 5 &times; 3 &amp; &lt;b&gt;")) == "*字* 5 × 3 & <b>"


# ---------------------------------------------------------------------------------------------
# Links, raw HTML: refused or literal, never interpreted


def test_safe_links_are_kept() -> None:
    content = body("[甲](https://a.cn/x)、<mailto:a@b.cn>、[乙](#常见问题)、<http://b.cn>")
    links = [i for i in content if isinstance(i, Link)]
    assert [link.href for link in links] == [
        "https://a.cn/x",
        "mailto:a@b.cn",
        "#%E5%B8%B8%E8%A7%81%E9%97%AE%E9%A2%98",
        "http://b.cn",
    ]
    assert text_of(links[0].content) == "甲"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "vbscript:msgbox",
        "chapter2.md",
        "../up.html",
        "/abs/path",
    ],
)
def test_unsafe_links_keep_their_text_and_warn(href: str) -> None:
    doc, codes = warnings_of(f"点击[这里**加粗**]({href})继续")
    (para,) = doc.blocks
    assert isinstance(para, Paragraph)
    assert not any(isinstance(i, Link) for i in para.content)
    assert text_of(para.content) == "点击这里加粗继续"
    assert any(isinstance(i, Strong) for i in para.content)
    assert "link-refused" in codes


def test_raw_html_is_literal_text() -> None:
    doc = read('<script>alert("x")</script>\n\n正文<b onclick="f()">粗</b>体\n')
    script, para = doc.blocks
    assert script == CodeBlock('<script>alert("x")</script>')
    assert text_of(para.content) == '正文<b onclick="f()">粗</b>体'
    assert not any(isinstance(i, Strong) for i in para.content)  # type: ignore[attr-defined]


def test_raw_html_never_reaches_the_epub_as_markup(tmp_path: Path) -> None:
    doc = read('<script>alert("x")</script>\n\n<img src=x onerror="f()">文字\n')
    data = exporter.write(doc, "epub")
    assert data is not None
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xhtml"):
                tree = etree.fromstring(z.read(name))
                assert not tree.xpath("//*[local-name()='script' or local-name()='img']")
                texts.append("".join(tree.itertext()))
    assert '<script>alert("x")</script>' in "".join(texts)
    assert '<img src=x onerror="f()">' in "".join(texts)


# ---------------------------------------------------------------------------------------------
# Images


def test_png_beside_the_file_is_embedded_once() -> None:
    doc, codes = warnings_of("![图一](images/chart.png) ![again](./images/chart.png)", FIXTURES)
    images = [i for i in doc.blocks[0].content if isinstance(i, Image)]  # type: ignore[attr-defined]
    assert [(i.alt, i.resource) for i in images] == [("图一", "img1"), ("again", "img1")]
    (res,) = doc.resources
    assert (res.id, res.media_type, res.data) == ("img1", "image/png", PNG)
    assert codes == []


def test_jpeg_is_recognised_by_its_bytes(tmp_path: Path) -> None:
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
    (tmp_path / "photo.png").write_bytes(jpeg)  # the name says PNG; the bytes say JPEG
    (tmp_path / "b.png").write_bytes(PNG)
    doc = read("![甲](photo.png)![乙](b.png)![丙](图%20片.png)", tmp_path)
    assert [(r.id, r.media_type) for r in doc.resources] == [
        ("img1", "image/jpeg"),
        ("img2", "image/png"),
    ]
    assert media_type(b"GIF89a") == ""


@pytest.mark.parametrize(
    "src",
    [
        "../outside.png",
        "images/../../outside.png",
        "/etc/passwd",
        "https://img.example.com/a.png",
        "//img.example.com/a.png",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "missing.png",
        "fake.png",
        "folder",
        "escape.png",
    ],
)
def test_images_not_read(tmp_path: Path, src: str) -> None:
    inside = tmp_path / "in"
    (inside / "folder").mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes(PNG)
    (inside / "fake.png").write_text("not an image")
    (inside / "escape.png").symlink_to(tmp_path / "outside.png")  # a link leading out
    doc, codes = warnings_of(f"图：![说明]({src})", inside)
    assert doc.resources == ()
    assert Image("说明", "") in doc.blocks[0].content  # type: ignore[attr-defined]
    assert codes == ["image-not-embedded"]


def test_oversized_image_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("exporter.reader.markdown.images.MAX_IMAGE_BYTES", len(PNG) - 1)
    (tmp_path / "a.png").write_bytes(PNG)
    doc, codes = warnings_of("![大图](a.png)", tmp_path)
    assert doc.resources == () and codes == ["image-not-embedded"]


def test_no_folder_no_image() -> None:
    doc = exporter.read_text("![图](images/chart.png)", input_format="markdown")
    assert doc.resources == ()


# ---------------------------------------------------------------------------------------------
# Front matter and metadata


def test_front_matter_fills_metadata() -> None:
    text = (
        "---\ntitle: 配置标题\nauthors:\n  - 张三\n  - 李四\ndate: '2024-03-01'\n"
        "layout: post\ntags: [a, b]\n---\n\n# 正文标题\n\n正文。\n"
    )
    with diagnostics.collect() as found:
        result = read_markdown(text, name="x.md", meta={"date": "2024-05-01"})
    meta = result.document.meta
    assert meta.title == "配置标题" and meta.authors == ("张三", "李四")
    assert meta.date == "2024-05-01"  # -M wins over the front matter
    assert [d.code for d in found] == ["front-matter-ignored"]
    assert "layout" in found[0].message and "tags" in found[0].message
    assert "配置标题" not in document_text(result.document)  # metadata, not text
    assert isinstance(result.document.blocks[0], Title)


def test_bad_front_matter_date_is_ignored_with_a_warning() -> None:
    with diagnostics.collect() as found:
        doc = read("---\ndate: 昨天\n---\n\n正文")
    assert doc.meta.date == "" and [d.code for d in found] == ["meta-ignored"]


def test_empty_markdown_is_refused() -> None:
    with pytest.raises(InputError, match="no text"):
        read("---\ntitle: x\n---\n")


# ---------------------------------------------------------------------------------------------
# Footnotes (pandoc's syntax): before, a definition was a CommonMark link reference definition
# and its text vanished from every output without a word.

FOOTNOTES = """正文[^1]，再引[^1]，内联^[内联**注**]，注中注[^outer]，自指[^self]，未定义[^nope]。

[^1]: 脚注**加粗**的字。

    脚注第二段。

[^outer]: 外层[^inner]。

[^inner]: 内层。

[^self]: 指向[^self]。
"""


def test_footnotes_become_notes_at_their_references() -> None:
    doc, codes = warnings_of(FOOTNOTES)
    assert codes == []
    (para,) = doc.blocks
    assert isinstance(para, Paragraph)
    first = Note((Text("脚注"), Strong((Text("加粗"),)), Text("的字。脚注第二段。")))
    assert para.content == (
        Text("正文"),
        first,
        Text("，再引"),
        first,  # referenced twice: a note at each reference, as pandoc makes
        Text("，内联"),
        Note((Text("内联"), Strong((Text("注"),)))),
        Text("，注中注"),
        Note((Text("外层"), Note((Text("内层。"),)), Text("。"))),
        Text("，自指"),
        Note((Text("指向[^self]。"),)),  # a note cannot hold itself: its mark stays as text
        Text("，未定义[^nope]。"),  # no definition: CommonMark's literal text
    )


def test_unused_and_repeated_footnote_definitions_keep_their_text() -> None:
    doc, codes = warnings_of("正文[^a]。\n\n[^a]: 甲注。\n\n[^b]: 无人引用。\n\n[^a]: 又一个甲。\n")
    assert codes == ["footnote-unused", "footnote-unused"]
    assert [text_of(b.content) for b in doc.blocks] == [  # type: ignore[attr-defined]
        "正文甲注。。",
        "无人引用。",
        "又一个甲。",
    ]


def test_a_footnote_holding_a_list_and_code_keeps_their_text() -> None:
    doc = read("正文[^x]。\n\n[^x]: 开头。\n\n    - 条目一\n    - 条目二\n\n        代码行\n")
    (para,) = doc.blocks
    note = para.content[1]  # type: ignore[attr-defined]
    assert isinstance(note, Note)
    assert [c for c in text_of(note.content) if not c.isspace()] == list(
        "开头。-条目一-条目二代码行"
    )  # markers too


def test_a_note_on_the_title_stays_out_of_the_metadata() -> None:
    doc = read("# 标题**甲**[^1]\n\n正文。\n\n[^1]: 题注。\n")
    assert doc.meta.title == "标题甲"
    assert text_of(doc.blocks[0].content) == "标题甲题注。"  # type: ignore[attr-defined]


def test_outlines_and_navs_leave_notes_out(tmp_path: Path) -> None:
    """The PDF outline and the EPUB nav name a title or heading by its text, strong text
    included, without the text of a note on it."""
    src = "# 标题**甲**[^1]\n\n## 章**乙**[^2]\n\n正文。\n\n[^1]: 题注。\n\n[^2]: 章注。\n"
    (tmp_path / "n.md").write_text(src, "utf-8")
    report = exporter.convert([tmp_path / "n.md"], out_dir=tmp_path / "out", jobs=1)
    assert report.exit_code == 0
    outline = PdfReader(tmp_path / "out" / "n.pdf").outline
    titles = [outline[0].title, outline[1][0].title]  # type: ignore[union-attr,index]
    assert titles == ["标题甲", "章乙"]
    with zipfile.ZipFile(tmp_path / "out" / "n.epub") as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    labels = [a.text for a in nav.iter("{http://www.w3.org/1999/xhtml}a")]
    assert "标题甲" in labels and "章乙" in labels and not any("注" in (x or "") for x in labels)


def test_footnotes_reach_every_writer(tmp_path: Path) -> None:
    (tmp_path / "fn.md").write_text(FOOTNOTES, "utf-8")
    report = exporter.convert([tmp_path / "fn.md"], out_dir=tmp_path / "out", jobs=1)
    assert report.exit_code == 0
    out = tmp_path / "out"
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(out / "fn.docx") as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
        body_xml = etree.fromstring(z.read("word/document.xml"))
    # DOCX: real footnotes (ECMA-376 §17.11), one per reference, the body holding their marks.
    texts = ["".join(t.text or "" for t in n.iter(w + "t")) for n in notes.iter(w + "footnote")]
    assert "脚注加粗的字。脚注第二段。" in texts and "内联注" in texts
    assert "外层内层。。" in texts  # Word has no note in a note: the inner one runs on in it
    assert len(list(body_xml.iter(w + "footnoteReference"))) == 5
    assert "脚注" not in docx_text(out / "fn.docx")
    # PDF and EPUB set a note inline where it is referenced.
    for got in (pdf_text(out / "fn.pdf"), epub_text(out / "fn.epub")):
        assert_in_order(
            "正文脚注加粗的字。脚注第二段。再引脚注加粗的字。内联内联注外层内层。", got, "fn"
        )


# ---------------------------------------------------------------------------------------------
# Nothing lost


@pytest.mark.parametrize("path", MD_FIXTURES, ids=lambda p: p.name)
def test_fixture_text_is_all_in_the_model(path: Path) -> None:
    text = path.read_text("utf-8")
    doc = read_path(path).document
    assert_in_order(rendered_text(text), document_text(doc), path.name)
    assert dumps(loads(dumps(doc))) == dumps(doc)  # resources and all, through JSON
    assert dumps(read_path(path).document) == dumps(doc)  # deterministic


_MD_ALPHABET = st.sampled_from(
    list("中文字“”「」《》，。！：、") + list("ab1 ") + list("*_~`[]()!#>-|\\<&;\n")
)


@settings(max_examples=200, deadline=None)
@given(st.text(_MD_ALPHABET, min_size=1, max_size=60))
def test_any_markdown_loses_nothing(text: str) -> None:
    try:
        doc = read(text)
    except InputError:
        assert not nonspace(rendered_text(text))
        return
    assert_in_order(rendered_text(text), document_text(doc), repr(text))


# ---------------------------------------------------------------------------------------------
# Dispatch: names, --from, folders


def test_names_decide_unless_the_format_is_given(tmp_path: Path) -> None:
    src = "# 标题\n\n**粗体**正文。\n"
    (tmp_path / "a.md").write_text(src, "utf-8")
    (tmp_path / "a.txt").write_text(src, "utf-8")
    (tmp_path / "b.markdown").write_text(src, "utf-8")
    as_md = exporter.read_file(tmp_path / "a.md")
    assert any(isinstance(i, Strong) for b in as_md.blocks for i in getattr(b, "content", ()))
    assert dumps(exporter.read_file(tmp_path / "b.markdown")) == dumps(as_md)
    assert dumps(exporter.read_file(tmp_path / "a.txt", input_format="markdown")) == dumps(as_md)
    as_text = exporter.read_file(tmp_path / "a.md", input_format="text")
    assert "**粗体**" in document_text(as_text)  # the text reader keeps the asterisks
    assert dumps(exporter.read_data(src.encode(), name="x.md")) != dumps(
        exporter.read_data(src.encode(), name="x.txt")
    )
    with pytest.raises(InputError, match="unknown input format"):
        exporter.read_file(tmp_path / "a.md", input_format="rst")


def test_cli_from_and_folder_glob(tmp_path: Path) -> None:
    from helpers import run_cli

    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "report.md", src / "report.md")
    shutil.copytree(FIXTURES / "images", src / "images")
    (src / "sub" / "notes.markdown").write_text("# 笔记\n\n正文", "utf-8")
    (src / "sub" / "plain.txt").write_text("标题\n\n**粗体**正文。", "utf-8")
    (src / "skip.rst").write_text("不取", "utf-8")
    proc = run_cli("convert", str(src), "-t", "epub", "-d", str(tmp_path / "out"), "-j", "1")
    assert proc.returncode == 0, proc.stderr.decode()
    built = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.epub"))
    assert built == ["report.epub", "sub/notes.epub", "sub/plain.epub"]
    err = proc.stderr.decode()
    assert "javascript:alert('x')" in err  # the refused link is reported
    bad = run_cli("convert", str(src / "report.md"), "--from", "rst", "-d", str(tmp_path / "o"))
    assert bad.returncode == 2 and "--from" in bad.stderr.decode()
    plain = str(src / "sub" / "plain.txt")
    as_md = run_cli("inspect", plain, "--from", "markdown")
    assert as_md.returncode == 0 and '"type": "strong"' in as_md.stdout.decode()
    as_text = run_cli("inspect", plain)
    assert as_text.returncode == 0 and '"type": "strong"' not in as_text.stdout.decode()


# ---------------------------------------------------------------------------------------------
# Through the writers: every fixture, nothing lost in PDF, DOCX and EPUB


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return "".join(t.text or "" for t in root.iter(w + "t"))


def epub_text(path: Path) -> str:
    texts = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml"):
                root = etree.fromstring(z.read(name))
                (body_el,) = root.xpath("//*[local-name()='body']")
                texts.append("".join(body_el.itertext()))
    return "".join(texts)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("md")
    shutil.copytree(FIXTURES, work / "in")
    report = exporter.convert([work / "in"], out_dir=work / "out", jobs=1)
    assert report.exit_code == 0, [r.errors for r in report.inputs]
    yield work / "out"


@pytest.mark.parametrize("path", MD_FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize(
    ("fmt", "extract"), [("pdf", pdf_text), ("docx", docx_text), ("epub", epub_text)]
)
def test_writers_lose_nothing(converted: Path, path: Path, fmt: str, extract: object) -> None:
    out = converted / (path.stem + "." + fmt)
    got = extract(out)  # type: ignore[operator]
    assert_in_order(rendered_text(path.read_text("utf-8")), got, f"{path.name} -> {fmt}")
