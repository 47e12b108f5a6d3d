"""DOCX embedded fonts (ECMA-376 Part 1 §17.8): obfuscated subsets, read back with lxml and
fontTools, and rendered by LibreOffice on a machine without CJK fonts."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import SAMPLE, all_blocks_document
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from exporter import diagnostics
from exporter.fonts import bundled_file
from exporter.model import Document, document_text
from exporter.options import GONGWEN, WriteOptions
from exporter.reader import read_file
from exporter.reader.markdown import read_markdown
from exporter.writers.docx import DocxWriter
from exporter.writers.docx import embed as embed_module

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "r": R, "pr": PR, "ct": CT}


def write(doc: Document, options: WriteOptions | None = None) -> bytes:
    buf = io.BytesIO()
    DocxWriter().write(doc, options or WriteOptions(), buf)
    return buf.getvalue()


def xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read(name))


def deobfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1, written out independently of the writer: the GUID's 32 hex
    digits, read as 16 bytes from the last pair to the first, XOR the font's first 32 bytes."""
    digits = key[1:-1].replace("-", "")
    mask = [int(digits[i : i + 2], 16) for i in range(30, -2, -2)]
    return bytes(b ^ mask[i % 16] if i < 32 else b for i, b in enumerate(data))


def embedded(data: bytes) -> dict[tuple[str, str], TTFont]:
    """(w:font name, embedRegular/embedBold) -> the de-obfuscated font, found the way a reader
    finds it: fontTable.xml, its relationships, the part."""
    table = xml(data, "word/fontTable.xml")
    rels = {
        r.get("Id"): r.get("Target")
        for r in xml(data, "word/_rels/fontTable.xml.rels").findall("pr:Relationship", NS)
    }
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for font in table.findall("w:font", NS):
            for el in font:
                tag = etree.QName(el).localname
                if not tag.startswith("embed"):
                    continue
                raw = zf.read("word/" + rels[el.get(f"{{{R}}}id")])
                clear = deobfuscate(raw, el.get(f"{{{W}}}fontKey"))
                out[(font.get(f"{{{W}}}name"), tag)] = TTFont(io.BytesIO(clear))
    return out


@pytest.fixture(autouse=True)
def _no_env_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture(scope="module")
def gongwen_sample() -> tuple[Document, bytes]:
    doc = read_file(SAMPLE)
    return doc, write(doc, WriteOptions(profile=GONGWEN))


def test_obfuscation_is_the_standards_and_undoes_itself() -> None:
    font = bundled_file("fangsong").path.read_bytes()[:64]
    key = embed_module.font_key(font)
    hidden = embed_module.obfuscate(font, key)
    assert hidden[:32] != font[:32] and hidden[32:] == font[32:]
    assert deobfuscate(hidden, key) == font
    assert embed_module.obfuscate(hidden, key) == font


def test_gongwen_docx_embeds_subsets_named_as_its_styles(
    gongwen_sample: tuple[Document, bytes],
) -> None:
    doc, data = gongwen_sample
    fonts = embedded(data)
    # The body's 仿宋, the title's 小标宋, the headings' 黑体, the footer's 宋体 (— 1 —); the
    # sample has no 楷体 (second-level heading) text.
    assert set(fonts) == {
        ("仿宋", "embedRegular"),
        ("方正小标宋简体", "embedRegular"),
        ("黑体", "embedRegular"),
        ("宋体", "embedRegular"),
    }
    body = fonts[("仿宋", "embedRegular")]
    names = body["name"]
    assert names.getName(1, 3, 1, 0x804).toUnicode() == "仿宋"
    assert names.getName(1, 3, 1, 0x409).toUnicode() == "仿宋"
    assert names.getName(6, 3, 1, 0x409).toUnicode() == "ZhuqueFangsong-Regular"
    assert "Open Font License" in names.getName(13, 3, 1, 0x409).toUnicode()
    cmap = body.getBestCmap()
    text = document_text(doc)
    deferred = {"\u2018", "\u2019", "\u201c", "\u201d"}  # Zhuque's quotes are left to 宋体
    missing = {c for c in text if ord(c) not in cmap and not c.isspace()} - deferred
    assert not missing
    assert len(cmap) < 2000  # a subset, not the whole face (tens of thousands of characters)
    assert "—" in {chr(c) for c in fonts[("宋体", "embedRegular")].getBestCmap()}


def test_package_declares_fonts_settings_and_content_type(
    gongwen_sample: tuple[Document, bytes],
) -> None:
    _, data = gongwen_sample
    settings = xml(data, "word/settings.xml")
    names = [etree.QName(el).localname for el in settings]
    assert "embedTrueTypeFonts" in names and "saveSubsetFonts" in names
    # CT_Settings order: zoom, ..., embedTrueTypeFonts, saveSubsetFonts, ..., defaultTabStop.
    assert names.index("zoom") < names.index("embedTrueTypeFonts") < names.index("defaultTabStop")
    types = xml(data, "[Content_Types].xml")
    odttf = types.find("ct:Default[@Extension='odttf']", NS)
    assert odttf is not None
    assert odttf.get("ContentType") == (
        "application/vnd.openxmlformats-officedocument.obfuscatedFont"
    )
    for rel in xml(data, "word/_rels/fontTable.xml.rels").findall("pr:Relationship", NS):
        assert rel.get("Type") == f"{R}/font"
        assert rel.get("Target").startswith("fonts/") and rel.get("Target").endswith(".odttf")
    for el in xml(data, "word/fontTable.xml").iter(f"{{{W}}}embedRegular"):
        assert el.get(f"{{{W}}}subsetted") == "1"


def test_standard_embeds_bold_song_beside_regular() -> None:
    fonts = embedded(write(all_blocks_document()))
    assert ("宋体", "embedRegular") in fonts and ("宋体", "embedBold") in fonts
    bold = fonts[("宋体", "embedBold")]
    assert bold["name"].getName(2, 3, 1, 0x409).toUnicode() == "Bold"

    # Strong text in a regular paragraph takes the family's bold face (w:b): the bold subset
    # holds the characters of blocks with strong text, not those set only in regular faces.
    doc = read_markdown("# 题目\n\n正文丙丁，**加粗戊**。\n\n正文己庚。\n", name="x.md").document
    fonts = embedded(write(doc))
    regular = {chr(c) for c in fonts[("宋体", "embedRegular")].getBestCmap()}
    bold_chars = {chr(c) for c in fonts[("宋体", "embedBold")].getBestCmap()}
    assert set("题目戊丙") <= bold_chars  # the title (a bold style), the strong run, its block
    assert not set("己庚") & bold_chars  # a paragraph without strong text
    assert set("丙丁戊己庚") <= regular and "题" not in regular


def test_embedded_fonts_are_whole_valid_sfnts() -> None:
    """Each de-obfuscated part is a TrueType font whose table checksums and head
    checkSumAdjustment hold (OpenType 1.9 "head"), and that fontTools reads completely."""
    import struct

    data = write(all_blocks_document())
    table = xml(data, "word/fontTable.xml")
    rels = {
        r.get("Id"): r.get("Target")
        for r in xml(data, "word/_rels/fontTable.xml.rels").findall("pr:Relationship", NS)
    }
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for el in table.iter(f"{{{W}}}embedRegular", f"{{{W}}}embedBold"):
            clear = deobfuscate(
                zf.read("word/" + rels[el.get(f"{{{R}}}id")]), el.get(f"{{{W}}}fontKey")
            )
            assert clear[:4] == b"\0\1\0\0"
            assert sum(struct.unpack(f">{len(clear) // 4}I", clear)) & 0xFFFFFFFF == 0xB1B0AFBA
            font = TTFont(io.BytesIO(clear), checkChecksums=2)  # raises on a table's checksum
            for tag in font.keys():
                font[tag]  # every table decompiles
            assert font.getBestCmap()


def test_no_embed_fonts_writes_no_font_parts() -> None:
    data = write(all_blocks_document(), WriteOptions(embed_fonts=False))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert not [n for n in zf.namelist() if "fonts/" in n or n.endswith("fontTable.xml.rels")]
    settings = {etree.QName(el).localname for el in xml(data, "word/settings.xml")}
    assert "embedTrueTypeFonts" not in settings
    assert not list(xml(data, "word/fontTable.xml").iter(f"{{{W}}}embedRegular"))


def test_embedded_docx_is_byte_identical_across_writes(
    monkeypatch: pytest.MonkeyPatch, gongwen_sample: tuple[Document, bytes]
) -> None:
    doc, first = gongwen_sample
    embed_module._cache.clear()  # a cold cache builds the same subsets again
    assert write(doc, WriteOptions(profile=GONGWEN)) == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = write(doc, WriteOptions(profile=GONGWEN))
    embed_module._cache.clear()
    assert write(doc, WriteOptions(profile=GONGWEN)) == a


def test_restricted_font_is_not_embedded_and_reported(tmp_path: Path) -> None:
    from fontTools import subset as ft_subset

    font = TTFont(bundled_file("fangsong").path)
    subsetter = ft_subset.Subsetter()
    subsetter.populate(text="关于做好示范文档工作的通知正文。")
    subsetter.subset(font)
    font["OS/2"].fsType = 0x0002  # Restricted License embedding
    path = tmp_path / "restricted.ttf"
    font.save(path)
    options = WriteOptions(profile=GONGWEN, fonts={"body": str(path)})
    with diagnostics.collect() as found:
        data = write(all_blocks_document(), options)
    assert ("仿宋", "embedRegular") not in embedded(data)
    assert ("方正小标宋简体", "embedRegular") in embedded(data)
    warned = [d for d in found if d.code == "font-not-embedded"]
    assert warned and "Restricted" in warned[0].message


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: DOCX render check not run")
    return exe


def _latin_only_fonts_conf(tmp: Path) -> Path:
    """A fontconfig setup without any CJK face: only a Latin family (LibreOffice does not start
    without some font), not the system's configuration, not the bundled faces."""
    latin = tmp / "latin"
    latin.mkdir()
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not dejavu.is_file():
        pytest.skip("DejaVu Sans is not installed: no Latin-only font setup for LibreOffice")
    shutil.copy(dejavu, latin / dejavu.name)
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{escape(str(latin))}</dir><cachedir>{escape(str(tmp / 'fc'))}</cachedir>"
        "</fontconfig>",
        "utf-8",
    )
    return conf


@pytest.mark.soffice
def test_libreoffice_without_cjk_fonts_draws_with_the_embedded_faces(
    tmp_path: Path, gongwen_sample: tuple[Document, bytes]
) -> None:
    import pdfplumber

    exe = _soffice()
    doc, data = gongwen_sample
    (tmp_path / "embedded.docx").write_bytes(data)
    plain = write(doc, WriteOptions(profile=GONGWEN, embed_fonts=False))
    (tmp_path / "plain.docx").write_bytes(plain)
    conf = _latin_only_fonts_conf(tmp_path)
    # One LibreOffice per file: fonts embedded in one document stay installed for the process
    # (and its profile), so the control must not share them.
    for name in ("embedded", "plain"):
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{tmp_path / f'lo-profile-{name}'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(tmp_path / f"{name}.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env={**os.environ, "FONTCONFIG_FILE": str(conf)},
        )

    def han_fonts(pdf_path: Path) -> dict[str, set[str]]:
        """Base font name (subset tag dropped) -> the Han characters drawn in it."""
        faces: dict[str, set[str]] = {}
        with pdfplumber.open(pdf_path) as pdf:
            for page in pdf.pages:
                for c in page.chars:
                    if "\u4e00" <= c["text"] <= "\u9fff":
                        name = str(c["fontname"]).split("+", 1)[-1]
                        faces.setdefault(name, set()).add(c["text"])
        return faces

    used = han_fonts(tmp_path / "embedded.pdf")
    # Every Han character in the face embedded for its style: Zhuque Fangsong for the 仿宋 body,
    # Noto Serif CJK SC Bold for the 小标宋 title, Noto Sans CJK SC for the 黑体 headings;
    # nothing from a fallback.
    assert set(used) == {"ZhuqueFangsong-Regular", "NotoSerifCJKsc-Bold", "NotoSansCJKsc-Regular"}
    assert "习" in used["NotoSerifCJKsc-Bold"]  # the title, 习近平在决战决胜…
    assert len(used["ZhuqueFangsong-Regular"]) > 300
    pdffonts = subprocess.run(
        ["pdffonts", str(tmp_path / "embedded.pdf")], capture_output=True, text=True, check=False
    )
    if pdffonts.returncode == 0:  # poppler-utils present: the same faces, embedded subsets
        assert "ZhuqueFangsong-Regular" in pdffonts.stdout
    # The control: without embedded fonts the same machine has no face for the Han text.
    assert not set(used) & set(han_fonts(tmp_path / "plain.pdf"))


_STRONG_EVERYWHERE = """# 标题：甲乙

## 一、**加粗标题丙**

正文丁戊[^1]，链接[**己庚**](https://example.com)，*强调辛*。

[^1]: 脚注里**加粗壬癸**的字。

| 表头子 | 表头丑 |
|---|---|
| 单元**寅卯** | 普通辰 |

- 列表**巳午**项
  - 嵌套**未申**项

> 引文**酉戌**。

#### 四级**天地**
"""


@pytest.mark.parametrize("profile", ["standard", "gongwen"])
def test_every_run_finds_its_characters_in_its_embedded_face(tmp_path: Path, profile: str) -> None:
    """Strong text in a heading, a footnote, a link, a table cell, nested list items and a
    quote: each run's characters, by the East Asian font and weight its styles and its own
    w:b give it (resolved as for a reference DOCX), are in the subset embedded for that face
    (the family's regular one when it has no bold face)."""
    from exporter.options import get_profile
    from exporter.writers.docx.reference import Reference
    from exporter.writers.docx.styles import styles_xml

    options = WriteOptions(profile=get_profile(profile))
    data = write(read_markdown(_STRONG_EVERYWHERE, name="x.md").document, options)
    fonts = embedded(data)
    path = tmp_path / "x.docx"
    path.write_bytes(data)
    ref = Reference(str(path))
    ref.merge_styles(styles_xml(options.profile, "zh-CN"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        notes = zf.read("word/footnotes.xml").decode("utf-8")
    needed = ref.text_by_face("zh-CN", notes)
    assert any(bold for _, bold in needed) and len(needed) >= 4
    checked = 0
    for (family, bold), chars in needed.items():
        key = (family, "embedBold" if bold and (family, "embedBold") in fonts else "embedRegular")
        cmap = {chr(c) for c in fonts[key].getBestCmap()}
        han = {c for c in chars if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"}
        assert han <= cmap, (family, bold, "".join(sorted(han - cmap)))
        checked += len(han)
    assert checked > 50


@pytest.mark.soffice
def test_libreoffice_draws_strong_text_with_the_embedded_bold_face(tmp_path: Path) -> None:
    """The standard profile's 宋体 has a bold face: the title (a bold style) and strong text in a
    regular paragraph (w:b) are drawn with it, the rest with the regular face, on a machine
    without CJK fonts: each subset holds the characters its face sets."""
    import pdfplumber

    exe = _soffice()
    doc = read_markdown(
        "# 通知标题\n\n正文第一段，**这里加粗的文字**，然后是普通文字。\n\n第二段没有加粗。\n",
        name="x.md",
    ).document
    (tmp_path / "strong.docx").write_bytes(write(doc))
    conf = _latin_only_fonts_conf(tmp_path)
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "strong.docx")],
        check=True, capture_output=True, timeout=180,
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
    )  # fmt: skip
    runs: list[list[str]] = []  # [base font name, the Han text drawn in it], in order
    with pdfplumber.open(tmp_path / "strong.pdf") as pdf:
        for page in pdf.pages:
            for c in page.chars:
                if "\u4e00" <= c["text"] <= "\u9fff":
                    name = str(c["fontname"]).split("+", 1)[-1]
                    if runs and runs[-1][0] == name:
                        runs[-1][1] += c["text"]
                    else:
                        runs.append([name, c["text"]])
    assert runs == [
        ["NotoSerifCJKsc-Bold", "通知标题"],
        ["NotoSerifCJKsc-Regular", "正文第一段"],
        ["NotoSerifCJKsc-Bold", "这里加粗的文字"],
        ["NotoSerifCJKsc-Regular", "然后是普通文字第二段没有加粗"],
    ]


@given(st.text(max_size=300), st.integers(min_value=1, max_value=40))
def test_distinct_characters_are_sets(text: str, slice_size: int) -> None:
    from exporter.writers.docx import embed

    old, embed._SLICE = embed._SLICE, slice_size
    try:
        assert embed.distinct(text) == set(text)
    finally:
        embed._SLICE = old
